import { sql, type Kysely } from 'kysely';

/**
 * The hand-over reminder (ND 30 Art. 30.2.b: a closed file goes to the agency archive within a year of the
 * day its work ended; Phụ lục VI III.5.b: the System tells of files coming due): when its keeper was told
 * (cleared when the file is closed again), and the daily job's first run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table records_file add column hand_over_notified_at timestamptz;
    -- the reminder and the "due for hand-over" lists: closed files by the day they were closed
    create index records_file_closed_idx on records_file(closed_at) where status = 'closed';

    -- the daily hand-over reminder re-enqueues itself; this is its first run
    insert into job (type, payload, run_at, dedupe_key) values ('records.hand_over_reminder', '{}', now(), 'records.hand_over_reminder:first');
  `.execute(db);
}
