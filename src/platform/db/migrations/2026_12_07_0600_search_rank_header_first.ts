import { sql, type Kysely } from 'kysely';
import { outgoingSearchTextOf } from '../../../domain/outgoing/outgoing.repository.ts';
import type { DB } from '../types.gen.ts';
import { indexIncomingDocuments } from './2026_12_06_2150_incoming_search_without_diacritics.ts';

// The header (first line of search_text: số/ký hiệu, trích yếu, issuer…) weighs A, the body (second line:
// OCR or PDF text) D: ts_rank then puts a document whose header holds the words above one whose body alone does.
const WEIGHTED = sql.raw(`setweight(to_tsvector('simple', split_part(search_text, E'\\n', 1)), 'A')
  || setweight(to_tsvector('simple', split_part(search_text, E'\\n', 2)), 'D')`);

/**
 * Search results can be ordered by relevance («Liên quan nhất»): the search text of incoming and outgoing
 * documents becomes two lines, header then body (documentSearchText), and their search_vector weighs the
 * header A and the body D. The generated column is dropped while the rows are re-indexed by the domain's own
 * functions, 500 at a time (no vector is made twice), then made again — once — with its index.
 */
export async function up(db: Kysely<unknown> | Kysely<DB>): Promise<void> {
  await sql`alter table incoming_document drop column search_vector`.execute(db);
  await sql`alter table outgoing_document drop column search_vector`.execute(db);
  await indexIncomingDocuments(db);
  await indexOutgoingDocumentsWithContent(db);
  await sql`
    alter table incoming_document add column search_vector tsvector generated always as (${WEIGHTED}) stored;
    -- the incoming list and the search page: search_vector @@ plainto_tsquery('simple', …), ranked by ts_rank
    create index incoming_document_search_idx on incoming_document using gin(search_vector);
    alter table outgoing_document add column search_vector tsvector generated always as (${WEIGHTED}) stored;
    -- the outgoing list, the register and the search page: search_vector @@ plainto_tsquery('simple', …), ranked by ts_rank
    create index outgoing_document_search_idx on outgoing_document using gin(search_vector);
  `.execute(db);
}

/** Writes every outgoing document's search text as the repository makes it — with the text of its issued PDF — 500 at a time. */
export async function indexOutgoingDocumentsWithContent(db: Kysely<unknown> | Kysely<DB>): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // raw SQL: the migration runs with or without the app's camel-case plugin (npm run db:codegen has none)
    const { rows } = await sql<{ id: string; subject: string; number: number | null; notation: string | null; contentText: string }>`
      select id, subject, number, notation, content_text as "contentText" from outgoing_document where id > ${after} order by id limit 500`.execute(db);
    for (const row of rows) await sql`update outgoing_document set search_text = ${outgoingSearchTextOf(row)} where id = ${row.id}`.execute(db);
    const last = rows.at(-1);
    if (!last) return;
    after = last.id;
  }
}
