import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { IncomingNotice } from '../../platform/db/types.gen.ts';

/** What a notice shows: never its addressee (always the reader). */
const NOTICE_COLUMNS = ['id', 'kind', 'message', 'createdAt', 'readAt', 'incomingId', 'outgoingId', 'recordsFileId'] as const;

/**
 * What a notice is about (one of them) — for an incoming document, optionally only the notices of one sender's
 * request about it (`exchangeRequestId`) — and optionally only one addressee's notices about it.
 */
export type NoticeSubject = ({ incomingId: string; exchangeRequestId?: string } | { outgoingId: string } | { recordsFileId: string }) & { userId?: string };

/** The unread notices to take back: about one subject (of some kinds, or all of them), or of some kinds whatever they are about. */
export type NoticesToWithdraw = { about: NoticeSubject; kinds?: readonly string[] } | { about?: undefined; kinds: readonly string[] };

/**
 * SQL of a user's in-app notices (the header's bell), whatever they are about: an incoming or outgoing
 * document, a work file, the backups, a certificate. Every read and mark is scoped to the addressee, so
 * nobody sees or marks another's. New notices are written here alone, for the domains that raise them
 * (through notices.service.ts: notify), and taken back here alone (withdrawNotices).
 */
export const noticesRepo = {
  /** New notices, in one statement: each about an incoming or outgoing document, a work file, or nothing (the backups, certificates). */
  insert: (db: Db, rows: readonly Insertable<IncomingNotice>[]) =>
    rows.length === 0 ? Promise.resolve() : db.insertInto('incomingNotice').values([...rows]).execute().then(() => undefined),
  /** Marks unread notices read for everyone they were sent to (see NoticesToWithdraw); returns how many. */
  withdraw: async (db: Db, { about, kinds }: NoticesToWithdraw) => {
    if (kinds?.length === 0) return 0;
    let query = db.updateTable('incomingNotice').set({ readAt: new Date() }).where('readAt', 'is', null);
    if (kinds) query = query.where('kind', 'in', [...kinds]);
    if (about) {
      const [column, id] = 'incomingId' in about ? ['incomingId' as const, about.incomingId] : 'outgoingId' in about ? ['outgoingId' as const, about.outgoingId] : ['recordsFileId' as const, about.recordsFileId];
      query = query.where(column, '=', id);
      if ('exchangeRequestId' in about && about.exchangeRequestId) query = query.where('exchangeRequestId', '=', about.exchangeRequestId);
      if (about.userId) query = query.where('userId', '=', about.userId);
    }
    return Number((await query.executeTakeFirst()).numUpdatedRows);
  },
  /** When a notice of one of these kinds was last given (to anyone), or null. */
  lastCreatedAt: async (db: Db, kinds: readonly string[]) =>
    (await db.selectFrom('incomingNotice').select((eb) => eb.fn.max('createdAt').as('at')).where('kind', 'in', [...kinds]).executeTakeFirst())?.at ?? null,
  /** The newest notices of a user, read or not. */
  listLatest: (db: Db, userId: string, limit: number) =>
    db.selectFrom('incomingNotice').select(NOTICE_COLUMNS).where('userId', '=', userId).orderBy('id', 'desc').limit(limit).execute(),
  /** How many notices a user has not read (incoming_notice_user_idx: partial on the unread). */
  countUnread: async (db: Db, userId: string) =>
    Number((await db.selectFrom('incomingNotice').select((eb) => eb.fn.countAll().as('n'))
      .where('userId', '=', userId).where('readAt', 'is', null).executeTakeFirstOrThrow()).n),
  /** Marks some of a user's unread notices read (others' ids are left alone); returns how many it marked. */
  markRead: async (db: Db, userId: string, ids: readonly number[]) =>
    ids.length === 0 ? 0 : Number((await db.updateTable('incomingNotice').set({ readAt: new Date() })
      .where('userId', '=', userId).where('id', 'in', [...ids]).where('readAt', 'is', null).executeTakeFirst()).numUpdatedRows),
  /** Marks every unread notice of a user read; returns how many it marked. */
  markAllRead: async (db: Db, userId: string) =>
    Number((await db.updateTable('incomingNotice').set({ readAt: new Date() })
      .where('userId', '=', userId).where('readAt', 'is', null).executeTakeFirst()).numUpdatedRows),
};
