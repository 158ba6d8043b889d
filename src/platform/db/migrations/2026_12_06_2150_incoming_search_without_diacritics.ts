import { sql, type Kysely } from 'kysely';
import type { DB } from '../types.gen.ts';
import { searchTextOf } from '../../../domain/incoming/incoming.repository.ts';

type Row = { id: string; issuerName: string; number: string; notation: string; subject: string; signerName: string; notes: string; ocrText: string | null };

/**
 * Re-indexes the incoming documents' search text as searchTextOf now makes it: followed by the same
 * words without diacritics ("chuyen doi so" finds "chuyển đổi số") and with the số/ký hiệu also in parts
 * ("1187", "SKHCN"). The search_vector column follows (generated). It runs the domain's own function,
 * so the rows read exactly as new ones; running it again changes nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await indexIncomingDocuments(db);
}

/** Writes each incoming document's search text, 500 rows at a time. */
export async function indexIncomingDocuments(db: Kysely<unknown> | Kysely<DB>): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // raw SQL with its own aliases: the migration runs with or without the app's camel-case plugin
    // (npm run db:codegen has none)
    const { rows } = await sql<Row>`select id, issuer_name as "issuerName", number, notation, subject, signer_name as "signerName",
      notes, ocr_text as "ocrText" from incoming_document where id > ${after} order by id limit 500`.execute(db);
    for (const row of rows) await sql`update incoming_document set search_text = ${searchTextOf(row)} where id = ${row.id}`.execute(db);
    const last = rows.at(-1);
    if (!last) return;
    after = last.id;
  }
}
