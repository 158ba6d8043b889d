import type { Kysely } from 'kysely';
import type { DB, Db } from '../../platform/db/client.ts';
import { audit, auditActorOf } from '../../platform/audit/audit.ts';
import { authorize, can } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { orgsRepo, type AgencyHeading } from './orgs.repository.ts';
import { listDirectory } from '../exchange/connector/connector.service.ts';
import type { TCreateAgencyBody, TUnitBody } from './orgs.schemas.ts';
import { agencyCodeTaken, agencyNotFound, unitBadParent, unitHasMembers, unitNameTaken, unitNotFound } from './orgs.errors.ts';

/** An Ủy ban or Hội đồng nhân dân (of a province, a district, a commune) prints no cơ quan chủ quản above its name. */
const PRINTS_NO_GOVERNING = /^\s*(?:ủy|uỷ) ban nhân dân|^\s*hội đồng nhân dân/iu;

/**
 * The «tên cơ quan, tổ chức chủ quản trực tiếp» (ND 30 Phụ lục I, ô 2, "nếu có") a new agency's papers print above
 * its name unless its creator gives one: none for an agency without a parent on the install or for an Ủy ban / Hội
 * đồng nhân dân («ỦY BAN NHÂN DÂN XÃ TÂN LẬP» stands alone); the parent's name otherwise (a Sở under the province's
 * Ủy ban: «ỦY BAN NHÂN DÂN TỈNH THÁI HÒA» over «SỞ NỘI VỤ»). The admin can change it on the agency's form.
 */
export function defaultGoverningName(agency: { name: string }, parent: { name: string } | null | undefined): string | null {
  if (!parent || PRINTS_NO_GOVERNING.test(agency.name.normalize('NFC'))) return null;
  return parent.name;
}

type Ctx = { db: Kysely<DB>; actor: Actor; ip?: string; requestId?: string };
const who = (c: Ctx) => auditActorOf(c.actor, c.ip, c.requestId);

/**
 * An agency and what its rules are judged on (itself and the agencies above it), for `authorize` in this domain and
 * others (users: an agency's first administrator). Throws agency.not_found.
 */
export async function agencySubject(db: Db, id: string) {
  const agency = await orgsRepo.findAgency(db, id);
  if (!agency) throw agencyNotFound();
  return { agency, subject: { id, ancestorIds: await orgsRepo.ancestorIds(db, id) } };
}

/*
 * Reads other domains make of agencies and units, the one door to orgs.repository (house-style §1): no rule of their
 * own — whoever calls them has already decided the reader may see what they read (their own agency, mostly).
 */

/**
 * What every printed form (registers, reports, records forms, print copies) names at its top: the agency, its cơ quan
 * chủ quản trực tiếp if it has one, its địa danh (ND 30 Phụ lục I, ô 2); empty names for an unknown id.
 */
export function agencyHeading(db: Db, agencyId: string): Promise<AgencyHeading> {
  return orgsRepo.heading(db, agencyId);
}

/** An agency by id, undefined when there is none. */
export function findAgency(db: Db, id: string) {
  return orgsRepo.findAgency(db, id);
}

/** An agency by its mã định danh, undefined when there is none. */
export function findAgencyByCode(db: Db, code: string) {
  return orgsRepo.findAgencyByCode(db, code);
}

/**
 * Every agency of this install, each with its cơ quan chủ quản (governing_name, null when none is set) and its
 * parent's name (null at the top): the names a sender read off a scan is matched against.
 */
export function listAllAgencies(db: Db) {
  return orgsRepo.listAllWithParent(db);
}

/** A unit (of any agency: the caller checks it is of theirs) by id, undefined when there is none. */
export function findUnit(db: Db, id: string) {
  return orgsRepo.findUnit(db, id);
}

/** Creates an agency under `parentId` (province admin), or a top-level one (CLI only). Throws agency.not_found, forbidden, agency.code_taken. */
export async function createAgency(c: Ctx & { body: TCreateAgencyBody }) {
  return c.db.transaction().execute(async (tx) => {
    if (c.body.parentId) authorize(c.actor, 'agency.create', (await agencySubject(tx, c.body.parentId)).subject);
    else authorize(c.actor, 'agency.create_root', {});
    if (await orgsRepo.findAgencyByCode(tx, c.body.code)) throw agencyCodeTaken({ code: c.body.code });
    const parent = c.body.parentId ? await orgsRepo.findAgency(tx, c.body.parentId) : null;
    const governingName = c.body.governingName === undefined ? defaultGoverningName(c.body, parent) : c.body.governingName?.trim() || null;
    const agency = await orgsRepo.insertAgency(tx, { ...c.body, governingName });
    await audit(tx, who(c), { type: 'AGENCY_CREATED', entityType: 'agency', entityId: agency.id, agencyId: agency.id, data: { code: agency.code, name: agency.name } });
    return agency;
  });
}

/** Updates an agency's name and contacts. Throws agency.not_found, forbidden. */
export async function updateAgency(c: Ctx & { id: string; body: Partial<Omit<TCreateAgencyBody, 'parentId' | 'code' | 'level'>> }) {
  return c.db.transaction().execute(async (tx) => {
    const { subject } = await agencySubject(tx, c.id);
    authorize(c.actor, 'agency.update', subject);
    await orgsRepo.findAgencyForUpdate(tx, c.id);
    const body = c.body.governingName === undefined ? c.body : { ...c.body, governingName: c.body.governingName?.trim() || null };
    const agency = await orgsRepo.updateAgency(tx, c.id, body);
    await audit(tx, who(c), { type: 'AGENCY_UPDATED', entityType: 'agency', entityId: c.id, agencyId: c.id, data: c.body });
    return agency;
  });
}

/** The agencies the actor may see: a province admin sees their whole tree, others their own agency. */
export async function listAgencies(c: { db: Db; actor: Actor }) {
  const all = await orgsRepo.listSubtree(c.db, c.actor.agencyId);
  return all.filter((a) => a.id === c.actor.agencyId || can(c.actor, 'agency.view', { id: a.id, ancestorIds: [c.actor.agencyId] }));
}

/** One agency, if the actor may see it. Throws agency.not_found (also for agencies they may not see). */
export async function getAgency(c: { db: Db; actor: Actor; id: string }) {
  const { agency, subject } = await agencySubject(c.db, c.id);
  if (!can(c.actor, 'agency.view', subject)) throw agencyNotFound();
  return agency;
}

export type DirectoryEntry = { code: string; name: string; isOnInstall: boolean };

/**
 * The recipient directory: agencies on this install (delivered internally) and, when the agency
 * exchanges through an axis, the agencies synced from it. Names and codes are public (QCVN 102).
 */
export async function searchDirectory(c: { db: Db; actor: Actor; search?: string }): Promise<DirectoryEntry[]> {
  authorize(c.actor, 'agency.directory', {});
  const local = await orgsRepo.searchAgencies(c.db, c.search, 200);
  const remote = await listDirectory({ db: c.db as Kysely<DB>, actor: c.actor, search: c.search });
  const seen = new Set(local.map((a) => a.code));
  return [
    ...local.filter((a) => a.id !== c.actor.agencyId).map((a) => ({ code: a.code, name: a.name, isOnInstall: true })),
    ...remote.filter((a) => !seen.has(a.code)).map((a) => ({ code: a.code, name: a.name, isOnInstall: false })),
  ];
}

/** The unit tree of the actor's agency (flat, with parentId). */
export async function listUnits(c: { db: Db; actor: Actor }) {
  authorize(c.actor, 'unit.view', { agencyId: c.actor.agencyId });
  return orgsRepo.listUnits(c.db, c.actor.agencyId);
}

async function assertParentUnit(db: Db, agencyId: string, parentId: string | null, selfId?: string) {
  if (!parentId) return;
  const parent = await orgsRepo.findUnit(db, parentId);
  if (!parent || parent.agencyId !== agencyId || parentId === selfId) throw unitBadParent();
}

/** Creates a unit (phòng ban) in the admin's agency. Throws forbidden, unit.bad_parent, unit.name_taken. */
export async function createUnit(c: Ctx & { body: TUnitBody }) {
  return c.db.transaction().execute(async (tx) => {
    authorize(c.actor, 'unit.manage', { agencyId: c.actor.agencyId });
    await assertParentUnit(tx, c.actor.agencyId, c.body.parentId);
    if (await orgsRepo.isUnitNameTaken(tx, c.actor.agencyId, c.body.parentId, c.body.name)) throw unitNameTaken();
    const unit = await orgsRepo.insertUnit(tx, { ...c.body, agencyId: c.actor.agencyId });
    await audit(tx, who(c), { type: 'UNIT_CREATED', entityType: 'unit', entityId: unit.id, data: { name: unit.name } });
    return unit;
  });
}

/** Renames or moves a unit. Throws unit.not_found, forbidden, unit.bad_parent, unit.name_taken. */
export async function updateUnit(c: Ctx & { id: string; body: Partial<TUnitBody> }) {
  return c.db.transaction().execute(async (tx) => {
    const unit = await orgsRepo.findUnitForUpdate(tx, c.id);
    if (!unit || unit.agencyId !== c.actor.agencyId) throw unitNotFound();
    authorize(c.actor, 'unit.manage', unit);
    const parentId = c.body.parentId === undefined ? unit.parentId : c.body.parentId;
    await assertParentUnit(tx, unit.agencyId, parentId, unit.id);
    if (c.body.name && (await orgsRepo.isUnitNameTaken(tx, unit.agencyId, parentId, c.body.name, unit.id))) throw unitNameTaken();
    const updated = await orgsRepo.updateUnit(tx, c.id, c.body);
    await audit(tx, who(c), { type: 'UNIT_UPDATED', entityType: 'unit', entityId: c.id, data: c.body });
    return updated;
  });
}

/** Deletes an empty unit. Throws unit.not_found, forbidden, unit.not_empty. */
export async function deleteUnit(c: Ctx & { id: string }) {
  await c.db.transaction().execute(async (tx) => {
    const unit = await orgsRepo.findUnitForUpdate(tx, c.id);
    if (!unit || unit.agencyId !== c.actor.agencyId) throw unitNotFound();
    authorize(c.actor, 'unit.manage', unit);
    if ((await orgsRepo.countUnitDependants(tx, unit.id)) > 0) throw unitHasMembers();
    await orgsRepo.deleteUnit(tx, unit.id);
    await audit(tx, who(c), { type: 'UNIT_DELETED', entityType: 'unit', entityId: c.id, data: { name: unit.name } });
  });
}
