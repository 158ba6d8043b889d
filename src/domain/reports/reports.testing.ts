import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/client.ts';
import type { Actor, Role } from '../../policies/actor.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';

/** An agency for report tests: two units (a head and a staff member in the first, staff in the second), a leader and a clerk. */
export async function makeReportAgency(db: Kysely<DB>) {
  const agencyId = (await makeAgency(db, { name: 'UBND xã Thử Nghiệm' })).id;
  const economy = (await makeUnit(db, agencyId, 'Phòng Kinh tế')).id;
  const office = (await makeUnit(db, agencyId, 'Văn phòng')).id;
  const u = async (roles: Role[], unit: string | null = null) => (await makeUser(db, { agencyId, roles, unitId: unit })).actor;
  return {
    agencyId, economy, office,
    leader: await u(['leader']), clerk: await u(['clerk']), admin: await u(['admin']),
    head: await u(['unit_head'], economy), staff: await u(['staff'], economy), officeStaff: await u(['staff'], office),
  };
}

type IncomingSpec = {
  agencyId: string; by: Actor; source?: 'paper' | 'internal' | 'external'; status: string; arrivedAt: string; registeredAt?: string | null;
  closedAt?: string; deadline?: string | null; lead?: { unitId?: string; userId?: string; innerUserId?: string }; secrecy?: 'thuong' | 'mat'; arrivalNumber?: number;
};

/** An incoming document with exact instants (UTC) and its lead part (a unit, a person, or a person inside the unit). */
export async function makeReportIncoming(db: Kysely<DB>, s: IncomingSpec): Promise<string> {
  const registeredAt = s.registeredAt === undefined ? s.arrivedAt : s.registeredAt;
  const doc = await db.insertInto('incomingDocument').values({
    agencyId: s.agencyId, source: s.source ?? 'paper', status: s.status, arrivedAt: new Date(s.arrivedAt), secrecy: s.secrecy ?? 'thuong',
    registeredAt: registeredAt ? new Date(registeredAt) : null, arrivalNumber: registeredAt ? s.arrivalNumber ?? null : null, arrivalYear: registeredAt ? 2026 : null,
    closedAt: s.closedAt ? new Date(s.closedAt) : null, dueDate: s.deadline ?? null,
    subject: 'Về việc báo cáo tiến độ giải ngân', number: '15', notation: 'UBND-KT', issuerName: 'UBND huyện Thử',
  }).returning('id').executeTakeFirstOrThrow();
  if (s.lead) {
    const top = await db.insertInto('incomingAssignment').values({
      incomingId: doc.id, role: 'lead', unitId: s.lead.unitId ?? null, userId: s.lead.unitId ? null : s.lead.userId ?? null, assignedBy: s.by.id, deadline: s.deadline ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    if (s.lead.innerUserId) {
      await db.insertInto('incomingAssignment').values({ incomingId: doc.id, role: 'lead', userId: s.lead.innerUserId, parentId: top.id, assignedBy: s.by.id, deadline: s.deadline ?? null }).execute();
    }
  }
  return doc.id;
}

type OutgoingSpec = { by: Actor; unitId?: string | null; status: string; typeCode?: string; createdAt: string; approvedAt?: string; issuedAt?: string };

/** An outgoing document with exact instants (UTC). */
export async function makeReportOutgoing(db: Kysely<DB>, s: OutgoingSpec): Promise<string> {
  return (await db.insertInto('outgoingDocument').values({
    agencyId: s.by.agencyId, createdBy: s.by.id, draftingUnitId: s.unitId ?? null, typeCode: s.typeCode ?? 'cong_van', subject: 'Về việc tổng kết năm', status: s.status,
    createdAt: new Date(s.createdAt), approvedAt: s.approvedAt ? new Date(s.approvedAt) : null, issuedAt: s.issuedAt ? new Date(s.issuedAt) : null,
  }).returning('id').executeTakeFirstOrThrow()).id;
}

/** A recipient of an outgoing document with its latest QCVN 102 status (null: nothing heard yet). */
export async function addRecipient(db: Kysely<DB>, outgoingId: string, kind: 'unit' | 'agency' | 'external', statusCode: string | null) {
  await db.insertInto('outgoingRecipient').values({ outgoingId, kind, name: `Nơi nhận ${kind}`, statusCode, statusAt: statusCode ? new Date() : null }).execute();
}
