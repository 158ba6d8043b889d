import { audit } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { authorize } from '../../policies/index.ts';
import { vietnamYear } from '../registers/registers.service.ts';
import { recordsRepo } from './records.repository.ts';
import { findUsersByIds } from '../users/users.directory.ts';
import { recordsPlanEntryDuplicate, recordsPlanEntryInUse, recordsPlanEntryNotFound } from './records.errors.ts';
import { actingUserId, auditActor, isUniqueViolation, retentionText, type RecordsCtx } from './records.context.ts';
import type { TPlanEntryBody } from './records.schemas.ts';

/** The agency's file plan (Danh mục hồ sơ) of one year, by heading and số/ký hiệu, with the file opened from each entry. Throws forbidden. */
export async function listPlan(c: RecordsCtx & { year?: number }) {
  authorize(c.actor, 'records.plan.view', { agencyId: c.actor.agencyId });
  const year = c.year ?? vietnamYear(new Date());
  const rows = await recordsRepo.listPlan(c.db, c.actor.agencyId, year);
  const entries = rows.map((r) => ({
    id: r.id, year: r.year, heading: r.heading, notation: r.notation, title: r.title, retention: r.retention, retentionText: retentionText(r.retention),
    unitId: r.unitId, unitName: r.unitName, ownerId: r.ownerId, ownerName: r.ownerName, note: r.note, fileId: r.fileId, fileStatus: r.fileStatus,
  }));
  // the footer of the plan (Phụ lục V): how many files, how many kept for ever, how many for a term
  const permanent = entries.filter((e) => e.retention === 'permanent').length;
  return { year, entries, totals: { all: entries.length, permanent, term: entries.length - permanent } };
}

/** Checks the người/đơn vị lập hồ sơ belong to the agency (else 404: no leak of another agency's ids). */
async function assertInAgency(db: Db, agencyId: string, body: Pick<TPlanEntryBody, 'unitId' | 'ownerId'>) {
  if (body.unitId && !(await recordsRepo.isAgencyUnit(db, agencyId, body.unitId))) throw recordsPlanEntryNotFound({ unitId: body.unitId }, { message: 'Đơn vị lập hồ sơ không thuộc cơ quan.' });
  if (body.ownerId && !((await findUsersByIds(db, [body.ownerId])).some((u) => u.agencyId === agencyId))) throw recordsPlanEntryNotFound({ ownerId: body.ownerId }, { message: 'Người lập hồ sơ không thuộc cơ quan.' });
}

/** The clerk or admin adds an entry to the agency's file plan. Throws forbidden, records.plan_entry_duplicate, records.plan_entry_not_found (unit/owner). */
export async function createPlanEntry(c: RecordsCtx & { body: TPlanEntryBody }) {
  return c.db.transaction().execute(async (tx) => {
    const agencyId = c.actor.agencyId;
    authorize(c.actor, 'records.plan.manage', { agencyId });
    await assertInAgency(tx, agencyId, c.body);
    if (await recordsRepo.findPlanEntryByNotation(tx, agencyId, c.body.year, c.body.notation)) throw recordsPlanEntryDuplicate({ notation: c.body.notation, year: c.body.year });
    const entry = await recordsRepo.insertPlanEntry(tx, { ...c.body, agencyId, createdBy: actingUserId(c) }).catch((error: unknown) => {
      throw isUniqueViolation(error) ? recordsPlanEntryDuplicate({ notation: c.body.notation, year: c.body.year }) : error;
    });
    await audit(tx, auditActor(c), { type: 'RECORDS_PLAN_ENTRY_CREATED', entityType: 'records_plan', entityId: entry.id, agencyId, data: { year: entry.year, notation: entry.notation, title: entry.title, retention: entry.retention } });
    return entry;
  });
}

/** Changes an entry of the file plan (a file already opened from it keeps its own copy). Throws records.plan_entry_not_found, forbidden, records.plan_entry_duplicate. */
export async function updatePlanEntry(c: RecordsCtx & { id: string; body: TPlanEntryBody }) {
  return c.db.transaction().execute(async (tx) => {
    const entry = await recordsRepo.findPlanEntryForUpdate(tx, c.id);
    if (!entry || entry.agencyId !== c.actor.agencyId) throw recordsPlanEntryNotFound();
    authorize(c.actor, 'records.plan.manage', entry);
    await assertInAgency(tx, entry.agencyId, c.body);
    const clash = await recordsRepo.findPlanEntryByNotation(tx, entry.agencyId, c.body.year, c.body.notation);
    if (clash && clash.id !== entry.id) throw recordsPlanEntryDuplicate({ notation: c.body.notation, year: c.body.year });
    const updated = await recordsRepo.updatePlanEntry(tx, entry.id, c.body);
    await audit(tx, auditActor(c), { type: 'RECORDS_PLAN_ENTRY_UPDATED', entityType: 'records_plan', entityId: entry.id, agencyId: entry.agencyId, data: { before: { notation: entry.notation, title: entry.title, retention: entry.retention }, after: c.body } });
    return updated;
  });
}

/** Removes an entry no file was opened from. Throws records.plan_entry_not_found, forbidden, records.plan_entry_in_use. */
export async function deletePlanEntry(c: RecordsCtx & { id: string }) {
  return c.db.transaction().execute(async (tx) => {
    const entry = await recordsRepo.findPlanEntryForUpdate(tx, c.id);
    if (!entry || entry.agencyId !== c.actor.agencyId) throw recordsPlanEntryNotFound();
    authorize(c.actor, 'records.plan.manage', entry);
    if ((await recordsRepo.countFilesOfEntry(tx, entry.id)) > 0) throw recordsPlanEntryInUse();
    await recordsRepo.deletePlanEntry(tx, entry.id);
    await audit(tx, auditActor(c), { type: 'RECORDS_PLAN_ENTRY_DELETED', entityType: 'records_plan', entityId: entry.id, agencyId: entry.agencyId, data: { year: entry.year, notation: entry.notation, title: entry.title } });
  });
}

/**
 * Starts a year's plan from another year's (agencies redraw it every year, mostly the same): every entry
 * whose số/ký hiệu the target year lacks is copied, the year in its title moved along. Returns how many
 * were copied. Throws forbidden.
 */
export async function copyPlan(c: RecordsCtx & { fromYear: number; toYear: number }) {
  return c.db.transaction().execute(async (tx) => {
    const agencyId = c.actor.agencyId;
    authorize(c.actor, 'records.plan.manage', { agencyId });
    const existing = new Set((await recordsRepo.listPlan(tx, agencyId, c.toYear)).map((e) => e.notation));
    let copied = 0;
    for (const e of await recordsRepo.listPlan(tx, agencyId, c.fromYear)) {
      if (existing.has(e.notation)) continue;
      const title = e.title.replaceAll(String(c.fromYear), String(c.toYear));
      const entry = await recordsRepo.insertPlanEntry(tx, {
        agencyId, year: c.toYear, heading: e.heading, notation: e.notation, title, retention: e.retention, unitId: e.unitId, ownerId: e.ownerId, note: e.note,
        createdBy: actingUserId(c),
      });
      await audit(tx, auditActor(c), { type: 'RECORDS_PLAN_ENTRY_CREATED', entityType: 'records_plan', entityId: entry.id, agencyId, data: { year: c.toYear, notation: entry.notation, title, retention: entry.retention, copiedFrom: e.id } });
      copied++;
    }
    return copied;
  });
}
