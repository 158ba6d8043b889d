import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { IncomingNotice } from '../../platform/db/types.gen.ts';
import { jobRequest, type JobRequest } from '../../platform/jobs/jobs.ts';
import { sendMailJob } from '../../platform/mail/mail.ts';
import type { Actor } from '../../policies/actor.ts';
import { noticesRepo, type NoticeSubject } from './notices.repository.ts';
import type { TMarkNoticesReadBody } from './notices.schemas.ts';

type NoticesCtx = { db: Db; actor: Pick<Actor, 'id'> };

// A notice is its addressee's alone: every function here that an actor calls reads or marks the actor's own,
// so there is no rule to decide in src/policies (as with saved searches); another user's id is simply not
// theirs. The other domains raise notices through notify (whom to tell they find in the users directory), and take back those their
// actions answer through withdrawNotices, in their own transaction.

/** A new notice: its addressee, kind and message, and what it is about (an incoming or outgoing document, a work file, or nothing). */
export type NewNotice = Insertable<IncomingNotice>;

/** Writes in-app notices in the caller's transaction (the one of the state change they tell about), in one statement. */
export const notify = (tx: Db, notices: readonly NewNotice[]): Promise<void> => noticesRepo.insert(tx, notices);

/**
 * Takes back (marks read for everyone they were sent to) the unread notices about one document or work file,
 * in the caller's transaction: those of `kinds` when the action they asked for was done (by the addressee or
 * another who may), or all of them (`kinds` omitted) when their link would lead nowhere; returns how many.
 */
export const withdrawNotices = (tx: Db, about: NoticeSubject, kinds?: readonly string[]): Promise<number> =>
  noticesRepo.withdraw(tx, { about, kinds });

/** Takes back every unread notice of some kinds whatever it is about (the backup warnings once a backup succeeds), in the caller's transaction; returns how many. */
export const withdrawNoticesOfKinds = (tx: Db, kinds: readonly string[]): Promise<number> => noticesRepo.withdraw(tx, { kinds });

/** When a notice of one of these kinds was last given, to anyone (so a warning is not repeated too soon), or null. */
export const lastNoticeAt = (db: Db, kinds: readonly string[]): Promise<Date | null> => noticesRepo.lastCreatedAt(db, kinds);

type MailedUser = { fullName: string; email: string | null };

/**
 * The mail of a notice to each user with an address («Kính gửi …», the message, the link that opens what it
 * is about), as jobs to enqueue in the caller's transaction. `messageOf` may word it per user.
 */
export function noticeMails<U extends MailedUser>(o: { agencyId: string; subject: string; url?: string | false }, users: readonly U[], messageOf: (user: U) => string): JobRequest[] {
  const link = o.url ? `\n\nMở văn bản: ${o.url}` : '';
  return users.flatMap((u) => (u.email ? [jobRequest(sendMailJob, {
    agencyId: o.agencyId, to: u.email, subject: o.subject.slice(0, 300), text: `Kính gửi ${u.fullName},\n\n${messageOf(u)}${link}\n\n— vanthu`,
  })] : []));
}

/** The actor's newest notices, read or not, newest first. */
export const listNotices = (c: NoticesCtx & { limit: number }) => noticesRepo.listLatest(c.db, c.actor.id, c.limit);

/** How many of the actor's notices are unread (the bell's badge). */
export async function countUnreadNotices(c: NoticesCtx): Promise<{ unread: number }> {
  return { unread: await noticesRepo.countUnread(c.db, c.actor.id) };
}

/** Marks some or all of the actor's notices read; answers how many it marked and how many stay unread, so the badge needs no second request. */
export async function markNoticesRead(c: NoticesCtx & { body: TMarkNoticesReadBody }): Promise<{ marked: number; unread: number }> {
  return c.db.transaction().execute(async (tx) => {
    const marked = 'all' in c.body ? await noticesRepo.markAllRead(tx, c.actor.id) : await noticesRepo.markRead(tx, c.actor.id, c.body.ids);
    return { marked, unread: await noticesRepo.countUnread(tx, c.actor.id) };
  });
}
