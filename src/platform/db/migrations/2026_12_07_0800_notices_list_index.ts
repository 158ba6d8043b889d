import { sql, type Kysely } from 'kysely';

/**
 * The header's «Thông báo» lists a user's newest notices, read ones too (GET /api/notices: user_id = …
 * order by id desc limit 30). The index of 2026_11_23_1530 holds only unread ones (it serves the count), so
 * after years of read notices the list walked them all; this one serves the list.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index incoming_notice_user_all_idx on incoming_notice(user_id, id desc)`.execute(db);
}
