import { sql, type ExpressionBuilder } from 'kysely';
import type { DB, Db } from '../../platform/db/client.ts';

// Vietnam calendar days of stored UTC instants: deadlines and periods are Vietnamese days.
const vnDay = (column: string) => sql<string>`(${sql.ref(column)} at time zone 'Asia/Ho_Chi_Minh')::date::text`;

/**
 * The incoming documents a period's report may count: arrived by its last day and not closed before
 * its first (closed later, reopened, or still open: they were work of the period).
 */
const incomingOfPeriod = (agencyId: string, from: string, to: string) => (eb: ExpressionBuilder<DB, 'incomingDocument'>) =>
  eb.and([
    eb('incomingDocument.agencyId', '=', agencyId),
    eb(vnDay('incomingDocument.arrivedAt'), '<=', to),
    eb.or([eb('incomingDocument.closedAt', 'is', null), eb(vnDay('incomingDocument.closedAt'), '>=', from)]),
  ]);

/** Outgoing documents drafted, signed or issued within the period. */
const outgoingOfPeriod = (agencyId: string, from: string, to: string) => (eb: ExpressionBuilder<DB, 'outgoingDocument'>) =>
  eb.and([
    eb('outgoingDocument.agencyId', '=', agencyId),
    eb.or([
      eb.between(vnDay('outgoingDocument.createdAt'), from, to),
      eb.between(vnDay('outgoingDocument.approvedAt'), from, to),
      eb.between(vnDay('outgoingDocument.issuedAt'), from, to),
    ]),
  ]);

/** All SQL of the reports: reads of the incoming and outgoing tables (a chase's notices are written by the notices service). */
export const reportsRepo = {
  incomingDocuments: (db: Db, agencyId: string, from: string, to: string) =>
    db.selectFrom('incomingDocument').where(incomingOfPeriod(agencyId, from, to))
      .select(['incomingDocument.id', 'source', 'status', 'arrivalNumber', 'arrivalYear', 'subject', 'isSecret', 'number', 'notation', 'issuerName', 'dueDate', 'registeredAt', 'arrivedAt', 'closedAt'])
      .select([vnDay('incomingDocument.arrivedAt').as('arrivedOn'), sql<string | null>`${vnDay('incomingDocument.closedAt')}`.as('closedOn')])
      .orderBy('arrivedAt').execute(),

  /** The active lead (chủ trì) parts of those documents: the leader's, and a unit head's inside a lead unit. */
  incomingLeads: (db: Db, agencyId: string, from: string, to: string) =>
    db.selectFrom('incomingAssignment').innerJoin('incomingDocument', 'incomingDocument.id', 'incomingAssignment.incomingId')
      .where(incomingOfPeriod(agencyId, from, to))
      .where('incomingAssignment.isActive', '=', true).where('incomingAssignment.role', '=', 'lead')
      .select(['incomingAssignment.id', 'incomingAssignment.incomingId', 'incomingAssignment.unitId', 'incomingAssignment.userId', 'incomingAssignment.parentId', 'incomingAssignment.deadline', 'incomingAssignment.assignedAt'])
      .orderBy('incomingAssignment.assignedAt').execute(),

  outgoingDocuments: (db: Db, agencyId: string, from: string, to: string) =>
    db.selectFrom('outgoingDocument').where(outgoingOfPeriod(agencyId, from, to))
      .select(['outgoingDocument.id', 'typeCode', 'status', 'draftingUnitId', 'createdBy'])
      .select([vnDay('outgoingDocument.createdAt').as('createdOn'), sql<string | null>`${vnDay('outgoingDocument.approvedAt')}`.as('approvedOn'), sql<string | null>`${vnDay('outgoingDocument.issuedAt')}`.as('issuedOn')])
      .execute(),

  /** Recipients outside the agency (another agency on this install or via the axis) of those documents. */
  outgoingExternalRecipients: (db: Db, agencyId: string, from: string, to: string) =>
    db.selectFrom('outgoingRecipient').innerJoin('outgoingDocument', 'outgoingDocument.id', 'outgoingRecipient.outgoingId')
      .where(outgoingOfPeriod(agencyId, from, to)).where('outgoingRecipient.kind', 'in', ['agency', 'external'])
      .select(['outgoingRecipient.outgoingId', 'outgoingRecipient.statusCode']).execute(),

  /** One incoming document for a chase, locked so two clicks send one notice each in turn. */
  incomingForChase: (db: Db, id: string) =>
    db.selectFrom('incomingDocument').where('incomingDocument.id', '=', id)
      .select(['incomingDocument.id', 'agencyId', 'status', 'arrivalNumber', 'subject', 'isSecret', 'number', 'notation', 'issuerName', 'dueDate', 'registeredAt'])
      .select(sql<string | null>`${vnDay('incomingDocument.closedAt')}`.as('closedOn')).forUpdate().executeTakeFirst(),
  leadsOf: (db: Db, incomingId: string) =>
    db.selectFrom('incomingAssignment').where('incomingId', '=', incomingId).where('isActive', '=', true).where('role', '=', 'lead')
      .select(['id', 'incomingId', 'unitId', 'userId', 'parentId', 'deadline', 'assignedAt']).orderBy('assignedAt').execute(),

  units: (db: Db, agencyId: string) => db.selectFrom('unit').select(['id', 'name', 'sortOrder']).where('agencyId', '=', agencyId).orderBy('sortOrder').orderBy('name').execute(),
};
