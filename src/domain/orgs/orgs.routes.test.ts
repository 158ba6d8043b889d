import { describe, expect, test } from 'vitest';
import ExcelJS from 'exceljs';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser, nextAgencyCode } from '../../test/factories.ts';
import { signedInClient, testClient } from '../../test/http.ts';
import type { Role } from '../../policies/actor.ts';

const t = useTestApp();

const signedIn = (roles: Role[], agencyId?: string) => signedInClient(t.app, t.db, { roles, agencyId });

describe('agencies', () => {
  test('a province admin creates a commune under the province; a duplicate code is a clear 409', async () => {
    const { client, actor } = await signedIn(['province_admin', 'admin']);
    const body = { parentId: actor.agencyId, code: nextAgencyCode(), name: 'Ủy ban nhân dân xã Thử', shortName: 'UBND', level: 'commune' };
    const created = await client.post('/api/orgs/agencies', body);
    expect(created.status).toBe(201);
    const again = await client.post('/api/orgs/agencies', { ...body, name: 'Khác' });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('agency.code_taken');
    const list = await client.get('/api/orgs/agencies');
    expect((list.body.data as { code: string }[]).map((a) => a.code)).toContain(body.code);
  });

  test('an agency code in the wrong shape is refused with the field named', async () => {
    const { client, actor } = await signedIn(['province_admin']);
    const res = await client.post('/api/orgs/agencies', { parentId: actor.agencyId, code: 'H99', name: 'Sai mã', shortName: 'X', level: 'other' });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('request.invalid');
    expect(JSON.stringify(res.body.error?.details)).toContain('code');
  });

  test('an agency admin without the province role cannot create agencies', async () => {
    const { client, actor } = await signedIn(['admin']);
    const res = await client.post('/api/orgs/agencies', { parentId: actor.agencyId, code: nextAgencyCode(), name: 'Không được', shortName: 'X', level: 'other' });
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe('forbidden');
  });

  test("another agency's details are not found, not forbidden (no existence leak)", async () => {
    const other = await makeAgency(t.db);
    const { client } = await signedIn(['admin']);
    expect((await client.get(`/api/orgs/agencies/${other.id}`)).status).toBe(404);
  });
});

describe('the cơ quan chủ quản printed above an agency\'s name (ND 30 Phụ lục I, ô 2)', () => {
  const registerText = async (agencyId: string) => {
    const { client } = await signedIn(['clerk'], agencyId);
    const res = await t.app.request(`/api/outgoing/register?format=xlsx`, { headers: { cookie: client.cookie } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const cells: string[] = [];
    for (const ws of wb.worksheets) ws.eachRow((row) => cells.push(...(row.values as unknown[]).slice(1).map(String)));
    return cells.join('\n').toLocaleUpperCase('vi');
  };

  test('a Sở created under the province prints the province\'s Ủy ban above it; a commune\'s Ủy ban prints none; its register follows', async () => {
    const { client, actor } = await signedIn(['province_admin', 'admin']);
    const province = await t.db.selectFrom('agency').select('name').where('id', '=', actor.agencyId).executeTakeFirstOrThrow();
    const department = await client.post('/api/orgs/agencies', { parentId: actor.agencyId, code: nextAgencyCode(), name: 'Sở Tài chính tỉnh Thử', shortName: 'STC', level: 'department' });
    const commune = await client.post('/api/orgs/agencies', { parentId: actor.agencyId, code: nextAgencyCode(), name: 'Ủy ban nhân dân xã Thử', shortName: 'UBND', level: 'commune' });
    expect(department.body.data).toMatchObject({ governingName: province.name });
    expect(commune.body.data).toMatchObject({ governingName: null });

    const ids = { department: (department.body.data as { id: string }).id, commune: (commune.body.data as { id: string }).id };
    expect(await registerText(ids.department)).toContain(province.name.toLocaleUpperCase('vi'));
    const communeRegister = await registerText(ids.commune);
    expect(communeRegister).toContain('ỦY BAN NHÂN DÂN XÃ THỬ');
    expect(communeRegister).not.toContain(province.name.toLocaleUpperCase('vi'));
  });

  test('the admin gives or clears it on the agency\'s form; a name given on creation is kept', async () => {
    const { client, actor } = await signedIn(['province_admin', 'admin']);
    const created = await client.post('/api/orgs/agencies', { parentId: actor.agencyId, code: nextAgencyCode(), name: 'Trường Tiểu học Thử', shortName: 'THT', level: 'other', governingName: 'Ủy ban nhân dân xã Thử' });
    const id = (created.body.data as { id: string }).id;
    expect(created.body.data).toMatchObject({ governingName: 'Ủy ban nhân dân xã Thử' });
    expect((await client.patch(`/api/orgs/agencies/${id}`, { governingName: '  ' })).body.data).toMatchObject({ governingName: null });
    expect((await client.patch(`/api/orgs/agencies/${id}`, { governingName: 'Phòng Văn hóa - Xã hội' })).body.data).toMatchObject({ governingName: 'Phòng Văn hóa - Xã hội' });
  });

  test('an admin of another agency cannot change it', async () => {
    const other = await makeAgency(t.db, { name: 'Sở Xây dựng tỉnh Khác' });
    const { client } = await signedIn(['admin']);
    const res = await client.patch(`/api/orgs/agencies/${other.id}`, { governingName: 'Không được' });
    expect(res.status).toBe(403);
    expect((await t.db.selectFrom('agency').select('governingName').where('id', '=', other.id).executeTakeFirstOrThrow()).governingName).toBeNull();
  });
});

describe('units', () => {
  test('an admin creates, renames and deletes a unit; a unit with members cannot be deleted', async () => {
    const { client, actor } = await signedIn(['admin']);
    const created = await client.post('/api/orgs/units', { name: 'Phòng Pháp chế', shortName: 'PC' });
    expect(created.status).toBe(201);
    const id = (created.body.data as { id: string }).id;
    expect((await client.post('/api/orgs/units', { name: 'phòng pháp chế' })).body.error?.code).toBe('unit.name_taken');
    expect((await client.patch(`/api/orgs/units/${id}`, { name: 'Phòng Tư pháp' })).status).toBe(200);
    await makeUser(t.db, { agencyId: actor.agencyId, unitId: id });
    expect((await client.delete(`/api/orgs/units/${id}`)).body.error?.code).toBe('unit.not_empty');
    const empty = await client.post('/api/orgs/units', { name: 'Tổ tạm' });
    expect((await client.delete(`/api/orgs/units/${(empty.body.data as { id: string }).id}`)).status).toBe(200);
  });

  test('staff may list units but not create them', async () => {
    const { client } = await signedIn(['staff']);
    expect((await client.get('/api/orgs/units')).status).toBe(200);
    expect((await client.post('/api/orgs/units', { name: 'X' })).status).toBe(403);
  });

  test("an admin cannot touch another agency's unit", async () => {
    const other = await makeAgency(t.db);
    const unit = await makeUnit(t.db, other.id);
    const { client } = await signedIn(['admin']);
    expect((await client.patch(`/api/orgs/units/${unit.id}`, { name: 'Chiếm' })).status).toBe(404);
    expect((await client.delete(`/api/orgs/units/${unit.id}`)).status).toBe(404);
  });
});

describe('the recipient directory', () => {
  test('any signed-in user finds the other agencies of the install by name or code, but not their own', async () => {
    const parent = await makeAgency(t.db, { name: 'Ủy ban nhân dân tỉnh Danh Bạ' });
    const child = await makeAgency(t.db, { parentId: parent.id, name: 'Sở Tư pháp tỉnh Danh Bạ', level: 'department' });
    const { client } = await signedIn(['staff'], parent.id);
    const found = (await client.get(`/api/orgs/directory?search=${encodeURIComponent('Danh Bạ')}`)).body.data as { code: string; isOnInstall: boolean }[];
    expect(found.map((a) => a.code)).toEqual([child.code]);
    expect(found[0]?.isOnInstall).toBe(true);
    expect((await testClientFor().get('/api/orgs/directory')).status).toBe(401);
  });
});

const testClientFor = () => testClient(t.app);
