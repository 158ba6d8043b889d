import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { needTool } from '../../test/tools.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { ALL_JOBS } from '../../platform/jobs/registry.ts';
import { makeTextPdf } from '../incoming/incoming.testing.ts';
import { makeIncomingFor } from '../records/records.testing.ts';
import { draftOverHttp, issueOverHttp, makeAgencyWithOffice } from '../outgoing/outgoing.testing.ts';
import { attachFile, storeUpload } from './files.service.ts';
import { pageImageJob } from './files.jobs.ts';
import { pageImageDir } from './page-image.ts';

const t = useTestApp({ demo: true });

type World = Awaited<ReturnType<typeof makeAgencyWithOffice>>;
type FileRow = { id: string; kind: string; sha256: string; note: string };

/** The page-image jobs queued for a PDF's content. */
const jobsFor = (sha256: string) =>
  t.db.selectFrom('job').select(['type', 'doneAt', 'failedAt', 'attempts']).where('dedupeKey', 'like', `files.page_image:${sha256}-%`).execute();
const filesOf = (id: string): Promise<FileRow[]> =>
  t.db.selectFrom('documentFile').select(['id', 'kind', 'sha256', 'note']).where('ownerType', '=', 'outgoing').where('ownerId', '=', id).execute();
const cached = (sha256: string, ending: 'jpg' | 'failed') => path.join(pageImageDir(t.deps.config.dataDir), `${sha256}-p1-w800-q70.${ending}`);
/** What the server's worker does with the queued jobs (only the page-image ones: the test database holds others). */
const runPageImageJobs = () => startWorker({ deps: t.deps, jobs: [pageImageJob], autoStart: false }).runOnce();

/** Uploads `files` (form field → file) as a new version of a draft, as the drafter's browser does. */
async function uploadVersion(w: World, id: string, files: Record<string, File>) {
  const session = (await w.staff.client.get('/api/auth/session')).body.data as { csrfToken: string };
  const form = new FormData();
  for (const [field, file] of Object.entries(files)) form.append(field, file);
  const res = await t.app.request(`/api/outgoing/${id}/files`, { method: 'POST', body: form, headers: { cookie: w.staff.client.cookie, 'x-csrf-token': session.csrfToken } });
  expect(res.status).toBe(200);
}
const pdfFile = async (text: string) => new File([Buffer.from(await makeTextPdf([text]))], 'du-thao.pdf', { type: 'application/pdf' });

let drafts = 0;
const draft = async (w: World) => draftOverHttp(w, { subject: `V/v vẽ trước trang 1 (${++drafts})` });

test('the server\'s worker runs the page-image job', () => {
  expect(ALL_JOBS.map((j) => j.type)).toContain('files.page_image');
});

describe.skipIf(!needTool('pdftoppm'))('page 1\'s image rendered when the PDF is stored, before its first viewer', () => {
  test('storing a draft\'s PDF queues one job; once it has run, the image is in the cache and the route sends that file without rendering', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await draft(w);
    expect((await w.staff.client.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
    const main = (await filesOf(id)).find((f) => f.kind === 'main') as FileRow;
    expect(await jobsFor(main.sha256)).toEqual([expect.objectContaining({ type: 'files.page_image', doneAt: null })]);
    await expect(stat(cached(main.sha256, 'jpg'))).rejects.toMatchObject({ code: 'ENOENT' });

    expect(await runPageImageJobs()).toBeGreaterThanOrEqual(1);
    expect(await jobsFor(main.sha256)).toEqual([expect.objectContaining({ doneAt: expect.any(Date), failedAt: null, attempts: 1 })]);
    const before = await stat(cached(main.sha256, 'jpg'));
    const kept = await readFile(cached(main.sha256, 'jpg'));

    // the leader, first to open the draft: the kept image, not a new render (which would replace the file)
    const res = await t.app.request(`/api/outgoing/${id}/files/${main.id}?page-image=1`, { headers: { cookie: w.leader.client.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer()).equals(kept)).toBe(true);
    const after = await stat(cached(main.sha256, 'jpg'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  test('each PDF a version is read from queues its job as it is stored: the draft, the signed one, the issued one', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await draft(w);
    await issueOverHttp(w, id);
    const shown = (await filesOf(id)).filter((f) => f.kind === 'main' || f.kind === 'signed');
    expect(shown.map((f) => f.note).sort()).toEqual(['', 'approved', 'issued']);
    expect(new Set(shown.map((f) => f.sha256)).size).toBe(3);
    for (const f of shown) expect(await jobsFor(f.sha256)).toHaveLength(1);
  });

  test('the same bytes stored twice — another draft, a version that carries its main file over — queue one job', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const [first, second] = [await draft(w), await draft(w)];
    const pdf = await pdfFile(`CÔNG VĂN về việc vẽ trước trang 1, nội dung ${++drafts}`);
    await uploadVersion(w, first, { main: pdf });
    await uploadVersion(w, second, { main: pdf });
    await uploadVersion(w, first, { appendix: await pdfFile(`Phụ lục ${++drafts}`) });
    const mains = [...await filesOf(first), ...await filesOf(second)].filter((f) => f.kind === 'main');
    expect(mains).toHaveLength(3);
    expect(new Set(mains.map((f) => f.sha256)).size).toBe(1);
    expect(await jobsFor(mains[0]?.sha256 ?? '')).toHaveLength(1);
  });

  test('what the viewer does not open by itself queues nothing: an appendix, an incoming document\'s file; a file row rolled back leaves no job', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await draft(w);
    await uploadVersion(w, id, { main: await pdfFile(`Dự thảo ${++drafts}`), appendix: await pdfFile(`Phụ lục ${++drafts}`) });
    const appendix = (await filesOf(id)).find((f) => f.kind === 'appendix') as FileRow;
    expect(await jobsFor(appendix.sha256)).toEqual([]);

    const incoming = await storeUpload(t.deps, { source: await makeTextPdf([`Công văn đến ${++drafts}`]), fileName: 'cong-van-den.pdf' });
    await attachFile(t.db, { agencyId: w.agency.id, ownerType: 'incoming', ownerId: await makeIncomingFor(t.db, w.staff.actor), kind: 'main', upload: incoming, createdBy: w.staff.user.id });
    expect(await jobsFor(incoming.sha256)).toEqual([]);

    const unsaved = await storeUpload(t.deps, { source: await makeTextPdf([`Không lưu ${++drafts}`]), fileName: 'khong-luu.pdf' });
    await expect(t.db.transaction().execute(async (tx) => {
      await attachFile(tx, { agencyId: w.agency.id, ownerType: 'outgoing', ownerId: id, kind: 'main', upload: unsaved, version: 9, createdBy: w.staff.user.id });
      throw new Error('the change fails after the file row');
    })).rejects.toThrow('the change fails');
    expect(await jobsFor(unsaved.sha256)).toEqual([]);
  });

  test('a PDF poppler refuses: the job ends (no retry) leaving the «cannot draw» mark, and the route answers files.preview_failed from it', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await draft(w);
    const broken = await storeUpload(t.deps, { source: Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% ${++drafts}\ntrailer << /Root 1 0 R >>\n%%EOF\n`), fileName: 'hong.pdf' });
    const file = await attachFile(t.db, { agencyId: w.agency.id, ownerType: 'outgoing', ownerId: id, kind: 'main', upload: broken, createdBy: w.staff.user.id });
    expect(await jobsFor(broken.sha256)).toHaveLength(1);
    await runPageImageJobs();
    expect(await jobsFor(broken.sha256)).toEqual([expect.objectContaining({ doneAt: expect.any(Date), failedAt: null, attempts: 1 })]);
    expect((await stat(cached(broken.sha256, 'failed'))).isFile()).toBe(true);
    const res = await t.app.request(`/api/outgoing/${id}/files/${file.id}?page-image=1`, { headers: { cookie: w.staff.client.cookie } });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('files.preview_failed');
  });
});

describe.skipIf(!needTool('pdftoppm', 'soffice'))('a DOCX draft', () => {
  test('the uploaded DOCX queues nothing; the PDF made from it, which the viewer shows, queues one job', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await draft(w);
    const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-ahead-'));
    try {
      await writeFile(path.join(dir, 'du-thao.html'), `<html><body><p>CÔNG VĂN về việc vẽ trước trang 1 (${++drafts})</p></body></html>`);
      execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', dir, path.join(dir, 'du-thao.html')], { timeout: 120_000, stdio: 'ignore' });
      const docx = await readFile(path.join(dir, 'du-thao.docx'));
      await uploadVersion(w, id, { main: new File([docx], 'du-thao.docx', { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const files = await filesOf(id);
    const source = files.find((f) => f.kind === 'source') as FileRow;
    const main = files.find((f) => f.kind === 'main') as FileRow;
    expect(await jobsFor(source.sha256)).toEqual([]);
    expect(await jobsFor(main.sha256)).toHaveLength(1);
  });
});
