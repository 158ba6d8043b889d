import { sql, type Kysely } from 'kysely';

/**
 * The text of an outgoing document's issued main PDF (pdftotext), read by a job after the issue
 * (outgoing.content_text) and indexed with its trích yếu and số/ký hiệu: a document is found by the words
 * of its body (ND 30 Phụ lục VI III.6.d). Empty until the job has run; documents issued before this
 * change keep an empty one (their search text is unchanged).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table outgoing_document add column content_text text not null default ''`.execute(db);
}
