import { execFileSync } from 'node:child_process';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.ts';

/**
 * Regenerates `types.gen.ts` from the migrated schema: creates a scratch database on the
 * PostgreSQL server at CODEGEN_DATABASE_URL (default: the local server), migrates it, runs
 * kysely-codegen against it and drops it. Run with `npm run db:codegen` after adding a migration.
 */
const admin = process.env.CODEGEN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `vanthu_codegen_${process.pid}`;
const client = new pg.Client({ connectionString: admin });
await client.connect();
await client.query(`create database ${name}`);
const url = new URL(admin);
url.pathname = `/${name}`;
try {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.href }) }) });
  await migrateToLatest(db);
  await db.destroy();
  execFileSync('npx', [
    'kysely-codegen', '--url', url.href, '--dialect', 'postgres', '--camel-case', '--date-parser', 'string',
    '--numeric-parser', 'number', '--type-mapping', '{"int8":"number"}', '--exclude-pattern', 'kysely_*',
    '--out-file', 'src/platform/db/types.gen.ts',
  ], { stdio: 'inherit' });
} finally {
  await client.query(`drop database ${name} with (force)`);
  await client.end();
}
