import { describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUser } from '../../test/factories.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { certificatesRepo } from './certificates.repository.ts';
import { expiryNoticeJob, sendExpiryNotices } from './certificates.expiry.ts';

// The daily check runs with a "now" passed in: 08:00 in Vietnam of the day given. Every certificate here
// ends on 01/07/2027 (23:59:59 Vietnam time).
const t = useTestApp();
const ENDS = new Date('2027-07-01T16:59:59Z');
const on = (day: string) => new Date(`${day}T01:00:00Z`);
const run = (day: string) => t.db.transaction().execute((tx) => sendExpiryNotices(tx, { now: on(day), publicUrl: 'https://vanthu.example' }));

/** An agency with an admin (with a mail address), a staff member and a leader; another agency's admin. */
async function agencies() {
  const agency = await makeAgency(t.db, { name: 'Ủy ban nhân dân xã Thử' });
  const admin = await makeUser(t.db, { agencyId: agency.id, roles: ['admin'], email: `quantri-${agency.id}@xa-thu.example` });
  const staff = await makeUser(t.db, { agencyId: agency.id, roles: ['staff'] });
  const leader = await makeUser(t.db, { agencyId: agency.id, roles: ['leader'], fullName: 'Nguyễn Văn An' });
  const other = await makeAgency(t.db);
  const otherAdmin = await makeUser(t.db, { agencyId: other.id, roles: ['admin'] });
  return { agency, admin, staff, leader, otherAdmin };
}

/** Registers an active certificate (only the columns the check reads matter), ending on ENDS unless told. */
const register = (o: { agencyId: string; purpose: 'seal' | 'personal'; userId?: string; subject: string; notAfter?: Date }) =>
  certificatesRepo.insert(t.db, {
    agencyId: o.agencyId, purpose: o.purpose, userId: o.userId ?? null, subject: o.subject, serialHex: '01',
    notBefore: new Date('2025-07-01T00:00:00Z'), notAfter: o.notAfter ?? ENDS, certDer: Buffer.from([0x30, 0x00]),
  });

const noticesOf = (userId: string) =>
  t.db.selectFrom('incomingNotice').select(['kind', 'message']).where('userId', '=', userId).orderBy('id').execute();

describe('the daily expiry check of the agency seal', () => {
  test("tells the agency's admins at 30, 14, 7 and 1 day(s) before the end and once it has expired — each once, with a mail", async () => {
    const { agency, admin } = await agencies();
    await register({ agencyId: agency.id, purpose: 'seal', subject: 'CN=Ủy ban nhân dân xã Thử, O=UBND, C=VN' });
    // 40 days before: nothing yet; each threshold's day twice; 20 days before: between thresholds; after the end twice.
    for (const day of ['2027-05-22', '2027-06-01', '2027-06-01', '2027-06-11', '2027-06-17', '2027-06-17', '2027-06-26', '2027-06-30', '2027-07-02', '2027-07-20']) await run(day);
    const messages = (await noticesOf(admin.user.id)).map((n) => n.message);
    expect(messages).toEqual([
      expect.stringContaining('«Ủy ban nhân dân xã Thử» hết hạn ngày 01/07/2027 (còn 30 ngày)'),
      expect.stringContaining('(còn 14 ngày)'),
      // first seen 5 days before: the 7-day notice, once
      expect.stringContaining('(còn 5 ngày)'),
      expect.stringContaining('(còn 1 ngày)'),
      expect.stringContaining('đã hết hạn ngày 01/07/2027'),
    ]);
    expect(messages[0]).toContain('hãy đăng ký chứng thư số mới tại Quản trị cơ quan › Chứng thư số');
    expect((await noticesOf(admin.user.id)).every((n) => n.kind === 'seal_expiring')).toBe(true);
    const mails = await t.db.selectFrom('job').select('payload').where('type', '=', 'mail.send')
      .where(sql<boolean>`payload->>'to' = ${`quantri-${agency.id}@xa-thu.example`}`).execute();
    expect(mails).toHaveLength(5);
    expect(mails[0]?.payload).toMatchObject({ subject: 'Chứng thư số của cơ quan sắp hết hạn', text: expect.stringContaining('https://vanthu.example/admin/certificates') });
  });

  test("a second run the same day sends nothing again; nobody else is told: not the agency's staff nor leader, not another agency's admin", async () => {
    const { agency, admin, staff, leader, otherAdmin } = await agencies();
    await register({ agencyId: agency.id, purpose: 'seal', subject: 'CN=Ủy ban nhân dân xã Thử, O=UBND, C=VN' });
    await run('2027-06-24');
    await run('2027-06-24');
    expect(await noticesOf(admin.user.id)).toEqual([{ kind: 'seal_expiring', message: expect.stringContaining('(còn 7 ngày)') }]);
    for (const u of [staff, leader, otherAdmin]) expect(await noticesOf(u.user.id)).toEqual([]);
  });

  test("a disabled admin's account is not told: the agency's active admin is, alone", async () => {
    const { agency, admin } = await agencies();
    const disabled = await makeUser(t.db, { agencyId: agency.id, roles: ['admin'] });
    await t.db.updateTable('appUser').set({ isActive: false }).where('id', '=', disabled.user.id).execute();
    await register({ agencyId: agency.id, purpose: 'seal', subject: 'CN=Ủy ban nhân dân xã Thử, O=UBND, C=VN' });
    await run('2027-06-24');
    expect(await noticesOf(admin.user.id)).toEqual([{ kind: 'seal_expiring', message: expect.stringContaining('(còn 7 ngày)') }]);
    expect(await noticesOf(disabled.user.id)).toEqual([]);
  });

  test('a replaced seal (no longer active) and one ending in more than 30 days are not told about', async () => {
    const { agency, admin } = await agencies();
    const old = await register({ agencyId: agency.id, purpose: 'seal', subject: 'CN=Ủy ban nhân dân xã Thử (cũ)' });
    await t.db.updateTable('signingCertificate').set({ isActive: false }).where('id', '=', old.id).execute();
    await register({ agencyId: agency.id, purpose: 'seal', subject: 'CN=Ủy ban nhân dân xã Thử', notAfter: new Date('2029-07-01T16:59:59Z') });
    await run('2027-06-30');
    expect(await noticesOf(admin.user.id)).toEqual([]);
  });
});

describe("the daily expiry check of a leader's personal certificate", () => {
  test("tells the leader and the agency's admins, who register its successor — each once, with what to do; nobody else", async () => {
    const { agency, admin, staff, leader, otherAdmin } = await agencies();
    await t.db.updateTable('appUser').set({ email: `an-${agency.id}@xa-thu.example` }).where('id', '=', leader.user.id).execute();
    await register({ agencyId: agency.id, purpose: 'personal', userId: leader.user.id, subject: 'CN=Nguyễn Văn An, O=UBND, C=VN' });
    await run('2027-06-17');
    await run('2027-06-17');
    expect(await noticesOf(leader.user.id)).toEqual([{
      kind: 'certificate_expiring',
      message: 'Chứng thư số ký duyệt của bạn «Nguyễn Văn An» hết hạn ngày 01/07/2027 (còn 14 ngày). Liên hệ quản trị để đăng ký chứng thư mới trước ngày đó.',
    }]);
    expect(await noticesOf(admin.user.id)).toEqual([{
      kind: 'certificate_expiring',
      message: 'Chứng thư số ký duyệt «Nguyễn Văn An» của Nguyễn Văn An hết hạn ngày 01/07/2027 (còn 14 ngày). Hãy đăng ký chứng thư số mới cho người ký trước ngày đó tại Quản trị cơ quan › Chứng thư số.',
    }]);
    for (const u of [staff, otherAdmin]) expect(await noticesOf(u.user.id)).toEqual([]);
    const mailTo = (to: string) => t.db.selectFrom('job').select('payload').where('type', '=', 'mail.send').where(sql<boolean>`payload->>'to' = ${to}`).execute();
    expect(await mailTo(`an-${agency.id}@xa-thu.example`)).toEqual([{ payload: expect.objectContaining({ subject: 'Chứng thư số của bạn sắp hết hạn' }) }]);
    expect(await mailTo(`quantri-${agency.id}@xa-thu.example`)).toEqual([{
      payload: expect.objectContaining({ subject: 'Chứng thư số ký duyệt sắp hết hạn', text: expect.stringContaining('https://vanthu.example/admin/certificates') }),
    }]);
  });

  test('an admin who holds the personal certificate is told once, as its holder', async () => {
    const { agency, admin } = await agencies();
    await register({ agencyId: agency.id, purpose: 'personal', userId: admin.user.id, subject: 'CN=Trần Quản Trị, O=UBND, C=VN' });
    await run('2027-06-30');
    expect(await noticesOf(admin.user.id)).toEqual([{ kind: 'certificate_expiring', message: expect.stringMatching(/^Chứng thư số ký duyệt của bạn «Trần Quản Trị»/) }]);
  });
});

describe('the daily expiry check while the agency has no admin', () => {
  test('a seal reaching a threshold with nobody to tell is not marked told: it is told once an admin is there, and once only', async () => {
    const agency = await makeAgency(t.db);
    const staff = await makeUser(t.db, { agencyId: agency.id, roles: ['staff'] });
    const cert = await register({ agencyId: agency.id, purpose: 'seal', subject: 'CN=Ủy ban nhân dân xã Vắng' });
    expect(await run('2027-06-17')).toBe(0);
    expect((await t.db.selectFrom('signingCertificate').select('expiryNotifiedDays').where('id', '=', cert.id).executeTakeFirstOrThrow()).expiryNotifiedDays).toBeNull();
    expect(await noticesOf(staff.user.id)).toEqual([]);
    const admin = await makeUser(t.db, { agencyId: agency.id, roles: ['admin'] });
    expect(await run('2027-06-18')).toBe(1);
    await run('2027-06-18');
    expect(await noticesOf(admin.user.id)).toEqual([{ kind: 'seal_expiring', message: expect.stringContaining('(còn 13 ngày)') }]);
  });

  test("a leader's personal certificate is still told to the leader, and that threshold is not told again", async () => {
    const agency = await makeAgency(t.db);
    const leader = await makeUser(t.db, { agencyId: agency.id, roles: ['leader'] });
    await register({ agencyId: agency.id, purpose: 'personal', userId: leader.user.id, subject: 'CN=Lê Thị Bình' });
    expect(await run('2027-06-17')).toBe(1);
    await makeUser(t.db, { agencyId: agency.id, roles: ['admin'] });
    expect(await run('2027-06-18')).toBe(0);
    expect(await noticesOf(leader.user.id)).toEqual([{ kind: 'certificate_expiring', message: expect.stringContaining('(còn 14 ngày)') }]);
  });
});

describe('the expiry check job', () => {
  test('runs the check and schedules its next run for the next 07:00 in Vietnam', async () => {
    const worker = startWorker({ deps: t.deps, jobs: [expiryNoticeJob], autoStart: false });
    await t.db.insertInto('job').values({ type: 'certificates.expiry_notice', payload: '{}', runAt: new Date(), dedupeKey: 'certificates.expiry_notice:test' })
      .onConflict((oc) => oc.column('dedupeKey').doNothing()).execute();
    expect(await worker.runOnce()).toBeGreaterThan(0);
    const next = await t.db.selectFrom('job').select(['runAt', 'doneAt']).where('type', '=', 'certificates.expiry_notice').where('doneAt', 'is', null).execute();
    expect(next).toHaveLength(1);
    expect(new Date(next[0]!.runAt).getUTCHours()).toBe(0);
    expect(new Date(next[0]!.runAt).getTime()).toBeGreaterThan(Date.now());
    await worker.stop();
  });
});
