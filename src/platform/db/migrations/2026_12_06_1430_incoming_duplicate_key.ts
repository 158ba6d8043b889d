import { sql, type Kysely } from 'kysely';

/**
 * The duplicate check (Art. 22) compares số and ký hiệu as a clerk reads them: spaces and the số's
 * leading zeros ignored, ký hiệu case-insensitive. This index serves that lookup (one agency, one day,
 * one số/ký hiệu); the old one on the raw notation could not be used by it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists incoming_document_dup_idx;
    create index incoming_document_dup_key_idx on incoming_document
      (agency_id, document_date, ltrim(replace(number, ' ', ''), '0'), lower(replace(notation, ' ', '')));
  `.execute(db);
}
