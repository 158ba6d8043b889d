import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { useTestDb } from '../../../test/app.ts';
import { makeUser } from '../../../test/factories.ts';
import { indexIncomingDocuments } from './2026_12_06_2150_incoming_search_without_diacritics.ts';

const t = useTestDb();

test('the incoming documents there before the migration are found afterwards by words without diacritics and by số or ký hiệu alone', async () => {
  const { actor } = await makeUser(t.db, { roles: ['clerk'] });
  // a row as the migration finds it: indexed the old way, with its marks and its số/ký hiệu as one word
  const { id } = await t.db.insertInto('incomingDocument').values({
    agencyId: actor.agencyId, source: 'paper', subject: 'Kế hoạch phòng chống bão lũ năm 2027', issuerName: 'Sở Nông nghiệp', number: '45', notation: 'UBND-VP',
    searchText: 'sở nông nghiệp 45/ubnd-vp kế hoạch phòng chống bão lũ năm 2027',
  }).returning('id').executeTakeFirstOrThrow();
  const found = async (q: string) => (await sql<{ id: string }>`select id from incoming_document where search_vector @@ plainto_tsquery('simple', ${q})`.execute(t.db)).rows.map((r) => r.id);
  expect(await found('phong chong bao lu')).toEqual([]);

  await indexIncomingDocuments(t.db);
  for (const q of ['phong chong bao lu', 'phòng chống bão lũ', '45', 'ubnd-vp', 'vp', '45/ubnd-vp', 'so nong nghiep']) expect(await found(q), q).toEqual([id]);
  await indexIncomingDocuments(t.db);
  expect(await found('ke hoach 2027')).toEqual([id]);
});
