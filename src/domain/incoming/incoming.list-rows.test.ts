import { expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { storeUpload } from '../files/files.service.ts';
import { receiveExternalDocument } from './incoming.service.ts';
import { makeTextPdf } from './incoming.testing.ts';

const t = useTestApp();

/** A document received over the exchange whose PDF the verification job has checked: a report of `reportBytes` kept with it. */
async function receivedAndVerified(agencyId: string, reportBytes: number): Promise<string> {
  const file = await storeUpload(t.deps, { source: await makeTextPdf(['Công văn đã ký số']), fileName: 'cong-van.pdf' });
  const doc = await t.db.transaction().execute((tx) => receiveExternalDocument(tx, {
    recipientAgencyId: agencyId, documentId: `list-${crypto.randomUUID()}`, sender: { code: '000.00.99.G01', name: 'Bộ Thử nghiệm' },
    metadata: { number: 7, notation: 'BTN-VP', documentDate: '2026-11-20', typeCode: 'cong_van', subject: 'V/v danh sách nhẹ', urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '' },
    files: [{ ...file, kind: 'main' }],
  }));
  // what the job writes (incoming.jobs.ts): a report per PDF — the signatures, certificates, revocation answers
  const report = { tool: 'verifyPdf', isValid: true, summary: 'x'.repeat(reportBytes) };
  await t.db.updateTable('incomingDocument').set({ verifyStatus: 'done', verifyReport: JSON.stringify({ isAllValid: true, files: [{ fileId: crypto.randomUUID(), fileName: 'cong-van.pdf', report }] }) })
    .where('id', '=', doc.id).execute();
  return doc.id;
}

test('the Văn bản đến list gives each document its signatures\' verdict, not the verification report (kilobytes per signed PDF), which the document\'s page still has', async () => {
  const agency = await makeAgency(t.db);
  const clerk = await signedInClient(t.app, t.db, { agencyId: agency.id, roles: ['clerk'] });
  const id = await receivedAndVerified(agency.id, 8000);
  const list = await clerk.client.get('/api/incoming?box=all');
  const row = (list.body.data as Record<string, unknown>[]).find((d) => d.id === id);
  expect(row).toMatchObject({ verifyStatus: 'done', verifyVerdict: 'valid' });
  expect(row).not.toHaveProperty('verifyReport');
  expect(JSON.stringify(row).length).toBeLessThan(2000);
  const page = await clerk.client.get(`/api/incoming/${id}`);
  expect((page.body.data as { doc: { verifyReport: { files: unknown[] } } }).doc.verifyReport.files).toHaveLength(1);
});
