import type { Kysely } from 'kysely';
import { searchTextOf } from '../../../domain/incoming/incoming.repository.ts';
import type { DB } from '../types.gen.ts';

/**
 * Re-indexes the incoming documents' search text as searchTextOf now makes it: followed by the same
 * words without diacritics ("chuyen doi so" finds "chuyển đổi số") and with the số/ký hiệu also in parts
 * ("1187", "SKHCN"). The search_vector column follows (generated). It runs the domain's own function,
 * so the rows read exactly as new ones; running it again changes nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const typed = db as unknown as Kysely<DB>;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await typed.selectFrom('incomingDocument')
      .select(['id', 'issuerName', 'number', 'notation', 'subject', 'signerName', 'notes', 'ocrText'])
      .where('id', '>', after).orderBy('id').limit(500).execute();
    for (const row of rows) await typed.updateTable('incomingDocument').set({ searchText: searchTextOf(row) }).where('id', '=', row.id).execute();
    const last = rows.at(-1);
    if (!last) return;
    after = last.id;
  }
}
