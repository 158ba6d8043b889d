import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/client.ts';
import type { Actor, Role } from '../../policies/actor.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { searchTextOf } from '../incoming/incoming.repository.ts';
import { outgoingSearchTextOf } from '../outgoing/outgoing.repository.ts';

/** A small agency for records tests: a unit with a staff member and a colleague, a clerk, a leader, an archivist, and staff of another unit. */
export async function makeRecordsAgency(db: Kysely<DB>) {
  const agencyId = (await makeAgency(db)).id;
  const [unitId, otherUnitId] = [(await makeUnit(db, agencyId)).id, (await makeUnit(db, agencyId)).id];
  const u = async (roles: Role[], unit: string | null = null) => (await makeUser(db, { agencyId, roles, unitId: unit })).actor;
  return {
    agencyId, unitId,
    staff: await u(['staff'], unitId), colleague: await u(['staff'], unitId), otherStaff: await u(['staff'], otherUnitId),
    clerk: await u(['clerk']), leader: await u(['leader']), archivist: await u(['archivist']),
  };
}

/** A registered incoming document assigned (lead) to `handler`, in the given status, dated `documentDate`, found by its words as registration makes it. */
export async function makeIncomingFor(db: Kysely<DB>, handler: Actor, o: { status?: string; documentDate?: string; secrecy?: 'thuong' | 'mat'; subject?: string; pageCount?: number; number?: string; notation?: string; issuerName?: string } = {}) {
  const fields = { subject: o.subject ?? 'Về việc triển khai chuyển đổi số', number: o.number ?? '12', notation: o.notation ?? 'UBND-VP', issuerName: o.issuerName ?? 'UBND tỉnh Thái Hòa' };
  const doc = await db.insertInto('incomingDocument').values({
    agencyId: handler.agencyId, source: 'paper', status: o.status ?? 'assigned', secrecy: o.secrecy ?? 'thuong', ...fields, searchText: searchTextOf(fields),
    documentDate: o.documentDate ?? '2026-03-02', pageCount: o.pageCount ?? 2, typeCode: 'cong_van', arrivalNumber: 5, arrivalYear: 2026,
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('incomingAssignment').values({ incomingId: doc.id, role: 'lead', userId: handler.id, assignedBy: handler.id }).execute();
  return doc.id;
}

/** An outgoing document drafted by `drafter`, issued on `issuedAt` (or in another status). */
export async function makeOutgoingBy(db: Kysely<DB>, drafter: Actor, o: { status?: string; issuedAt?: string; subject?: string } = {}) {
  const status = o.status ?? 'issued';
  const fields = { subject: o.subject ?? 'Báo cáo kết quả chuyển đổi số', number: status === 'issued' ? 7 : null, notation: status === 'issued' ? 'UBND-TH' : null };
  return (await db.insertInto('outgoingDocument').values({
    agencyId: drafter.agencyId, createdBy: drafter.id, typeCode: 'cong_van', status, ...fields, searchText: outgoingSearchTextOf(fields),
    ...(status === 'issued' && { year: 2026, issuedAt: new Date(o.issuedAt ?? '2026-04-10T03:00:00Z') }),
  }).returning('id').executeTakeFirstOrThrow()).id;
}
