import type { AppDeps } from '../../platform/deps.ts';
import type { Db } from '../../platform/db/client.ts';
import { authorize } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { vietnamYear } from '../registers/registers.service.ts';
import { installTrustStore } from '../verification/verification.service.ts';
import { readinessRepo } from './orgs-readiness.repository.ts';
import { listUsersWithRole } from '../users/users.directory.ts';

/** The steps an agency takes before its first day of work, in the order an admin does them. */
export const READINESS_ITEMS = ['agency_info', 'units', 'clerk', 'leader', 'seal_certificate', 'leader_certificate', 'trusted_roots', 'registers', 'records_plan'] as const;
export type ReadinessKey = (typeof READINESS_ITEMS)[number];
/** One step: done or not, and what the checklist shows next to it (the agency's place name, the year…). */
export type ReadinessItem = { key: ReadinessKey; isDone: boolean; facts?: Record<string, string | number | null> };

/**
 * The agency admin's setup checklist («Chuẩn bị đưa vào sử dụng»), computed from the agency's data: địa
 * danh and cơ quan chủ quản saved by an admin, units, an active văn thư and lãnh đạo, a valid seal
 * certificate, a leader's valid personal certificate, the install's trusted roots, registers in use for
 * văn bản đi and đến, and this year's danh mục hồ sơ. Throws forbidden (only the agency's own admins).
 */
export async function agencyReadiness(c: { deps: AppDeps; db: Db; actor: Actor; agencyId: string; now?: Date }) {
  authorize(c.actor, 'agency.readiness', { agencyId: c.agencyId });
  const now = c.now ?? new Date();
  const year = vietnamYear(now);
  const [agency, units, clerks, leaders, seal, leaderCert, registers, planEntries, trust] = await Promise.all([
    readinessRepo.agency(c.db, c.agencyId), readinessRepo.unitCount(c.db, c.agencyId),
    listUsersWithRole(c.db, c.agencyId, 'clerk'), listUsersWithRole(c.db, c.agencyId, 'leader'),
    readinessRepo.hasValidSeal(c.db, c.agencyId, now), readinessRepo.hasLeaderCertificate(c.db, c.agencyId, now),
    readinessRepo.registerCounts(c.db, c.agencyId), readinessRepo.planEntryCount(c.db, c.agencyId, year), installTrustStore(c.deps),
  ]);
  const placeName = agency?.placeName.trim() ?? '';
  // Saved at least once since it was created: the admin has looked at what the province admin typed.
  const isInfoChecked = !!agency && new Date(agency.updatedAt).getTime() > new Date(agency.createdAt).getTime();
  // An agency without registers of a kind gets the default ones at its first document; one whose registers were all stopped cannot number.
  const isRegisterKindReady = (kind: string) => {
    const row = registers.find((r) => r.kind === kind);
    return !row || Number(row.active) > 0;
  };
  const items: ReadinessItem[] = [
    { key: 'agency_info', isDone: placeName !== '' && isInfoChecked, facts: { placeName, governingName: agency?.governingName?.trim() || null } },
    { key: 'units', isDone: units > 0, facts: { count: units } },
    { key: 'clerk', isDone: clerks.length > 0, facts: { count: clerks.length } },
    { key: 'leader', isDone: leaders.length > 0, facts: { count: leaders.length } },
    { key: 'seal_certificate', isDone: seal },
    { key: 'leader_certificate', isDone: leaderCert },
    { key: 'trusted_roots', isDone: trust.anchors.size > 0 },
    { key: 'registers', isDone: isRegisterKindReady('outgoing') && isRegisterKindReady('incoming') },
    { key: 'records_plan', isDone: planEntries > 0, facts: { year, count: planEntries } },
  ];
  return { items, isReady: items.every((i) => i.isDone) };
}
