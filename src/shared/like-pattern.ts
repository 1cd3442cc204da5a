// Staff-side text search with LIKE, the same on SQLite and PostgreSQL: the searched text is
// taken literally. The escape character is named in the query ('!'), because neither
// database agrees on a default (PostgreSQL escapes with a backslash, SQLite with nothing),
// and '!' needs no quoting in any SQL string literal — unlike a backslash.
import { sql, type RawBuilder, type SqlBool } from 'kysely';

export const LIKE_ESCAPE = '!';

/** `%text%`: matches the text anywhere, its %, _ and ! escaped. Use with `escape '!'`. */
export function likePattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (ch) => `${LIKE_ESCAPE}${ch}`)}%`;
}

/**
 * The column contains the text, ignoring case: `lower(column) like '%text%' escape '!'`.
 * `column` is a column reference such as 'readers.email'; the text is a bound parameter.
 */
export function containsText(column: string, text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${likePattern(text.toLowerCase())} escape ${sql.lit(LIKE_ESCAPE)}`;
}
