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

/** Statement names given so far, by SQL text (shared by every pool of the process; at most MAX_NAMED). */
const statementNames = new Map<string, string>();
const MAX_NAMED = 1000;
/** Statements with more parameters are multi-row writes and long lists, whose texts vary with their length. */
const MAX_NAMED_PARAMETERS = 64;
/** Bumped when the schema may have changed: later calls prepare their statements again under new names. */
let statementEpoch = 0;

/**
 * The name under which a parameterised statement is prepared once per connection, so PostgreSQL
 * parses and analyses it once instead of on every call (its plan is cached by PostgreSQL's own rules:
 * custom plans first, a generic one when it is no worse). Statements without parameters go unnamed
 * (they may hold several statements, as migrations' raw SQL does), and so do those with more than
 * MAX_NAMED_PARAMETERS and, past MAX_NAMED distinct texts, all new ones: each connection's backend
 * keeps what it prepared (some kilobytes per statement) as long as the connection lives.
 */
function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known !== undefined || statementNames.size >= MAX_NAMED) return known;
  const name = `v${statementEpoch.toString(36)}_${statementNames.size.toString(36)}`;
  statementNames.set(text, name);
  return name;
}

function forgetStatementNames(): void {
  statementEpoch++;
  statementNames.clear();
}

const SCHEMA_CHANGE = /^\s*(alter|drop|create\s+or\s+replace|truncate)\b/i;
const TX_START = /^\s*(begin|start\s+transaction)\b/i;
const TX_END = /^\s*(commit|end|abort|rollback(?!\s+to))\b/i;
/** PostgreSQL's "cached plan must not change result type": a prepared `select *` whose table changed since. */
const STALE_PLAN = '0A000';

/**
 * Gives a pool's connections named prepared statements (see statementName). A schema change made
 * through this process (ALTER/DROP, as migrations run) makes every later call prepare again; one made
 * by another process surfaces once as PostgreSQL's stale-plan error, after which names change too and
 * the call is repeated when no transaction is open (inside one the error goes to the caller, whose
 * transaction is already aborted).
 */
function prepareNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let inTransaction = false;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    if (typeof text !== 'string' || !Array.isArray(values) || rest.length > 0) return query(text, values, ...rest);
    if (values.length === 0) {
      if (TX_START.test(text)) inTransaction = true;
      else if (TX_END.test(text)) inTransaction = false;
      else if (SCHEMA_CHANGE.test(text)) return query(text, values).finally(forgetStatementNames);
      return query(text, values);
    }
    const name = values.length <= MAX_NAMED_PARAMETERS ? statementName(text) : undefined;
    if (name === undefined) return query(text, values);
    return query({ name, text, values }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== STALE_PLAN) throw error;
      forgetStatementNames();
      if (inTransaction) throw error;
      return query(text, values);
    });
  };
}

function openPostgres(url: string): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's network error must not crash the server; the next query reconnects.
  pool.on('error', () => {});
  pool.on('connect', prepareNamedStatements);
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
      // Kysely closes the driver only if a query ran: a handle never queried still holds the directory
      if (!pglite.closed) await pglite.close();
    },
  };
}
