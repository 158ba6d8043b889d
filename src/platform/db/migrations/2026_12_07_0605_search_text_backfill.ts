import { sql, type Kysely } from 'kysely';

/**
 * Documents stored before their text was read for search — electronic incoming documents received before
 * their main PDF was read, outgoing ones issued before their PDF's text was — are read after the upgrade,
 * without an administrator: the first step of each background sweep (search-backfill.ts), which the
 * server's job worker runs once started (nothing is read here, so the upgrade stays quick). The steps then
 * enqueue each other, a batch at a time, until none is left.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into job (type, payload, run_at, dedupe_key) values
      ('incoming.text_backfill', '{}', now(), 'incoming.text_backfill:first'),
      ('outgoing.content_text_backfill', '{}', now(), 'outgoing.content_text_backfill:first')
  `.execute(db);
}
