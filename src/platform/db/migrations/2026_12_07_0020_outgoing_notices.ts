import { sql, type Kysely } from 'kysely';

/**
 * A notice may be about an outgoing document: the members of a unit of the agency a document is issued
 * to hear of it in the same list (the bell of the incoming flow) as the documents they handle. Each
 * notice is about exactly one document, incoming or outgoing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table incoming_notice alter column incoming_id drop not null;
    alter table incoming_notice add column outgoing_id uuid references outgoing_document(id);
    alter table incoming_notice add constraint incoming_notice_one_document check (num_nonnulls(incoming_id, outgoing_id) = 1);
    -- a recall takes the unread notices of its document back (withdrawNotices in src/domain/notices/notices.service.ts)
    create index incoming_notice_outgoing_idx on incoming_notice(outgoing_id) where outgoing_id is not null and read_at is null;
  `.execute(db);
}
