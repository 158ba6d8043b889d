import { describe, expect, test } from 'vitest';
import type { Role } from '../../policies/actor.ts';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';

const t = useTestApp();

/** An agency whose people, by name alone, would list the deputy before the head and the staff first. */
async function agencyOfFive() {
  const agencyId = (await makeAgency(t.db)).id;
  const people: [string, string, Role[]][] = [
    ['An Văn Chuyên', 'Chuyên viên', ['staff']],
    ['Bùi Thị Phó', 'Phó Chủ tịch', ['leader']],
    ['Cao Văn Chủ', 'Chủ tịch', ['leader']],
    // typed with a combining acute accent (Unikey's «Unicode tổ hợp»): still a deputy
    ['Dương Phó Phòng', 'Pho\u0301 Trưởng phòng Tổng hợp', ['unit_head']],
    ['Đinh Trưởng Phòng', 'Trưởng phòng Tổng hợp', ['unit_head']],
  ];
  for (const [fullName, position, roles] of people) {
    const { user } = await makeUser(t.db, { agencyId, roles });
    await t.db.updateTable('appUser').set({ fullName, position }).where('id', '=', user.id).execute();
  }
  return agencyId;
}

const HIERARCHY = ['Cao Văn Chủ', 'Bùi Thị Phó', 'Đinh Trưởng Phòng', 'Dương Phó Phòng', 'An Văn Chuyên'];

describe('people are offered in the order of their agency: the head, the deputies, the units\' heads and deputies, then the others', () => {
  test('the directory of the outgoing forms (người duyệt, người ký) lists the Chủ tịch before the Phó Chủ tịch', async () => {
    const agencyId = await agencyOfFive();
    const { client } = await signedInClient(t.app, t.db, { agencyId, roles: ['staff'] });
    const res = await client.get('/api/users?limit=500');
    expect(res.status).toBe(200);
    const names = (res.body.data as { fullName: string }[]).map((u) => u.fullName).filter((n) => HIERARCHY.includes(n));
    expect(names).toEqual(HIERARCHY);
  });

  test('the incoming directory (Trình lãnh đạo, bút phê, phân công) follows the same order', async () => {
    const agencyId = await agencyOfFive();
    const { client } = await signedInClient(t.app, t.db, { agencyId, roles: ['clerk'] });
    const res = await client.get('/api/incoming/directory');
    expect(res.status).toBe(200);
    const names = (res.body.data as { users: { fullName: string }[] }).users.map((u) => u.fullName).filter((n) => HIERARCHY.includes(n));
    expect(names).toEqual(HIERARCHY);
  });
});

/**
 * A unit whose people, by name in code-point order, would list «Vũ Thị Lan» before «Đỗ Văn Hùng» and the
 * lowercase and decomposed names last; created and renamed through the API, as an admin does.
 */
async function unitOfNine() {
  const agencyId = (await makeAgency(t.db)).id;
  const unitId = (await makeUnit(t.db, agencyId, 'Phòng Tổng hợp')).id;
  const admin = await signedInClient(t.app, t.db, { agencyId, roles: ['admin'] });
  const people: [string, Role[]][] = [
    ['Vũ Thị Lan', ['staff']], ['Đỗ Văn Hùng', ['staff']], ['Dương Văn Hùng', ['staff']], ['Đặng Thị Ánh', ['staff']],
    ['Vương Văn Toàn', ['unit_head']], ['trần thị ân', ['staff']], ['Ngô Văn Ưng', ['staff']], ['Hà Thị Út', ['staff']],
    ['Bu\u0300i Thi\u0323 Yê\u0301n', ['staff']], // typed with combining marks (Unikey's «Unicode tổ hợp»)
    ['Lê Văn Bình', ['staff']], // renamed below: its place follows the new name
  ];
  const ids: string[] = [];
  for (const [i, [fullName, roles]] of people.entries()) {
    const res = await admin.client.post('/api/users', { username: `p${i}${Date.now()}`, fullName, unitId, roles, password: 'BanDau2026' });
    expect(res.status).toBe(201);
    ids.push((res.body.data as { id: string }).id);
  }
  expect((await admin.client.patch(`/api/users/${ids.at(-1)}`, { fullName: 'Lê Văn Anh' })).status).toBe(200);
  return { agencyId, unitId, admin };
}

// the unit's head first, then by tên (Anh, Ánh, ân, Hùng ×2, Lan, Út, Ưng, Yến), and by họ for the same tên (Dương before Đỗ)
const UNIT_IN_ORDER = ['Vương Văn Toàn', 'Lê Văn Anh', 'Đặng Thị Ánh', 'trần thị ân', 'Dương Văn Hùng', 'Đỗ Văn Hùng', 'Vũ Thị Lan', 'Hà Thị Út', 'Ngô Văn Ưng', 'Bùi Thị Yến'];
const names = (rows: { fullName: string }[]) => rows.map((u) => u.fullName.normalize('NFC')).filter((n) => UNIT_IN_ORDER.includes(n));

describe('a unit\'s people are listed head first, then in Vietnamese order: by tên, then họ and tên đệm', () => {
  test('the users page lists the unit in that order, and its pages follow on from each other', async () => {
    const { unitId, admin } = await unitOfNine();
    const res = await admin.client.get(`/api/users?unitId=${unitId}&limit=500`);
    expect(res.status).toBe(200);
    expect(names(res.body.data as { fullName: string }[])).toEqual(UNIT_IN_ORDER);
    const pages: string[] = [];
    for (let offset = 0; offset < UNIT_IN_ORDER.length; offset += 3) {
      pages.push(...names((await admin.client.get(`/api/users?unitId=${unitId}&limit=3&offset=${offset}`)).body.data as { fullName: string }[]));
    }
    expect(pages).toEqual(UNIT_IN_ORDER);
  });

  test('the bút phê / phân công picker offers the unit\'s people in the same order', async () => {
    const { agencyId } = await unitOfNine();
    const { client } = await signedInClient(t.app, t.db, { agencyId, roles: ['leader'] });
    const res = await client.get('/api/incoming/directory');
    expect(res.status).toBe(200);
    expect(names((res.body.data as { users: { fullName: string }[] }).users)).toEqual(UNIT_IN_ORDER);
  });

  test('a staff member cannot list the people of another agency', async () => {
    const { unitId } = await unitOfNine();
    const { client } = await signedInClient(t.app, t.db, { roles: ['staff'] });
    const res = await client.get(`/api/users?unitId=${unitId}&limit=500`);
    expect(names((res.body.data as { fullName: string }[] | undefined) ?? [])).toEqual([]);
  });
});
