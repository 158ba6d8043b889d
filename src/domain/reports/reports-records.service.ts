import { z } from 'zod';
import { authorize } from '../../policies/index.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { defaultRecordsReportScope, type ReportScope } from '../../policies/reports.ts';
import type { Actor } from '../../policies/actor.ts';
import type { Db } from '../../platform/db/client.ts';
import { byName, byPersonName, describeScope, groupRows, lookups, type ReportCtx } from './reports.service.ts';
import { listFilesOfYear, openFilesTotals } from '../records/records.service.ts';

export const ZRecordsReportQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('Năm của hồ sơ (năm của danh mục hồ sơ; mặc định: năm nay)'),
  unitId: z.uuid().optional().describe('Chỉ hồ sơ của một đơn vị'),
}).strict();
export type TRecordsReportQuery = z.infer<typeof ZRecordsReportQuery>;
export const ZRecordsReportFilesQuery = ZRecordsReportQuery.extend({ userId: z.uuid().describe('Người lập hồ sơ (tài khoản)') }).strict();
export const ZRecordsReportExportQuery = ZRecordsReportQuery.extend({ format: z.enum(['xlsx', 'pdf']).describe('Định dạng tệp tải về') }).strict();

/**
 * Thống kê hồ sơ, one group's numbers (ND 30 Phụ lục VI III.4.đ, III.6.a): `files` opened in the year,
 * of them `open` / `closed` / `handedOver` (nộp lưu); `handOverDue`: closed and due for hand-over within
 * the notice days or past it, of them `handOverOverdue` past it (the records domain's rule, as of today);
 * `permanent` (vĩnh viễn) / `limited` (có thời hạn); `adHoc`: opened outside the file plan; `documents`
 * (văn bản đến and đi) and `pages` in the files: a closed file's totals as closing counted them, an open
 * one's as closing would count them now.
 */
export type RecordsCounts = {
  files: number; open: number; closed: number; handedOver: number; handOverDue: number; handOverOverdue: number;
  permanent: number; limited: number; adHoc: number; documents: number; pages: number;
};
export type RecordsPersonGroup = { id: string; name: string; counts: RecordsCounts };
export type RecordsUnitGroup = { id: string | null; name: string; counts: RecordsCounts; people: RecordsPersonGroup[] };

const NO_UNIT = 'Chưa ghi đơn vị lập hồ sơ';
const emptyCounts = (): RecordsCounts => ({ files: 0, open: 0, closed: 0, handedOver: 0, handOverDue: 0, handOverOverdue: 0, permanent: 0, limited: 0, adHoc: 0, documents: 0, pages: 0 });

type FileRow = Awaited<ReturnType<typeof listFilesOfYear>>[number];
type FileFact = FileRow & { documents: number; pages: number };

/** Which scope is asked for (the agency, or the unit head's unit, when none), authorized. Throws forbidden. */
function recordsScopeFor(actor: Actor, unitId: string | undefined): ReportScope {
  const scope = unitId ? { agencyId: actor.agencyId, unitId } : defaultRecordsReportScope(actor);
  authorize(actor, 'reports.records.view', scope);
  return scope;
}

/** The year asked for, else this year in Vietnam. */
const yearOf = (q: TRecordsReportQuery, today?: string) => q.year ?? Number((today ?? vietnamDay()).slice(0, 4));

/** The files with their documents and pages (a closed or handed-over file's stored totals; an open one's counted now). */
async function withTotals(db: Db, rows: readonly FileRow[]): Promise<FileFact[]> {
  const open = await openFilesTotals(db, rows.filter((f) => f.status === 'open').map((f) => f.id));
  return rows.map((f) => {
    const t = f.status === 'open' ? (open.get(f.id) ?? { docTotal: 0, pageTotal: 0 }) : { docTotal: f.docTotal, pageTotal: f.pageTotal };
    return { ...f, documents: t.docTotal, pages: t.pageTotal };
  });
}

function count(files: readonly FileFact[]): RecordsCounts {
  const c = emptyCounts();
  for (const f of files) {
    c.files++;
    if (f.status === 'open') c.open++;
    else if (f.status === 'closed') c.closed++;
    else if (f.status === 'handed_over') c.handedOver++;
    if (f.isHandOverDue) {
      c.handOverDue++;
      if (f.handOverState === 'overdue') c.handOverOverdue++;
    }
    if (f.retention === 'permanent') c.permanent++;
    else c.limited++;
    if (!f.planEntryId) c.adHoc++;
    c.documents += f.documents;
    c.pages += f.pages;
  }
  return c;
}

/**
 * Thống kê hồ sơ (ND 30 Phụ lục VI III.4.đ, III.6.a) of a year: per unit of the files and, within it, per
 * người lập hồ sơ (account), with the totals. Throws forbidden, reports.not_found (a unit of another agency).
 */
export async function recordsReport(c: ReportCtx & { query: TRecordsReportQuery }) {
  const scope = recordsScopeFor(c.actor, c.query.unitId);
  const year = yearOf(c.query, c.today);
  const lk = await lookups(c.db, scope);
  const files = await withTotals(c.db, await listFilesOfYear(c.db, { agencyId: scope.agencyId, year, unitId: scope.unitId }));
  const byUnit: RecordsUnitGroup[] = [...groupRows(files, (f) => f.unitId)].map(([id, list]) => ({
    id, name: id ? lk.unitName(id) : NO_UNIT, counts: count(list),
    people: [...groupRows(list, (f) => f.ownerId)].map(([ownerId, own]) => ({ id: ownerId, name: lk.user(ownerId)?.fullName ?? '', counts: count(own) })).sort(byPersonName(lk)),
  })).sort(byName);
  return { scope: await describeScope(c.db, scope, lk), year, total: count(files), byUnit };
}
export type RecordsReport = Awaited<ReturnType<typeof recordsReport>>;

/**
 * The files one account opened in the year (III.4.đ: «liên kết … toàn bộ hồ sơ được lập của một tài khoản»),
 * within the reader's scope and among the files they may open. Throws forbidden, reports.not_found.
 */
export async function recordsReportFiles(c: ReportCtx & { query: z.infer<typeof ZRecordsReportFilesQuery> }) {
  const scope = recordsScopeFor(c.actor, c.query.unitId);
  const year = yearOf(c.query, c.today);
  const lk = await lookups(c.db, { ...scope, userId: c.query.userId });
  const rows = await listFilesOfYear(c.db, { agencyId: scope.agencyId, year, unitId: scope.unitId, ownerId: c.query.userId, visibleTo: c.actor });
  const facts = await withTotals(c.db, rows);
  const files = facts.map((f) => ({
    id: f.id, notation: f.notation, title: f.title, status: f.status, retention: f.retention, isAdHoc: !f.planEntryId, unitId: f.unitId,
    unitName: f.unitId ? lk.unitName(f.unitId) : NO_UNIT, documents: f.documents, pages: f.pages, handOverState: f.isHandOverDue ? f.handOverState : null,
    handOverDueDate: f.handOverDueDate,
  }));
  return { year, user: { id: c.query.userId, name: lk.user(c.query.userId)?.fullName ?? '' }, total: count(facts), files };
}
