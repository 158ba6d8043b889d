import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/client.ts';
import { audit, SYSTEM_ACTOR } from '../../platform/audit/audit.ts';
import type { Role } from '../../policies/actor.ts';
import { hashPassword } from '../auth/passwords.ts';
import { defaultGoverningName } from './orgs.service.ts';
import { seedDemoRecords } from '../records/records.demo.ts';
import { nameSortKey } from '../users/users.sort-key.ts';

/** The password of every demo account (demo mode only; printed at start and shown on the login page). */
export const DEMO_PASSWORD = 'Vanthu@2026';

type DemoAgency = { key: string; parentKey?: string; code: string; name: string; shortName: string; level: 'province' | 'department' | 'commune'; placeName: string; units: { name: string; shortName: string }[] };

// A fictional province (H99 is not a real province code) with its People's Committee, one department and one commune.
const AGENCIES: DemoAgency[] = [
  { key: 'tinh', code: '000.00.00.H99', name: 'Ủy ban nhân dân tỉnh Thái Hòa', shortName: 'UBND', level: 'province', placeName: 'Thái Hòa',
    units: [{ name: 'Văn phòng', shortName: 'VP' }, { name: 'Phòng Tổng hợp', shortName: 'TH' }, { name: 'Phòng Kinh tế', shortName: 'KT' }] },
  { key: 'snv', parentKey: 'tinh', code: '000.00.01.H99', name: 'Sở Nội vụ tỉnh Thái Hòa', shortName: 'SNV', level: 'department', placeName: 'Thái Hòa',
    units: [{ name: 'Văn phòng Sở', shortName: 'VP' }, { name: 'Phòng Công chức, viên chức', shortName: 'CCVC' }] },
  { key: 'xa', parentKey: 'tinh', code: '000.00.31.H99', name: 'Ủy ban nhân dân xã Tân Lập', shortName: 'UBND', level: 'commune', placeName: 'Tân Lập',
    units: [{ name: 'Văn phòng HĐND và UBND', shortName: 'VP' }, { name: 'Phòng Kinh tế', shortName: 'KT' }] },
];

type DemoUser = { agencyKey: string; username: string; fullName: string; position: string; unit: string; roles: Role[]; roleLabel: string };

const USERS: DemoUser[] = [
  { agencyKey: 'tinh', username: 'vanthu', fullName: 'Nguyễn Thị Hoa', position: 'Văn thư', unit: 'Văn phòng', roles: ['clerk'], roleLabel: 'Văn thư' },
  { agencyKey: 'tinh', username: 'lanhdao', fullName: 'Trần Văn Minh', position: 'Chủ tịch', unit: 'Văn phòng', roles: ['leader'], roleLabel: 'Lãnh đạo cơ quan' },
  { agencyKey: 'tinh', username: 'phochutich', fullName: 'Lê Thị Thu', position: 'Phó Chủ tịch', unit: 'Văn phòng', roles: ['leader'], roleLabel: 'Lãnh đạo cơ quan (cấp phó)' },
  { agencyKey: 'tinh', username: 'truongphong', fullName: 'Phạm Quốc Huy', position: 'Trưởng phòng Tổng hợp', unit: 'Phòng Tổng hợp', roles: ['unit_head'], roleLabel: 'Lãnh đạo đơn vị' },
  { agencyKey: 'tinh', username: 'chuyenvien', fullName: 'Hoàng Văn Nam', position: 'Chuyên viên', unit: 'Phòng Tổng hợp', roles: ['staff'], roleLabel: 'Chuyên viên' },
  { agencyKey: 'tinh', username: 'luutru', fullName: 'Đỗ Thị Lan', position: 'Lưu trữ viên', unit: 'Văn phòng', roles: ['archivist'], roleLabel: 'Lưu trữ' },
  { agencyKey: 'tinh', username: 'quantri', fullName: 'Vũ Đức Anh', position: 'Quản trị hệ thống', unit: 'Văn phòng', roles: ['admin', 'province_admin'], roleLabel: 'Quản trị (cấp tỉnh)' },
  { agencyKey: 'snv', username: 'snv.vanthu', fullName: 'Bùi Thị Mai', position: 'Văn thư', unit: 'Văn phòng Sở', roles: ['clerk'], roleLabel: 'Văn thư Sở Nội vụ' },
  { agencyKey: 'snv', username: 'snv.giamdoc', fullName: 'Ngô Văn Tài', position: 'Giám đốc', unit: 'Văn phòng Sở', roles: ['leader'], roleLabel: 'Lãnh đạo Sở Nội vụ' },
  { agencyKey: 'snv', username: 'snv.chuyenvien', fullName: 'Đặng Thị Hạnh', position: 'Chuyên viên', unit: 'Phòng Công chức, viên chức', roles: ['staff'], roleLabel: 'Chuyên viên Sở Nội vụ' },
  { agencyKey: 'snv', username: 'snv.quantri', fullName: 'Lý Văn Khoa', position: 'Quản trị hệ thống', unit: 'Văn phòng Sở', roles: ['admin'], roleLabel: 'Quản trị Sở Nội vụ' },
  { agencyKey: 'xa', username: 'xa.vanthu', fullName: 'Mai Thị Ngọc', position: 'Văn thư', unit: 'Văn phòng HĐND và UBND', roles: ['clerk'], roleLabel: 'Văn thư xã' },
  { agencyKey: 'xa', username: 'xa.chutich', fullName: 'Trịnh Văn Sơn', position: 'Chủ tịch', unit: 'Văn phòng HĐND và UBND', roles: ['leader'], roleLabel: 'Lãnh đạo xã' },
  { agencyKey: 'xa', username: 'xa.chuyenvien', fullName: 'Cao Thị Yến', position: 'Công chức', unit: 'Phòng Kinh tế', roles: ['staff'], roleLabel: 'Công chức xã' },
];

/** The demo accounts, for the console banner and the login page (demo mode only). */
export const DEMO_LOGINS = USERS.map((u) => ({ username: u.username, fullName: u.fullName, role: u.roleLabel, agency: AGENCIES.find((a) => a.key === u.agencyKey)?.name ?? '' }));

/**
 * Creates the demo province once (idempotent: does nothing when the province agency exists).
 * Returns whether it seeded. One transaction: a failed seed leaves nothing behind.
 */
export async function seedDemo(db: Kysely<DB>): Promise<boolean> {
  const first = AGENCIES[0];
  if (!first || (await db.selectFrom('agency').select('id').where('code', '=', first.code).executeTakeFirst())) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (tx) => {
    const agencyIds = new Map<string, string>();
    const unitIds = new Map<string, string>();
    for (const a of AGENCIES) {
      const parentId = a.parentKey ? agencyIds.get(a.parentKey) : null;
      const governingName = defaultGoverningName(a, AGENCIES.find((p) => p.key === a.parentKey));
      const row = await tx.insertInto('agency').values({ parentId: parentId ?? null, code: a.code, name: a.name, shortName: a.shortName, level: a.level, placeName: a.placeName, governingName, email: `vanthu@${a.key}.thaihoa.gov.vn` }).returning('id').executeTakeFirstOrThrow();
      agencyIds.set(a.key, row.id);
      for (const [i, u] of a.units.entries()) {
        const unit = await tx.insertInto('unit').values({ agencyId: row.id, name: u.name, shortName: u.shortName, sortOrder: i }).returning('id').executeTakeFirstOrThrow();
        unitIds.set(`${a.key}/${u.name}`, unit.id);
      }
      await audit(tx, SYSTEM_ACTOR, { type: 'DEMO_SEEDED', entityType: 'agency', entityId: row.id, agencyId: row.id, data: { code: a.code } });
    }
    for (const u of USERS) {
      await tx.insertInto('appUser').values({
        agencyId: agencyIds.get(u.agencyKey) ?? '', unitId: unitIds.get(`${u.agencyKey}/${u.unit}`) ?? null, username: u.username,
        email: `${u.username.replace('.', '_')}@thaihoa.gov.vn`, fullName: u.fullName, nameSortKey: nameSortKey(u.fullName), position: u.position, roles: u.roles, passwordHash,
      }).execute();
    }
    await seedDemoRecords(tx);
  });
  return true;
}
