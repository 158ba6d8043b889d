import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { signedInClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { OUTGOING_JOBS } from './outgoing.jobs.ts';
import { draftOverHttp as draft, issueOverHttp as issue, makeAgencyWithOffice, type Client } from './outgoing.testing.ts';

const t = useTestApp({ demo: true });

const found = async (c: Client, q: string) =>
  ((await c.get(`/api/outgoing?box=all&search=${encodeURIComponent(q)}&limit=20`)).body.data as { id: string }[]).map((d) => d.id);
const runJobs = async () => {
  const worker = startWorker({ deps: t.deps, jobs: OUTGOING_JOBS, autoStart: false });
  while ((await worker.runOnce()) > 0);
};

// The demo's sample draft prints this paragraph under the trích yếu (outgoing.routes.ts, sample-file).
const BODY = 'do hệ thống tạo để thử nghiệm';

describe.skipIf(!needTool('pdftotext'))('the content of issued outgoing documents is searchable', () => {
  test('an issued document is found by a phrase of its body, with or without diacritics, once its text is read; a document of another agency, which the user may not see, is not', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await draft(w, { subject: 'V/v tổ chức hội nghị tổng kết năm' });
    const elsewhere = await makeAgencyWithOffice(t.app, t.db);
    const theirs = await draft(elsewhere, { subject: 'V/v tổ chức hội nghị tổng kết năm' });
    for (const [world, doc] of [[w, id], [elsewhere, theirs]] as const) await issue(world, doc);
    expect(await found(w.clerk.client, BODY)).toEqual([]);

    await runJobs();
    for (const q of [BODY, 'do he thong tao de thu nghiem', 'NGHỊ ĐỊNH VĂN THƯ']) expect(await found(w.clerk.client, q), q).toEqual([id]);
    expect(await found(elsewhere.clerk.client, 'he thong tao de thu nghiem')).toEqual([theirs]);
    // the text re-indexed with it does not lose the trích yếu and số/ký hiệu
    expect(await found(w.clerk.client, 'tong ket 01/UBND-VP')).toEqual([id]);
  });
});
