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

/** How far an actor reaches among the agency's files: their own always; their unit's; every one. */
type FileReach = { isUnitWide: boolean; isAgencyWide: boolean };
const isWithinReach = (actor: Actor, f: RecordsFileSubject, r: FileReach) =>
  sameAgency(actor, f) && (f.ownerId === actor.id || (r.isUnitWide && !!f.unitId && f.unitId === actor.unitId) || r.isAgencyWide);
/** The same reach as SQL, for lists (each use is tested against its rule in records.test.ts). */
const withinReachSql = (actor: Actor, r: FileReach) => (eb: ExpressionBuilder<DB, 'recordsFile'>): Expression<SqlBool> => {
  const alternatives: Expression<SqlBool>[] = [eb('recordsFile.ownerId', '=', actor.id)];
  if (r.isUnitWide && actor.unitId) alternatives.push(eb('recordsFile.unitId', '=', actor.unitId));
  if (r.isAgencyWide) alternatives.push(eb.val(true));
  return eb.and([eb('recordsFile.agencyId', '=', actor.agencyId), eb.or(alternatives)]);
};

/** Who sees a file: its owner (người lập hồ sơ), the people of its unit, and the agency's clerks, leaders and archivists. */
const viewReach = (actor: Actor): FileReach => ({ isUnitWide: true, isAgencyWide: hasRole(actor, ...AGENCY_WIDE) });
export const canViewRecordsFile = (actor: Actor, f: RecordsFileSubject): boolean => isWithinReach(actor, f, viewReach(actor));

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
/**
 * Who hands a file over (nộp lưu): its người lập hồ sơ (ND 30 Art. 30.3.b: «Cá nhân được giao nhiệm vụ giải
 * quyết công việc và lập hồ sơ thực hiện nộp lưu hồ sơ điện tử vào Lưu trữ cơ quan trên Hệ thống»; Art. 4.2.đ),
 * the head of the file's unit (Art. 31.3.a answers for the unit's nộp lưu), and the clerk and the archivist
 * who receive it for the agency archive.
 */
const handOverReach = (actor: Actor): FileReach => ({ isUnitWide: hasRole(actor, 'unit_head'), isAgencyWide: hasRole(actor, 'clerk', 'archivist') });
export const canHandOverRecordsFile = (actor: Actor, f: RecordsFileSubject): boolean => isWithinReach(actor, f, handOverReach(actor));
// Only a closed file is handed over. Afterwards nobody edits it.
allow('records.file.hand_over', (actor, f: RecordsFileSubject) => f.status === 'closed' && canHandOverRecordsFile(actor, f));

/** A hand-over batch (đợt nộp lưu) as the rules see it: the unit whose files it holds, who handed it over, whether the archive took it in. */
export type RecordsBatchSubject = { agencyId: string; unitId: string | null; handedOverBy: string; receivedAt: Date | string | null };
/** Who sees a batch, its Mục lục hồ sơ nộp lưu and its Biên bản giao nhận: the one who handed it over, the people of its unit (who see its files), and the agency's clerks, leaders and archivists. */
export const canViewRecordsBatch = (actor: Actor, b: RecordsBatchSubject): boolean => sameAgency(actor, b)
  && (b.handedOverBy === actor.id || (!!b.unitId && b.unitId === actor.unitId) || hasRole(actor, ...AGENCY_WIDE));
allow('records.batch.view', canViewRecordsBatch);
// ND 30 Art. 30.3: «Lưu trữ cơ quan» receives the files handed over and signs the Biên bản giao nhận — the agency's archivist, once.
allow('records.batch.receive', (actor, b: RecordsBatchSubject) => sameAgency(actor, b) && hasRole(actor, 'archivist') && b.receivedAt === null);

/** A file as the keep-back rules see it: whether it has a hand-over date, where its first request stands, and whether an extension of a keep agreed waits. */
export type RecordsKeepSubject = RecordsFileSubject & { hasHandOverDue: boolean; keepStatus: string | null; isExtensionPending: boolean };
/**
 * Who asks to keep a due file back (ND 30 Art. 31.3.d: «đơn vị, cá nhân cần giữ lại»): its keeper, or the head of
 * its unit — those who hand it over for themselves; not the clerk or the archivist, who receive it.
 */
const keepReach = (actor: Actor): FileReach => ({ isUnitWide: hasRole(actor, 'unit_head'), isAgencyWide: false });
// A closed file with a hand-over date, not already asked for nor kept back (a refused request may be asked again).
allow('records.file.keep', (actor, f: RecordsKeepSubject) => f.status === 'closed' && f.hasHandOverDue && f.keepStatus !== 'requested'
  && f.keepStatus !== 'approved' && isWithinReach(actor, f, keepReach(actor)));
// A keep agreed is extended (gia hạn) by whoever asks for a keep, one request at a time; the 02 years still bound it (the service checks the day).
allow('records.file.keep.extend', (actor, f: RecordsKeepSubject) => f.status === 'closed' && f.keepStatus === 'approved' && !f.isExtensionPending
  && isWithinReach(actor, f, keepReach(actor)));
// «phải được người đứng đầu cơ quan, tổ chức đồng ý»: a leader of the agency agrees or refuses, while a request (the first or an extension) waits.
allow('records.file.keep.decide', (actor, f: RecordsKeepSubject) => sameAgency(actor, f) && hasRole(actor, 'leader') && f.status === 'closed'
  && (f.keepStatus === 'requested' || f.isExtensionPending));
/** Who reads the Danh mục hồ sơ giữ lại: the agency's clerks, leaders and archivists; a unit head, their unit's (and everyone their own). */
const keptListReach = (actor: Actor): FileReach => ({ isUnitWide: hasRole(actor, 'unit_head'), isAgencyWide: hasRole(actor, ...AGENCY_WIDE) });
allow('records.kept.list', (actor, s: AgencyScoped) => sameAgency(actor, s) && hasRole(actor, 'unit_head', ...AGENCY_WIDE));
/** Whether a kept-back file is on the actor's Danh mục hồ sơ giữ lại (recordsFileKeptListFor as one rule). */
export const canListKeptRecordsFile = (actor: Actor, f: RecordsFileSubject): boolean => hasRole(actor, 'unit_head', ...AGENCY_WIDE) && isWithinReach(actor, f, keptListReach(actor));

// Whether a file is a construction file (XDCB) and when its works were settled (Art. 30.2.a): its keeper (or the clerk) says so, until it is handed over.
allow('records.file.construction', (actor, f: RecordsFileSubject) => isOwnerOrClerk(actor, f) && (f.status === 'open' || f.status === 'closed'));

/** The actions the UI asks about for one file (the `can` block of responses). */
export const RECORDS_FILE_ACTIONS = ['records.file.edit', 'records.file.close', 'records.file.reopen', 'records.file.hand_over', 'records.file.keep', 'records.file.keep.extend', 'records.file.keep.decide', 'records.file.construction'] as const;

/** `records.file.view` as SQL, for lists. */
export const recordsFileVisibleTo = (actor: Actor) => withinReachSql(actor, viewReach(actor));
/** The files the actor hands over (canHandOverRecordsFile, whatever their status) as SQL, for the hand-over reminder. */
export const recordsFileHandOverBy = (actor: Actor) => withinReachSql(actor, handOverReach(actor));
/** The kept-back files on the actor's Danh mục hồ sơ giữ lại (canListKeptRecordsFile) as SQL; call after authorizing records.kept.list. */
export const recordsFileKeptListFor = (actor: Actor) => withinReachSql(actor, keptListReach(actor));
/** `records.batch.view` as SQL, for the list of batches. */
export const recordsBatchVisibleTo = (actor: Actor) => (eb: ExpressionBuilder<DB, 'recordsHandOverBatch'>): Expression<SqlBool> => {
  const alternatives: Expression<SqlBool>[] = [eb('recordsHandOverBatch.handedOverBy', '=', actor.id)];
  if (actor.unitId) alternatives.push(eb('recordsHandOverBatch.unitId', '=', actor.unitId));
  if (hasRole(actor, ...AGENCY_WIDE)) alternatives.push(eb.val(true));
  return eb.and([eb('recordsHandOverBatch.agencyId', '=', actor.agencyId), eb.or(alternatives)]);
};
