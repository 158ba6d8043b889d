import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { loggedInClient } from '../../test/http.ts';
import type { Actor } from '../../policies/actor.ts';
import { listIncoming } from '../incoming/incoming-query.service.ts';
import { incomingRepo, searchTextOf } from '../incoming/incoming.repository.ts';
import { outgoingRepo } from '../outgoing/outgoing.repository.ts';
import { makeIncomingFor, makeOutgoingBy, makeRecordsAgency } from '../records/records.testing.ts';
import { addDocumentToFile, listRecordsFiles, openRecordsFile } from '../records/records.service.ts';
import { buildSearchExport } from './search-export.service.ts';

const t = useTestApp();

async function clientOf(actor: Actor & { username?: string }) {
  const { username } = await t.db.selectFrom('appUser').select('username').where('id', '=', actor.id).executeTakeFirstOrThrow();
  return loggedInClient(t.app, username);
}

/** The ids a list answers, in its order. */
async function idsFrom(client: Awaited<ReturnType<typeof clientOf>>, path: string): Promise<string[]> {
  const res = await client.get(path);
  expect(res.status, path).toBe(200);
  return (res.body.data as { id: string }[]).map((d) => d.id);
}

// A body that says the words over and over: ranked on its own (ts_rank adds up every match), it would pass a header that says them once.
const BODY = `Báo cáo tình hình. ${'Triển khai chuyển đổi số tại các xã; '.repeat(40)}`;

/** An incoming document whose main PDF's text was read (the OCR job's write: ocr_text and the search text with it). */
async function withBody(id: string, ocrText: string) {
  const doc = await incomingRepo.findById(t.db, id);
  if (!doc) throw new Error('no document');
  await incomingRepo.update(t.db, id, null, { ocrStatus: 'done', ocrText, searchText: searchTextOf({ ...doc, ocrText }) });
}

/** Three incoming documents about «chuyển đổi số»: two say it in their trích yếu (an older and a newer one), the newest only in its body. */
async function incomingWorld() {
  const w = await makeRecordsAgency(t.db);
  const olderHeader = await makeIncomingFor(t.db, w.staff, { subject: 'Kế hoạch chuyển đổi số năm 2027', documentDate: '2026-01-10' });
  const newerHeader = await makeIncomingFor(t.db, w.staff, { subject: 'Kế hoạch chuyển đổi số năm 2027', documentDate: '2026-05-01' });
  const bodyOnly = await makeIncomingFor(t.db, w.staff, { subject: 'Báo cáo tình hình sản xuất vụ đông', documentDate: '2026-06-01' });
  await withBody(bodyOnly, BODY);
  await withBody(olderHeader, 'Căn cứ Nghị định 30/2020/NĐ-CP về công tác văn thư.');
  return { w, olderHeader, newerHeader, bodyOnly };
}

describe('«Liên quan nhất»: results ordered by relevance', () => {
  test('an incoming document whose trích yếu holds the words comes before one whose body alone does, however often; ties go newest first; «Mới nhất» and «Cũ nhất» still order by date', async () => {
    const { w, olderHeader, newerHeader, bodyOnly } = await incomingWorld();
    const clerk = await clientOf(w.clerk);
    const ids = (query: string) => idsFrom(clerk, `/api/incoming?box=all&${query}`);
    for (const words of ['chuyen doi so', 'chuyển đổi số', 'CHUYỂN ĐỔI']) {
      expect(await ids(`q=${encodeURIComponent(words)}&order=relevance`), words).toEqual([newerHeader, olderHeader, bodyOnly]);
    }
    expect(await ids('q=chuyen+doi+so&order=newest')).toEqual([bodyOnly, newerHeader, olderHeader]);
    expect(await ids('q=chuyen+doi+so&order=oldest')).toEqual([olderHeader, newerHeader, bodyOnly]);
  });

  test('an issuer or a số/ký hiệu in the header ranks above the same word in a body', async () => {
    const w = await makeRecordsAgency(t.db);
    const fromIssuer = await makeIncomingFor(t.db, w.staff, { subject: 'Giấy mời họp', issuerName: 'Sở Nông nghiệp', number: '45', notation: 'SNN-KH', documentDate: '2026-01-05' });
    const mentions = await makeIncomingFor(t.db, w.staff, { subject: 'Giấy mời dự hội nghị', issuerName: 'UBND huyện', number: '9', notation: 'UBND', documentDate: '2026-07-05' });
    await withBody(mentions, 'Kính gửi Sở Nông nghiệp, văn bản 45/SNN-KH của Sở Nông nghiệp. '.repeat(20));
    for (const words of ['so nong nghiep', '45/SNN-KH']) {
      const docs = await listIncoming({ db: t.db, actor: w.clerk, query: { box: 'all', limit: 50, offset: 0, q: words, order: 'relevance' } });
      expect(docs.map((d) => d.id), words).toEqual([fromIssuer, mentions]);
    }
  });

  test('without words, relevance is the list’s usual order (incoming: most urgent first); an unknown order is refused', async () => {
    const { w } = await incomingWorld();
    await t.db.updateTable('incomingDocument').set({ urgency: 'khan' }).where('agencyId', '=', w.agencyId).where('subject', 'like', 'Báo cáo%').execute();
    const list = (order?: 'relevance') => listIncoming({ db: t.db, actor: w.clerk, query: { box: 'all', limit: 50, offset: 0, ...(order && { order }) } });
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
    const w = await makeRecordsAgency(t.db);
    const header = await makeOutgoingBy(t.db, w.staff, { subject: 'Kế hoạch chuyển đổi số năm 2027', issuedAt: '2026-02-01T03:00:00Z' });
    const bodyOnly = await makeOutgoingBy(t.db, w.staff, { subject: 'Báo cáo tình hình sản xuất', issuedAt: '2026-06-01T03:00:00Z' });
    await outgoingRepo.setContentText(t.db, bodyOnly, BODY);
    const clerk = await clientOf(w.clerk);
    const ids = (query: string) => idsFrom(clerk, `/api/outgoing?box=all&${query}`);

    expect(await ids('search=chuyen+doi+so&order=relevance')).toEqual([header, bodyOnly]);
    expect(await ids('search=chuyen+doi+so&order=newest')).toEqual([bodyOnly, header]);
    expect(await ids('order=relevance')).toEqual(await ids(''));
  });

  test('the search page’s export follows the same order: relevance when words are typed and no order is chosen, and says so', async () => {
    const { w, olderHeader, newerHeader, bodyOnly } = await incomingWorld();
    const subjects = async (id: string) => (await incomingRepo.findById(t.db, id))?.subject;
    const expected = await Promise.all([newerHeader, olderHeader, bodyOnly].map(subjects));
    const built = await buildSearchExport({ db: t.db, actor: w.clerk, query: { q: 'chuyen doi so', kind: 'incoming' } });
    expect(built.tables[0]?.rows.map((r) => r[5])).toEqual(expected);
    expect(built.criteria).toBe('Điều kiện: từ cần tìm «chuyen doi so»; chỉ văn bản đến; liên quan nhất trước.');
    const newest = await buildSearchExport({ db: t.db, actor: w.clerk, query: { q: 'chuyen doi so', kind: 'incoming', order: 'newest' } });
    expect(newest.tables[0]?.rows.map((r) => r[5])).toEqual(await Promise.all([bodyOnly, newerHeader, olderHeader].map(subjects)));
  });

  test('a saved search keeps the order it was saved with', async () => {
    const w = await makeRecordsAgency(t.db);
    const staff = await clientOf(w.staff);
    const saved = await staff.post('/api/search/saved', { name: 'Chuyển đổi số — liên quan', query: { q: 'chuyển đổi số', order: 'relevance' } });
    expect(saved.status).toBe(201);
    expect((await staff.get('/api/search/saved')).body.data).toMatchObject([{ name: 'Chuyển đổi số — liên quan', query: { q: 'chuyển đổi số', order: 'relevance' } }]);
  });
});

/** A work file of the staff member's, opened on `openedOn` (its day for «Mới nhất» and for ties). */
async function fileOf(staff: Actor, notation: string, title: string, openedOn: string) {
  const id = await openRecordsFile({ db: t.db, actor: staff, body: { notation, title, retention: '10', description: '' } });
  await t.db.updateTable('recordsFile').set({ createdAt: new Date(`${openedOn}T03:00:00Z`) }).where('id', '=', id).execute();
  return id;
}

/** Puts an incoming document of the staff member's into a file, its text read as `body`. */
async function fileDocument(staff: Actor, fileId: string, o: { subject: string; body?: string; secrecy?: 'mat' }) {
  const doc = await makeIncomingFor(t.db, staff, { subject: o.subject, ...(o.secrecy && { secrecy: o.secrecy }) });
  if (o.body) await withBody(doc, o.body);
  await addDocumentToFile({ db: t.db, actor: staff, fileId, ref: { ownerType: 'incoming', ownerId: doc } });
}

/**
 * Three work files about «chuyển đổi số»: two say it in their title (an older and a newer one, the same words),
 * the newest only through its documents — three of them, each repeating it over and over.
 */
async function filesWorld() {
  const w = await makeRecordsAgency(t.db);
  const olderHeader = await fileOf(w.staff, '10.TH', 'Hồ sơ chuyển đổi số năm 2026', '2026-01-05');
  const newerHeader = await fileOf(w.staff, '11.TH', 'Hồ sơ chuyển đổi số năm 2026', '2026-03-05');
  const bodyOnly = await fileOf(w.staff, '12.TH', 'Hồ sơ công tác văn thư', '2026-06-05');
  for (const n of [1, 2, 3]) await fileDocument(w.staff, bodyOnly, { subject: `Kế hoạch chuyển đổi số đợt ${n}`, body: BODY });
  await fileDocument(w.staff, olderHeader, { subject: 'Giấy mời họp giao ban' });
  return { w, olderHeader, newerHeader, bodyOnly };
}

describe('«Liên quan nhất» for work files (hồ sơ)', () => {
  test('a file whose số/ký hiệu or title holds the words comes before one whose documents alone say them, however often; ties go newest first; «Mới nhất» and «Cũ nhất» still order by the day it was opened', async () => {
    const { w, olderHeader, newerHeader, bodyOnly } = await filesWorld();
    const clerk = await clientOf(w.clerk);
    const ids = (query: string) => idsFrom(clerk, `/api/records/files?scope=agency&${query}`);
    for (const words of ['chuyen doi so', 'chuyển đổi số', 'CHUYỂN ĐỔI']) {
      expect(await ids(`q=${encodeURIComponent(words)}&order=relevance`), words).toEqual([newerHeader, olderHeader, bodyOnly]);
    }
    expect(await ids('q=chuyen+doi+so&order=newest')).toEqual([bodyOnly, newerHeader, olderHeader]);
    expect(await ids('q=chuyen+doi+so&order=oldest')).toEqual([olderHeader, newerHeader, bodyOnly]);
    // a số/ký hiệu is header too
    const second = await fileOf(w.staff, '13.TH', 'Hồ sơ họp giao ban', '2026-07-01');
    await fileDocument(w.staff, bodyOnly, { subject: 'Về hồ sơ 13.TH', body: 'Theo hồ sơ 13.TH. '.repeat(30) });
    expect(await ids('q=13.TH&order=relevance')).toEqual([second, bodyOnly]);
  });

  test('without words, relevance is the list’s usual order (latest year first, then by số/ký hiệu); an unknown order is refused', async () => {
    const { w } = await filesWorld();
    await fileOf(w.staff, '01.VP', 'Hồ sơ năm trước', '2025-02-01').then((id) => t.db.updateTable('recordsFile').set({ year: 2025 }).where('id', '=', id).execute());
    const clerk = await clientOf(w.clerk);
    const notations = async (query: string) => ((await clerk.get(`/api/records/files?scope=agency${query}`)).body.data as { notation: string }[]).map((f) => f.notation);
    expect(await notations('')).toEqual(['10.TH', '11.TH', '12.TH', '01.VP']);
    expect(await notations('&order=relevance')).toEqual(await notations(''));
    expect(await notations('&q=x&order=relevance')).toEqual([]); // a word found nowhere
    for (const path of ['/api/records/files?scope=agency&q=chuyen+doi+so&order=best', '/api/records/files?order=RELEVANCE']) {
      const res = await clerk.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error?.code, path).toBe('request.invalid');
    }
  });

  test('a Mật document one may not open adds nothing to its file’s rank', async () => {
    const w = await makeRecordsAgency(t.db);
    // both files say the words only through their documents; the newer one also holds a Mật document repeating them
    const plain = await fileOf(w.staff, '20.TH', 'Hồ sơ công tác văn thư', '2026-02-01');
    await fileDocument(w.staff, plain, { subject: 'Triển khai chuyển đổi số', body: 'Chuyển đổi số tại xã. '.repeat(5) });
    const withSecret = await fileOf(w.staff, '21.TH', 'Hồ sơ công tác bảo mật', '2026-04-01');
    await fileDocument(w.staff, withSecret, { subject: 'Triển khai chuyển đổi số' });
    await fileDocument(w.staff, withSecret, { subject: 'Phương án bảo vệ bí mật', body: BODY, secrecy: 'mat' });
    const ranked = async (actor: Actor) => (await listRecordsFiles({ db: t.db, actor, query: { scope: 'agency', q: 'chuyen doi so', order: 'relevance' } })).map((f) => f.id);
    expect(await ranked(w.leader)).toEqual([plain, withSecret]); // not named in the Mật document: it counts for nothing
    expect(await ranked(w.staff)).toEqual([withSecret, plain]); // its handler: its words count
  });

  test('the search page’s export lists the work files in the same order and says so', async () => {
    const { w } = await filesWorld();
    const notations = (built: Awaited<ReturnType<typeof buildSearchExport>>) => built.tables[0]?.rows.map((r) => r[1]);
    const built = await buildSearchExport({ db: t.db, actor: w.clerk, query: { q: 'chuyển đổi số', kind: 'records' } });
    expect(notations(built)).toEqual(['11.TH', '10.TH', '12.TH']);
    expect(built.criteria).toBe('Điều kiện: từ cần tìm «chuyển đổi số»; chỉ hồ sơ công việc; liên quan nhất trước.');
    const oldest = await buildSearchExport({ db: t.db, actor: w.clerk, query: { q: 'chuyển đổi số', kind: 'records', order: 'oldest' } });
    expect(notations(oldest)).toEqual(['10.TH', '11.TH', '12.TH']);
    expect(oldest.criteria).toBe('Điều kiện: từ cần tìm «chuyển đổi số»; chỉ hồ sơ công việc; cũ nhất trước.');
    // all kinds: the work files' table is ranked as the documents' are
    const all = await buildSearchExport({ db: t.db, actor: w.clerk, query: { q: 'chuyển đổi số' } });
    expect(notations({ ...all, tables: all.tables.filter((t) => t.kind === 'records') })).toEqual(['11.TH', '10.TH', '12.TH']);
  });
});
