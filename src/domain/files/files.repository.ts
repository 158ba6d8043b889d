import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { DocumentFile } from '../../platform/db/types.gen.ts';

export type OwnerType = 'incoming' | 'outgoing' | 'record';

export const filesRepo = {
  insert: (db: Db, values: Insertable<DocumentFile>) => db.insertInto('documentFile').values(values).returningAll().executeTakeFirstOrThrow(),
  /** Several files in one statement (rows in the order given). */
  insertMany: (db: Db, values: readonly Insertable<DocumentFile>[]) => db.insertInto('documentFile').values([...values]).execute(),
  listByOwner: (db: Db, ownerType: OwnerType, ownerId: string) =>
    db.selectFrom('documentFile').selectAll().where('ownerType', '=', ownerType).where('ownerId', '=', ownerId)
      .orderBy('kind').orderBy('version', 'desc').orderBy('createdAt', 'desc').execute(),
  findById: (db: Db, id: string) => db.selectFrom('documentFile').selectAll().where('id', '=', id).executeTakeFirst(),
  latestVersion: async (db: Db, ownerType: OwnerType, ownerId: string, kind: string) =>
    (await db.selectFrom('documentFile').select((eb) => eb.fn.max('version').as('v')).where('ownerType', '=', ownerType)
      .where('ownerId', '=', ownerId).where('kind', '=', kind).executeTakeFirst())?.v ?? 0,
};
