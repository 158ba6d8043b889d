import { sql, type Kysely } from 'kysely';

/**
 * The duplicate check's key (agency, day, số and ký hiệu as a clerk reads them: spaces and the số's
 * leading zeros ignored, ký hiệu case-insensitive) as ONE expression, incoming_dup_key(…), and the index
 * incomingRepo.flagDuplicates looks documents up by. With the key as four index columns, the lookup also
 * had a plain `agency_id = …` condition, and on a table PostgreSQL has no statistics for yet (a new
 * install, before autovacuum's first ANALYZE) the planner took incoming_document_agency_idx instead and
 * read every document of the agency for each document of a batch: 12–15 ms for a batch of 32 against
 * 544 documents, growing with the table, against 0.7 ms by this index (EXPLAIN ANALYZE, scratch database).
 * The key is one-to-one: the agency and the day (days since 2000-01-01) have no ':' and the số's key is
 * preceded by its length, so two different (số, ký hiệu) pairs never give the same text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function incoming_dup_key(agency_id uuid, document_date date, number text, notation text) returns text
      language sql immutable parallel safe
      return agency_id::text || ':' || (document_date - date '2000-01-01')::text || ':'
        || length(ltrim(replace(number, ' ', ''), '0'))::text || ':' || ltrim(replace(number, ' ', ''), '0') || lower(replace(notation, ' ', ''));
    drop index if exists incoming_document_dup_key_idx;
    create index incoming_document_dup_key_idx on incoming_document (incoming_dup_key(agency_id, document_date, number, notation));
  `.execute(db);
}
