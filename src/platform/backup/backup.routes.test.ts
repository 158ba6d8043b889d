import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';

const t = useTestApp();

describe('the backups page API', () => {
  test('an admin asks for a backup now: one run is queued with its job (asking again returns the same run), and the list shows it', async () => {
    const { client, user } = await signedInClient(t.app, t.db, { roles: ['admin'] });
    const asked = await client.post('/api/admin/backups', {});
    expect(asked.status).toBe(202);
    const run = asked.body.data as { id: string; status: string; trigger: string };
    expect(run).toMatchObject({ status: 'queued', trigger: 'manual' });
    expect((await client.post('/api/admin/backups', {})).body.data).toMatchObject({ id: run.id });
    const jobs = await t.db.selectFrom('job').select('payload').where('type', '=', 'backup.manual').execute();
    expect(jobs.map((j) => j.payload)).toEqual([{ runId: run.id }]);
    expect(await t.db.selectFrom('backupRun').select('requestedBy').where('id', '=', run.id).executeTakeFirst()).toEqual({ requestedBy: user.id });
    const asks = await t.db.selectFrom('auditLog').select(['actorId', 'data']).where('type', '=', 'BACKUP_REQUESTED').execute();
    expect(asks).toEqual([{ actorId: user.id, data: { runId: run.id } }]);
    const list = await client.get('/api/admin/backups');
    expect(list.status).toBe(200);
    expect(list.body.data).toMatchObject({ runs: [{ id: run.id, status: 'queued' }], keep: 7, database: expect.any(String) });
  });

  test('a clerk, a leader or a staff member neither sees the backups nor starts one', async () => {
    for (const role of ['clerk', 'leader', 'staff'] as const) {
      const { client } = await signedInClient(t.app, t.db, { roles: [role] });
      expect((await client.get('/api/admin/backups')).body.error?.code).toBe('forbidden');
      const denied = await client.post('/api/admin/backups', {});
      expect(denied.status).toBe(403);
      expect(await sessionCan(client)).toEqual({ manageBackups: false });
    }
    expect(await t.db.selectFrom('backupRun').select('id').execute()).toHaveLength(1);
  });

  test('the admin of an agency under another one on the same install (a commune under its province) neither sees nor starts the install\'s backups', async () => {
    const province = await makeAgency(t.db);
    const commune = await makeAgency(t.db, { parentId: province.id, level: 'commune' });
    const { client } = await signedInClient(t.app, t.db, { agencyId: commune.id, roles: ['admin'] });
    expect((await client.get('/api/admin/backups')).body.error?.code).toBe('forbidden');
    expect((await client.post('/api/admin/backups', {})).status).toBe(403);
    expect(await t.db.selectFrom('backupRun').select('id').execute()).toHaveLength(1);
    // so the navigation and the home page offer the backups to neither (the session carries the same rule)
    expect(await sessionCan(client)).toEqual({ manageBackups: false });
    const { client: provinceAdmin } = await signedInClient(t.app, t.db, { agencyId: province.id, roles: ['admin'] });
    expect(await sessionCan(provinceAdmin)).toEqual({ manageBackups: true });
    expect((await provinceAdmin.get('/api/admin/backups')).status).toBe(200);
  });
});

/** What the signed-in user's session says they may do beyond their roles (the web app's navigation and home page read it). */
async function sessionCan(client: Awaited<ReturnType<typeof signedInClient>>['client']) {
  return ((await client.get('/api/auth/session')).body.data as { can: unknown }).can;
}
