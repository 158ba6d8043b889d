import type { Kysely } from 'kysely';
import type { DB, Db } from '../../platform/db/client.ts';
import { audit, auditActorOf } from '../../platform/audit/audit.ts';
import { authorize, can } from '../../policies/index.ts';
import type { Actor, Role } from '../../policies/actor.ts';
import { assertStrongPassword, hashPassword } from '../auth/passwords.ts';
import { endUserSessions } from '../auth/auth.service.ts';
import { agencySubject, findAgency, findUnit } from '../orgs/orgs.service.ts';
import { usersRepo } from './users.repository.ts';
import { recordAccessChange } from './access-changes.ts';
import { backupSubject } from '../../platform/backup/backup.service.ts';
import type { TCreateAgencyAdminBody, TCreateUserBody, TUpdateUserBody } from './users.schemas.ts';
import { emailTaken, userBadUnit, userNotFound, userSelfLockout, usernameTaken } from './users.errors.ts';

type Ctx = { db: Kysely<DB>; actor: Actor; ip?: string; requestId?: string };
const who = (c: Ctx) => auditActorOf(c.actor, c.ip, c.requestId);

async function assertUnitInAgency(db: Db, agencyId: string, unitId: string | null | undefined) {
  if (!unitId) return;
  const unit = await findUnit(db, unitId);
  if (!unit || unit.agencyId !== agencyId) throw userBadUnit();
}

/**
 * Creates a user in the admin's agency. Throws forbidden, user.username_taken, user.email_taken,
 * user.bad_unit, auth.weak_password.
 */
export async function createUser(c: Ctx & { body: TCreateUserBody; agencyId?: string }) {
  const agencyId = c.agencyId ?? c.actor.agencyId;
  authorize(c.actor, 'user.manage', { agencyId });
  return insertUser(c, agencyId, c.body);
}

/**
 * A province admin gives an agency of their tree an administrator, who then sets up its units, users and
 * certificates (an agency created on «Cơ quan» has nobody who can sign in). The password is temporary: it is
 * changed at the first sign-in. Throws agency.not_found, forbidden, user.username_taken, user.email_taken, auth.weak_password.
 */
export async function createAgencyAdmin(c: Ctx & { agencyId: string; body: TCreateAgencyAdminBody }) {
  const { agency, subject } = await agencySubject(c.db, c.agencyId);
  authorize(c.actor, 'agency.create_admin', subject);
  return insertUser(c, agency.id, { ...c.body, roles: ['admin'], unitId: null, mustChangePassword: true });
}

async function insertUser(c: Ctx, agencyId: string, body: TCreateUserBody) {
  assertStrongPassword(body.password, body.username);
  const passwordHash = await hashPassword(body.password);
  return c.db.transaction().execute(async (tx) => {
    await assertUnitInAgency(tx, agencyId, body.unitId);
    if (await usersRepo.isUsernameTaken(tx, body.username)) throw usernameTaken({ username: body.username });
    if (body.email && (await usersRepo.isEmailTaken(tx, body.email))) throw emailTaken();
    const { password: _password, ...rest } = body;
    const { id } = await usersRepo.insert(tx, { ...rest, email: rest.email || null, agencyId, passwordHash });
    await audit(tx, who(c), { type: 'USER_CREATED', entityType: 'user', entityId: id, agencyId, data: { username: rest.username, roles: rest.roles } });
    await recordAccessChange(tx, { actor: c.actor, agencyId, userId: id, before: null, after: { roles: rest.roles, unitId: rest.unitId, isActive: true } });
    return findPublicOrThrow(tx, id);
  });
}

/** Updates a user's profile, unit, roles or active flag. Throws user.not_found, forbidden, user.email_taken, user.bad_unit, user.self_lockout. */
export async function updateUser(c: Ctx & { id: string; body: TUpdateUserBody }) {
  return c.db.transaction().execute(async (tx) => {
    const user = await usersRepo.findForUpdate(tx, c.id);
    if (!user || user.agencyId !== c.actor.agencyId) throw userNotFound();
    authorize(c.actor, 'user.manage', user);
    const isSelf = user.id === c.actor.id;
    if (isSelf && (c.body.isActive === false || (c.body.roles && !c.body.roles.includes('admin')))) throw userSelfLockout();
    await assertUnitInAgency(tx, user.agencyId, c.body.unitId);
    if (c.body.email && (await usersRepo.isEmailTaken(tx, c.body.email, user.id))) throw emailTaken();
    await usersRepo.update(tx, user.id, { ...c.body, ...(c.body.email !== undefined && { email: c.body.email || null }) });
    if (c.body.isActive === false) await endUserSessions(tx, user.id);
    await audit(tx, who(c), { type: 'USER_UPDATED', entityType: 'user', entityId: user.id, data: c.body });
    const before = { roles: user.roles, unitId: user.unitId, isActive: user.isActive };
    await recordAccessChange(tx, { actor: c.actor, agencyId: user.agencyId, userId: user.id, before, after: { ...before, ...definedOf(c.body, ['roles', 'unitId', 'isActive']) } });
    return findPublicOrThrow(tx, user.id);
  });
}

/** The keys of `body` that were given (a PATCH leaves the others as they are). */
function definedOf<T extends object, K extends keyof T>(body: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]])) as Partial<Pick<T, K>>;
}

/** An admin sets a temporary password (the user must change it), lifts a lockout and ends the user's sessions. */
export async function adminResetPassword(c: Ctx & { id: string; newPassword: string }) {
  await c.db.transaction().execute(async (tx) => {
    const user = await usersRepo.findForUpdate(tx, c.id);
    if (!user || user.agencyId !== c.actor.agencyId) throw userNotFound();
    authorize(c.actor, 'user.manage', user);
    assertStrongPassword(c.newPassword, user.username);
    await usersRepo.update(tx, user.id, { passwordHash: await hashPassword(c.newPassword), mustChangePassword: true, failedLoginCount: 0, lockedUntil: null, passwordChangedAt: new Date() });
    await endUserSessions(tx, user.id);
    await audit(tx, who(c), { type: 'USER_PASSWORD_RESET_BY_ADMIN', entityType: 'user', entityId: user.id });
  });
}

/** Users of the actor's agency (the directory used for assignment, and the admin list). */
export async function listUsers(c: { db: Db; actor: Actor; query: { unitId?: string; search?: string; limit: number; offset: number } }) {
  authorize(c.actor, 'user.view', { agencyId: c.actor.agencyId });
  return usersRepo.listByAgency(c.db, c.actor.agencyId, c.query);
}

/**
 * What the web app needs about the signed-in user: profile, agency, unit, CSRF token, and `can`: the
 * install-wide pages whose rule needs more than the user's roles, decided by the rule itself
 * (src/policies), so that the navigation and the home page offer them exactly to whom the server allows.
 */
export async function getSessionView(db: Db, userId: string, csrfToken: string) {
  const user = await usersRepo.findPublic(db, userId);
  if (!user) throw userNotFound();
  const agency = await findAgency(db, user.agencyId);
  const unit = user.unitId ? await findUnit(db, user.unitId) : undefined;
  const actor: Actor = { id: user.id, agencyId: user.agencyId, unitId: user.unitId, username: user.username, fullName: user.fullName, roles: user.roles as Role[] };
  return {
    user,
    agency: agency ? { id: agency.id, code: agency.code, name: agency.name, shortName: agency.shortName } : null,
    unit: unit ? { id: unit.id, name: unit.name } : null,
    can: { manageBackups: can(actor, 'backup.manage', backupSubject(user.agencyId, agency?.parentId)) },
    csrfToken,
  };
}

async function findPublicOrThrow(db: Db, id: string) {
  const user = await usersRepo.findPublic(db, id);
  if (!user) throw userNotFound();
  return user;
}
