import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { useTestDb } from '../../../test/app.ts';
import { addDocumentToFile, listRecordsFiles, openRecordsFile } from '../../../domain/records/records.service.ts';
import { makeIncomingFor, makeRecordsAgency } from '../../../domain/records/records.testing.ts';
import { up } from './2026_12_07_0700_records_search_rank.ts';

const t = useTestDb();

test('work files there before the migration are ranked afterwards: the one whose title holds the words first, then the one whose documents alone say them', async () => {
  // the table as the migration finds it: the search vector of 2026_12_07_0400, every word of the same weight, and no tsvector_agg
  await sql`
    alter table records_file drop column search_vector;
    alter table records_file add column search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored;
    create index records_file_search_idx on records_file using gin(search_vector);
    drop aggregate tsvector_agg(tsvector);
  `.execute(t.db);
  const w = await makeRecordsAgency(t.db);
  const c = { db: t.db, actor: w.staff };
  const header = await openRecordsFile({ ...c, body: { notation: '05.TH', title: 'Hồ sơ chuyển đổi số năm 2026', retention: '10', description: '' } });
  const bodyOnly = await openRecordsFile({ ...c, body: { notation: '06.TH', title: 'Hồ sơ công tác văn thư', retention: '10', description: '' } });
  for (const n of [1, 2, 3]) {
    const doc = await makeIncomingFor(t.db, w.staff, { subject: `Triển khai chuyển đổi số đợt ${n}, chuyển đổi số cấp xã` });
    await addDocumentToFile({ ...c, fileId: bodyOnly, ref: { ownerType: 'incoming', ownerId: doc } });
  }
  // past the first batch of 500, with no search text yet: every row is re-indexed
  await t.db.insertInto('recordsFile').values(Array.from({ length: 510 }, (_, i) => ({
    agencyId: w.agencyId, year: 2025, notation: `${i}.LT`, title: `Hồ sơ lưu trữ số ${i}`, retention: '10', ownerId: w.staff.id,
  }))).execute();

  await up(t.db);
  const ranked = async (q: string) => (await listRecordsFiles({ ...c, query: { scope: 'agency', q, order: 'relevance' } })).map((f) => f.id);
  for (const words of ['chuyen doi so', 'chuyển đổi số']) expect(await ranked(words), words).toEqual([header, bodyOnly]);
  // still found by a part of the số/ký hiệu, and every row by its title's words without diacritics
  expect(await ranked('06')).toEqual([bodyOnly]);
  expect((await listRecordsFiles({ ...c, query: { scope: 'agency', q: 'luu tru', year: 2025 } })).length).toBe(500); // the list's cap
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from records_file where agency_id = ${w.agencyId} and search_text like '%luu tru%'`.execute(t.db);
  expect(rows[0]?.n).toBe(510);
  // the list keeps its index
  const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where indexname = 'records_file_search_idx'`.execute(t.db);
  expect(indexes.rows).toHaveLength(1);
});
