import type { Updateable } from 'kysely';
import type { Db } from '../../platform/db/client.ts';
import type { AppUser } from '../../platform/db/types.gen.ts';
import { usersRepo } from './users.repository.ts';

/**
 * The users domain's door for signing in and securing an account (src/domain/auth): a user's whole row,
 * secrets included (password hash, TOTP secret, failed-attempt count), and writes to those columns alone —
 * auth cannot change a user's agency, unit, roles or active flag (users.service.ts does, with its audit).
 * Finding people to name or tell goes through users.directory.ts instead.
 */

/** What auth may change on an account: its password, second factor, lock-out and last sign-in. */
export type CredentialChanges = Pick<Updateable<AppUser>,
  'passwordHash' | 'passwordChangedAt' | 'mustChangePassword' | 'failedLoginCount' | 'lockedUntil' | 'lastLoginAt' | 'totpSecret' | 'totpEnabled' | 'totpLastStep'>;

/** The user signing in by username or mail address (case-insensitive), with their secrets; disabled accounts too (auth refuses them itself). */
export const findUserByLogin = (db: Db, login: string) => usersRepo.findByLogin(db, login);

/** A user with their secrets, locked for the rest of the transaction (a sign-in attempt, a password or TOTP change). */
export const lockUserForCredentials = (db: Db, id: string) => usersRepo.findForUpdate(db, id);

/** Writes an account's credential columns. */
export const updateCredentials = (db: Db, id: string, changes: CredentialChanges) => usersRepo.update(db, id, changes);
