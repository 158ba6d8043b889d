import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency } from '../../test/factories.ts';
import { signedInClient, testClient } from '../../test/http.ts';

const t = useTestApp();

/** A province with its province admin signed in, and a department made on «Cơ quan» (nobody in it yet). */
async function provinceWithNewDepartment() {
  const province = await makeAgency(t.db, { level: 'province' });
  const department = await makeAgency(t.db, { parentId: province.id, level: 'department', shortName: 'SNV' });
  const provinceAdmin = await signedInClient(t.app, t.db, { agencyId: province.id, roles: ['admin', 'province_admin'] });
  return { province, department, provinceAdmin };
}

const adminBody = (username: string) => ({ username, fullName: 'Phạm Thị Quản', position: 'Chuyên viên Văn phòng', password: 'TamThoi2026' });

describe("a province admin gives a new agency its administrator", () => {
  test('the new admin signs in with the temporary password, must change it, and administers their own agency', async () => {
    const { department, provinceAdmin } = await provinceWithNewDepartment();
    const username = `qt.snv${Date.now()}`;
    const res = await provinceAdmin.client.post(`/api/orgs/agencies/${department.id}/admins`, adminBody(username));
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ username, agencyId: department.id, roles: ['admin'], unitId: null });

    const newcomer = testClient(t.app);
    const login = await newcomer.login(username, 'TamThoi2026');
    expect(login.status).toBe(200);
    expect((login.body.data as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
    expect((await newcomer.post('/api/auth/change-password', { currentPassword: 'TamThoi2026', newPassword: 'SoNoiVu2026' })).status).toBe(200);
    const unit = await newcomer.post('/api/orgs/units', { name: 'Văn phòng Sở' });
    expect(unit.status).toBe(201);
    expect(unit.body.data).toMatchObject({ agencyId: department.id });
  });

  test("an agency's own admin (not a province admin), or a province admin outside the tree, may not (403); an unknown agency is 404", async () => {
    const { department, province } = await provinceWithNewDepartment();
    const agencyAdmin = await signedInClient(t.app, t.db, { agencyId: province.id, roles: ['admin'] });
    expect((await agencyAdmin.client.post(`/api/orgs/agencies/${department.id}/admins`, adminBody(`a${Date.now()}`))).status).toBe(403);
    const otherProvince = await makeAgency(t.db, { level: 'province' });
    const outsider = await signedInClient(t.app, t.db, { agencyId: otherProvince.id, roles: ['admin', 'province_admin'] });
    expect((await outsider.client.post(`/api/orgs/agencies/${department.id}/admins`, adminBody(`b${Date.now()}`))).status).toBe(403);
    const { provinceAdmin } = await provinceWithNewDepartment();
    const unknown = await provinceAdmin.client.post('/api/orgs/agencies/00000000-0000-4000-8000-000000000000/admins', adminBody(`c${Date.now()}`));
    expect(unknown.body.error?.code).toBe('agency.not_found');
  });

  test('the role is always admin: roles sent in the body are refused', async () => {
    const { department, provinceAdmin } = await provinceWithNewDepartment();
    const res = await provinceAdmin.client.post(`/api/orgs/agencies/${department.id}/admins`, { ...adminBody(`d${Date.now()}`), roles: ['leader'] });
    expect(res.status).toBe(400);
  });
});
