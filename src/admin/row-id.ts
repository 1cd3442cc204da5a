// The one reading of a row id from a path or a form. Every id column is a 32-bit integer on
// PostgreSQL, where a larger number fails the query (a 500) while SQLite simply finds nothing:
// refusing such ids here makes both databases answer "no such row".

/** The largest id a 32-bit integer column can hold. */
export const MAX_ROW_ID = 2 ** 31 - 1;

/**
 * A row id: digits only, no sign, no leading zero (one spelling per row), 1…2^31−1.
 * null for anything else — absent, blank, "0", "1e3", " 7", "-3", "99999999999".
 */
export function rowId(value: string | undefined): number | null {
  if (value === undefined || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= MAX_ROW_ID ? id : null;
}
