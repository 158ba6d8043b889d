import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../platform/db/client.ts';
import { loadConfig, type Config } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { createBlobStore } from '../platform/blobs/blobs.ts';
import type { AppDeps } from '../platform/deps.ts';
import { hashPassword } from '../domain/auth/passwords.ts';
import { nameSortKey } from '../domain/users/users.sort-key.ts';
import type { Actor, Role } from '../policies/actor.ts';

const uniq = () => randomBytes(4).toString('hex');
let codeCounter = 0;

/** Test dependencies over a real database, with private temp directories for blobs and mail. */
export async function makeDeps(db: Kysely<DB>, overrides: Partial<Config> = {}): Promise<AppDeps> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-deps-'));
  const config = { ...loadConfig({ DATA_DIR: dataDir, VANTHU_DEMO: 'false', LOG_LEVEL: 'silent' }), ...overrides };
  return { config, db, blobs: createBlobStore(config.blobDir), logger: createLogger('silent') };
}

/** A unique, valid agency code (000.00.NN.Xnn) for tests. */
export function nextAgencyCode(): string {
  codeCounter++;
  const letter = String.fromCharCode(65 + ((process.pid + codeCounter) % 26));
  return `${String(codeCounter % 1000).padStart(3, '0')}.00.${String(Math.floor(Math.random() * 100)).padStart(2, '0')}.${letter}${String(codeCounter % 100).padStart(2, '0')}`;
}

export async function makeAgency(db: Kysely<DB>, values: Partial<{ parentId: string | null; code: string; name: string; shortName: string; level: string }> = {}) {
  return db.insertInto('agency').values({
    parentId: values.parentId ?? null, code: values.code ?? nextAgencyCode(), name: values.name ?? `Cơ quan thử ${uniq()}`,
    shortName: values.shortName ?? 'UBND', level: values.level ?? 'province',
  }).returningAll().executeTakeFirstOrThrow();
}

export async function makeUnit(db: Kysely<DB>, agencyId: string, name = `Phòng ${uniq()}`) {
  return db.insertInto('unit').values({ agencyId, name, shortName: 'P' }).returningAll().executeTakeFirstOrThrow();
}

export const TEST_PASSWORD = 'MatKhau123';
let cachedHash: Promise<string> | undefined;

/** A user (and, unless given, a new agency) with the roles asked for; returns the row and its Actor. */
export async function makeUser(db: Kysely<DB>, values: { roles?: Role[]; agencyId?: string; unitId?: string | null; username?: string; email?: string | null; password?: string; fullName?: string; position?: string } = {}) {
  const agencyId = values.agencyId ?? (await makeAgency(db)).id;
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = values.password ? await hashPassword(values.password) : await cachedHash;
  const username = values.username ?? `u${uniq()}`;
  const fullName = values.fullName ?? `Người dùng ${username}`;
  const row = await db.insertInto('appUser').values({
    agencyId, unitId: values.unitId ?? null, username, email: values.email === undefined ? `${username}@example.gov.vn` : values.email,
    fullName, nameSortKey: nameSortKey(fullName), ...(values.position !== undefined && { position: values.position }), roles: values.roles ?? ['staff'], passwordHash,
  }).returningAll().executeTakeFirstOrThrow();
  const actor: Actor = { id: row.id, agencyId, unitId: row.unitId, username, fullName: row.fullName, roles: row.roles as Role[] };
  return { user: row, actor };
}
