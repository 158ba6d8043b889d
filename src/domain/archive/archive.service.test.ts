import { mkdir, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDb } from '../../test/db.ts';
import { makeDeps, makeUser } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import type { DatabaseHandle } from '../../platform/db/client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { attachFile, storeUpload } from '../files/files.service.ts';
import { makeTextPdf } from '../incoming/incoming.testing.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import { timestampFromUrl } from '../signing/signing.tsa.ts';
import { createTestPki, startTestOcsp, startTestTsa, type TestPki, type TestServer } from '../signing/testing/pki.ts';
import { verifyPdf } from '../signing/verify/verify.ts';
import { installVerifyOptions } from '../verification/verification.service.ts';
import { checkWithTools } from '../signing/testing/check.ts';
import { assessReport } from './archive.assess.ts';
import { ARCHIVE_JOBS } from './archive.jobs.ts';
import { runArchivePass } from './archive.service.ts';
import { startExtraTsa } from './archive.testing.ts';

let handle: DatabaseHandle;
let deps: AppDeps;
let pki: TestPki;
let servers: TestServer[] = [];
let shortTsa: TestServer & { notAfter: Date };
let goodTsa: TestServer;
let owner: Awaited<ReturnType<typeof makeUser>>;

const DAY = 86_400_000;

beforeAll(async () => {
  if (!needTool('openssl')) return;
  handle = await createTestDb();
  pki = await createTestPki();
  servers.push(await startTestOcsp(pki));
  shortTsa = await startExtraTsa(pki, { days: 30 });
  goodTsa = await startTestTsa(pki);
  servers.push(shortTsa, goodTsa);
  deps = await makeDeps(handle.db, { archive: { tsaUrl: goodTsa.url, marginDays: 365 } });
  await mkdir(path.join(deps.config.dataDir, 'trust'), { recursive: true });
  await copyFile(pki.root.derPath, path.join(deps.config.dataDir, 'trust', 'root.der'));
  owner = await makeUser(handle.db, { roles: ['clerk'] });
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await handle?.close();
});

/** A PDF signed by the test PKI's leader with a signature timestamp from `tsaUrl` (PAdES B-T). */
async function signedPdf(text: string, tsaUrl: string): Promise<Uint8Array> {
  const signer = await createP12Signer(pki.leader.p12, pki.password);
  return signPdf(await makeTextPdf([text]), { signer, level: 'B-T', timestamp: timestampFromUrl(tsaUrl) });
}

/** An issued outgoing document whose issued PDF is `bytes` (as the issue step stores it). */
async function issuedOutgoing(bytes: Uint8Array) {
  const doc = await handle.db.insertInto('outgoingDocument').values({ agencyId: owner.actor.agencyId, createdBy: owner.actor.id, typeCode: 'QD', subject: 'Quyết định lưu trữ', status: 'issued' }).returningAll().executeTakeFirstOrThrow();
  const upload = await storeUpload(deps, { source: bytes, fileName: '15_QD-UBND.pdf' });
  const file = await attachFile(handle.db, { agencyId: doc.agencyId, ownerType: 'outgoing', ownerId: doc.id, kind: 'signed', version: 1, upload, createdBy: owner.actor.id, note: 'issued' });
  return { doc, file };
}

async function registeredIncoming(files: { bytes: Uint8Array; kind: 'main' | 'appendix' }[]) {
  const doc = await handle.db.insertInto('incomingDocument').values({ agencyId: owner.actor.agencyId, source: 'external', status: 'registered', subject: 'Công văn đến' }).returningAll().executeTakeFirstOrThrow();
  const rows = [];
  for (const f of files) rows.push(await attachFile(handle.db, { agencyId: doc.agencyId, ownerType: 'incoming', ownerId: doc.id, kind: f.kind, upload: await storeUpload(deps, { source: f.bytes, fileName: `${f.kind}.pdf` }), createdBy: owner.actor.id }));
  return { doc, files: rows };
}

const filesOf = (ownerId: string) => handle.db.selectFrom('documentFile').selectAll().where('ownerId', '=', ownerId).orderBy('createdAt').execute();
const lineageOf = (fileId: string) => handle.db.selectFrom('archiveFile').selectAll().where('originFileId', '=', fileId).executeTakeFirstOrThrow();

describe.skipIf(!needTool('openssl'))('the archive pass keeps signed documents verifiable', () => {
  let outgoing: Awaited<ReturnType<typeof issuedOutgoing>>;
  let incoming: Awaited<ReturnType<typeof registeredIncoming>>;
  let originalBytes: Uint8Array;

  test('a document whose last timestamp comes from a TSA certificate expiring within the margin gets a new document timestamp and still verifies at B-LTA', async () => {
    originalBytes = await signedPdf('Quyet dinh 15', shortTsa.url);
    outgoing = await issuedOutgoing(originalBytes);
    const verifyOptions = await installVerifyOptions(deps);
    const before = assessReport(await verifyPdf(originalBytes, verifyOptions), new Date(), 365);
    expect(before).toMatchObject({ kind: 'due', reason: 'tsa-certificate-expiring' });

    const report = await runArchivePass(deps);
    const item = report.items.find((i) => i.ownerId === outgoing.doc.id);
    expect(item).toMatchObject({ outcome: 'renewed' });

    const files = await filesOf(outgoing.doc.id);
    expect(files).toHaveLength(2);
    const [original, renewed] = files as [typeof files[0], typeof files[0]];
    expect(original.sha256).toBe(outgoing.file.sha256);
    expect(Buffer.from(await deps.blobs.get(original.sha256)).equals(Buffer.from(originalBytes))).toBe(true);
    expect(renewed).toMatchObject({ kind: 'signed', version: 1, note: 'issued', fileName: original.fileName });

    const renewedBytes = await deps.blobs.get(renewed.sha256);
    // an incremental update: the original bytes are a prefix of the renewed file
    expect(Buffer.from(renewedBytes.subarray(0, originalBytes.length)).equals(Buffer.from(originalBytes))).toBe(true);
    const verified = await verifyPdf(renewedBytes, verifyOptions);
    expect(verified.indication).toBe('TOTAL-PASSED');
    expect(verified.signatures.find((s) => s.kind === 'signature')?.level).toBe('B-LTA');
    const docTs = verified.signatures.filter((s) => s.kind === 'document-timestamp');
    expect(docTs).toHaveLength(1);

    const lineage = await lineageOf(original.id);
    expect(lineage).toMatchObject({ status: 'protected', currentFileId: renewed.id, renewals: 1, level: 'B-LTA' });
    expect(lineage.protectedUntil?.toISOString().slice(0, 10)).toBe(pki.tsa.notAfter.toISOString().slice(0, 10));
    expect(lineage.renewDueAt?.getTime()).toBe((lineage.protectedUntil?.getTime() ?? 0) - 365 * DAY);
    const audited = await handle.db.selectFrom('auditLog').selectAll().where('type', '=', 'ARCHIVE_TIMESTAMP_ADDED').where('entityId', '=', outgoing.doc.id).execute();
    expect(audited).toHaveLength(1);
  }, 120_000);

  test.skipIf(!needTool('qpdf', 'pdfsig'))('the renewed file passes qpdf --check, and pdfsig still finds the signature valid and the document timestamp after it', async () => {
    const renewed = (await filesOf(outgoing.doc.id)).at(-1);
    const tools = checkWithTools(await deps.blobs.get(renewed?.sha256 ?? ''));
    expect(tools.qpdfStatus, tools.qpdfOutput).toBe(0);
    expect(tools.signatures, tools.pdfsig).toHaveLength(2);
    expect(tools.signatures[0]?.valid, tools.pdfsig).toBe(true);
    // pdfsig 22 cannot validate document timestamps (docs/verify-report.md), but sees it cover the whole file
    expect(tools.signatures[1]?.total, tools.pdfsig).toBe(true);
    expect(tools.pdfsig).toContain('Signer Certificate Common Name: Vanthu Test TSA');
  });

  test('an incoming document already at B-LTA is only recorded as protected, and an unsigned scan is skipped', async () => {
    const signed = await signedPdf('Cong van den', goodTsa.url);
    const { data } = await import('../signing/verify/verify.ltv.ts').then(async (m) => ({ data: await m.augmentPdf(signed, { tsaUrl: goodTsa.url, trustStore: (await installVerifyOptions(deps)).trustStore }) }));
    incoming = await registeredIncoming([{ bytes: data, kind: 'main' }, { bytes: await makeTextPdf(['Phu luc']), kind: 'appendix' }]);
    const report = await runArchivePass(deps);
    const mine = report.items.filter((i) => i.ownerId === incoming.doc.id);
    expect(mine.map((i) => i.outcome).sort()).toEqual(['protected', 'skipped']);
    expect(await filesOf(incoming.doc.id)).toHaveLength(2);
    expect(await lineageOf(incoming.files[0]?.id ?? '')).toMatchObject({ status: 'protected', renewals: 0, level: 'B-LTA' });
    expect(await lineageOf(incoming.files[1]?.id ?? '')).toMatchObject({ status: 'skipped', lastError: 'Tệp không có chữ ký số.' });
  }, 120_000);

  test('a second run adds nothing: no new version, no new timestamp', async () => {
    const filesBefore = await handle.db.selectFrom('documentFile').select('id').execute();
    const report = await runArchivePass(deps);
    expect(report).toMatchObject({ discovered: 0, renewed: 0, failed: 0 });
    expect(await handle.db.selectFrom('documentFile').select('id').execute()).toHaveLength(filesBefore.length);
    // and even checked again, the renewed file is protected (not due) under the same policy
    const current = (await filesOf(outgoing.doc.id)).at(-1);
    const again = assessReport(await verifyPdf(await deps.blobs.get(current?.sha256 ?? ''), await installVerifyOptions(deps)), new Date(), 365);
    expect(again.kind).toBe('protected');
  }, 120_000);

  test('when the TSA is down the file is left untouched, the failure is recorded and a retry pass is scheduled; the retry renews it', async () => {
    const deadTsa = await startTestTsa(pki, { behaviour: 'reject' });
    servers.push(deadTsa);
    const downDeps = { ...deps, config: { ...deps.config, archive: { tsaUrl: deadTsa.url, marginDays: 365 } } };
    const bytes = await signedPdf('Quyet dinh 16', shortTsa.url);
    const { doc, file } = await issuedOutgoing(bytes);

    // through the real worker: the pass job (seeded by the migration) runs, fails this file, schedules a retry
    await handle.db.insertInto('job').values({ type: 'archive.renew', payload: '{}', runAt: new Date(), maxAttempts: 3 }).execute();
    const worker = startWorker({ deps: downDeps, jobs: ARCHIVE_JOBS, autoStart: false });
    await worker.runOnce();
    await worker.stop();

    expect(await filesOf(doc.id)).toHaveLength(1);
    expect(Buffer.from(await deps.blobs.get(file.sha256)).equals(Buffer.from(bytes))).toBe(true);
    const failed = await lineageOf(file.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, currentFileId: file.id });
    expect(failed.lastError).toMatch(/signing\.tsa_failed/);
    const retryAt = failed.nextAttemptAt?.getTime() ?? 0;
    expect(retryAt - Date.now()).toBeGreaterThan(50 * 60_000);
    const retryJob = await handle.db.selectFrom('job').selectAll().where('type', '=', 'archive.renew').where('dedupeKey', 'like', 'archive.renew:retry:%').executeTakeFirst();
    expect(retryJob?.runAt.getTime()).toBe(retryAt);
    expect(await handle.db.selectFrom('auditLog').select('id').where('type', '=', 'ARCHIVE_RENEWAL_FAILED').where('entityId', '=', doc.id).execute()).toHaveLength(1);

    // before its retry time nothing happens; at the retry time (TSA back) the file is renewed
    expect((await runArchivePass(deps)).items.filter((i) => i.ownerId === doc.id)).toHaveLength(0);
    const retried = await runArchivePass(deps, { now: new Date(retryAt + 1000) });
    expect(retried.items.find((i) => i.ownerId === doc.id)).toMatchObject({ outcome: 'renewed' });
    expect(await filesOf(doc.id)).toHaveLength(2);
    expect(await lineageOf(file.id)).toMatchObject({ status: 'protected', attempts: 0, lastError: null });
  }, 180_000);

  test('a document whose last timestamp was made with a 1024-bit RSA TSA key is renewed even though that certificate is long-lived', async () => {
    const weakTsa = await startExtraTsa(pki, { days: 3000, rsaBits: 1024 });
    servers.push(weakTsa);
    const { doc, file } = await issuedOutgoing(await signedPdf('Quyet dinh 18', weakTsa.url));
    const report = await runArchivePass(deps);
    expect(report.items.find((i) => i.ownerId === doc.id)).toMatchObject({ outcome: 'renewed', detail: expect.stringMatching(/weak-key/) });
    expect(await lineageOf(file.id)).toMatchObject({ status: 'protected', renewals: 1 });
  }, 120_000);

  test('a dry run reports what is due and writes nothing', async () => {
    const { doc } = await issuedOutgoing(await signedPdf('Quyet dinh 17', shortTsa.url));
    const report = await runArchivePass(deps, { dryRun: true });
    expect(report.items.find((i) => i.ownerId === doc.id)).toMatchObject({ outcome: 'due', archiveId: null });
    expect(await filesOf(doc.id)).toHaveLength(1);
    expect(await handle.db.selectFrom('archiveFile').select('id').where('ownerId', '=', doc.id).execute()).toHaveLength(0);
  }, 120_000);
});
