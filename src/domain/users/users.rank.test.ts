import { describe, expect, test } from 'vitest';
import type { Role } from '../../policies/actor.ts';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUser } from '../../test/factories.ts';
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
