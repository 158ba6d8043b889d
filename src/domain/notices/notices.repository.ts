import type { Db } from '../../platform/db/client.ts';

/** What a notice shows: never its addressee (always the reader). */
const NOTICE_COLUMNS = ['id', 'kind', 'message', 'createdAt', 'readAt', 'incomingId', 'outgoingId', 'recordsFileId'] as const;

/**
 * SQL of a user's in-app notices (the header's bell), whatever they are about: an incoming or outgoing
 * document, a work file, the backups. Every read and write is scoped to the addressee, so nobody sees
 * or marks another's. The notices are written by the domains that raise them (`workRepo.insertNotices`).
 */
export const noticesRepo = {
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
