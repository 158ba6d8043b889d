import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeAgency, makeUser } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import { timestampFromUrl } from '../signing/signing.tsa.ts';
import { startTestTsa, type TestServer } from '../signing/testing/pki.ts';
import { flipSignedByte } from '../signing/verify/verify.tamper.ts';
import { getIncoming } from './incoming-query.service.ts';
import { sweepSignaturesAfterTrustChange } from './incoming-recheck.service.ts';
import { MAX_BACKFILL_SCOPE } from '../search/search-backfill.ts';
import { makeTextPdf, receivePdf, runVerifyJobs, useInstallWithTestPki } from './incoming.testing.ts';

describe.skipIf(!needTool('openssl'))('the check after a trust change takes only the documents whose outcome rests on trust', () => {
  const s = useInstallWithTestPki();
  const t = s.t;
  let tsa: TestServer;
  beforeAll(async () => { tsa = await startTestTsa(s.pki); });
  afterAll(async () => { await tsa?.close(); });

  test('a root added re-checks the «chưa xác định» documents, not a tampered or an unsigned one; taken out, it re-checks those it proved, not one of another hierarchy', async () => {
    const agency = await makeAgency(t.db);
    const clerk = await makeUser(t.db, { agencyId: agency.id, roles: ['clerk'] });
    const sign = async (text: string, who: 'leader' | 'untrusted') =>
      signPdf(await makeTextPdf([text]), { signer: await createP12Signer(s.pki[who].p12, s.pki.password) });
    const docs = {
      unknownIssuer: await receivePdf(t.deps, { agencyId: agency.id, documentId: 'sweep-unknown', bytes: await sign('Công văn ký bởi CA chưa tin cậy', 'leader') }),
      otherHierarchy: await receivePdf(t.deps, { agencyId: agency.id, documentId: 'sweep-other', bytes: await sign('Công văn của hệ thống CA khác', 'untrusted') }),
      tampered: await receivePdf(t.deps, { agencyId: agency.id, documentId: 'sweep-tampered', bytes: flipSignedByte(await sign('Công văn bị sửa sau khi ký', 'leader')) }),
      unsigned: await receivePdf(t.deps, { agencyId: agency.id, documentId: 'sweep-unsigned', bytes: await makeTextPdf(['Công văn không ký số']) }),
    };
    type Name = keyof typeof docs;
    const names = Object.keys(docs) as Name[];
    const verdicts = async () => Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await getIncoming({ db: t.db, actor: clerk.actor, id: docs[n].id })).doc.verifyVerdict])));
    /** How many times each document's signatures were checked (its INCOMING_VERIFIED audit rows). */
    const checks = async () => Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await t.db.selectFrom('auditLog').select('id')
      .where('type', '=', 'INCOMING_VERIFIED').where('entityId', '=', docs[n].id).execute()).length])));

    await runVerifyJobs(t.deps);
    expect(await verdicts()).toEqual({ unknownIssuer: 'indeterminate', otherHierarchy: 'indeterminate', tampered: 'invalid', unsigned: 'unsigned' });
    expect(await checks()).toEqual({ unknownIssuer: 1, otherHierarchy: 1, tampered: 1, unsigned: 1 });

    const province = await signedInClient(t.app, t.db, { roles: ['province_admin'] });
    const added = await province.client.post('/api/verification/trust', s.pki.root.certPem, { 'content-type': 'application/x-pem-file' });
    expect(added.status).toBe(201);
    await runVerifyJobs(t.deps);
    // which root can prove an unknown issuer is only known by checking: both «chưa xác định» ones are
    expect(await checks()).toEqual({ unknownIssuer: 2, otherHierarchy: 2, tampered: 1, unsigned: 1 });
    expect(await verdicts()).toEqual({ unknownIssuer: 'valid', otherHierarchy: 'indeterminate', tampered: 'invalid', unsigned: 'unsigned' });

    const [entry] = added.body.data as { fileName: string }[];
    expect((await province.client.delete(`/api/verification/trust/${entry?.fileName}`)).status).toBe(200);
    await runVerifyJobs(t.deps);
    expect(await checks()).toEqual({ unknownIssuer: 3, otherHierarchy: 2, tampered: 1, unsigned: 1 });
    expect(await verdicts()).toEqual({ unknownIssuer: 'indeterminate', otherHierarchy: 'indeterminate', tampered: 'invalid', unsigned: 'unsigned' });
  });

  test('a root taken out re-checks a timestamped document only when its TSA\'s path held that root; a report made before the TSA\'s path was kept is re-checked whatever root goes', async () => {
    const agency = await makeAgency(t.db);
    const clerk = await makeUser(t.db, { agencyId: agency.id, roles: ['clerk'] });
    // the TSA's path is the test PKI's: Vanthu Test Root CA
    const sign = async (text: string, who: 'leader' | 'untrusted') => signPdf(await makeTextPdf([text]),
      { signer: await createP12Signer(s.pki[who].p12, s.pki.password), level: 'B-T', timestamp: timestampFromUrl(tsa.url) });
    const docs = {
      stampedHere: await receivePdf(t.deps, { agencyId: agency.id, documentId: 'tsa-here', bytes: await sign('Công văn ký và đóng dấu thời gian cùng hệ thống CA', 'leader') }),
      stampedElsewhere: await receivePdf(t.deps, { agencyId: agency.id, documentId: 'tsa-elsewhere', bytes: await sign('Công văn của hệ thống CA khác, dấu thời gian của hệ thống này', 'untrusted') }),
    };
    type Name = keyof typeof docs;
    const names = Object.keys(docs) as Name[];
    const checks = async () => Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await t.db.selectFrom('auditLog').select('id')
      .where('type', '=', 'INCOMING_VERIFIED').where('entityId', '=', docs[n].id).execute()).length])));
    const province = await signedInClient(t.app, t.db, { roles: ['province_admin'] });
    const trust = async (pem: string) => {
      const res = await province.client.post('/api/verification/trust', pem, { 'content-type': 'application/x-pem-file' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return (res.body.data as { fileName: string }[])[0]?.fileName;
    };
    const ours = await trust(s.pki.root.certPem);
    const theirs = await trust(s.pki.untrustedRoot.certPem);
    await runVerifyJobs(t.deps);
    const before = await checks();
    const verdict = async (n: Name) => (await getIncoming({ db: t.db, actor: clerk.actor, id: docs[n].id })).doc.verifyVerdict;
    expect(await verdict('stampedHere')).toBe('valid');

    // the other hierarchy's root goes: only the document signed under it is checked again, not the one whose timestamp is proven by ours
    expect((await province.client.delete(`/api/verification/trust/${theirs}`)).status).toBe(200);
    await runVerifyJobs(t.deps);
    expect(await checks()).toEqual({ stampedHere: before.stampedHere, stampedElsewhere: before.stampedElsewhere + 1 });

    // ours goes: both — the second one because its timestamp's TSA path held it (its signer's path does not)
    expect((await province.client.delete(`/api/verification/trust/${ours}`)).status).toBe(200);
    await runVerifyJobs(t.deps);
    expect(await checks()).toEqual({ stampedHere: before.stampedHere + 1, stampedElsewhere: before.stampedElsewhere + 2 });

    // a report kept before the TSA's path was (no timestamps[].chain): any root taken out may have proven it
    await trust(s.pki.root.certPem);
    await runVerifyJobs(t.deps);
    await t.db.updateTable('incomingDocument').where('id', '=', docs.stampedHere.id)
      .set({ verifyReport: sql`verify_report #- '{files,0,report,report,signatures,0,timestamps,0,chain}'` }).execute();
    expect((await province.client.post('/api/verification/trust', s.pki.untrustedRoot.certPem, { 'content-type': 'application/x-pem-file' })).status).toBe(201);
    await runVerifyJobs(t.deps);
    const afterAdd = await checks();
    expect((await province.client.delete(`/api/verification/trust/${theirs}`)).status).toBe(200);
    await runVerifyJobs(t.deps);
    expect((await checks()).stampedHere).toBe(afterAdd.stampedHere + 1);
  });

  test('a trust file of more certificates than a sweep step carries is still swept: every document with a signature not failed on its own is checked again', async () => {
    const certs = Array.from({ length: MAX_BACKFILL_SCOPE + 1 }, (_, i) => i.toString(16).padStart(64, '0'));
    await t.db.transaction().execute((tx) => sweepSignaturesAfterTrustChange(tx, { kind: 'removed', certs }));
    const [step] = await t.db.selectFrom('job').select('payload').where('type', '=', 'incoming.verify_sweep_all').orderBy('id', 'desc').limit(1).execute();
    expect(step?.payload).toMatchObject({ waits: 0 });
    expect(step?.payload).not.toHaveProperty('scope');
  });
});
