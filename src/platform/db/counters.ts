import { sql } from 'kysely';
import type { Db } from './client.ts';

/** The yearly counters: a register's numbers (register_counter) and an agency's biên bản giao nhận (records_minutes_counter). */
const COUNTERS = { register_counter: 'register_id', records_minutes_counter: 'agency_id' } as const;

/**
 * Takes the next number of a yearly counter, from 1. The upsert locks the counter row until the caller's
 * transaction ends: concurrent callers wait and never get the same number, and a rolled-back transaction
 * gives its number back.
 */
export async function takeNextInYear(db: Db, table: keyof typeof COUNTERS, key: string, year: number): Promise<number> {
  const keyColumn = sql.ref(COUNTERS[table]);
  // Raw SQL: Kysely's onConflict cannot reference the existing row's column in the update expression.
  const result = await sql<{ lastNumber: number }>`
    insert into ${sql.table(table)} (${keyColumn}, year, last_number) values (${key}, ${year}, 1)
    on conflict (${keyColumn}, year) do update set last_number = ${sql.ref(`${table}.last_number`)} + 1
    returning last_number`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error(`${table} returned no row`);
  return row.lastNumber;
}
