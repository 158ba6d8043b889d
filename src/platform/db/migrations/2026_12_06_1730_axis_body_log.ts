import { sql, type Kysely } from 'kysely';

/**
 * The axis keeps package bodies in an append-only body log (segment files under its data dir, written
 * in groups with one fdatasync each: axis.bodylog.ts) instead of as bytea: a 172 KiB bytea cost
 * PostgreSQL ~1.3 ms to insert (~87 TOAST chunks, each a heap insert, an index insert and a WAL record).
 * `axis_body` stays the index of bodies by SHA-256: a new row holds where its bytes are (segment file,
 * offset, length) and no bytes; rows written before keep their bytes and are read as before. A row holds
 * exactly one of the two.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table axis_body alter column bytes drop not null;
    alter table axis_body
      add column log_segment text,
      add column log_offset integer,
      add column log_length integer;
    alter table axis_body add constraint axis_body_one_place check (
      (bytes is not null and log_segment is null and log_offset is null and log_length is null)
      or (bytes is null and log_segment is not null and log_offset >= 0 and log_length >= 0)
    );
  `.execute(db);
}
