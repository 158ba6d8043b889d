import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from './client.ts';
import { createEmptyPgDatabase, dropPgDatabases } from '../../test/db.ts';

// These tests are about the PostgreSQL path (PGlite has no prepared-statement cache of ours), so they
// use the PostgreSQL server even in the PGlite pass; under CI=true a missing server fails them.
const ADMIN = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function serverReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const reachable = await serverReachable();
if (!reachable && process.env.CI !== 'true') console.warn(`\n!!! client.test.ts SKIPPED: no PostgreSQL at ${ADMIN}\n`);

describe.runIf(reachable || process.env.CI === 'true')('PostgreSQL connections', () => {
  let handle: DatabaseHandle;
  let name: string;
  beforeAll(async () => {
    const created = await createEmptyPgDatabase(ADMIN, 'client_test');
    name = created.name;
    handle = await openDatabase({ url: created.url });
    await sql`create table note (id int primary key, body text)`.execute(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await dropPgDatabases(ADMIN, [name]);
  });

  it('prepares a statement with parameters once per connection and reuses it', async () => {
    await handle.db.transaction().execute(async (tx) => {
      for (let i = 1; i <= 3; i++) await sql`insert into note (id, body) values (${i}, ${`note ${i}`})`.execute(tx);
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(tx);
      const inserts = prepared.rows.filter((r) => r.statement.startsWith('insert into note'));
      expect(inserts).toHaveLength(1);
    });
    const rows = await handle.db.selectFrom('note' as never).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(rows).toEqual({ n: 3 });
  });

  it('leaves a multi-row write with more than 64 parameters unprepared (its text changes with its length)', async () => {
    await handle.db.transaction().execute(async (tx) => {
      const rows = Array.from({ length: 40 }, (_, i) => sql`(${100 + i}, ${`bulk ${i}`})`);
      await sql`insert into note (id, body) values ${sql.join(rows)}`.execute(tx);
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(tx);
      expect(prepared.rows.filter((r) => r.statement.startsWith('insert into note (id, body) values ($1, $2), ($3'))).toEqual([]);
    });
    await sql`delete from note where id >= ${100}`.execute(handle.db);
  });

  it('runs text without parameters as it is, several statements included', async () => {
    await sql.raw('update note set body = body; select 1').execute(handle.db);
    const rows = await sql<{ body: string }>`select body from note where id = ${2}`.execute(handle.db);
    expect(rows.rows).toEqual([{ body: 'note 2' }]);
  });

  it('answers a select * whose table this process altered with the new columns', async () => {
    const read = () => sql<Record<string, unknown>>`select * from note where id = ${1}`.execute(handle.db);
    for (let i = 0; i < 3; i++) await read();
    await sql`alter table note add column year int`.execute(handle.db);
    expect((await read()).rows).toEqual([{ id: 1, body: 'note 1', year: null }]);
  });

  it('answers a select * whose table another process altered, repeating the call once', async () => {
    // Every pooled connection prepares the statement before the other process changes the table.
    const selectAll = () => sql<Record<string, unknown>>`select * from note where id = ${3}`.execute(handle.db);
    await Promise.all(Array.from({ length: 10 }, selectAll));
    const other = new pg.Client({ connectionString: new URL(`/${name}`, ADMIN).href });
    await other.connect();
    await other.query('alter table note add column unit text');
    await other.end();
    const results = await Promise.all(Array.from({ length: 10 }, selectAll));
    for (const result of results) expect(result.rows).toEqual([{ id: 3, body: 'note 3', year: null, unit: null }]);
  });
});
