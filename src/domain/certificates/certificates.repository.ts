import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { SigningCertificate } from '../../platform/db/types.gen.ts';

/** All SQL of the certificates domain. */
export const certificatesRepo = {
  insert: (db: Db, v: Insertable<SigningCertificate>) => db.insertInto('signingCertificate').values(v).returningAll().executeTakeFirstOrThrow(),
  activeSeal: (db: Db, agencyId: string) =>
    db.selectFrom('signingCertificate').selectAll().where('agencyId', '=', agencyId).where('purpose', '=', 'seal').where('isActive', '=', true)
      .orderBy('createdAt', 'desc').limit(1).executeTakeFirst(),
  activePersonal: (db: Db, userId: string) =>
    db.selectFrom('signingCertificate').selectAll().where('userId', '=', userId).where('purpose', '=', 'personal').where('isActive', '=', true)
      .orderBy('createdAt', 'desc').limit(1).executeTakeFirst(),
  /** The agency's certificates, newest first, with the name and position of a personal one's holder. */
  listByAgency: (db: Db, agencyId: string) =>
    db.selectFrom('signingCertificate as sc').leftJoin('appUser as u', 'u.id', 'sc.userId')
      .select(['sc.id', 'sc.purpose', 'sc.userId', 'sc.subject', 'sc.serialHex', 'sc.notBefore', 'sc.notAfter', 'sc.isActive', 'sc.createdAt', 'sc.p12Sha256', 'sc.imageSha256', 'sc.chainDer',
        'u.fullName as userFullName', 'u.position as userPosition'])
      .where('sc.agencyId', '=', agencyId).orderBy('sc.createdAt', 'desc').execute(),
  deactivate: (db: Db, v: { agencyId: string; purpose: 'seal' | 'personal'; userId: string | null }) => {
    let q = db.updateTable('signingCertificate').set({ isActive: false }).where('agencyId', '=', v.agencyId).where('purpose', '=', v.purpose);
    q = v.userId ? q.where('userId', '=', v.userId) : q;
    return q.execute();
  },
  /**
   * Signers of an agency (active leaders and unit heads) who have no active personal certificate yet.
   * It stays a join rather than a users-directory call: it is one set-based anti-join (people WHERE NOT
   * EXISTS an active certificate), run under the agency's lock by demo provisioning; through the directory it
   * would be two role lists, a certificate lookup and a filter in memory for the same set.
   */
  signersWithoutCertificate: (db: Db, agencyId: string) =>
    db.selectFrom('appUser').select(['id', 'fullName', 'position']).where('agencyId', '=', agencyId).where('isActive', '=', true)
      .where(sql<boolean>`roles && array['leader', 'unit_head']::text[]`)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('signingCertificate as sc').select('sc.id').whereRef('sc.userId', '=', 'appUser.id').where('sc.isActive', '=', true))))
      .execute(),
  /** Active certificates ending before `before`, with their holder (a personal one's, when an active user). */
  activeEndingBefore: (db: Db, before: Date) =>
    db.selectFrom('signingCertificate as sc').leftJoin('appUser as u', (j) => j.onRef('u.id', '=', 'sc.userId').on('u.isActive', '=', true))
      .select(['sc.id', 'sc.agencyId', 'sc.purpose', 'sc.subject', 'sc.notAfter', 'sc.expiryNotifiedDays', 'u.id as holderId', 'u.fullName as holderFullName', 'u.email as holderEmail'])
      .where('sc.isActive', '=', true).where('sc.notAfter', '<', before).orderBy('sc.notAfter').execute(),
  /** Records that the certificate was told about at `days` before its end; false when that (or a nearer threshold) was already told. */
  markExpiryNotified: async (db: Db, id: string, days: number) =>
    !!(await db.updateTable('signingCertificate').set({ expiryNotifiedDays: days }).where('id', '=', id)
      .where((eb) => eb.or([eb('expiryNotifiedDays', 'is', null), eb('expiryNotifiedDays', '>', days)])).returning('id').executeTakeFirst()),
  agency: (db: Db, id: string) => db.selectFrom('agency').select(['id', 'name', 'shortName']).where('id', '=', id).executeTakeFirst(),
  /** Serialises demo provisioning of one agency (two first requests must not both issue certificates). */
  lockAgency: (db: Db, agencyId: string) => sql`select pg_advisory_xact_lock(727101, hashtext(${agencyId}))`.execute(db),
};
