import { sql } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import { audit, auditActorOf, withBatchedAudit } from '../../platform/audit/audit.ts';
import { errorFactory } from '../../platform/errors.ts';
import { authorize, can } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';

/**
 * Changes of a user's access waiting for a leader's confirmation — ND 30 Phụ lục VI III.3.c: «Cảnh báo sự
 * thay đổi về quyền truy cập đối với từng hồ sơ, văn bản trong Hệ thống cho đến khi có xác nhận của người
 * có thẩm quyền». What a user may open follows from their roles, unit and whether the account is active,
 * so a change of any of them (and a new account) is recorded with what it was and what it became, in the
 * transaction that makes it. The change takes effect at once; the agency's leaders and admins are warned
 * of it until a leader other than the one who made it confirms it.
 */

/** The parts of an account that decide what it may open. */
export type AccessState = { roles: readonly string[]; unitId: string | null; isActive: boolean };

export const accessChangeNotFound = errorFactory({ code: 'user.access_change_not_found', status: 404, message: 'Không tìm thấy thay đổi quyền này.' });
export const accessChangeSelfConfirm = errorFactory({ code: 'user.access_change_self_confirm', status: 409, message: 'Người thay đổi quyền không tự xác nhận được thay đổi của mình. Hãy nhờ một lãnh đạo khác xác nhận.' });
export const accessChangeConfirmed = errorFactory({ code: 'user.access_change_confirmed', status: 409, message: 'Thay đổi quyền này đã được xác nhận.' });

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Whether `after` differs from `before` in anything that decides access (roles as a set). */
export function isAccessChange(before: AccessState, after: AccessState): boolean {
  return !sameRoles(before.roles, after.roles) || before.unitId !== after.unitId || before.isActive !== after.isActive;
}

/**
 * Records, in the caller's transaction, that `userId`'s access went from `before` (null: a new account) to
 * `after`, by `actor`. Nothing when nothing that decides access changed.
 */
export async function recordAccessChange(tx: Db, o: { actor: Actor; agencyId: string; userId: string; before: AccessState | null; after: AccessState }): Promise<void> {
  if (o.before && !isAccessChange(o.before, o.after)) return;
  const state = (s: AccessState) => JSON.stringify({ roles: [...s.roles].sort(), unitId: s.unitId, isActive: s.isActive });
  await tx.insertInto('accessChange').values({
    agencyId: o.agencyId, userId: o.userId, changedBy: o.actor.isSystem ? null : o.actor.id,
    before: o.before ? state(o.before) : null, after: state(o.after),
  }).execute();
}

/**
 * The agency's access changes, newest first: those waiting for confirmation (`pending`) or all of the last
 * `limit`, each with the account's, the changer's and the confirmer's names and the units' names. Leaders
 * and admins only (user.access_change.view).
 */
export async function listAccessChanges(c: { db: Db; actor: Actor; pending: boolean; limit: number }) {
  authorize(c.actor, 'user.access_change.view', { agencyId: c.actor.agencyId });
  let q = c.db.selectFrom('accessChange as ch')
    .innerJoin('appUser as u', 'u.id', 'ch.userId')
    .leftJoin('appUser as by', 'by.id', 'ch.changedBy')
    .leftJoin('appUser as ok', 'ok.id', 'ch.confirmedBy')
    .select(['ch.id', 'ch.agencyId', 'ch.userId', 'u.fullName', 'u.username', 'u.position', 'ch.changedAt', 'ch.changedBy', 'by.fullName as changedByName',
      'ch.before', 'ch.after', 'ch.confirmedAt', 'ok.fullName as confirmedByName'])
    .where('ch.agencyId', '=', c.actor.agencyId);
  if (c.pending) q = q.where('ch.confirmedAt', 'is', null);
  const rows = await q.orderBy('ch.changedAt', 'desc').orderBy('ch.id').limit(c.limit).execute();
  const unitIds = [...new Set(rows.flatMap((r) => [unitOf(r.before), unitOf(r.after)]).filter((id): id is string => !!id))];
  const units = new Map(unitIds.length === 0 ? [] : (await c.db.selectFrom('unit').select(['id', 'name']).where('id', 'in', unitIds).execute()).map((u) => [u.id, u.name]));
  const present = (s: unknown) => {
    if (!s || typeof s !== 'object') return null;
    const st = s as AccessState;
    return { roles: st.roles, unitId: st.unitId, unitName: st.unitId ? units.get(st.unitId) ?? null : null, isActive: st.isActive };
  };
  return rows.map((r) => ({
    id: r.id, user: { id: r.userId, fullName: r.fullName, username: r.username, position: r.position },
    changedAt: r.changedAt, changedBy: r.changedByName ?? null, before: present(r.before), after: present(r.after)!,
    confirmedAt: r.confirmedAt, confirmedBy: r.confirmedByName ?? null,
    canConfirm: mayConfirm(c.actor, r),
  }));
}

const unitOf = (s: unknown) => (s && typeof s === 'object' ? (s as AccessState).unitId : null);

/** How many access changes of the actor's agency wait for confirmation (the warning's count); 0 for anyone who may not see them. */
export async function countPendingAccessChanges(c: { db: Db; actor: Actor }): Promise<number> {
  if (!can(c.actor, 'user.access_change.view', { agencyId: c.actor.agencyId })) return 0;
  const row = await c.db.selectFrom('accessChange').select(sql<number>`count(*)::int`.as('n'))
    .where('agencyId', '=', c.actor.agencyId).where('confirmedAt', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

type AccessChangeRow = { id: string; agencyId: string; userId: string; changedBy: string | null; confirmedAt: Date | null };

/**
 * The one rule of who confirms a change, for the list's button and for one and many confirms: a leader of
 * its agency, not the one who made it nor the user whose access changed. Why `actor` may not confirm `row`
 * (whether it is still pending aside), or undefined when they may.
 */
function confirmRefusal(actor: Actor, row: AccessChangeRow | undefined): 'not_found' | 'forbidden' | 'self' | undefined {
  if (!row || row.agencyId !== actor.agencyId) return 'not_found';
  if (!can(actor, 'user.access_change.confirm', { agencyId: row.agencyId })) return 'forbidden';
  if (row.changedBy === actor.id || row.userId === actor.id) return 'self';
  return undefined;
}

/** Whether `actor` may confirm `row` now: it is still pending and the one rule lets them (the list's «Xác nhận»). */
export function mayConfirm(actor: Actor, row: AccessChangeRow): boolean {
  return !row.confirmedAt && confirmRefusal(actor, row) === undefined;
}

/**
 * Refuses what confirmRefusal refuses. Throws user.access_change_not_found, forbidden,
 * user.access_change_self_confirm; whether it is still pending is the caller's (one refuses, many skip).
 */
function assertMayConfirm(actor: Actor, row: AccessChangeRow | undefined): asserts row is AccessChangeRow {
  const refusal = confirmRefusal(actor, row);
  if (refusal === 'not_found') throw accessChangeNotFound();
  if (refusal === 'forbidden') authorize(actor, 'user.access_change.confirm', { agencyId: actor.agencyId });
  if (refusal === 'self') throw accessChangeSelfConfirm();
}

/** Marks `rows` confirmed by the actor, each with its audit row (appended together), in the caller's transaction. */
async function markConfirmed(tx: Db, c: { actor: Actor; rows: readonly AccessChangeRow[]; ip?: string; requestId?: string }) {
  if (c.rows.length === 0) return;
  await tx.updateTable('accessChange').set({ confirmedBy: c.actor.id, confirmedAt: new Date() }).where('id', 'in', c.rows.map((r) => r.id)).execute();
  await withBatchedAudit(tx, async () => {
    for (const row of c.rows) {
      await audit(tx, auditActorOf(c.actor, c.ip, c.requestId), { type: 'USER_ACCESS_CHANGE_CONFIRMED', entityType: 'user', entityId: row.userId, agencyId: row.agencyId, data: { changeId: row.id } });
    }
  });
}

/**
 * A leader of the agency confirms an access change — not one they made, nor a change of their own
 * account. Throws forbidden, user.access_change_not_found, user.access_change_self_confirm,
 * user.access_change_confirmed.
 */
export async function confirmAccessChange(c: { db: Db; actor: Actor; id: string; ip?: string; requestId?: string }) {
  return c.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('accessChange').selectAll().where('id', '=', c.id).forUpdate().executeTakeFirst();
    assertMayConfirm(c.actor, row);
    if (row.confirmedAt) throw accessChangeConfirmed();
    await markConfirmed(tx, { actor: c.actor, rows: [row], ip: c.ip, requestId: c.requestId });
  });
}

/**
 * A leader confirms, in one transaction, the changes they were shown («Xác nhận tất cả»): those of `ids`
 * still pending are confirmed; those another leader confirmed meanwhile are skipped and returned. One id
 * the leader may not confirm (another agency's, their own change or a change of their own account, or
 * not a leader) refuses the whole request and confirms nothing — the errors of confirmAccessChange.
 */
export async function confirmAccessChanges(c: { db: Db; actor: Actor; ids: readonly string[]; ip?: string; requestId?: string }) {
  const ids = [...new Set(c.ids)].sort(); // locked in one order, so that two leaders confirming overlapping lists do not deadlock
  return c.db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom('accessChange').select(['id', 'agencyId', 'userId', 'changedBy', 'confirmedAt'])
      .where('id', 'in', ids).orderBy('id').forUpdate().execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) assertMayConfirm(c.actor, byId.get(id));
    const toConfirm = rows.filter((r) => !r.confirmedAt);
    await markConfirmed(tx, { actor: c.actor, rows: toConfirm, ip: c.ip, requestId: c.requestId });
    return { confirmed: toConfirm.map((r) => r.id), skipped: rows.filter((r) => r.confirmedAt).map((r) => r.id) };
  });
}
