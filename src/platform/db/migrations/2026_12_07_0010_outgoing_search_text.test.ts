import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { DatabaseHandle } from '../client.ts';
import { createTestDb } from '../../../test/db.ts';
import { makeUser } from '../../../test/factories.ts';
import { indexOutgoingDocuments } from './2026_12_07_0010_outgoing_search_text.ts';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => handle?.close());

test('the outgoing documents there before the migration are found afterwards by words without diacritics and by số or ký hiệu alone', async () => {
  const { actor } = await makeUser(handle.db, { roles: ['clerk'] });
  // a row as the migration finds it: written before the search column existed
  const { id } = await handle.db.insertInto('outgoingDocument').values({
    agencyId: actor.agencyId, createdBy: actor.id, typeCode: 'cong_van', subject: 'Kế hoạch chuyển đổi số năm 2027', status: 'issued', number: 12, notation: 'UBND-VP',
  }).returning('id').executeTakeFirstOrThrow();
  const found = async (q: string) => (await sql<{ id: string }>`select id from outgoing_document where search_vector @@ plainto_tsquery('simple', ${q})`.execute(handle.db)).rows.map((r) => r.id);
  expect(await found('chuyen doi so')).toEqual([]);

  await indexOutgoingDocuments(handle.db);
  for (const q of ['chuyen doi so', 'chuyển đổi số', '12', 'ubnd-vp', 'vp', '12/ubnd-vp']) expect(await found(q), q).toEqual([id]);
  await indexOutgoingDocuments(handle.db);
  expect(await found('ke hoach 2027')).toEqual([id]);
});
