import { sql, type Kysely } from 'kysely';
import { outgoingSearchTextOf } from '../../../domain/outgoing/outgoing.repository.ts';
import type { DB } from '../types.gen.ts';

/**
 * Outgoing documents get the incoming documents' search column: trích yếu and số/ký hiệu (whole and in
 * parts), normalised, and again without diacritics — "chuyen doi so", "12", "UBND-VP" and "vp" find
 * «12/UBND-VP … chuyển đổi số», where an ILIKE on the trích yếu found only what was typed with its marks.
 * Existing documents are indexed by the domain's own function, so they read exactly as new ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table outgoing_document add column search_text text not null default '';
    alter table outgoing_document add column search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored;
    -- the outgoing list, the register and the search page: search_vector @@ plainto_tsquery('simple', …)
    create index outgoing_document_search_idx on outgoing_document using gin(search_vector);
  `.execute(db);
  await indexOutgoingDocuments(db);
}

/** Writes every outgoing document's search text as the repository makes it, 500 at a time. */
export async function indexOutgoingDocuments(db: Kysely<unknown> | Kysely<DB>): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // raw SQL: the migration runs with or without the app's camel-case plugin (npm run db:codegen has none)
    const { rows } = await sql<{ id: string; subject: string; number: number | null; notation: string | null }>`
      select id, subject, number, notation from outgoing_document where id > ${after} order by id limit 500`.execute(db);
    for (const row of rows) await sql`update outgoing_document set search_text = ${outgoingSearchTextOf(row)} where id = ${row.id}`.execute(db);
    const last = rows.at(-1);
    if (!last) return;
    after = last.id;
  }
}
