import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteDialect, sql } from 'kysely';
import { containsText, likePattern } from './like-pattern.ts';

describe('likePattern', () => {
  it('matches the text anywhere, with the wildcards and the escape character taken literally', () => {
    assert.equal(likePattern('Ada'), '%Ada%');
    assert.equal(likePattern(''), '%%');
    assert.equal(likePattern('50%_off!'), '%50!%!_off!!%');
    assert.equal(likePattern('a\\b'), '%a\\b%', 'a backslash is an ordinary character under escape \'!\'');
  });
});

describe('containsText', () => {
  it('compiles to the same lower(…) like ? escape \'!\' on PostgreSQL, with the text as a parameter', () => {
    const pg = new Kysely<{ readers: { email: string } }>({
      dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() },
    });
    const q = pg.selectFrom('readers').select('email').where(containsText('readers.email', "O'Brien 100%")).compile();
    assert.equal(q.sql, `select "email" from "readers" where lower("readers"."email") like $1 escape '!'`);
    assert.deepEqual(q.parameters, ["%o'brien 100!%%"]);
  });

  it('takes %, _, \\ and ! literally on a real SQLite database, ignoring case', async () => {
    const db = new Kysely<{ t: { v: string } }>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    await sql`create table t (v text)`.execute(db);
    const values = ['100% sure', '1000 sure', 'snake_case', 'snakeXcase', 'back\\slash', 'backslash', 'bang!', 'bang', 'Ada Lovelace'];
    await db.insertInto('t').values(values.map((v) => ({ v }))).execute();
    const find = async (text: string) => (await db.selectFrom('t').select('v').where(containsText('t.v', text)).orderBy('v').execute()).map((r) => r.v);
    assert.deepEqual(await find('0%'), ['100% sure']);
    assert.deepEqual(await find('e_c'), ['snake_case']);
    assert.deepEqual(await find('k\\s'), ['back\\slash']);
    assert.deepEqual(await find('g!'), ['bang!']);
    assert.deepEqual(await find('LOVE'), ['Ada Lovelace']);
    await db.destroy();
  });
});
