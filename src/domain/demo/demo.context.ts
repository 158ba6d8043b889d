import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { vietnamDay } from '../../platform/dates.ts';
import type { Actor, Role } from '../../policies/actor.ts';
import { storeUpload, type StoredUpload } from '../files/files.service.ts';
import { formatIssueDate } from '../signing/appearance/appearance.time.ts';
import { demoRepo } from './demo.repository.ts';
import { listAgencyUsers } from '../users/users.directory.ts';

/** The demo province's agencies, by the codes seedDemo gives them. */
export const DEMO_AGENCY_CODES = { tinh: '000.00.00.H99', snv: '000.00.01.H99', xa: '000.00.31.H99' } as const;
export type DemoAgencyKey = keyof typeof DEMO_AGENCY_CODES;

const DEMO_USERNAMES = ['vanthu', 'lanhdao', 'truongphong', 'chuyenvien', 'snv.vanthu', 'xa.vanthu', 'xa.chutich', 'xa.chuyenvien'] as const;
export type DemoUsername = (typeof DEMO_USERNAMES)[number];

type DemoAgency = { id: string; code: string; name: string; shortName: string; governingName: string | null };
type DemoUser = { actor: Actor; position: string };

/** What every demo story works with: the services' dependencies, today in Vietnam, and the demo's people and places. */
export type DemoCtx = {
  deps: AppDeps;
  db: Kysely<DB>;
  /** Today in Vietnam (YYYY-MM-DD): every date of the demo is relative to it, so the demo always looks current. */
  today: string;
  year: number;
  agency: (key: DemoAgencyKey) => DemoAgency;
  user: (username: DemoUsername) => DemoUser;
  actor: (username: DemoUsername) => Actor;
  unitId: (key: DemoAgencyKey, name: string) => Promise<string>;
};

/** Loads the demo province's agencies and accounts (seedDemo's); throws when one is missing. */
export async function loadDemoCtx(deps: AppDeps, now = new Date()): Promise<DemoCtx> {
  const agencies = new Map<DemoAgencyKey, DemoAgency>();
  for (const [key, code] of Object.entries(DEMO_AGENCY_CODES) as [DemoAgencyKey, string][]) {
    const row = await demoRepo.agencyByCode(deps.db, code);
    if (!row) throw new Error(`demo agency ${code} is missing`);
    agencies.set(key, row);
  }
  const users = new Map<string, DemoUser>();
  // the demo's active accounts, found among its agencies' people (seedDemo puts each in one of them)
  const people = (await Promise.all([...agencies.values()].map((a) => listAgencyUsers(deps.db, a.id)))).flat();
  for (const u of people.filter((p) => p.isActive && (DEMO_USERNAMES as readonly string[]).includes(p.username))) {
    users.set(u.username, { position: u.position, actor: { id: u.id, agencyId: u.agencyId, unitId: u.unitId, username: u.username, fullName: u.fullName, roles: u.roles as Role[] } });
  }
  const pick = <K, V>(map: Map<K, V>, key: K): V => {
    const found = map.get(key);
    if (!found) throw new Error(`demo: ${String(key)} is missing`);
    return found;
  };
  const today = vietnamDay(now);
  return {
    deps, db: deps.db, today, year: Number(today.slice(0, 4)),
    agency: (key) => pick(agencies, key),
    user: (username) => pick(users, username),
    actor: (username) => pick(users, username).actor,
    unitId: async (key, name) => {
      const unit = await demoRepo.unitByName(deps.db, pick(agencies, key).id, name);
      if (!unit) throw new Error(`demo unit ${name} is missing`);
      return unit.id;
    },
  };
}

/** The day `days` after `day` (both YYYY-MM-DD; negative goes back). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The ô 4 line of a document dated `day` ("Thái Hòa, ngày 05 tháng 12 năm 2026"), as issuing writes it. */
export function placeDate(place: string, day: string): string {
  return formatIssueDate(place, new Date(`${day}T09:00:00+07:00`));
}

/** Stores PDF bytes as an upload (blob written and recorded), as the browser's upload would be. */
export function storePdf(c: DemoCtx, bytes: Uint8Array, fileName: string): Promise<StoredUpload> {
  return storeUpload(c.deps, { source: bytes, fileName, contentType: 'application/pdf' });
}
