import { CamelCasePlugin, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pgliteDialect } from './pglite-dialect.ts';
import type { DB } from './types.gen.ts';

export type { DB };
/** A database handle or an open transaction: services take either. */
export type Db = Kysely<DB> | Transaction<DB>;

export type DatabaseHandle = {
  db: Kysely<DB>;
  kind: 'postgres' | 'pglite';
  close: () => Promise<void>;
  /** The embedded engine, when PGlite (tests dump and load its data directory). */
  pglite?: PGlite;
};

// Types parsed the same way on both engines: counts (int8) as numbers, dates (date) as the
// 'YYYY-MM-DD' text they are, so a document date never shifts with the server's time zone.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);
pg.types.setTypeParser(NUMERIC, (v) => Number(v));

/** Opens PostgreSQL when `url` is given, otherwise PGlite in `dataDir` (in memory when neither). */
export async function openDatabase(options: { url?: string; dataDir?: string; loadDataDir?: Blob }): Promise<DatabaseHandle> {
  if (options.url) return openPostgres(options.url);
  return openPglite(options.dataDir, options.loadDataDir);
}

function openPostgres(url: string): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's network error must not crash the server; the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<DatabaseHandle> {
  const pglite = await PGlite.create({
    ...(dataDir && { dataDir }),
    ...(loadDataDir && { loadDataDir }),
    parsers: { [INT8]: (v: string) => Number(v), [DATE]: (v: string) => v, [NUMERIC]: (v: string) => Number(v) },
  });
  const db = new Kysely<DB>({ dialect: pgliteDialect(pglite), plugins: [new CamelCasePlugin()] });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
    },
  };
}
