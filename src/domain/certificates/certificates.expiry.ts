import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { defineJob, enqueue, enqueueMany, type JobDefinition } from '../../platform/jobs/jobs.ts';
import { nextReminderAt, vietnamDay } from '../../platform/dates.ts';
import { can } from '../../policies/index.ts';
import type { Role } from '../../policies/actor.ts';
import { formatVnDate } from '../signing/appearance/appearance.time.ts';
import { noticeMails, notify } from '../notices/notices.service.ts';
import { listUsersWithRole } from '../users/users.directory.ts';
import { certificatesRepo } from './certificates.repository.ts';
import { commonNameOf } from './certificates.names.ts';
import { daysUntilExpiry } from './certificates.service.ts';

/** Days before a certificate's end at which it is told about, farthest first. */
export const EXPIRY_NOTICE_DAYS = [30, 14, 7, 1] as const;
export const SEAL_EXPIRING_NOTICE_KIND = 'seal_expiring';
export const CERTIFICATE_EXPIRING_NOTICE_KIND = 'certificate_expiring';

/** The nearest threshold a certificate with `daysLeft` has reached (0: it has expired), or null when none yet. */
export const expiryThreshold = (daysLeft: number): number | null => (daysLeft < 0 ? 0 : EXPIRY_NOTICE_DAYS.findLast((d) => daysLeft <= d) ?? null);

const whenText = (notAfter: Date, daysLeft: number) =>
  daysLeft < 0 ? `đã hết hạn ngày ${formatVnDate(notAfter)}` : `hết hạn ngày ${formatVnDate(notAfter)} (${daysLeft === 0 ? 'hôm nay là ngày cuối' : `còn ${daysLeft} ngày`})`;

/** Who is told of a certificate that reached a threshold, what, and the mail's subject and link. */
type Telling = { users: readonly { id: string; fullName: string; email: string | null }[]; message: string; subject: string; url: string | false };
type ExpiringCertificate = Awaited<ReturnType<typeof certificatesRepo.activeEndingBefore>>[number];

/**
 * The tellings of a certificate at a threshold: the seal to the agency's admins (rule certificate.manage); a
 * personal certificate to its holder and to those admins, who register its successor (an admin holding it is
 * told once, as its holder).
 */
async function tellingsOf(tx: Db, cert: ExpiringCertificate, o: { daysLeft: number; publicUrl: string }): Promise<Telling[]> {
  const name = commonNameOf(cert.subject) || cert.subject;
  const when = whenText(cert.notAfter, o.daysLeft);
  const admins = (await listUsersWithRole(tx, cert.agencyId, 'admin')).filter((u) => can({ ...u, roles: u.roles as Role[] }, 'certificate.manage', { agencyId: cert.agencyId }));
  const adminsUrl = `${o.publicUrl}/admin/certificates`;
  if (cert.purpose === 'seal') {
    const message = `Chứng thư số của cơ quan «${name}» ${when}. Khi hết hạn, cơ quan không phát hành được văn bản: hãy đăng ký chứng thư số mới tại Quản trị cơ quan › Chứng thư số.`;
    return [{ users: admins, message, subject: 'Chứng thư số của cơ quan sắp hết hạn', url: adminsUrl }];
  }
  const holder = cert.holderId ? [{ id: cert.holderId, fullName: cert.holderFullName ?? '', email: cert.holderEmail ?? null }] : [];
  const before = o.daysLeft < 0 ? '' : ' trước ngày đó';
  return [
    { users: holder, message: `Chứng thư số ký duyệt của bạn «${name}» ${when}. Liên hệ quản trị để đăng ký chứng thư mới${before}.`, subject: 'Chứng thư số của bạn sắp hết hạn', url: false },
    {
      users: admins.filter((a) => a.id !== cert.holderId),
      message: `Chứng thư số ký duyệt «${name}»${cert.holderFullName ? ` của ${cert.holderFullName}` : ''} ${when}. Hãy đăng ký chứng thư số mới cho người ký${before} tại Quản trị cơ quan › Chứng thư số.`,
      subject: 'Chứng thư số ký duyệt sắp hết hạn', url: adminsUrl,
    },
  ];
}

/**
 * The daily expiry check: tells about each active certificate that has reached a threshold of
 * EXPIRY_NOTICE_DAYS (30, 14, 7, 1 day(s) before its end) or has expired (once more, «đã hết hạn») — the seal to the agency's
 * admins (rule certificate.manage), a personal certificate to its holder and those admins — with a notice and a mail to
 * those with an address. Each threshold is told once: the certificate keeps the nearest one told, so a
 * second run (the same day, or a job run twice) tells nothing again; a certificate first seen 5 days before
 * its end is told once (the 7-day threshold), not for 30 and 14 as well. A threshold with nobody to tell (an
 * agency without an admin) is not kept as told: a later run tells it once someone can receive it. `now` is
 * passed in (tests). Returns how many certificates were told about.
 */
export async function sendExpiryNotices(tx: Db, o: { now: Date; publicUrl: string }): Promise<number> {
  const horizon = new Date(o.now.getTime() + (EXPIRY_NOTICE_DAYS[0] + 1) * 86_400_000);
  let told = 0;
  for (const cert of await certificatesRepo.activeEndingBefore(tx, horizon)) {
    const daysLeft = daysUntilExpiry(cert.notAfter, o.now);
    const threshold = expiryThreshold(daysLeft);
    if (threshold === null || (cert.expiryNotifiedDays !== null && cert.expiryNotifiedDays <= threshold)) continue;
    const tellings = (await tellingsOf(tx, cert, { daysLeft, publicUrl: o.publicUrl })).filter((t) => t.users.length > 0);
    if (tellings.length === 0 || !(await certificatesRepo.markExpiryNotified(tx, cert.id, threshold))) continue;
    const kind = cert.purpose === 'seal' ? SEAL_EXPIRING_NOTICE_KIND : CERTIFICATE_EXPIRING_NOTICE_KIND;
    await notify(tx, tellings.flatMap((t) => t.users.map((u) => ({ userId: u.id, kind, message: t.message, createdAt: o.now }))));
    await enqueueMany(tx, tellings.flatMap((t) => noticeMails({ agencyId: cert.agencyId, subject: t.subject, url: t.url }, t.users, () => t.message)));
    told += 1;
  }
  return told;
}

/** The daily expiry check (07:00 Vietnam time, with the other reminders); then it schedules its next run. */
export const expiryNoticeJob: JobDefinition<z.ZodObject<Record<string, never>>> = defineJob({
  type: 'certificates.expiry_notice',
  payload: z.object({}),
  maxAttempts: 5,
  handle: async ({ deps, db, logger }) => {
    await db.transaction().execute(async (tx) => {
      const told = await sendExpiryNotices(tx, { now: new Date(), publicUrl: deps.config.publicUrl });
      const next = nextReminderAt();
      await enqueue(tx, expiryNoticeJob, {}, { runAt: next, dedupeKey: `certificates.expiry_notice:${vietnamDay(next)}` });
      if (told > 0) logger.info({ certificates: told }, 'certificates: expiry notices sent');
    });
  },
});

/** The certificates' job types, for the worker's registry. */
export const CERTIFICATES_JOBS = [expiryNoticeJob] as unknown as JobDefinition[];
