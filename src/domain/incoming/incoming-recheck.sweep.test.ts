import { describe, expect, test } from 'vitest';
import { makeAgency, makeUser } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import { flipSignedByte } from '../signing/verify/verify.tamper.ts';
import { getIncoming } from './incoming-query.service.ts';
import { sweepSignaturesAfterTrustChange } from './incoming-recheck.service.ts';
import { MAX_BACKFILL_SCOPE } from '../search/search-backfill.ts';
import { makeTextPdf, receivePdf, runVerifyJobs, useInstallWithTestPki } from './incoming.testing.ts';

describe.skipIf(!needTool('openssl'))('the check after a trust change takes only the documents whose outcome rests on trust', () => {
  const s = useInstallWithTestPki();
  const t = s.t;

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

  test('a trust file of more certificates than a sweep step carries is still swept: every document with a signature not failed on its own is checked again', async () => {
    const certs = Array.from({ length: MAX_BACKFILL_SCOPE + 1 }, (_, i) => i.toString(16).padStart(64, '0'));
    await t.db.transaction().execute((tx) => sweepSignaturesAfterTrustChange(tx, { kind: 'removed', certs }));
    const [step] = await t.db.selectFrom('job').select('payload').where('type', '=', 'incoming.verify_sweep_all').orderBy('id', 'desc').limit(1).execute();
    expect(step?.payload).toMatchObject({ waits: 0 });
    expect(step?.payload).not.toHaveProperty('scope');
  });
});
