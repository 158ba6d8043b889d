import { audit, auditActorOf } from '../../platform/audit/audit.ts';
import { authorize } from '../../policies/index.ts';
import { reportsRepo } from './reports.repository.ts';
import { notify } from '../notices/notices.service.ts';
import { findUsersByIds, listUnitHeads } from '../users/users.directory.ts';
import { vietnamDay, vnDay } from '../../platform/dates.ts';
import { formatDocumentNumber } from '../registers/document-types.ts';
import { daysBetween } from './reports.period.ts';
import { isOverdue, lookups, overdueLabel, SECRET_SUBJECT, toFact, type ReportCtx } from './reports.service.ts';
import { reportDocumentNotFound, reportNoHolder, reportNotOverdue } from './reports.errors.ts';
import type { TChaseBody } from './reports.schemas.ts';

/**
 * Đôn đốc (ND 30 Phụ lục VI III.1.m): sends the holder of an overdue incoming document — its person in
 * charge (when their account is active), or the heads of its unit in charge — an in-app notice, with an audit row, in one transaction.
 * Throws reports.not_found, forbidden, reports.not_overdue, reports.no_holder.
 */
export async function chaseOverdue(c: ReportCtx & { body: TChaseBody; ip?: string; requestId?: string }) {
  return c.db.transaction().execute(async (tx) => {
    const doc = await reportsRepo.incomingForChase(tx, c.body.incomingId);
    if (!doc || doc.agencyId !== c.actor.agencyId) throw reportDocumentNotFound();
    const lk = await lookups(tx, { agencyId: doc.agencyId });
    const f = toFact(doc, await reportsRepo.leadsOf(tx, doc.id), lk);
    authorize(c.actor, 'reports.chase', { agencyId: doc.agencyId, unitId: f.unitId ?? undefined });
    const today = c.today ?? vietnamDay();
    if (!isOverdue(f, today)) throw reportNotOverdue();
    // a person in charge whose account is disabled is told nothing: the heads of their unit are chased instead
    const [person] = f.userId ? (await findUsersByIds(tx, [f.userId])).filter((u) => u.isActive) : [];
    const holders = person ? [person] : f.unitId ? await listUnitHeads(tx, [f.unitId]) : [];
    if (holders.length === 0) throw reportNoHolder();
    const days = daysBetween(f.deadline ?? today, today);
    const what = [doc.arrivalNumber ? `số đến ${formatDocumentNumber(doc.arrivalNumber)}` : '', overdueLabel(doc), doc.isSecret ? SECRET_SUBJECT : `“${doc.subject.slice(0, 120)}”`].filter(Boolean).join(' — ');
    const message = `ĐÔN ĐỐC: văn bản quá hạn ${days} ngày (hạn ${vnDay(f.deadline ?? today)}): ${what}. ${c.body.note ? `${c.body.note} ` : ''}— ${c.actor.fullName}`.slice(0, 1000);
    await notify(tx, holders.map((h) => ({ userId: h.id, incomingId: doc.id, kind: 'overdue', message })));
    await audit(tx, auditActorOf(c.actor, c.ip, c.requestId), {
      type: 'REPORTS_CHASE_SENT', entityType: 'incoming', entityId: doc.id, agencyId: doc.agencyId,
      data: { userIds: holders.map((h) => h.id), daysOverdue: days, deadline: f.deadline, note: c.body.note },
    });
    return { notified: holders.map((h) => h.fullName), daysOverdue: days };
  });
}
