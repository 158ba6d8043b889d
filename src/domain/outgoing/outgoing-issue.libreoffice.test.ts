import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { issueTo, makeInstall } from '../exchange/connector/connector.testing.ts';
import { listFiles } from '../files/files.service.ts';
import { congVanWithSignaturePage } from '../incoming/incoming.testing.ts';
import { INCOMING_JOBS, verifyJob } from '../incoming/incoming.jobs.ts';
import type { IncomingVerifyReport } from '../incoming/incoming.verify.ts';
import { checkWithTools } from '../signing/testing/check.ts';

// demo: the install's agencies get the demo certificates (and trust the demo CA) they issue and verify with
const t = useTestApp({ demo: true });
const SIGNER = 'Nguyễn Văn An';

type VerifyReport = { isAllValid: boolean; files: { report: IncomingVerifyReport }[] };

describe.skipIf(!needTool('soffice', 'pdfsig', 'qpdf'))('a multi-page Công văn exported by LibreOffice, approved on its last page and issued', () => {
  for (const pages of [2, 3]) {
    test(`${pages} pages: the recipient's vanthu finds the leader's approval and the agency seal both valid — so do pdfsig and qpdf — though the seal update writes the number and date on page 1 (A4 as LibreOffice writes it, 595.303937007874 × 841.889763779528)`, async () => {
      const sender = await makeInstall(t.db, { deps: t.deps, name: 'Sở Nội vụ tỉnh Thử' });
      await t.db.updateTable('appUser').set({ fullName: SIGNER }).where('id', '=', sender.leader.user.id).execute();
      const recipient = await makeAgency(t.db);
      const draft = await congVanWithSignaturePage({ signerName: SIGNER, pages });
      expect(Buffer.from(draft).toString('latin1').split('/MediaBox[0 0 595.303937007874 841.889763779528]')).toHaveLength(pages + 1);

      const issued = await issueTo(sender, [{ kind: 'agency', agencyId: recipient.id }], 'V/v thử nghiệm liên thông văn bản', draft);
      const worker = startWorker({ deps: t.deps, jobs: INCOMING_JOBS.filter((j) => j.type === verifyJob.type), autoStart: false });
      while ((await worker.runOnce()) > 0);

      const received = await t.db.selectFrom('incomingDocument').select(['verifyStatus', 'verifyReport']).where('agencyId', '=', recipient.id).where('sourceOutgoingId', '=', issued.id).executeTakeFirstOrThrow();
      const report = (typeof received.verifyReport === 'string' ? JSON.parse(received.verifyReport) : received.verifyReport) as VerifyReport;
      const signatures = report.files[0]?.report.report?.signatures ?? [];
      expect(signatures.map((s) => [s.revision, s.indication, s.summary])).toEqual([[1, 'TOTAL-PASSED', expect.stringMatching(/hợp lệ.*B-B/)], [2, 'TOTAL-PASSED', expect.stringMatching(/^Chữ ký của Sở Nội vụ tỉnh Thử .*hợp lệ/)]]);
      expect(report.isAllValid).toBe(true);
      expect(report.files[0]?.report.report?.changes.flatMap((c) => c.findings).join(' ')).not.toMatch(/MediaBox/);

      const file = (await listFiles(t.db, 'outgoing', issued.id)).find((f) => f.kind === 'signed' && f.note === 'issued');
      const tools = checkWithTools(await t.deps.blobs.get(file?.sha256 ?? ''));
      expect(tools.qpdfStatus, tools.qpdfOutput).toBe(0);
      expect(tools.signatures.map((s) => [s.valid, s.total])).toEqual([[true, false], [true, true]]);
    });
  }
});
