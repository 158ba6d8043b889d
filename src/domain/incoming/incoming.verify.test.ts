import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUser } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { storeUpload } from '../files/files.service.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from '../signing/testing/pki.ts';
import { flipSignedByte } from '../signing/verify/verify.tamper.ts';
import { receiveExternalDocument } from './incoming.service.ts';
import { getIncoming } from './incoming-query.service.ts';
import { INCOMING_JOBS } from './incoming.jobs.ts';
import { makeTextPdf } from './incoming.testing.ts';

let pki: TestPki;
let ocsp: TestServer;

describe.skipIf(!needTool('openssl'))('signature verification of received documents', () => {
  const t = useTestApp();
  beforeAll(async () => {
    pki = await createTestPki();
    ocsp = await startTestOcsp(pki);
    // the install's trust store: DATA_DIR/trust
    await mkdir(path.join(t.deps.config.dataDir, 'trust'), { recursive: true });
    await writeFile(path.join(t.deps.config.dataDir, 'trust', 'root.pem'), pki.root.certPem);
  }, 120_000);
  afterAll(async () => {
    await ocsp?.close();
  });

  test('a validly signed document is reported valid; a tampered one fails; both reports are kept with the document', async () => {
    const agency = await makeAgency(t.db);
    const clerk = await makeUser(t.db, { agencyId: agency.id, roles: ['clerk'] });
    const signed = await signPdf(await makeTextPdf(['Công văn đã ký số']), { signer: await createP12Signer(pki.leader.p12, pki.password) });
    const receive = async (bytes: Uint8Array, documentId: string) => {
      const file = await storeUpload(t.deps, { source: bytes, fileName: `${documentId}.pdf` });
      return t.db.transaction().execute((tx) => receiveExternalDocument(tx, {
        recipientAgencyId: agency.id, documentId, sender: { code: '000.00.99.G01', name: 'Bộ Thử nghiệm' },
        metadata: { number: 1, notation: documentId, documentDate: '2026-11-20', typeCode: 'cong_van', subject: 'Thử chữ ký', urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '' },
        files: [{ ...file, kind: 'main' }],
      }));
    };
    const good = await receive(signed, 'good');
    const bad = await receive(flipSignedByte(signed), 'bad');
    const worker = startWorker({ deps: t.deps, jobs: INCOMING_JOBS, autoStart: false });
    while ((await worker.runOnce()) > 0);
    type Report = { isAllValid: boolean; files: { report: { isValid: boolean; report?: { indication: string; signatureCount: number } } }[] };
    const reportOf = async (id: string) => (await getIncoming({ db: t.db, actor: clerk.actor, id })).doc.verifyReport as Report;
    const ok = await reportOf(good.id);
    expect(ok.isAllValid).toBe(true);
    expect(ok.files[0]?.report.report).toMatchObject({ indication: 'TOTAL-PASSED', signatureCount: 1 });
    const ko = await reportOf(bad.id);
    expect(ko.isAllValid).toBe(false);
    expect(ko.files[0]?.report.report?.indication).toBe('TOTAL-FAILED');
  });

  test('the clerk is told which: valid, invalid (changed after signing), not signed, or not yet provable (a CA this install does not trust) — only a failed signature reads as invalid', async () => {
    const agency = await makeAgency(t.db);
    const clerk = await makeUser(t.db, { agencyId: agency.id, roles: ['clerk'] });
    const pdf = await makeTextPdf(['Công văn gửi đến']);
    const signedBy = async (who: TestPki['leader']) => signPdf(pdf, { signer: await createP12Signer(who.p12, pki.password) });
    const receive = async (bytes: Uint8Array, documentId: string) => {
      const file = await storeUpload(t.deps, { source: bytes, fileName: `${documentId}.pdf` });
      return t.db.transaction().execute((tx) => receiveExternalDocument(tx, {
        recipientAgencyId: agency.id, documentId, sender: { code: '000.00.99.G01', name: 'Bộ Thử nghiệm' },
        metadata: { number: 2, notation: documentId, documentDate: '2026-11-20', typeCode: 'cong_van', subject: 'Thử chữ ký', urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '' },
        files: [{ ...file, kind: 'main' }],
      }));
    };
    const docs = {
      valid: await receive(await signedBy(pki.leader), 'verdict-valid'),
      invalid: await receive(flipSignedByte(await signedBy(pki.leader)), 'verdict-invalid'),
      unsigned: await receive(pdf, 'verdict-unsigned'),
      indeterminate: await receive(await signedBy(pki.untrusted), 'verdict-untrusted'),
    };
    const worker = startWorker({ deps: t.deps, jobs: INCOMING_JOBS, autoStart: false });
    while ((await worker.runOnce()) > 0);
    for (const [verdict, doc] of Object.entries(docs)) {
      expect([verdict, (await getIncoming({ db: t.db, actor: clerk.actor, id: doc.id })).doc.verifyVerdict]).toEqual([verdict, verdict]);
    }
  });
});
