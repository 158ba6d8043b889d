import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { signedInClient } from '../../test/http.ts';
import type { TArchiveStatus } from './archive-status.service.ts';

const t = useTestApp();

/** A tracked file of the given agency in the given state (the pass's own rows, as it writes them). */
async function trackedFile(agencyId: string, userId: string, values: { status: string; protectedUntil?: Date; renewDueAt?: Date; lastError?: string; nextAttemptAt?: Date }, secrecy: 'thuong' | 'mat' = 'thuong') {
  const doc = await t.db.insertInto('outgoingDocument').values({ agencyId, createdBy: userId, typeCode: 'QD', subject: 'Quyết định', status: 'issued', number: 7, notation: 'QĐ-UBND', secrecy }).returningAll().executeTakeFirstOrThrow();
  const blob = await t.deps.blobs.put(new TextEncoder().encode(`%PDF-1.7 ${doc.id}`));
  await t.db.insertInto('blob').values({ ...blob, contentType: 'application/pdf' }).onConflict((oc) => oc.doNothing()).execute();
  const file = await t.db.insertInto('documentFile').values({ agencyId, ownerType: 'outgoing', ownerId: doc.id, kind: 'signed', version: 1, fileName: '7_QD.pdf', contentType: 'application/pdf', size: blob.size, sha256: blob.sha256, note: 'issued' }).returningAll().executeTakeFirstOrThrow();
  await t.db.insertInto('archiveFile').values({ agencyId, ownerType: 'outgoing', ownerId: doc.id, originFileId: file.id, currentFileId: file.id, versionFileIds: [file.id], ...values }).execute();
}

describe('the archive renewal status', () => {
  test('needs a session', async () => {
    expect((await t.app.request('/api/archive/status')).status).toBe(401);
  });

  test('staff, clerks and leaders may not see it', async () => {
    for (const role of ['staff', 'clerk', 'leader'] as const) {
      const { client } = await signedInClient(t.app, t.db, { roles: [role] });
      const res = await client.get('/api/archive/status');
      expect(res.status).toBe(403);
      expect(res.body.error?.code).toBe('forbidden');
    }
  });

  test("an agency admin sees her agency's counts, next renewal and failures, not another agency's", async () => {
    const admin = await signedInClient(t.app, t.db, { roles: ['admin'] });
    const other = await signedInClient(t.app, t.db, { roles: ['archivist'] });
    const until = new Date('2028-12-06T00:00:00Z');
    await trackedFile(admin.actor.agencyId, admin.actor.id, { status: 'protected', protectedUntil: until, renewDueAt: new Date('2027-12-06T00:00:00Z') });
    await trackedFile(admin.actor.agencyId, admin.actor.id, { status: 'failed', lastError: 'signing.tsa_failed: TSA từ chối', nextAttemptAt: new Date('2026-12-06T06:00:00Z') });
    await trackedFile(other.actor.agencyId, other.actor.id, { status: 'protected', protectedUntil: until });

    const mine = (await admin.client.get('/api/archive/status')).body.data as TArchiveStatus;
    expect(mine).toMatchObject({ scope: 'agency', tsaConfigured: false, marginDays: 365, counts: { protected: 1, failed: 1, pending: 0, skipped: 0 } });
    expect(new Date(mine.protectedUntil.earliest ?? 0).toISOString()).toBe(until.toISOString());
    expect(mine.nextRenewals[0]).toMatchObject({ label: '07/QĐ-UBND — Quyết định', fileName: '7_QD.pdf' });
    expect(mine.failures[0]?.lastError).toMatch(/tsa_failed/);

    // a Mật document is listed by its number only (below 10 with its leading 0, as the document prints it)
    await trackedFile(admin.actor.agencyId, admin.actor.id, { status: 'failed', lastError: 'signing.tsa_failed', nextAttemptAt: new Date('2026-12-06T05:00:00Z') }, 'mat');
    const withSecret = (await admin.client.get('/api/archive/status')).body.data as TArchiveStatus;
    expect(withSecret.failures[0]?.label).toBe('07/QĐ-UBND — Văn bản mật');

    const theirs = (await other.client.get('/api/archive/status')).body.data as TArchiveStatus;
    expect(theirs.counts).toMatchObject({ protected: 1, failed: 0 });
    expect(theirs.failures).toHaveLength(0);
  });

  test('the province admin sees the whole install and may start a pass; an agency admin may not', async () => {
    const province = await signedInClient(t.app, t.db, { roles: ['province_admin'] });
    const all = (await province.client.get('/api/archive/status')).body.data as TArchiveStatus;
    expect(all.scope).toBe('install');
    expect(all.counts.protected).toBeGreaterThanOrEqual(2);

    const admin = await signedInClient(t.app, t.db, { roles: ['admin'] });
    const denied = await admin.client.post('/api/archive/renew');
    expect(denied.status).toBe(403);
    expect(denied.body.error?.code).toBe('forbidden');

    const queued = await province.client.post('/api/archive/renew');
    expect(queued.status).toBe(202);
    const jobs = await t.db.selectFrom('job').select('dedupeKey').where('type', '=', 'archive.renew').where('dedupeKey', 'like', 'archive.renew:manual:%').execute();
    expect(jobs).toHaveLength(1);
    const audited = await t.db.selectFrom('auditLog').select('actorId').where('type', '=', 'ARCHIVE_PASS_RUN').execute();
    expect(audited.map((a) => a.actorId)).toContain(province.actor.id);
  });
});
