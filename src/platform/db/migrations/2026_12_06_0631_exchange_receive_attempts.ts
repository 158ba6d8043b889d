import { sql, type Kysely } from 'kysely';

/**
 * A received package that cannot be taken in (getEdoc fails, or it cannot be read or recorded) is tried
 * again with exponential backoff: one row per agency and axis DocId counts the attempts and says when the
 * next one is due. After the last attempt the package is recorded as refused (exchange_received) with the
 * reason, and this row goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table exchange_receive_attempt (
      agency_id uuid not null references agency(id),
      axis_doc_id text not null,
      attempts int not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text not null default '',
      updated_at timestamptz not null default now(),
      primary key (agency_id, axis_doc_id)
    );
  `.execute(db);
}
