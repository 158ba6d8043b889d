import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUser } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from '../signing/testing/pki.ts';
import { getIncoming } from './incoming-query.service.ts';
import { verifyJob } from './incoming.jobs.ts';
import { makeTextPdf, receivePdf, runVerifyJobs } from './incoming.testing.ts';
import { BACKFILL_BATCH } from '../search/search-backfill.ts';

let pki: TestPki;
let ocsp: TestServer;

describe.skipIf(!needTool('openssl'))('signatures of received documents are checked again', () => {
  // a new production install: no trusted root yet (not demo mode, an empty DATA_DIR/trust)
  const t = useTestApp();
  beforeAll(async () => {
    pki = await createTestPki();
    ocsp = await startTestOcsp(pki);
  }, 120_000);
  afterAll(async () => {
    await ocsp?.close();
  });

  const runAllJobs = () => runVerifyJobs(t.deps);
  const receiveSigned = async (agencyId: string, documentId: string, signed?: Uint8Array) => receivePdf(t.deps, {
    agencyId, documentId, bytes: signed ?? await signPdf(await makeTextPdf(['Công văn gửi đến']), { signer: await createP12Signer(pki.leader.p12, pki.password) }),
  });
  const verdictOf = async (actor: Parameters<typeof getIncoming>[0]['actor'], id: string) => (await getIncoming({ db: t.db, actor, id })).doc.verifyVerdict;
  const openVerifyJobs = async (id: string) => (await t.db.selectFrom('job').select('payload').where('type', '=', 'incoming.verify')
    .where('doneAt', 'is', null).where('failedAt', 'is', null).execute()).filter((j) => (j.payload as { incomingId: string }).incomingId === id).length;

  test('documents signed by a CA the install does not trust read «chưa xác định»; once the province admin adds the root, the background sweep makes them valid — taking the root out undoes it, adding it again redoes it', async () => {
    const agency = await makeAgency(t.db);
    const clerk = await makeUser(t.db, { agencyId: agency.id, roles: ['clerk'] });
    const signed = await signPdf(await makeTextPdf(['Công văn gửi đến']), { signer: await createP12Signer(pki.leader.p12, pki.password) });
    const docs: { id: string }[] = [];
    for (let i = 0; i <= BACKFILL_BATCH; i++) docs.push(await receiveSigned(agency.id, `sweep-${i}`, signed)); // more than a batch
    const verdicts = async () => [...new Set(await Promise.all(docs.map((d) => verdictOf(clerk.actor, d.id))))];
    await runAllJobs();
    expect(await verdicts()).toEqual(['indeterminate']);

    const province = await signedInClient(t.app, t.db, { roles: ['province_admin'] });
    const added = await province.client.post('/api/verification/trust', pki.root.certPem, { 'content-type': 'application/x-pem-file' });
    expect(added.status).toBe(201);
    // the admin's request only queued the sweep: the document is checked in the background
    expect(await verdicts()).toEqual(['indeterminate']);
    await runAllJobs();
    expect(await verdicts()).toEqual(['valid']);

    const [entry] = (added.body.data as { fileName: string }[]);
    expect((await province.client.delete(`/api/verification/trust/${entry?.fileName}`)).status).toBeLessThan(300);
    await runAllJobs();
    expect(await verdicts()).toEqual(['indeterminate']);
    // a second sweep of the same kind passes every document too, not stopped by the first one's steps
    await province.client.post('/api/verification/trust', pki.root.certPem, { 'content-type': 'application/x-pem-file' });
    await runAllJobs();
    expect(await verdicts()).toEqual(['valid']);
  });

  test('the clerk asks «Kiểm tra lại chữ ký số»: one check is queued however often asked, and the timeline says who asked; someone who cannot see the document is told it is not found', async () => {
    const agency = await makeAgency(t.db);
    const clerk = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['clerk'] });
    const doc = await receiveSigned(agency.id, 'manual-1');
    await runAllJobs();
    expect(await openVerifyJobs(doc.id)).toBe(0);
    const before = await verdictOf(clerk.actor, doc.id);

    const first = await clerk.client.post(`/api/incoming/${doc.id}/verify`, {});
    expect([first.status, first.body.data]).toEqual([200, { isQueued: true }]);
    const again = await clerk.client.post(`/api/incoming/${doc.id}/verify`, {});
    expect([again.status, again.body.data]).toEqual([200, { isQueued: false }]);
    expect(await openVerifyJobs(doc.id)).toBe(1);
    const page = await getIncoming({ db: t.db, actor: clerk.actor, id: doc.id });
    expect([page.doc.verifyStatus, page.doc.verifyVerdict]).toEqual(['pending', null]);
    expect(page.timeline.filter((e) => e.type === 'INCOMING_VERIFY_REQUESTED').map((e) => e.actorId)).toEqual([clerk.user.id]);

    // a staff member it was not assigned to, and another agency's clerk, may not see it
    const staff = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['staff'] });
    const otherClerk = await signedInClient(t.app, t.db, { roles: ['clerk'] });
    for (const other of [staff, otherClerk]) {
      const denied = await other.client.post(`/api/incoming/${doc.id}/verify`, {});
      expect([denied.status, denied.body.error?.code]).toEqual([404, 'incoming.not_found']);
    }
    expect(await openVerifyJobs(doc.id)).toBe(1);

    // checked again with the same trusted roots: the same verdict, the page's «Đang kiểm tra lại…» over
    await runAllJobs();
    expect(await verdictOf(clerk.actor, doc.id)).toBe(before);
  });
  test('a document whose file cannot be read is not left «Đang kiểm tra…» for good: after the last attempt it reads «không kiểm tra được», and the clerk can ask again', async () => {
    const agency = await makeAgency(t.db);
    const clerk = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['clerk'] });
    // bytes of its own: the same PDF signed in the same second as another test's would be verified from the cache
    const doc = await receiveSigned(agency.id, 'unreadable-1', await signPdf(await makeTextPdf(['Công văn có tệp không đọc được']), { signer: await createP12Signer(pki.leader.p12, pki.password) }));
    const file = await t.db.selectFrom('documentFile').select('sha256').where('ownerId', '=', doc.id).executeTakeFirstOrThrow();
    await rm(t.deps.blobs.path(file.sha256)); // the stored file is gone (a disk restored without it)
    const status = async () => (await t.db.selectFrom('incomingDocument').select('verifyStatus').where('id', '=', doc.id).executeTakeFirstOrThrow()).verifyStatus;
    const run = (attempt: number) => verifyJob.handle({ deps: t.deps, db: t.db, logger: t.deps.logger, jobId: 0, attempt }, { incomingId: doc.id });

    await expect(run(1)).rejects.toThrow();
    expect(await status()).toBe('pending'); // a retry will follow
    await expect(run(verifyJob.maxAttempts ?? 0)).rejects.toThrow();
    expect(await status()).toBe('failed');
    expect((await clerk.client.post(`/api/incoming/${doc.id}/verify`, {})).body.data).toEqual({ isQueued: true });
    expect(await status()).toBe('pending');
  });
});
