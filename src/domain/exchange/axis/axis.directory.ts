import type { Db } from '../../../platform/db/client.ts';
import { isSealedSecret, openSecret, sealSecret } from '../../certificates/certificates.secrets.ts';
import { signedParam, type AxisCaller } from './axis.auth.ts';
import {
  axisAgencyNotFound, axisBadAgency, axisBadSecret, axisCodeTaken, axisParamMissing, axisRegisterForbidden, axisSecretUnreadable, axisSystemExists,
} from './axis.errors.ts';
import { axisRepo } from './axis.repository.ts';
import { listTime } from './axis.protocol.ts';

/**
 * The agency directory (getAgenciesList / getSynchronizeUnit, what connectors sync to pick external
 * recipients) and the systems this axis serves (`vanthu axis agency add|list|remove`).
 */

// No '@': the sender id of packages pulled from the parent axis is '@parent' and must stay unforgeable.
const CODE = /^[A-Za-z0-9._:-]{1,100}$/;
const SECRET = /^[\x20-\x7e]{8,200}$/;

/** Grows with every change of systems or agencies in this process; a cached entry of an older generation is stale. */
let generation = 0;
const directoryChanged = () => {
  generation++;
};

export type AddSystemOptions = { db: Db; dataDir: string; systemId: string; name: string; secret: string; kind: 'agency' | 'axis'; mail?: string; pid?: string };

/**
 * Registers a system the axis serves. An agency system serves its own code (systemid = mã định danh);
 * a child axis serves what it registers with registerAgency. The HMAC check needs the secret itself, so
 * it is stored encrypted (AES-256-GCM, key file DATA_DIR/keys/secret.key: the certificates' secrets
 * helper), never hashed. Throws axis.bad_agency, axis.bad_secret, axis.system_exists, axis.code_taken.
 */
export async function addSystem({ db, dataDir, systemId, name, secret: clear, kind, mail, pid }: AddSystemOptions): Promise<void> {
  if (!CODE.test(systemId)) throw axisBadAgency({ systemId }, { message: 'Mã hệ thống/cơ quan không hợp lệ (1–100 ký tự: chữ, số, dấu chấm, gạch ngang, gạch dưới, hai chấm).' });
  if (!SECRET.test(clear) || isSealedSecret(clear)) throw axisBadSecret();
  const secret = await sealSecret(dataDir, clear);
  await db.transaction().execute(async (tx) => {
    const existing = await axisRepo.findSystem(tx, systemId);
    if (existing?.isActive) throw axisSystemExists({ systemId }, { message: `Hệ thống "${systemId}" đã tồn tại trên trục.` });
    if (existing) {
      await tx.updateTable('axisSystem').set({ name, secret, kind, isActive: true, updatedAt: new Date() }).where('systemId', '=', systemId).execute();
    } else {
      await axisRepo.insertSystem(tx, { systemId, name, secret, kind });
    }
    if (kind === 'agency') await claimAgency(tx, systemId, { code: systemId, name, mail, pid });
  }).finally(directoryChanged);
}

async function claimAgency(db: Db, systemId: string, agency: { code: string; name: string; mail?: string; pid?: string }): Promise<void> {
  const served = await axisRepo.findServedAgency(db, agency.code);
  if (served && served.systemId !== systemId) {
    throw axisCodeTaken({ code: agency.code, systemId: served.systemId }, { message: `Mã cơ quan "${agency.code}" đã do hệ thống "${served.systemId ?? ''}" phục vụ trên trục.` });
  }
  await axisRepo.upsertLocalAgency(db, systemId, agency);
}

/** Stops serving a system: it can no longer authenticate, its agencies are marked deleted (synced as such). */
export async function removeSystem({ db, systemId }: { db: Db; systemId: string }): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const result = await axisRepo.setSystemActive(tx, systemId, false);
    for (const agency of await axisRepo.listServedAgencies(tx, systemId)) await axisRepo.markAgencyDeleted(tx, agency.code, systemId);
    return Number(result.numUpdatedRows) > 0;
  }).finally(directoryChanged);
}

/** The systems and which agencies each serves (for the CLI). */
export async function listSystems({ db }: { db: Db }) {
  const systems = await axisRepo.listSystems(db);
  return Promise.all(systems.map(async (s) => ({
    systemId: s.systemId, name: s.name, kind: s.kind, isActive: s.isActive,
    agencies: (await axisRepo.listServedAgencies(db, s.systemId)).map((a) => a.code),
  })));
}

/** Decrypted secrets by their stored (sealed) value: every request is authenticated, the key file is read once per secret. */
const opened = new Map<string, string>();

/**
 * How long an active system's decrypted secret is used without asking the database again. Every change
 * made in this process (addSystem, removeSystem, registerAgency, deleteAgency, sealClearSecrets) drops
 * the cache at once; this is only the window in which a system removed by ANOTHER process (`vanthu axis
 * agency remove` against the same PostgreSQL while `serve` runs) can still authenticate.
 */
export const SYSTEM_CACHE_MS = 1000;

/**
 * A per-database cache of directory reads: an entry is used for SYSTEM_CACHE_MS and only while no
 * directory change was made in this process since it was read.
 */
function directoryCache<V>() {
  const caches = new WeakMap<Db, Map<string, { value: V; at: number; generation: number }>>();
  return (db: Db) => {
    let cache = caches.get(db);
    if (!cache) caches.set(db, (cache = new Map()));
    const entries = cache;
    const startedAt = generation;
    const now = performance.now();
    return {
      fresh: (key: string) => {
        const hit = entries.get(key);
        return hit && hit.generation === generation && now - hit.at < SYSTEM_CACHE_MS ? hit : undefined;
      },
      /** Not kept if the directory changed since this lookup began: the row read may predate the change. */
      set: (key: string, value: V) => {
        if (startedAt !== generation) return;
        if (entries.size >= 10_000) entries.clear();
        entries.set(key, { value, at: now, generation });
      },
      delete: (key: string) => entries.delete(key),
    };
  };
}

const activeSystems = directoryCache<string>();

/**
 * The secret of an active system (authentication), decrypted; cached per database and data dir for
 * SYSTEM_CACHE_MS (unknown and removed systems are never cached). Throws axis.secret_unreadable when the
 * key file is not the one it was encrypted with.
 */
export async function secretOf(db: Db, dataDir: string, systemId: string): Promise<string | undefined> {
  const cache = activeSystems(db);
  const cacheKey = `${dataDir}\n${systemId}`;
  const hit = cache.fresh(cacheKey);
  if (hit) return hit.value;
  const secret = await readSecret(db, dataDir, systemId);
  if (secret === undefined) cache.delete(cacheKey);
  else cache.set(cacheKey, secret);
  return secret;
}

async function readSecret(db: Db, dataDir: string, systemId: string): Promise<string | undefined> {
  const system = await axisRepo.findSystem(db, systemId);
  if (!system?.isActive) return undefined;
  const key = `${dataDir}\n${system.secret}`;
  let secret = opened.get(key);
  if (secret === undefined) {
    try {
      secret = isSealedSecret(system.secret) ? await openSecret(dataDir, system.secret) : system.secret;
    } catch (error) {
      throw axisSecretUnreadable({ systemId, reason: error instanceof Error ? error.message : String(error) });
    }
    if (opened.size >= 10_000) opened.clear();
    opened.set(key, secret);
  }
  return secret;
}

/** null: no system serves the code here (cached too: such packages go to the parent or fail). */
const routes = directoryCache<{ systemId: string | null } | null>();

/**
 * Which system serves each of `codes` here (routing; codes served by none are absent), cached like the
 * secrets: SYSTEM_CACHE_MS, dropped at once by every directory change in this process. Another process's
 * `vanthu axis agency add|remove` is seen within SYSTEM_CACHE_MS.
 */
export async function servedAgencies(db: Db, codes: string[]): Promise<Map<string, { systemId: string | null }>> {
  const cache = routes(db);
  const served = new Map<string, { systemId: string | null }>();
  const missing: string[] = [];
  for (const code of new Set(codes)) {
    const hit = cache.fresh(code);
    if (!hit) missing.push(code);
    else if (hit.value) served.set(code, hit.value);
  }
  if (missing.length === 0) return served;
  const found = await axisRepo.findServedAgencies(db, missing);
  for (const code of missing) {
    const row = found.get(code);
    const route = row ? { systemId: row.systemId } : null;
    if (route) served.set(code, route);
    cache.set(code, route);
  }
  return served;
}

/**
 * Encrypts the secrets still stored in clear (written before secrets were encrypted); run when the axis
 * opens its database. Returns how many were converted.
 */
export async function sealClearSecrets({ db, dataDir }: { db: Db; dataDir: string }): Promise<number> {
  let converted = 0;
  for (const system of await axisRepo.listSystems(db)) {
    if (isSealedSecret(system.secret)) continue;
    const sealed = await sealSecret(dataDir, system.secret);
    const result = await db.updateTable('axisSystem').set({ secret: sealed, updatedAt: new Date() })
      .where('systemId', '=', system.systemId).where('secret', '=', system.secret).executeTakeFirst();
    converted += Number(result.numUpdatedRows);
  }
  if (converted > 0) directoryChanged();
  return converted;
}

/** getAgenciesList: live agencies (served here or learnt from the parent), SDK `Agency` fields as strings. */
export async function listAgencies({ db }: { db: Db }) {
  const rows = await axisRepo.listAgencies(db, { includeDeleted: false });
  return rows.map((r) => ({ id: String(r.id), pid: r.pid, code: r.code, name: r.name, mail: r.mail }));
}

/** getSynchronizeUnit: every agency with its version and deleted flag, so a connector can sync changes. */
export async function listUnits({ db }: { db: Db }) {
  const rows = await axisRepo.listAgencies(db, { includeDeleted: true });
  return rows.map((r) => ({
    id: String(r.id), pid: r.pid, code: r.code, name: r.name, mail: r.mail, version: r.version, centerCode: r.centerCode,
    deleted: r.deleted, modifyDate: listTime(new Date(r.modifiedAt)), isAgency: r.isAgency,
  }));
}

async function requireAxisCaller(db: Db, caller: AxisCaller): Promise<void> {
  const system = await axisRepo.findSystem(db, caller.systemId);
  if (system?.kind !== 'axis') throw axisRegisterForbidden({ systemId: caller.systemId });
}

function agencyFromBody(body: string): { code: string; name: string; pid?: string; mail?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw axisBadAgency();
  }
  if (typeof parsed !== 'object' || parsed === null) throw axisBadAgency();
  const o = parsed as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const code = str(o.code);
  const name = str(o.name);
  if (!code || !CODE.test(code) || !name) throw axisBadAgency();
  return { code, name: name.slice(0, 300), pid: str(o.pid)?.slice(0, 100), mail: str(o.mail)?.slice(0, 200) };
}

/**
 * registerAgency from a child axis: it becomes the system that receives that agency's packages here.
 * Replaying it changes nothing. Throws axis.register_forbidden, axis.bad_agency, axis.code_taken.
 */
export async function registerAgency({ db, caller, body }: { db: Db; caller: AxisCaller; body: string }): Promise<void> {
  await requireAxisCaller(db, caller);
  const agency = agencyFromBody(body);
  await db.transaction().execute((tx) => claimAgency(tx, caller.systemId, agency)).finally(directoryChanged);
}

/**
 * deleteAgency (signed `code`) from the child axis that serves it; deleting twice is harmless.
 * Throws axis.register_forbidden, axis.param_missing, axis.agency_not_found.
 */
export async function deleteAgency({ db, caller }: { db: Db; caller: AxisCaller }): Promise<void> {
  await requireAxisCaller(db, caller);
  const code = signedParam(caller, 'code');
  if (!code) throw axisParamMissing({ name: 'code' }, { message: 'Thiếu tham số code (mã cơ quan cần xóa) trong tiêu đề đã ký.' });
  const result = await axisRepo.markAgencyDeleted(db, code, caller.systemId).finally(directoryChanged);
  if (Number(result.numUpdatedRows) > 0) return;
  const agency = await axisRepo.findAgency(db, code);
  if (agency?.systemId === caller.systemId && agency.deleted) return;
  throw axisAgencyNotFound({ code }, { message: `Không tìm thấy cơ quan "${code}" do hệ thống này phục vụ.` });
}
