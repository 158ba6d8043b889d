import { describe, expect, test } from 'vitest';
import type { Role } from '../../policies/actor.ts';
import { useTestDb } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { findUsersByIds, listAgencyUsers, listUnitHeads, listUnitMembers, listUsersWithRole } from './users.directory.ts';

const t = useTestDb();

async function person(agencyId: string, fullName: string, roles: Role[], o: { unitId?: string; position?: string; isActive?: boolean } = {}) {
  const { user } = await makeUser(t.db, { agencyId, fullName, roles, unitId: o.unitId, position: o.position });
  if (o.isActive === false) await t.db.updateTable('appUser').set({ isActive: false }).where('id', '=', user.id).execute();
  return user;
}

const names = (users: readonly { fullName: string }[]) => users.map((u) => u.fullName);

describe('the users directory', () => {
  test('only the active users of that agency holding that role are listed', async () => {
    const agencyId = (await makeAgency(t.db)).id;
    const otherAgencyId = (await makeAgency(t.db)).id;
    await person(agencyId, 'Lê Văn Thư', ['clerk']);
    await person(agencyId, 'Mai Thị Kép', ['staff', 'clerk']);
    await person(agencyId, 'Ngô Đã Nghỉ', ['clerk'], { isActive: false });
    await person(agencyId, 'Phan Chuyên Viên', ['staff']);
    await person(otherAgencyId, 'Quách Cơ Quan Khác', ['clerk']);
    // a temporary sign-in lock (too many wrong passwords) does not take the work away
    const locked = await person(agencyId, 'Hồ Tạm Khóa', ['clerk']);
    await t.db.updateTable('appUser').set({ lockedUntil: new Date(Date.now() + 3_600_000) }).where('id', '=', locked.id).execute();

    // by the given name (tên): Kép, Khóa, Thư
    expect(names(await listUsersWithRole(t.db, agencyId, 'clerk'))).toEqual(['Mai Thị Kép', 'Hồ Tạm Khóa', 'Lê Văn Thư']);
    expect(await listUsersWithRole(t.db, agencyId, 'archivist')).toEqual([]);
  });

  test('a person comes with what callers name, address and tell them by, and never a secret', async () => {
    const agencyId = (await makeAgency(t.db)).id;
    const unit = await makeUnit(t.db, agencyId, 'Phòng Tổng hợp');
    const clerk = await person(agencyId, 'Lê Văn Thư', ['clerk'], { unitId: unit.id, position: 'Văn thư' });
    const [found] = await listUsersWithRole(t.db, agencyId, 'clerk');
    expect(found).toEqual({
      id: clerk.id, agencyId, unitId: unit.id, unitName: 'Phòng Tổng hợp', username: clerk.username, fullName: 'Lê Văn Thư',
      position: 'Văn thư', email: clerk.email, roles: ['clerk'], isActive: true,
    });
  });

  test('the unit heads of the given units are listed, active ones only, heads of other units not', async () => {
    const agencyId = (await makeAgency(t.db)).id;
    const [a, b, c] = [await makeUnit(t.db, agencyId), await makeUnit(t.db, agencyId), await makeUnit(t.db, agencyId)];
    await person(agencyId, 'Trần Trưởng A', ['unit_head'], { unitId: a.id });
    await person(agencyId, 'Vũ Trưởng B', ['unit_head', 'staff'], { unitId: b.id });
    await person(agencyId, 'Đỗ Nghỉ Việc', ['unit_head'], { unitId: a.id, isActive: false });
    await person(agencyId, 'Bùi Chuyên Viên A', ['staff'], { unitId: a.id });
    await person(agencyId, 'Cao Trưởng C', ['unit_head'], { unitId: c.id });

    const heads = await listUnitHeads(t.db, [a.id, b.id]);
    expect(names(heads)).toEqual(['Trần Trưởng A', 'Vũ Trưởng B']);
    expect(heads.map((h) => h.unitId)).toEqual([a.id, b.id]);
  });

  test('the members of the given units are listed whatever their role, active ones only', async () => {
    const agencyId = (await makeAgency(t.db)).id;
    const [a, b] = [await makeUnit(t.db, agencyId), await makeUnit(t.db, agencyId)];
    await person(agencyId, 'Trần Trưởng A', ['unit_head'], { unitId: a.id, position: 'Trưởng phòng' });
    await person(agencyId, 'Bùi Chuyên Viên', ['staff'], { unitId: a.id });
    await person(agencyId, 'Đỗ Nghỉ Việc', ['staff'], { unitId: a.id, isActive: false });
    await person(agencyId, 'Vũ Phòng Khác', ['staff'], { unitId: b.id });
    await person(agencyId, 'Lê Không Phòng', ['staff']);
    expect(names(await listUnitMembers(t.db, [a.id]))).toEqual(['Trần Trưởng A', 'Bùi Chuyên Viên']);
    expect(await listUnitMembers(t.db, [])).toEqual([]);
  });

  test('the users of an agency include disabled accounts, marked so, and no one of another agency', async () => {
    const agencyId = (await makeAgency(t.db)).id;
    await person(agencyId, 'Bạch Văn Chủ', ['leader'], { position: 'Chủ tịch' });
    await person(agencyId, 'Ngô Đã Nghỉ', ['staff'], { isActive: false });
    await person(agencyId, 'Lê Còn Làm', ['staff']);
    await person((await makeAgency(t.db)).id, 'Quách Cơ Quan Khác', ['staff']);
    expect((await listAgencyUsers(t.db, agencyId)).map((u) => [u.fullName, u.isActive])).toEqual([['Bạch Văn Chủ', true], ['Lê Còn Làm', true], ['Ngô Đã Nghỉ', false]]);
  });

  test('an empty id list gives an empty result, without a query error', async () => {
    expect(await listUnitHeads(t.db, [])).toEqual([]);
    expect(await findUsersByIds(t.db, [])).toEqual([]);
  });

  test('users by id include a disabled account, marked so, since a document still names who drafted or signed it', async () => {
    const agencyId = (await makeAgency(t.db)).id;
    const gone = await person(agencyId, 'Ngô Đã Nghỉ', ['leader'], { isActive: false });
    const here = await person(agencyId, 'Lê Còn Làm', ['staff']);
    const found = await findUsersByIds(t.db, [gone.id, here.id, gone.id]);
    expect(found.map((u) => [u.fullName, u.isActive])).toEqual([['Ngô Đã Nghỉ', false], ['Lê Còn Làm', true]]);
    expect(await findUsersByIds(t.db, ['00000000-0000-0000-0000-000000000001'])).toEqual([]);
  });

  test('lists follow the agency\'s order: the head, the deputy, the units\' heads, then the others by Vietnamese name', async () => {
    const agencyId = (await makeAgency(t.db)).id;
    const unit = await makeUnit(t.db, agencyId);
    // by code point «Vũ» would come before «Đỗ» and «An» first; here the staff come last, by given name (Hùng, Lan)
    const people = [
      await person(agencyId, 'Vũ Thị Lan', ['staff', 'clerk'], { unitId: unit.id }),
      await person(agencyId, 'An Văn Phó', ['leader', 'clerk'], { position: 'Phó Chủ tịch' }),
      await person(agencyId, 'Đỗ Văn Hùng', ['staff', 'clerk'], { unitId: unit.id }),
      await person(agencyId, 'Yên Văn Trưởng', ['unit_head', 'clerk'], { unitId: unit.id, position: 'Trưởng phòng' }),
      await person(agencyId, 'Bạch Văn Chủ', ['leader', 'clerk'], { position: 'Chủ tịch' }),
      await person(agencyId, 'Ân Phó Phòng', ['unit_head', 'clerk'], { unitId: unit.id, position: 'Phó Trưởng phòng' }),
    ];
    const inOrder = ['Bạch Văn Chủ', 'An Văn Phó', 'Yên Văn Trưởng', 'Ân Phó Phòng', 'Đỗ Văn Hùng', 'Vũ Thị Lan'];
    expect(names(await listUsersWithRole(t.db, agencyId, 'clerk'))).toEqual(inOrder);
    expect(names(await findUsersByIds(t.db, people.map((p) => p.id)))).toEqual(inOrder);
    expect(names(await listUnitHeads(t.db, [unit.id]))).toEqual(['Yên Văn Trưởng', 'Ân Phó Phòng']);
  });
});
