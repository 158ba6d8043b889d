import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DB } from '../platform/db/types.gen.ts';
import { allow } from './policy.ts';
import { hasRole, type Actor } from './actor.ts';
import type { AgencyScoped } from './orgs.ts';

/** A work file (hồ sơ) as the rules see it. */
export type RecordsFileSubject = { agencyId: string; ownerId: string; unitId: string | null; status: string };

const sameAgency = (actor: Actor, s: AgencyScoped) => actor.agencyId === s.agencyId;
/** The agency's roles that see every ordinary file: they file, direct or keep the agency's records. */
const AGENCY_WIDE = ['clerk', 'leader', 'archivist'] as const;
const isOwnerOrClerk = (actor: Actor, f: RecordsFileSubject) => sameAgency(actor, f) && (f.ownerId === actor.id || hasRole(actor, 'clerk'));

/** Who sees a file: its owner (người lập hồ sơ), the people of its unit, and the agency's clerks, leaders and archivists. */
export function canViewRecordsFile(actor: Actor, f: RecordsFileSubject): boolean {
  if (!sameAgency(actor, f)) return false;
  return f.ownerId === actor.id || (!!f.unitId && f.unitId === actor.unitId) || hasRole(actor, ...AGENCY_WIDE);
}

// The file plan (Danh mục hồ sơ, ND 30 Phụ lục V.I) is drawn up by the agency's clerk (văn thư) or administrator;
// everyone in the agency reads it (they open their files from it).
allow('records.plan.view', (actor, s: AgencyScoped) => sameAgency(actor, s));
allow('records.plan.manage', (actor, s: AgencyScoped) => sameAgency(actor, s) && hasRole(actor, 'clerk', 'admin'));
// Anyone who handles documents keeps work files (Art. 28: every officer files the documents of their work).
allow('records.file.create', (actor, s: AgencyScoped) => sameAgency(actor, s) && hasRole(actor, 'staff', 'unit_head', 'leader', 'clerk'));
allow('records.file.view', canViewRecordsFile);
// While open, the owner (or the clerk helping them) adds and removes documents and closes the file (kết thúc).
allow('records.file.edit', (actor, f: RecordsFileSubject) => isOwnerOrClerk(actor, f) && f.status === 'open');
allow('records.file.close', (actor, f: RecordsFileSubject) => isOwnerOrClerk(actor, f) && f.status === 'open');
allow('records.file.reopen', (actor, f: RecordsFileSubject) => isOwnerOrClerk(actor, f) && f.status === 'closed');
// Hand-over (nộp lưu) into the agency archive: the clerk or the archivist, once the file is closed. Afterwards nobody edits it.
allow('records.file.hand_over', (actor, f: RecordsFileSubject) => sameAgency(actor, f) && hasRole(actor, 'clerk', 'archivist') && f.status === 'closed');

/** The actions the UI asks about for one file (the `can` block of responses). */
export const RECORDS_FILE_ACTIONS = ['records.file.edit', 'records.file.close', 'records.file.reopen', 'records.file.hand_over'] as const;

/** `records.file.view` as SQL, for lists (tested against the rule in records.test.ts). */
export function recordsFileVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<DB, 'recordsFile'>): Expression<SqlBool> => {
    const alternatives: Expression<SqlBool>[] = [eb('recordsFile.ownerId', '=', actor.id)];
    if (actor.unitId) alternatives.push(eb('recordsFile.unitId', '=', actor.unitId));
    if (hasRole(actor, ...AGENCY_WIDE)) alternatives.push(eb.val(true));
    return eb.and([eb('recordsFile.agencyId', '=', actor.agencyId), eb.or(alternatives)]);
  };
}
