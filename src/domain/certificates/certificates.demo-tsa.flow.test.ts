import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDb } from '../../test/db.ts';
import { makeAgency, makeDeps, makeUser } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import type { DatabaseHandle } from '../../platform/db/client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { createApp } from '../../platform/http/app.ts';
import { storeUpload } from '../files/files.service.ts';
import { DEMO_SIGNING_PIN } from './certificates.service.ts';
import { installTsaUrl, issueTimestampProvider } from './certificates.tsa.ts';
import { createDraft } from '../outgoing/outgoing.service.ts';
import { uploadVersion } from '../outgoing/outgoing-files.service.ts';
import { submitForReview } from '../outgoing/outgoing-review.service.ts';
import { signApproval } from '../outgoing/outgoing-signing.service.ts';
import { issueOutgoing } from '../outgoing/outgoing-issue.service.ts';
import { buildSampleDraft } from '../outgoing/outgoing.sample.ts';
import { verifyPdf } from '../signing/verify/verify.ts';
import { installVerifyOptions } from '../verification/verification.service.ts';
import { getArchiveStatus } from '../archive/archive-status.service.ts';
import { runArchivePass } from '../archive/archive.service.ts';

let handle: DatabaseHandle;
let deps: AppDeps;

beforeAll(async () => {
  if (!needTool('openssl')) return;
  handle = await createTestDb();
  // demo mode as `npm start` gives it on a fresh machine: no VANTHU_TSA_URL
  deps = await makeDeps(handle.db, { demo: true, archive: { tsaUrl: undefined, marginDays: 365 } });
}, 60_000);
afterAll(async () => {
  await handle?.close();
});

describe.skipIf(!needTool('openssl'))('demo mode without VANTHU_TSA_URL: the install\'s own timestamp authority', () => {
  test('an issued document\'s seal signature is B-T with a valid demo timestamp, and the archive pass renews it to B-LTA', async () => {
    const db = handle.db;
    const agency = await makeAgency(db, { shortName: 'UBND', name: 'Ủy ban nhân dân xã Thử' });
    const other = await makeAgency(db, { shortName: 'SNV', name: 'Sở Nội vụ tỉnh Thử', parentId: agency.id, level: 'department' });
    const staff = await makeUser(db, { agencyId: agency.id, roles: ['staff'] });
    const leader = await makeUser(db, { agencyId: agency.id, roles: ['leader'] });
    const clerk = await makeUser(db, { agencyId: agency.id, roles: ['clerk'] });
    const admin = await makeUser(db, { agencyId: agency.id, roles: ['admin'] });
    const doc = await createDraft({ db, actor: staff.actor, body: {
      typeCode: 'quyet_dinh', subject: 'Về việc dấu thời gian thử nghiệm', urgency: 'thuong', secrecy: 'thuong', signerId: leader.user.id, signerCompetence: null, signerPosition: 'Chủ tịch',
      recipients: [{ kind: 'agency', agencyId: other.id }], recipientsText: '- Sở Nội vụ;', archiveNote: 'VT', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: null,
    } });
    const draft = await buildSampleDraft({ agencyName: agency.name, notation: 'QĐ-UBND', typeName: 'Quyết định', subject: doc.subject, body: ['Điều 1. Thử.'], recipients: ['Như trên'], position: 'Chủ tịch', signerName: leader.user.fullName });
    await uploadVersion({ db, deps, actor: staff.actor, id: doc.id, main: await storeUpload(deps, { source: draft, fileName: 'du-thao.pdf' }), appendices: [] });
    await submitForReview({ db, actor: staff.actor, id: doc.id, reviewerIds: [] });
    expect(await signApproval({ db, deps, actor: leader.actor, ids: [doc.id], pin: DEMO_SIGNING_PIN })).toEqual([expect.objectContaining({ ok: true })]);
    await issueOutgoing({ db, deps, actor: clerk.actor, id: doc.id });

    const options = await installVerifyOptions(deps);
    const issuedFile = await db.selectFrom('documentFile').selectAll().where('ownerId', '=', doc.id).where('note', '=', 'issued').executeTakeFirstOrThrow();
    const issued = await verifyPdf(await deps.blobs.get(issuedFile.sha256), options);
    expect(issued.indication).toBe('TOTAL-PASSED');
    const seal = issued.signatures.at(-1);
    expect(seal?.level).toBe('B-T');
    expect(seal?.timestamps.map((t) => [t.indication, t.tsa?.subject])).toEqual([['TOTAL-PASSED', expect.stringContaining('vanthu Demo TSA')]]);

    expect(await getArchiveStatus(deps, admin.actor)).toMatchObject({ tsaConfigured: true });
    const report = await runArchivePass(deps);
    expect(report.items.filter((i) => i.ownerId === doc.id).map((i) => i.outcome)).toEqual(['renewed']);
    const renewedFile = await db.selectFrom('documentFile').selectAll().where('ownerId', '=', doc.id).where('note', '=', 'issued').orderBy('createdAt', 'desc').executeTakeFirstOrThrow();
    const renewed = await verifyPdf(await deps.blobs.get(renewedFile.sha256), options);
    expect(renewed.indication).toBe('TOTAL-PASSED');
    expect(renewed.signatures.filter((s) => s.kind === 'signature').map((s) => s.level)).toEqual(['B-LTA', 'B-LTA']);
    expect(renewed.signatures.at(-1)).toMatchObject({ kind: 'document-timestamp', indication: 'TOTAL-PASSED' });
  }, 240_000);

  test('POST /demo-pki/tsa answers openssl, and openssl ts -verify accepts the token with /demo-pki/ca.crt', async () => {
    const app = createApp(deps);
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-demo-tsa-http-'));
    const file = (n: string) => path.join(dir, n);
    writeFileSync(file('data.txt'), 'Biên bản bàn giao');
    writeFileSync(file('ca.pem'), await (await app.request('/demo-pki/ca.crt')).text());
    execFileSync('openssl', ['ts', '-query', '-data', file('data.txt'), '-sha256', '-cert', '-out', file('req.tsq')]);
    const res = await app.request('/demo-pki/tsa', { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: readFileSync(file('req.tsq')) });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/timestamp-reply']);
    writeFileSync(file('resp.tsr'), new Uint8Array(await res.arrayBuffer()));
    const out = execFileSync('openssl', ['ts', '-verify', '-in', file('resp.tsr'), '-queryfile', file('req.tsq'), '-CAfile', file('ca.pem')], { stdio: 'pipe' }).toString();
    expect(out).toContain('Verification: OK');

    const garbage = await app.request('/demo-pki/tsa', { method: 'POST', body: 'xin chào' });
    expect(garbage.status).toBe(200);
    writeFileSync(file('rejected.tsr'), new Uint8Array(await garbage.arrayBuffer()));
    expect(execFileSync('openssl', ['ts', '-reply', '-in', file('rejected.tsr'), '-text']).toString()).toMatch(/Status: Rejected[\s\S]*Failure info: the data submitted has the wrong format/);
    expect((await app.request('/demo-pki/tsa', { method: 'POST', body: new Uint8Array(64 * 1024) })).status).toBe(413);
  }, 60_000);

  test('production (no demo) has no demo TSA: no route, no timestamps at issue until VANTHU_TSA_URL is set, then issuing and the archive use it', async () => {
    const production = await makeDeps(handle.db);
    expect([installTsaUrl(production.config), issueTimestampProvider(production.config)]).toEqual([undefined, undefined]);
    expect((await createApp(production).request('/demo-pki/tsa', { method: 'POST', body: new Uint8Array(8) })).status).not.toBe(200);
    const configured = { ...deps.config, archive: { tsaUrl: 'https://tsa.example.vn/tsr', marginDays: 365 } };
    expect(installTsaUrl(configured)).toBe('https://tsa.example.vn/tsr');
    expect(issueTimestampProvider(configured)).toBeTypeOf('function');
  });
});
