import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { startWorker, type JobDefinition } from '../../platform/jobs/jobs.ts';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUser } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import { storeUpload } from '../files/files.service.ts';
import { listIncoming } from '../incoming/incoming-query.service.ts';
import { INCOMING_JOBS, textBackfillJob } from '../incoming/incoming.jobs.ts';
import { incomingRepo, searchTextOf } from '../incoming/incoming.repository.ts';
import { receiveExternalDocuments, type ExternalIntake } from '../incoming/incoming.service.ts';
import { makeTextPdf } from '../incoming/incoming.testing.ts';
import { contentTextBackfillJob, OUTGOING_JOBS } from '../outgoing/outgoing.jobs.ts';
import { draftOverHttp as draft, issueOverHttp as issue, makeAgencyWithOffice } from '../outgoing/outgoing.testing.ts';
import { BACKFILL_BATCH } from './search-backfill.ts';

const t = useTestApp({ demo: true });

/** A worker as the server starts one (a new one is a restart): runs every due job of these types. */
const runDue = async (jobs: JobDefinition[]) => {
  const worker = startWorker({ deps: t.deps, jobs, autoStart: false });
  while ((await worker.runOnce()) > 0);
};
/** The time the test does not wait: jobs of a type spaced out or scheduled later are due now. */
const makeDue = (type: string) => sql`update job set run_at = now() where type = ${type} and done_at is null and failed_at is null`.execute(t.db);
const jobsFor = async (type: string, keys: readonly string[]) =>
  (await t.db.selectFrom('job').select(['dedupeKey', 'failedAt']).where('type', '=', type).where('dedupeKey', 'in', [...keys]).execute()).map((j) => j.dedupeKey);
const openSteps = async (type: string) =>
  (await t.db.selectFrom('job').select('id').where('type', '=', type).where('doneAt', 'is', null).where('failedAt', 'is', null).execute()).length;
/** A step of the sweep run again as the worker would after a crash between its commit and its completion. */
const runAgain = (job: JobDefinition, payload: unknown) => job.handle({ deps: t.deps, db: t.db, logger: t.deps.logger, jobId: 0, attempt: 2 }, job.payload.parse(payload));

describe.skipIf(!needTool('pdftotext', 'ocrmypdf'))('old documents’ text is read after the upgrade, without an administrator', () => {
  test('electronic incoming documents received before their PDF was read are queued once each, a batch at a time, across a restart; read, failed and refused ones are left alone', async () => {
    const agency = await makeAgency(t.db);
    const { actor: clerk } = await makeUser(t.db, { agencyId: agency.id, roles: ['clerk'] });
    const pdf = await makeTextPdf(['Đề nghị các xã thống kê diện tích lúa bị ngập úng']);
    const intakes: ExternalIntake[] = [];
    for (let i = 0; i < BACKFILL_BATCH + 4; i++) { // more than a batch
      const file = await storeUpload(t.deps, { source: pdf, fileName: `cong-van-${i}.pdf` });
      intakes.push({ recipientAgencyId: agency.id, documentId: `old-${crypto.randomUUID()}`, sender: { code: '000.00.12.H40', name: 'Sở Nông nghiệp' },
        metadata: { number: i + 1, notation: 'SNN-TT', documentDate: '2026-01-05', typeCode: 'cong_van', subject: `Báo cáo số ${i + 1}`, urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '', pageCount: 1 },
        files: [{ ...file, kind: 'main' }] });
    }
    const ids = (await t.db.transaction().execute((tx) => receiveExternalDocuments(tx, intakes))).map((d) => d.id);
    const [read, failed, refused, ...old] = ids;
    await runDue(INCOMING_JOBS.filter((j) => j.type === 'incoming.ocr')); // the first two were received after the change: one read, one failed
    // the others as received before it: never read, no job (one of them refused)
    for (const id of [failed ?? '', refused ?? '', ...old]) {
      const doc = await incomingRepo.findById(t.db, id);
      await incomingRepo.update(t.db, id, null, { ocrStatus: id === failed ? 'failed' : 'none', ocrText: null, searchText: searchTextOf({ ...doc, ocrText: null }), ...(id === refused && { status: 'refused' }) });
    }
    await t.db.deleteFrom('job').where('dedupeKey', 'in', [refused ?? '', ...old].map((id) => `incoming.ocr:${id}`)).execute();
    const found = async () => (await listIncoming({ db: t.db, actor: clerk, query: { box: 'all', limit: 100, offset: 0, q: 'lua bi ngap ung' } })).map((d) => d.id).sort();
    expect(await found()).toEqual([read]);

    // the migration's first step: a batch queued, spaced out, and marked pending
    await runDue([textBackfillJob]);
    const keys = ids.map((id) => `incoming.ocr:${id}`);
    expect(await jobsFor('incoming.ocr', keys)).toHaveLength(2 + BACKFILL_BATCH);
    // run again after a crash, and while the batch is being read, the step queues nothing more and starts no second sweep
    await runAgain(textBackfillJob, {});
    expect(await jobsFor('incoming.ocr', keys)).toHaveLength(2 + BACKFILL_BATCH);
    expect(await openSteps('incoming.text_backfill')).toBe(1);

    // a restart: new workers read the batch, then the next steps take the rest and end the sweep
    for (let round = 0; round < 3; round++) {
      await makeDue('incoming.ocr');
      await runDue(INCOMING_JOBS);
      await makeDue('incoming.text_backfill');
      await runDue([textBackfillJob]);
    }
    expect(await openSteps('incoming.text_backfill')).toBe(0);
    const queued = await jobsFor('incoming.ocr', keys);
    expect(queued.sort()).toEqual(keys.filter((k) => k !== `incoming.ocr:${refused}`).sort()); // one job each, the failed one's its own first
    expect(await found()).toEqual([read, ...old].sort());
    const failedDoc = await t.db.selectFrom('incomingDocument').select('ocrStatus').where('id', '=', failed ?? '').executeTakeFirstOrThrow();
    expect(failedDoc.ocrStatus).toBe('failed');
  });

  test('outgoing documents issued before their text was read are queued once; one whose job failed or read nothing is not, and the sweep waits while the queue is busy', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const [old, failed, current] = [await draft(w, { subject: 'V/v tổng kết năm' }), await draft(w, { subject: 'V/v họp giao ban' }), await draft(w, { subject: 'V/v lịch trực Tết' })];
    for (const id of [old, failed, current]) await issue(w, id);
    await t.db.deleteFrom('job').where('dedupeKey', '=', `outgoing.content_text:${old}`).execute(); // issued before the change
    await t.db.updateTable('job').set({ failedAt: new Date(), attempts: 3 }).where('dedupeKey', '=', `outgoing.content_text:${failed}`).execute();
    const keys = [old, failed, current].map((id) => `outgoing.content_text:${id}`);
    const found = async () => ((await w.clerk.client.get(`/api/outgoing?box=all&search=${encodeURIComponent('he thong tao de thu nghiem')}`)).body.data as { id: string }[]).map((d) => d.id);

    // the current document's own job still waits: the sweep lets it go first
    await makeDue('outgoing.content_text_backfill');
    await runDue([contentTextBackfillJob]);
    expect(await jobsFor('outgoing.content_text', keys)).toHaveLength(2);

    await runDue(OUTGOING_JOBS.filter((j) => j.type === 'outgoing.content_text'));
    for (let round = 0; round < 3; round++) {
      await makeDue('outgoing.content_text_backfill');
      await runDue([contentTextBackfillJob]);
      await makeDue('outgoing.content_text');
      await runDue(OUTGOING_JOBS.filter((j) => j.type === 'outgoing.content_text'));
    }
    expect(await openSteps('outgoing.content_text_backfill')).toBe(0);
    expect((await jobsFor('outgoing.content_text', keys)).sort()).toEqual([...keys].sort());
    expect((await found()).sort()).toEqual([old, current].sort());
    // a sweep started again finds nothing left to queue
    await runAgain(contentTextBackfillJob, {});
    expect(await openSteps('outgoing.content_text_backfill')).toBe(0);
    expect(await jobsFor('outgoing.content_text', keys)).toHaveLength(3);
  });
});
