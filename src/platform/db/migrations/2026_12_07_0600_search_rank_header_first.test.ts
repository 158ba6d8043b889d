import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { useTestDb } from '../../../test/app.ts';
import { makeUser } from '../../../test/factories.ts';
import { listIncoming } from '../../../domain/incoming/incoming-query.service.ts';
import { listOutgoing } from '../../../domain/outgoing/outgoing.service.ts';
import { up } from './2026_12_07_0600_search_rank_header_first.ts';

const t = useTestDb();

test('documents indexed before the migration are ranked afterwards: the one whose trích yếu holds the words first, then the one whose body alone does', async () => {
  const { actor } = await makeUser(t.db, { roles: ['clerk'] });
  const body = 'kính gửi các xã về chuyển đổi số. '.repeat(30);
  // rows as the migration finds them: search text of one line, metadata and body mixed
  const incoming = await t.db.insertInto('incomingDocument').values([
    { agencyId: actor.agencyId, source: 'external', status: 'registered', subject: 'Kế hoạch chuyển đổi số', issuerName: 'Sở Nội vụ', number: '3', notation: 'SNV-VP',
      documentDate: '2026-01-02', searchText: 'sở nội vụ 3/snv-vp kế hoạch chuyển đổi số' },
    { agencyId: actor.agencyId, source: 'external', status: 'registered', subject: 'Báo cáo tình hình', issuerName: 'Sở Tài chính', number: '8', notation: 'STC-KH',
      documentDate: '2026-06-02', ocrStatus: 'done', ocrText: body, searchText: `sở tài chính 8/stc-kh báo cáo tình hình ${body}` },
    // past the first batch of 500: every row is re-indexed
    ...Array.from({ length: 510 }, (_, i) => ({ agencyId: actor.agencyId, source: 'paper', status: 'registered', subject: `Giấy mời họp số ${i}`, searchText: `giấy mời họp số ${i}` })),
  ]).returning(['id', 'subject']).execute();
  const [header, bodyOnly] = incoming.map((d) => d.id);
  const outgoing = await t.db.insertInto('outgoingDocument').values([
    { agencyId: actor.agencyId, createdBy: actor.id, typeCode: 'cong_van', status: 'issued', subject: 'Báo cáo tình hình', number: 4, notation: 'UBND-VP', year: 2026,
      issuedAt: new Date('2026-06-01T03:00:00Z'), contentText: body, searchText: `04/ubnd-vp 04 4 ubnd-vp ubnd vp báo cáo tình hình ${body}` },
    { agencyId: actor.agencyId, createdBy: actor.id, typeCode: 'cong_van', status: 'issued', subject: 'Kế hoạch chuyển đổi số', number: 2, notation: 'UBND-VP', year: 2026,
      issuedAt: new Date('2026-01-01T03:00:00Z'), searchText: '02/ubnd-vp 02 2 ubnd-vp ubnd vp kế hoạch chuyển đổi số' },
  ]).returning('id').execute();
  const [outBody, outHeader] = outgoing.map((d) => d.id);

  await up(t.db);
  const query = { box: 'all', limit: 50, offset: 0, order: 'relevance' } as const;
  for (const words of ['chuyen doi so', 'chuyển đổi số']) {
    expect((await listIncoming({ db: t.db, actor, query: { ...query, q: words } })).map((d) => d.id), words).toEqual([header, bodyOnly]);
    expect((await listOutgoing({ db: t.db, actor, query: { ...query, search: words } })).map((d) => d.id), words).toEqual([outHeader, outBody]);
  }
  // still found by a part of the ký hiệu and by the body; every row re-indexed (its words also without diacritics)
  expect((await listIncoming({ db: t.db, actor, query: { ...query, q: 'snv' } })).map((d) => d.id)).toEqual([header]);
  expect((await listOutgoing({ db: t.db, actor, query: { ...query, search: 'kinh gui cac xa' } })).map((d) => d.id)).toEqual([outBody]);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from incoming_document where agency_id = ${actor.agencyId} and search_text like '%giay moi hop%'`.execute(t.db);
  expect(rows[0]?.n).toBe(510);
  // the searches keep their index
  const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where indexname in ('incoming_document_search_idx', 'outgoing_document_search_idx') order by 1`.execute(t.db);
  expect(indexes.rows.map((r) => r.indexname)).toEqual(['incoming_document_search_idx', 'outgoing_document_search_idx']);
});
