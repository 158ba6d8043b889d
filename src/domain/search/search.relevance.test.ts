import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/client.ts';
import { createApp } from '../../platform/http/app.ts';
import { createTestDb } from '../../test/db.ts';
import { makeDeps, TEST_PASSWORD } from '../../test/factories.ts';
import { testClient } from '../../test/http.ts';
import type { Actor } from '../../policies/actor.ts';
import { listIncoming } from '../incoming/incoming-query.service.ts';
import { incomingRepo, searchTextOf } from '../incoming/incoming.repository.ts';
import { outgoingRepo } from '../outgoing/outgoing.repository.ts';
import { makeIncomingFor, makeOutgoingBy, makeRecordsAgency } from '../records/records.testing.ts';
import { buildSearchExport } from './search-export.service.ts';

let handle: DatabaseHandle;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  handle = await createTestDb();
  app = createApp(await makeDeps(handle.db));
});
afterAll(async () => handle?.close());

async function clientOf(actor: Actor & { username?: string }) {
  const { username } = await handle.db.selectFrom('appUser').select('username').where('id', '=', actor.id).executeTakeFirstOrThrow();
  const client = testClient(app);
  expect((await client.login(username, TEST_PASSWORD)).status).toBe(200);
  return client;
}

// A body that says the words over and over: ranked on its own (ts_rank adds up every match), it would pass a header that says them once.
const BODY = `Báo cáo tình hình. ${'Triển khai chuyển đổi số tại các xã; '.repeat(40)}`;

/** An incoming document whose main PDF's text was read (the OCR job's write: ocr_text and the search text with it). */
async function withBody(id: string, ocrText: string) {
  const doc = await incomingRepo.findById(handle.db, id);
  if (!doc) throw new Error('no document');
  await incomingRepo.update(handle.db, id, null, { ocrStatus: 'done', ocrText, searchText: searchTextOf({ ...doc, ocrText }) });
}

/** Three incoming documents about «chuyển đổi số»: two say it in their trích yếu (an older and a newer one), the newest only in its body. */
async function incomingWorld() {
  const w = await makeRecordsAgency(handle.db);
  const olderHeader = await makeIncomingFor(handle.db, w.staff, { subject: 'Kế hoạch chuyển đổi số năm 2027', documentDate: '2026-01-10' });
  const newerHeader = await makeIncomingFor(handle.db, w.staff, { subject: 'Kế hoạch chuyển đổi số năm 2027', documentDate: '2026-05-01' });
  const bodyOnly = await makeIncomingFor(handle.db, w.staff, { subject: 'Báo cáo tình hình sản xuất vụ đông', documentDate: '2026-06-01' });
  await withBody(bodyOnly, BODY);
  await withBody(olderHeader, 'Căn cứ Nghị định 30/2020/NĐ-CP về công tác văn thư.');
  return { w, olderHeader, newerHeader, bodyOnly };
}

describe('«Liên quan nhất»: results ordered by relevance', () => {
  test('an incoming document whose trích yếu holds the words comes before one whose body alone does, however often; ties go newest first; «Mới nhất» and «Cũ nhất» still order by date', async () => {
    const { w, olderHeader, newerHeader, bodyOnly } = await incomingWorld();
    const clerk = await clientOf(w.clerk);
    const ids = async (query: string) => {
      const res = await clerk.get(`/api/incoming?box=all&${query}`);
      expect(res.status, query).toBe(200);
      return (res.body.data as { id: string }[]).map((d) => d.id);
    };
    for (const words of ['chuyen doi so', 'chuyển đổi số', 'CHUYỂN ĐỔI']) {
      expect(await ids(`q=${encodeURIComponent(words)}&order=relevance`), words).toEqual([newerHeader, olderHeader, bodyOnly]);
    }
    expect(await ids('q=chuyen+doi+so&order=newest')).toEqual([bodyOnly, newerHeader, olderHeader]);
    expect(await ids('q=chuyen+doi+so&order=oldest')).toEqual([olderHeader, newerHeader, bodyOnly]);
  });

  test('an issuer or a số/ký hiệu in the header ranks above the same word in a body', async () => {
    const w = await makeRecordsAgency(handle.db);
    const fromIssuer = await makeIncomingFor(handle.db, w.staff, { subject: 'Giấy mời họp', issuerName: 'Sở Nông nghiệp', number: '45', notation: 'SNN-KH', documentDate: '2026-01-05' });
    const mentions = await makeIncomingFor(handle.db, w.staff, { subject: 'Giấy mời dự hội nghị', issuerName: 'UBND huyện', number: '9', notation: 'UBND', documentDate: '2026-07-05' });
    await withBody(mentions, 'Kính gửi Sở Nông nghiệp, văn bản 45/SNN-KH của Sở Nông nghiệp. '.repeat(20));
    for (const words of ['so nong nghiep', '45/SNN-KH']) {
      const docs = await listIncoming({ db: handle.db, actor: w.clerk, query: { box: 'all', limit: 50, offset: 0, q: words, order: 'relevance' } });
      expect(docs.map((d) => d.id), words).toEqual([fromIssuer, mentions]);
    }
  });

  test('without words, relevance is the list’s usual order (incoming: most urgent first); an unknown order is refused', async () => {
    const { w } = await incomingWorld();
    await handle.db.updateTable('incomingDocument').set({ urgency: 'khan' }).where('agencyId', '=', w.agencyId).where('subject', 'like', 'Báo cáo%').execute();
    const list = (order?: 'relevance') => listIncoming({ db: handle.db, actor: w.clerk, query: { box: 'all', limit: 50, offset: 0, ...(order && { order }) } });
    const usual = (await list()).map((d) => d.id);
    expect((await list('relevance')).map((d) => d.id)).toEqual(usual);
    expect((await list())[0]?.urgency).toBe('khan');

    const clerk = await clientOf(w.clerk);
    for (const path of ['/api/incoming?q=chuyen+doi+so&order=best', '/api/outgoing?search=chuyen+doi+so&order=rank', '/api/search/export?q=chuyen+doi+so&order=score']) {
      const res = await clerk.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error?.code, path).toBe('request.invalid');
    }
  });

  test('an outgoing document whose trích yếu holds the words comes before one whose issued text alone does; without words relevance keeps the usual order', async () => {
    const w = await makeRecordsAgency(handle.db);
    const header = await makeOutgoingBy(handle.db, w.staff, { subject: 'Kế hoạch chuyển đổi số năm 2027', issuedAt: '2026-02-01T03:00:00Z' });
    const bodyOnly = await makeOutgoingBy(handle.db, w.staff, { subject: 'Báo cáo tình hình sản xuất', issuedAt: '2026-06-01T03:00:00Z' });
    await outgoingRepo.setContentText(handle.db, bodyOnly, BODY);
    const clerk = await clientOf(w.clerk);
    const ids = async (query: string) => ((await clerk.get(`/api/outgoing?box=all&${query}`)).body.data as { id: string }[]).map((d) => d.id);

    expect(await ids('search=chuyen+doi+so&order=relevance')).toEqual([header, bodyOnly]);
    expect(await ids('search=chuyen+doi+so&order=newest')).toEqual([bodyOnly, header]);
    expect(await ids('order=relevance')).toEqual(await ids(''));
  });

  test('the search page’s export follows the same order: relevance when words are typed and no order is chosen, and says so', async () => {
    const { w, olderHeader, newerHeader, bodyOnly } = await incomingWorld();
    const subjects = async (id: string) => (await incomingRepo.findById(handle.db, id))?.subject;
    const expected = await Promise.all([newerHeader, olderHeader, bodyOnly].map(subjects));
    const built = await buildSearchExport({ db: handle.db, actor: w.clerk, query: { q: 'chuyen doi so', kind: 'incoming' } });
    expect(built.tables[0]?.rows.map((r) => r[5])).toEqual(expected);
    expect(built.criteria).toBe('Điều kiện: từ cần tìm «chuyen doi so»; chỉ văn bản đến; liên quan nhất trước.');
    const newest = await buildSearchExport({ db: handle.db, actor: w.clerk, query: { q: 'chuyen doi so', kind: 'incoming', order: 'newest' } });
    expect(newest.tables[0]?.rows.map((r) => r[5])).toEqual(await Promise.all([bodyOnly, newerHeader, olderHeader].map(subjects)));
    // work files are not ranked: relevance leaves them in their own order
    const files = await buildSearchExport({ db: handle.db, actor: w.clerk, query: { q: 'chuyen doi so', kind: 'records', order: 'relevance' } });
    expect(files.criteria).toBe('Điều kiện: từ cần tìm «chuyen doi so»; chỉ hồ sơ công việc.');
  });

  test('a saved search keeps the order it was saved with', async () => {
    const w = await makeRecordsAgency(handle.db);
    const staff = await clientOf(w.staff);
    const saved = await staff.post('/api/search/saved', { name: 'Chuyển đổi số — liên quan', query: { q: 'chuyển đổi số', order: 'relevance' } });
    expect(saved.status).toBe(201);
    expect((await staff.get('/api/search/saved')).body.data).toMatchObject([{ name: 'Chuyển đổi số — liên quan', query: { q: 'chuyển đổi số', order: 'relevance' } }]);
  });
});
