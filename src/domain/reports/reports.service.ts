import type { Db } from '../../platform/db/client.ts';
import { authorize } from '../../policies/index.ts';
import { defaultReportScope, type ReportScope } from '../../policies/reports.ts';
import type { Actor } from '../../policies/actor.ts';
import { documentType } from '../registers/document-types.ts';
import { reportsRepo } from './reports.repository.ts';
import { daysBetween, resolvePeriod, type ReportPeriod } from './reports.period.ts';
import type { TReportQuery } from './reports.schemas.ts';
import { reportDocumentNotFound } from './reports.errors.ts';
import { agencyHeading } from '../orgs/orgs.service.ts';
import { listAgencyUsers } from '../users/users.directory.ts';

export type ReportCtx = { db: Db; actor: Actor; today?: string };

/**
 * Báo cáo tình hình giải quyết văn bản đến, one group's numbers. `received` … `refused` count what
 * arrived in the period; the rest count the work of the period (`toHandle` = carried over + registered
 * in the period, recalled ones left out), judged as of `period.asOf`. The deadline buckets partition it:
 * doneOnTime + doneLate + overdue + notYetDue + noDeadline = toHandle; handling + done = toHandle.
 */
export type IncomingCounts = {
  received: number; electronic: number; paper: number; registered: number; refused: number;
  carriedOver: number; toHandle: number; handling: number; done: number;
  doneOnTime: number; doneLate: number; overdue: number; notYetDue: number; noDeadline: number;
  avgDays: number | null;
};
export type IncomingGroup = { id: string | null; name: string; counts: IncomingCounts };
export type OverdueItem = {
  id: string; arrivalNumber: number | null; arrivalYear: number | null; label: string; subject: string; isSecret: boolean;
  unitId: string | null; unitName: string; userId: string | null; userName: string; deadline: string; daysOverdue: number;
};

const NO_UNIT = 'Chưa giao đơn vị chủ trì';
const NO_PERSON = 'Chưa giao người chủ trì';
export const SECRET_SUBJECT = '(Văn bản Mật — xem trong văn bản)';

const emptyIncoming = (): IncomingCounts => ({
  received: 0, electronic: 0, paper: 0, registered: 0, refused: 0, carriedOver: 0, toHandle: 0, handling: 0, done: 0,
  doneOnTime: 0, doneLate: 0, overdue: 0, notYetDue: 0, noDeadline: 0, avgDays: null,
});

export type Lookup = { unitName: (id: string | null) => string; user: (id: string | null) => { fullName: string; unitId: string | null; order: number } | undefined };

/**
 * The agency's unit and user names, disabled accounts too (a report still counts the work of someone who
 * left), each user with their place in the agency's order; throws reports.not_found when the scope names a
 * unit or person not of the agency.
 */
export async function lookups(db: Db, s: ReportScope): Promise<Lookup> {
  const units = new Map((await reportsRepo.units(db, s.agencyId)).map((u) => [u.id, u.name]));
  const users = new Map((await listAgencyUsers(db, s.agencyId)).map((u, order) => [u.id, { fullName: u.fullName, unitId: u.unitId, order }]));
  if ((s.unitId && !units.has(s.unitId)) || (s.userId && !users.has(s.userId))) throw reportDocumentNotFound({ unitId: s.unitId, userId: s.userId });
  return { unitName: (id) => (id ? units.get(id) ?? '' : NO_UNIT), user: (id) => (id ? users.get(id) : undefined) };
}

/** Which scope the request asks for (the widest allowed when none), authorized. Throws forbidden. */
export function scopeFor(actor: Actor, q: Pick<TReportQuery, 'unitId' | 'userId'>): ReportScope {
  const scope: ReportScope = q.unitId || q.userId ? { agencyId: actor.agencyId, unitId: q.unitId, userId: q.userId } : defaultReportScope(actor);
  authorize(actor, 'reports.view', scope);
  return scope;
}

/** One incoming document with its unit and person in charge and its deadline, as the report sees it. */
type IncomingFact = Awaited<ReturnType<typeof reportsRepo.incomingDocuments>>[number] & {
  unitId: string | null; userId: string | null; deadline: string | null;
};

type LeadRow = Awaited<ReturnType<typeof reportsRepo.incomingLeads>>[number];

/** A document's unit and person in charge and its deadline, from its active lead parts. */
export function toFact<D extends { id: string; dueDate: string | null }>(d: D, mine: readonly LeadRow[], lk: Lookup) {
  const top = mine.find((a) => !a.parentId);
  // the unit head's own lead person inside a lead unit (the latest one)
  const inner = top ? mine.filter((a) => a.parentId === top.id && a.userId).at(-1) : undefined;
  const userId = top?.userId ?? inner?.userId ?? null;
  const unitId = top?.unitId ?? lk.user(userId)?.unitId ?? null;
  return { ...d, unitId, userId, deadline: top?.deadline ?? d.dueDate };
}

async function incomingFacts(db: Db, agencyId: string, p: ReportPeriod, lk: Lookup): Promise<IncomingFact[]> {
  const docs = await reportsRepo.incomingDocuments(db, agencyId, p.from, p.to);
  const leads = groupRows(await reportsRepo.incomingLeads(db, agencyId, p.from, p.to), (a) => a.incomingId);
  return docs.map((d) => toFact(d, leads.get(d.id) ?? [], lk));
}

/** Whether a document is overdue as of `asOf`: registered, still open, not recalled or refused, its deadline's day past. */
export const isOverdue = (f: { registeredAt: unknown; status: string; closedOn: string | null; deadline: string | null }, asOf: string): boolean =>
  !!f.registeredAt && !['recalled', 'refused'].includes(f.status) && !(f.closedOn && f.closedOn <= asOf) && !!f.deadline && f.deadline < asOf;

/** A document's số/ký hiệu and issuer for the overdue list and a chase notice; none for a Mật one (as the incoming notices do). */
export const overdueLabel = (f: { number: string; notation: string; issuerName: string; isSecret: boolean }) =>
  f.isSecret ? '' : [f.number && f.notation ? `${f.number}/${f.notation}` : f.notation, f.issuerName].filter(Boolean).join(' — ');

/** Rows by a key, in their order (linear: reports read a year of an agency's documents). */
export function groupRows<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

const inScope = (s: ReportScope) => (f: { unitId: string | null; userId: string | null }) =>
  (!s.unitId || f.unitId === s.unitId) && (!s.userId || f.userId === s.userId);

/** Adds one document to a group's numbers (see IncomingCounts for what each one means). */
function countIncoming(c: IncomingCounts & { daysTotal: number }, f: IncomingFact, p: ReportPeriod): void {
  const arrivedInPeriod = f.arrivedOn >= p.from;
  if (arrivedInPeriod) {
    c.received++;
    if (f.source === 'paper') c.paper++;
    else c.electronic++;
    if (f.status === 'refused') c.refused++;
    if (f.registeredAt) c.registered++;
  }
  const isWork = !!f.registeredAt && f.status !== 'recalled' && f.status !== 'refused';
  if (!isWork) return;
  if (!arrivedInPeriod) c.carriedOver++;
  c.toHandle++;
  const isDone = !!f.closedOn && f.closedOn <= p.asOf;
  if (isDone) {
    c.done++;
    c.daysTotal += (new Date(f.closedAt ?? 0).getTime() - new Date(f.registeredAt ?? f.arrivedAt).getTime()) / 86_400_000;
  } else c.handling++;
  if (!f.deadline) c.noDeadline++;
  else if (isDone) (f.closedOn ?? '') <= f.deadline ? c.doneOnTime++ : c.doneLate++;
  else f.deadline < p.asOf ? c.overdue++ : c.notYetDue++;
}

function summarise(facts: readonly IncomingFact[], p: ReportPeriod): IncomingCounts {
  const c = { ...emptyIncoming(), daysTotal: 0 };
  for (const f of facts) countIncoming(c, f, p);
  const { daysTotal, ...counts } = c;
  return { ...counts, avgDays: c.done ? Math.round((daysTotal / c.done) * 10) / 10 : null };
}

type Order = (a: { id: string | null; name: string }, b: { id: string | null; name: string }) => number;

function groupBy(facts: readonly IncomingFact[], key: (f: IncomingFact) => string | null, name: (id: string | null) => string, p: ReportPeriod, order: Order): IncomingGroup[] {
  return [...groupRows(facts, key)].map(([id, list]) => ({ id, name: name(id), counts: summarise(list, p) }))
    .filter((g) => g.counts.received + g.counts.toHandle > 0)
    .sort(order);
}

/** Units in Vietnamese alphabetical order of their names, the group without a unit last. */
export const byName: Order = (a, b) => (a.id === null ? 1 : b.id === null ? -1 : a.name.localeCompare(b.name, 'vi'));

/**
 * People in the agency's order, as every list of its people (users.directory.ts): the head, the deputies, the
 * units' heads and deputies, then the others in Vietnamese name order — by tên (the last word), then họ and tên
 * đệm: «Nguyễn Văn An», «Đỗ Văn Hùng», «Vũ Thị Lan»; namesakes by id; the group without a person last.
 */
export const byPersonName = (lk: Lookup): Order => (a, b) => {
  if (a.id === null || b.id === null) return a.id === b.id ? 0 : a.id === null ? 1 : -1;
  return (lk.user(a.id)?.order ?? Infinity) - (lk.user(b.id)?.order ?? Infinity);
};

function overdueList(facts: readonly IncomingFact[], p: ReportPeriod, lk: Lookup): OverdueItem[] {
  return facts
    .filter((f) => isOverdue(f, p.asOf))
    .map((f) => ({
      id: f.id, arrivalNumber: f.arrivalNumber, arrivalYear: f.arrivalYear, isSecret: f.isSecret, label: overdueLabel(f),
      // Mật documents: the report names them, but their subject stays with their participants
      subject: f.isSecret ? SECRET_SUBJECT : f.subject,
      unitId: f.unitId, unitName: lk.unitName(f.unitId), userId: f.userId, userName: lk.user(f.userId)?.fullName ?? NO_PERSON,
      deadline: f.deadline ?? '', daysOverdue: daysBetween(f.deadline ?? p.asOf, p.asOf),
    }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue || (a.arrivalNumber ?? 0) - (b.arrivalNumber ?? 0));
}

/**
 * Báo cáo tình hình giải quyết văn bản đến (ND 30 Phụ lục VI V.2, III.1.l–m) for the actor's scope and a
 * period: totals, per unit in charge, per person in charge, and the overdue documents to chase.
 * Throws forbidden, reports.period_invalid, reports.not_found.
 */
export async function incomingReport(c: ReportCtx & { query: TReportQuery }) {
  const scope = scopeFor(c.actor, c.query);
  const period = resolvePeriod(c.query, c.today);
  const lk = await lookups(c.db, scope);
  const facts = (await incomingFacts(c.db, scope.agencyId, period, lk)).filter(inScope(scope));
  return {
    scope: await describeScope(c.db, scope, lk), period,
    total: summarise(facts, period),
    byUnit: groupBy(facts, (f) => f.unitId, lk.unitName, period, byName),
    byPerson: groupBy(facts, (f) => f.userId, (id) => lk.user(id)?.fullName ?? NO_PERSON, period, byPersonName(lk)),
    overdue: overdueList(facts, period, lk),
  };
}
export type IncomingReport = Awaited<ReturnType<typeof incomingReport>>;

/** Who a report is about, in words for its heading. */
export async function describeScope(db: Db, s: ReportScope, lk: Lookup) {
  const heading = await agencyHeading(db, s.agencyId);
  return {
    ...s, agencyName: heading.name, parentAgencyName: heading.governingName ?? undefined,
    unitName: s.unitId ? lk.unitName(s.unitId) : undefined, userName: s.userId ? lk.user(s.userId)?.fullName : undefined,
  };
}

/**
 * Báo cáo tình hình giải quyết văn bản đi, one group's numbers: `drafted` (created in the period) with
 * where those drafts are now (`drafting`, `inReview`, `cancelled`); `signed` and `issued` in the period;
 * of those issued, `recalled` and `replaced`; the external recipients' latest statuses.
 */
export type OutgoingCounts = {
  drafted: number; drafting: number; inReview: number; cancelled: number; signed: number; issued: number; recalled: number; replaced: number;
};
export type RecipientCounts = { total: number; pending: number; received: number; registered: number; handling: number; done: number; refused: number; recall: number };
export type OutgoingGroup = { id: string | null; name: string; counts: OutgoingCounts };

type OutgoingFact = Awaited<ReturnType<typeof reportsRepo.outgoingDocuments>>[number];
const within = (day: string | null, p: ReportPeriod) => !!day && day >= p.from && day <= p.to;

function countOutgoing(list: readonly OutgoingFact[], p: ReportPeriod): OutgoingCounts {
  const c: OutgoingCounts = { drafted: 0, drafting: 0, inReview: 0, cancelled: 0, signed: 0, issued: 0, recalled: 0, replaced: 0 };
  for (const d of list) {
    if (within(d.createdOn, p)) {
      c.drafted++;
      if (d.status === 'draft' || d.status === 'returned') c.drafting++;
      if (d.status === 'in_review' || d.status === 'awaiting_signature') c.inReview++;
      if (d.status === 'cancelled') c.cancelled++;
    }
    if (within(d.approvedOn, p)) c.signed++;
    if (within(d.issuedOn, p)) {
      c.issued++;
      if (d.status === 'recalled') c.recalled++;
      if (d.status === 'replaced') c.replaced++;
    }
  }
  return c;
}

/** A recipient's latest QCVN 102 status, in the report's buckets (no status yet: sent, not yet arrived). */
const RECIPIENT_BUCKET: Record<string, keyof RecipientCounts> = {
  '01': 'received', '02': 'refused', '03': 'registered', '04': 'handling', '05': 'handling', '06': 'done', '13': 'recall', '15': 'recall', '16': 'recall',
};

/**
 * Báo cáo tình hình giải quyết văn bản đi (ND 30 Phụ lục VI V.4) for the actor's scope and a period:
 * totals, per drafting unit, issued per document type, and how external recipients handle them.
 * Throws forbidden, reports.period_invalid, reports.not_found.
 */
export async function outgoingReport(c: ReportCtx & { query: TReportQuery }) {
  const scope = scopeFor(c.actor, c.query);
  const period = resolvePeriod(c.query, c.today);
  const lk = await lookups(c.db, scope);
  const docs = (await reportsRepo.outgoingDocuments(c.db, scope.agencyId, period.from, period.to))
    .filter((d) => inScope(scope)({ unitId: d.draftingUnitId, userId: d.createdBy }));
  const units = groupRows(docs, (d) => d.draftingUnitId);
  const issued = docs.filter((d) => within(d.issuedOn, period));
  const types = new Map<string, number>();
  for (const d of issued) types.set(d.typeCode, (types.get(d.typeCode) ?? 0) + 1);
  const issuedIds = new Set(issued.map((d) => d.id));
  const recipients: RecipientCounts = { total: 0, pending: 0, received: 0, registered: 0, handling: 0, done: 0, refused: 0, recall: 0 };
  for (const r of await reportsRepo.outgoingExternalRecipients(c.db, scope.agencyId, period.from, period.to)) {
    if (!issuedIds.has(r.outgoingId)) continue;
    recipients.total++;
    recipients[r.statusCode ? RECIPIENT_BUCKET[r.statusCode] ?? 'pending' : 'pending']++;
  }
  return {
    scope: await describeScope(c.db, scope, lk), period,
    total: countOutgoing(docs, period),
    byUnit: [...units].map(([id, list]): OutgoingGroup => ({ id, name: id ? lk.unitName(id) : 'Chưa ghi đơn vị soạn thảo', counts: countOutgoing(list, period) }))
      .sort(byName),
    issuedByType: [...types].map(([code, count]) => ({ code, name: documentType(code)?.name ?? code, count })).sort((a, b) => b.count - a.count),
    recipients,
  };
}
export type OutgoingReport = Awaited<ReturnType<typeof outgoingReport>>;
