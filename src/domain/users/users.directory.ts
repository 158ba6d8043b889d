import type { Db } from '../../platform/db/client.ts';
import type { Role } from '../../policies/actor.ts';
import { usersRepo } from './users.repository.ts';

/**
 * The one door through which other domains find people: who holds a role in an agency, who heads some
 * units, who some ids are. Each person comes with id, agency, unit (and its name), username, full name,
 * position, mail address, roles and whether the account is active; never a password hash or a TOTP secret.
 * Lists are in the order of the agency's people everywhere (users.rank.ts, then the name's sort key, then the id).
 */
export type DirectoryUser = Awaited<ReturnType<typeof usersRepo.byIds>>[number];

/**
 * The active users of an agency holding `role` (clerks told of arrivals, leaders of urgent documents,
 * archivists of a hand-over). A disabled account is never among them: it receives no work and no notice.
 */
export const listUsersWithRole = (db: Db, agencyId: string, role: Role): Promise<DirectoryUser[]> => usersRepo.activeWithRole(db, agencyId, role);

/** The active heads (unit_head role) of some units; none asked, none found (no query). */
export const listUnitHeads = (db: Db, unitIds: readonly string[]): Promise<DirectoryUser[]> => usersRepo.activeUnitHeads(db, unitIds);

/** The active members of some units, whatever their role (told of what is issued to their unit); none asked, none found (no query). */
export const listUnitMembers = (db: Db, unitIds: readonly string[]): Promise<DirectoryUser[]> => usersRepo.activeUnitMembers(db, unitIds);

/**
 * Every user of an agency, disabled accounts too, marked by `isActive`: a report still counts the work of
 * someone who left. Whoever offers them to receive work (a list to forward or assign to) keeps only `isActive` ones.
 */
export const listAgencyUsers = (db: Db, agencyId: string): Promise<DirectoryUser[]> => usersRepo.ofAgency(db, agencyId);

/**
 * Users by id, disabled accounts too: a document still names the person who drafted or signed it. Whoever
 * sends work or notices to them keeps only `isActive` ones. No ids, no users (no query).
 */
export const findUsersByIds = (db: Db, ids: readonly string[]): Promise<DirectoryUser[]> => usersRepo.byIds(db, ids);
