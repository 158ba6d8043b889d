import { sql, type Kysely } from 'kysely';

/**
 * The axis keeps packages up to a few MiB in its own database (axis_body) instead of one fsynced file
 * each: a package then costs the commit's (group) fsync only, and getEdoc reads it with the package row.
 * Larger packages stay in the blob store. The received-list index covers only what is not acknowledged,
 * so a poll reads no acknowledged delivery however many accumulate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table axis_body (
      sha256 text primary key,
      bytes bytea not null
    );
    -- edXML packages are mostly base64 of already compressed PDFs: store them out of line, uncompressed
    alter table axis_body alter column bytes set storage external;

    drop index axis_delivery_inbox_idx;
    -- getReceivedEdocList (and the empty poll): one system's deliveries not yet acknowledged "done"
    create index axis_delivery_pending_idx on axis_delivery(system_id, created_at) where system_id is not null and status <> 'done';
  `.execute(db);
}
