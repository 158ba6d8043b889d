import { mkdir, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDb } from '../../test/db.ts';
import { makeAgency, makeDeps, makeUser } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import type { DatabaseHandle } from '../../platform/db/client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { storeUpload } from '../files/files.service.ts';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';
import { createDraft } from '../outgoing/outgoing.service.ts';
import { uploadVersion } from '../outgoing/outgoing-files.service.ts';
import { submitForReview } from '../outgoing/outgoing-review.service.ts';
import { signApproval } from '../outgoing/outgoing-signing.service.ts';
import { issueOutgoing } from '../outgoing/outgoing-issue.service.ts';
import { buildSampleDraft } from '../outgoing/outgoing.sample.ts';
import { createTestPki, startTestOcsp, startTestTsa, type TestServer } from '../signing/testing/pki.ts';
import { verifyPdf } from '../signing/verify/verify.ts';
import { installVerifyOptions } from '../verification/verification.service.ts';
import { runArchivePass } from './archive.service.ts';

let handle: DatabaseHandle;
let deps: AppDeps;
const servers: TestServer[] = [];

beforeAll(async () => {
  if (!needTool('openssl')) return;
  handle = await createTestDb();
  const pki = await createTestPki();
  servers.push(await startTestOcsp(pki));
  const tsa = await startTestTsa(pki);
  servers.push(tsa);
  // demo mode: the agency's seal and the leader's certificate come from the install's demo CA (CRL answered locally)
  deps = await makeDeps(handle.db, { demo: true, archive: { tsaUrl: tsa.url, marginDays: 365 } });
  await mkdir(path.join(deps.config.dataDir, 'trust'), { recursive: true });
  await copyFile(pki.root.derPath, path.join(deps.config.dataDir, 'trust', 'tsa-root.der'));
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await handle?.close();
});

describe.skipIf(!needTool('openssl'))('a document issued through the outgoing flow', () => {
  test('is found by the archive pass and its sealed PDF and stamped appendix reach B-LTA as new versions', async () => {
    const db = handle.db;
    const agency = await makeAgency(db, { shortName: 'UBND', name: 'Ủy ban nhân dân tỉnh Thử' });
    const other = await makeAgency(db, { shortName: 'SNV', name: 'Sở Nội vụ tỉnh Thử', parentId: agency.id, level: 'department' });
    const staff = await makeUser(db, { agencyId: agency.id, roles: ['staff'] });
    const leader = await makeUser(db, { agencyId: agency.id, roles: ['leader'] });
    const clerk = await makeUser(db, { agencyId: agency.id, roles: ['clerk'] });
    const doc = await createDraft({ db, actor: staff.actor, body: {
      typeCode: 'quyet_dinh', subject: 'Về việc lưu trữ dài hạn', urgency: 'thuong', secrecy: 'thuong', signerId: leader.user.id, signerCompetence: null, signerPosition: 'Chủ tịch',
      recipients: [{ kind: 'agency', agencyId: other.id }], recipientsText: '- Sở Nội vụ;', archiveNote: 'VT', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: null,
    } });
    const draft = (o: { appendix?: boolean } = {}) => buildSampleDraft({ agencyName: o.appendix ? '' : agency.name, notation: o.appendix ? '' : 'QĐ-UBND', typeName: o.appendix ? null : 'Quyết định', subject: o.appendix ? 'Danh sách' : doc.subject, body: ['Điều 1. Lưu trữ.'], recipients: o.appendix ? [] : ['Như trên'], position: o.appendix ? '' : 'Chủ tịch', signerName: o.appendix ? '' : leader.user.fullName, appendix: o.appendix });
    await uploadVersion({ db, deps, actor: staff.actor, id: doc.id, main: await storeUpload(deps, { source: await draft(), fileName: 'du-thao.pdf' }), appendices: [await storeUpload(deps, { source: await draft({ appendix: true }), fileName: 'phu-luc.pdf' })] });
    await submitForReview({ db, actor: staff.actor, id: doc.id, reviewerIds: [] });
    expect(await signApproval({ db, deps, actor: leader.actor, ids: [doc.id], pin: DEMO_SIGNING_PIN })).toEqual([expect.objectContaining({ ok: true })]);
    await issueOutgoing({ db, deps, actor: clerk.actor, id: doc.id });

    const report = await runArchivePass(deps);
    const mine = report.items.filter((i) => i.ownerId === doc.id);
    expect(mine.map((i) => i.outcome)).toEqual(['renewed', 'renewed']);

    const issued = await db.selectFrom('documentFile').selectAll().where('ownerId', '=', doc.id).where('kind', '=', 'signed').where('note', 'like', 'issued%').orderBy('createdAt').execute();
    expect(issued).toHaveLength(4); // the sealed main PDF and the stamped appendix, each kept, each with its renewed version
    const options = await installVerifyOptions(deps);
    for (const renewed of issued.slice(2)) {
      const verified = await verifyPdf(await deps.blobs.get(renewed.sha256), options);
      expect(verified.indication).toBe('TOTAL-PASSED');
      expect(verified.signatures.filter((s) => s.kind === 'signature').map((s) => s.level)).toEqual(verified.signatures.filter((s) => s.kind === 'signature').map(() => 'B-LTA'));
    }
    expect((await runArchivePass(deps)).renewed).toBe(0);
  }, 240_000);
});
