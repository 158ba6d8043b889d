import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { useTestDb } from '../../../test/app.ts';
import { makeUser } from '../../../test/factories.ts';
import { indexRecordsFiles } from './2026_12_07_0400_records_search.ts';

const t = useTestDb();

test('the work files there before the migration are found afterwards by whole words of their title, with or without diacritics, and by their số/ký hiệu whole or in parts', async () => {
  const { actor } = await makeUser(t.db, { roles: ['staff'] });
  // a row as the migration finds it: written before the search column existed
  const { id } = await t.db.insertInto('recordsFile').values({
    agencyId: actor.agencyId, year: 2026, notation: '03.TH', title: 'KẾ HOẠCH công tác năm 2026', retention: '10', ownerId: actor.id,
  }).returning('id').executeTakeFirstOrThrow();
  const found = async (q: string) => (await sql<{ id: string }>`select id from records_file where search_vector @@ plainto_tsquery('simple', ${q})`.execute(t.db)).rows.map((r) => r.id);
  expect(await found('ke hoach')).toEqual([]);

  await indexRecordsFiles(t.db);
  for (const q of ['ke hoach', 'kế hoạch', 'cong tac 2026', '03.th', '03', 'th']) expect(await found(q), q).toEqual([id]);
  await indexRecordsFiles(t.db);
  expect(await found('hoạch năm')).toEqual([id]);
  expect(await found('hoach nam 2027')).toEqual([]);
});
