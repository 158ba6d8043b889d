import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { makeAgency } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import type { TVerifyReport } from '../signing/verify/verify.types.ts';
import { makeTextPdf, receivePdf, useInstallWithTestPki } from '../incoming/incoming.testing.ts';

describe.skipIf(!needTool('openssl'))('the signature panel after the trust store changes', () => {
  const s = useInstallWithTestPki();
  const t = s.t;

  test('a report read before a root is added or removed is not shown after it — whether this server or another one changed the store', async () => {
    const agency = await makeAgency(t.db);
    const clerk = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['clerk'] });
    const bytes = await signPdf(await makeTextPdf(['Quyết định ký bởi CA chưa tin cậy']), { signer: await createP12Signer(s.pki.leader.p12, s.pki.password) });
    const doc = await receivePdf(t.deps, { agencyId: agency.id, documentId: 'panel-1', bytes });
    const file = await t.db.selectFrom('documentFile').select('id').where('ownerId', '=', doc.id).executeTakeFirstOrThrow();
    const panel = async () => {
      const res = await clerk.client.get(`/api/verification/documents/incoming/${doc.id}/files/${file.id}`);
      expect(res.status).toBe(200);
      const report = res.body.data as TVerifyReport;
      return [report.indication, report.subIndication];
    };
    expect(await panel()).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    // the panel names the root to add, from the report's data (its SHA-256 too: the signature carries it)
    const first = (await clerk.client.get(`/api/verification/documents/incoming/${doc.id}/files/${file.id}`)).body.data as TVerifyReport;
    expect(first.signatures[0]?.missingIssuer).toMatchObject({ reason: 'untrusted-root', commonName: 'Vanthu Test Root CA', organisation: 'Ban Thử Nghiệm', caIssuers: [] });

    const province = await signedInClient(t.app, t.db, { roles: ['province_admin'] });
    const added = await province.client.post('/api/verification/trust', s.pki.root.certPem, { 'content-type': 'application/x-pem-file' });
    expect(added.status).toBe(201);
    expect(await panel()).toEqual(['TOTAL-PASSED', undefined]);

    // another server of the install (same DATA_DIR) takes the root out: this one's cache is not told
    const [entry] = added.body.data as { fileName: string }[];
    await rm(path.join(t.deps.config.dataDir, 'trust', entry?.fileName ?? ''));
    expect(await panel()).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);

    expect((await province.client.post('/api/verification/trust', s.pki.root.certPem, { 'content-type': 'application/x-pem-file' })).status).toBe(201);
    expect(await panel()).toEqual(['TOTAL-PASSED', undefined]);
    expect((await province.client.delete(`/api/verification/trust/${entry?.fileName}`)).status).toBe(200);
    expect(await panel()).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
  });
});
