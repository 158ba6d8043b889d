import { sql, type Kysely } from 'kysely';

/**
 * A notice may be about a work file: the daily hand-over reminder puts one in its keeper's «Thông báo»,
 * next to the incoming and outgoing documents' ones (ND 30 Phụ lục VI III.5.b: the System tells of files
 * coming due). Each notice is about exactly one thing: an incoming document, an outgoing one, or a file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table incoming_notice add column records_file_id uuid references records_file(id);
    alter table incoming_notice drop constraint incoming_notice_one_document;
    alter table incoming_notice add constraint incoming_notice_one_subject check (num_nonnulls(incoming_id, outgoing_id, records_file_id) = 1);
    -- a file handed over or reopened takes its unread hand-over notices back
    create index incoming_notice_records_file_idx on incoming_notice(records_file_id) where records_file_id is not null and read_at is null;
  `.execute(db);
}
