import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/client.ts';
import { vietnamDay } from '../../platform/dates.ts';
import type { Actor } from '../../policies/actor.ts';
import { makeUser } from '../../test/factories.ts';
import { addDocumentToFile, closeRecordsFile, handOverRecordsFile, openRecordsFile } from '../records/records.service.ts';
import { createPlanEntry } from '../records/records-plan.service.ts';
import { makeIncomingFor, makeOutgoingBy } from '../records/records.testing.ts';
import { makeReportAgency } from './reports.testing.ts';

/** This year in Vietnam: the year ad hoc files are opened in. */
export const THIS_YEAR = Number(vietnamDay().slice(0, 4));
const daysAgo = (days: number) => new Date(`${vietnamDay(new Date(Date.now() - days * 86_400_000))}T05:00:00Z`);

type FileSpec = { notation: string; retention?: '2' | '5' | '10' | 'permanent'; pages?: number[]; outgoing?: number; closedDaysAgo?: number; handOver?: boolean; planYear?: number };

/**
 * A work file kept by `keeper`, opened through the records services: ad hoc, or from a plan entry (of
 * `planYear`) the clerk adds; holding finished incoming documents with the given page counts and issued
 * outgoing ones; closed `closedDaysAgo` days ago (backdated after closing), and handed over when asked.
 */
export async function makeReportFile(db: Kysely<DB>, clerk: Actor, keeper: Actor, s: FileSpec): Promise<string> {
  const c = { db, actor: keeper };
  const retention = s.retention ?? '10';
  const planEntryId = s.planYear ? (await createPlanEntry({
    db, actor: clerk, body: { year: s.planYear, heading: '', notation: s.notation, title: `Hồ sơ ${s.notation}`, retention, unitId: keeper.unitId, ownerId: keeper.id, note: '' },
  })).id : undefined;
  const id = await openRecordsFile({ ...c, body: planEntryId ? { planEntryId, description: '' } : { notation: s.notation, title: `Hồ sơ ${s.notation}`, retention, description: '' } });
  for (const pageCount of s.pages ?? []) {
    await addDocumentToFile({ ...c, fileId: id, ref: { ownerType: 'incoming', ownerId: await makeIncomingFor(db, keeper, { status: 'done', pageCount }) } });
  }
  for (let i = 0; i < (s.outgoing ?? 0); i++) await addDocumentToFile({ ...c, fileId: id, ref: { ownerType: 'outgoing', ownerId: await makeOutgoingBy(db, keeper) } });
  if (s.closedDaysAgo !== undefined) {
    await closeRecordsFile({ ...c, id });
    await db.updateTable('recordsFile').set({ closedAt: daysAgo(s.closedDaysAgo) }).where('id', '=', id).execute();
  }
  if (s.handOver) await handOverRecordsFile({ ...c, id });
  return id;
}

/**
 * The report agency (two units) with an archivist and work files of this year: in Phòng Kinh tế, the
 * staff member's open ad hoc file (3 + 0 pages, an outgoing document) and planned permanent file closed
 * 400 days ago (overdue for hand-over, 5 pages), and the head's ad hoc 5-year file closed 350 days ago
 * (due soon, 2 + 4 pages); in Văn phòng, its staff member's file handed over (7 pages) and an empty open
 * permanent one. Also a file of last year and another agency's file, which this year's report never counts.
 */
export async function makeRecordsReportAgency(db: Kysely<DB>) {
  const a = await makeReportAgency(db);
  const archivist = (await makeUser(db, { agencyId: a.agencyId, roles: ['archivist'] })).actor;
  const files = {
    staffOpen: await makeReportFile(db, a.clerk, a.staff, { notation: 'KT.01', pages: [3], outgoing: 1 }),
    staffOverdue: await makeReportFile(db, a.clerk, a.staff, { notation: 'KT.02', retention: 'permanent', pages: [5], closedDaysAgo: 400, planYear: THIS_YEAR }),
    headDueSoon: await makeReportFile(db, a.clerk, a.head, { notation: 'KT.03', retention: '5', pages: [2, 4], closedDaysAgo: 350 }),
    officeHandedOver: await makeReportFile(db, a.clerk, a.officeStaff, { notation: 'VP.01', pages: [7], closedDaysAgo: 20, handOver: true }),
    officeEmpty: await makeReportFile(db, a.clerk, a.officeStaff, { notation: 'VP.02', retention: 'permanent' }),
    lastYear: await makeReportFile(db, a.clerk, a.staff, { notation: 'KT.09', pages: [9], planYear: THIS_YEAR - 1 }),
  };
  const stranger = await makeReportAgency(db);
  await makeReportFile(db, stranger.clerk, stranger.staff, { notation: 'KT.01', pages: [11], closedDaysAgo: 400 });
  return { ...a, archivist, files, stranger };
}
