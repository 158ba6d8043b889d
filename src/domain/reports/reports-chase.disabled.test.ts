import { describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { makeUser } from '../../test/factories.ts';
import { chaseOverdue } from './reports-chase.service.ts';
import { makeReportAgency, makeReportIncoming } from './reports.testing.ts';

const t = useTestDb();
const TODAY = '2026-11-20';

describe('chasing an overdue document whose person in charge has a disabled account', () => {
  test('the heads of their unit are chased instead, and the disabled account gets no notice', async () => {
    const a = await makeReportAgency(t.db);
    const gone = (await makeUser(t.db, { agencyId: a.agencyId, unitId: a.economy, roles: ['staff'], fullName: 'Ngô Đã Nghỉ' })).actor;
    const id = await makeReportIncoming(t.db, { agencyId: a.agencyId, by: a.leader, arrivalNumber: 301, status: 'in_progress', arrivedAt: '2026-11-02T02:00:00Z', deadline: '2026-11-12', lead: { userId: gone.id } });
    await t.db.updateTable('appUser').set({ isActive: false }).where('id', '=', gone.id).execute();

    const sent = await chaseOverdue({ db: t.db, actor: a.leader, body: { incomingId: id, note: '' }, today: TODAY });

    expect(sent).toEqual({ notified: [a.head.fullName], daysOverdue: 8 });
    const notices = await t.db.selectFrom('incomingNotice').select('userId').where('incomingId', '=', id).execute();
    expect(notices.map((n) => n.userId)).toEqual([a.head.id]);
  });

  test('while the account is active, the person in charge is chased, not the unit\'s head', async () => {
    const a = await makeReportAgency(t.db);
    const id = await makeReportIncoming(t.db, { agencyId: a.agencyId, by: a.leader, arrivalNumber: 302, status: 'in_progress', arrivedAt: '2026-11-02T02:00:00Z', deadline: '2026-11-12', lead: { userId: a.staff.id } });
    const sent = await chaseOverdue({ db: t.db, actor: a.leader, body: { incomingId: id, note: '' }, today: TODAY });
    expect(sent.notified).toEqual([a.staff.fullName]);
  });
});
