import { expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import type { Actor, Role } from '../../policies/actor.ts';
import { seedDemo } from '../orgs/demo.ts';
import { listPlan } from './records-plan.service.ts';
import { listRecordsFiles } from './records.service.ts';

const t = useTestDb();

const demoActor = async (username: string): Promise<Actor> => {
  const u = await t.db.selectFrom('appUser').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
  return { id: u.id, agencyId: u.agencyId, unitId: u.unitId, username, fullName: u.fullName, roles: u.roles as Role[] };
};

test("the demo province comes with this year's file plan and a file each staff member has opened", async () => {
  expect(await seedDemo(t.db)).toBe(true);
  const plan = await listPlan({ db: t.db, actor: await demoActor('vanthu') });
  expect(plan.entries.map((e) => e.notation)).toEqual(['01.TH', '02.TH', '03.TH', '01.VP', '02.VP']);
  expect(plan.totals).toEqual({ all: 5, permanent: 1, term: 4 });
  const mine = await listRecordsFiles({ db: t.db, actor: await demoActor('chuyenvien'), query: { scope: 'mine' } });
  expect(mine.map((f) => [f.notation, f.status, f.unitName])).toEqual([['02.TH', 'open', 'Phòng Tổng hợp']]);
  expect(await listRecordsFiles({ db: t.db, actor: await demoActor('snv.chuyenvien'), query: { scope: 'agency' } })).toEqual([]);
});
