import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { useTestDb } from '../../../test/app.ts';
import { makeUser } from '../../../test/factories.ts';
import { indexOutgoingDocuments } from './2026_12_07_0010_outgoing_search_text.ts';

const t = useTestDb();

test('the outgoing documents there before the migration are found afterwards by words without diacritics and by số or ký hiệu alone', async () => {
  const { actor } = await makeUser(t.db, { roles: ['clerk'] });
  // a row as the migration finds it: written before the search column existed
  const { id } = await t.db.insertInto('outgoingDocument').values({
    agencyId: actor.agencyId, createdBy: actor.id, typeCode: 'cong_van', subject: 'Kế hoạch chuyển đổi số năm 2027', status: 'issued', number: 12, notation: 'UBND-VP',
  }).returning('id').executeTakeFirstOrThrow();
  const found = async (q: string) => (await sql<{ id: string }>`select id from outgoing_document where search_vector @@ plainto_tsquery('simple', ${q})`.execute(t.db)).rows.map((r) => r.id);
  expect(await found('chuyen doi so')).toEqual([]);

  await indexOutgoingDocuments(t.db);
  for (const q of ['chuyen doi so', 'chuyển đổi số', '12', 'ubnd-vp', 'vp', '12/ubnd-vp']) expect(await found(q), q).toEqual([id]);
  await indexOutgoingDocuments(t.db);
  expect(await found('ke hoach 2027')).toEqual([id]);
});
