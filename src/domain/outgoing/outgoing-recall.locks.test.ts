import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUser } from '../../test/factories.ts';
import { loggedInClient } from '../../test/http.ts';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';
import { outgoingRepo } from './outgoing.repository.ts';
import { applyRecipientStatus } from './outgoing.service.ts';

const t = useTestApp({ demo: true });

const login = (u: { user: { username: string } }) => loggedInClient(t.app, u.user.username);

// Two transactions at once need PostgreSQL: the embedded PGlite has one connection and runs them in turn.
describe.skipIf(!process.env.TEST_DATABASE_URL)('a recall while a recipient\'s status is being recorded (PostgreSQL)', () => {
  test('waits for the status, then asks: no deadlock, and the status that arrived meanwhile is kept beside the 13', async () => {
    const agency = await makeAgency(t.db, { shortName: 'UBND' });
    const [staff, leader, clerk] = await Promise.all([
      makeUser(t.db, { agencyId: agency.id, roles: ['staff'] }), makeUser(t.db, { agencyId: agency.id, roles: ['leader'] }),
      makeUser(t.db, { agencyId: agency.id, roles: ['clerk'] }),
    ]);
    const [s, l, k] = [await login(staff), await login(leader), await login(clerk)];
    const id = ((await s.post('/api/outgoing', { typeCode: 'cong_van', subject: 'V/v văn bản sẽ thu hồi', signerId: leader.user.id, signerPosition: 'Giám đốc',
      recipients: [{ kind: 'external', agencyCode: '000.00.88.G02', name: 'Cơ quan ngoài' }] })).body.data as { id: string }).id;
    await s.post(`/api/outgoing/${id}/sample-file`, {});
    await s.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] });
    await l.post('/api/outgoing/sign', { ids: [id], pin: DEMO_SIGNING_PIN });
    expect((await k.post(`/api/outgoing/${id}/issue`, {})).body.data).toMatchObject({ status: 'issued' });

    // The connector's order: the recipient row locked first, then the status recorded (which appends to the audit chain).
    let recall: Promise<Awaited<ReturnType<typeof k.post>>> | undefined;
    await t.db.transaction().execute(async (tx) => {
      const [recipient] = await outgoingRepo.listRecipientsForUpdate(tx, id);
      recall = k.post(`/api/outgoing/${id}/recall`, { reason: 'Ban hành sai thẩm quyền' });
      await new Promise((resolve) => setTimeout(resolve, 500)); // the recall reaches its locks meanwhile
      await applyRecipientStatus(tx, recipient!, { code: '01', at: new Date(), description: 'Đã đến' });
    });
    const answered = await recall!;
    expect([answered.status, answered.body.data]).toEqual([200, expect.objectContaining({ status: 'recalled' })]);
    const [recipient] = await outgoingRepo.listRecipients(t.db, id);
    expect(recipient).toMatchObject({ statusCode: '01', recallCode: '13' });
  });
});
