import type { Db } from '../../platform/db/client.ts';
import { vietnamYear } from '../registers/registers.service.ts';
import { recordsRepo } from './records.repository.ts';
import { listAgencyUsers } from '../users/users.directory.ts';

type DemoEntry = { heading: string; notation: string; title: string; retention: string; unit: string; owner?: string; openedByOwner?: boolean };

// The People's Committee's plan follows the sample of ND 30 Phụ lục V: headings by unit, numbered inside each heading.
const PLANS: { agencyCode: string; entries: (year: number) => DemoEntry[] }[] = [
  { agencyCode: '000.00.00.H99', entries: (y) => [
    { heading: 'I. TỔNG HỢP', notation: '01.TH', title: `Hồ sơ xây dựng báo cáo tình hình kinh tế - xã hội năm ${y}`, retention: 'permanent', unit: 'Phòng Tổng hợp', owner: 'chuyenvien' },
    { heading: 'I. TỔNG HỢP', notation: '02.TH', title: `Hồ sơ triển khai chuyển đổi số của tỉnh năm ${y}`, retention: '20', unit: 'Phòng Tổng hợp', owner: 'chuyenvien', openedByOwner: true },
    { heading: 'I. TỔNG HỢP', notation: '03.TH', title: `Tập văn bản gửi để biết năm ${y}`, retention: '5', unit: 'Phòng Tổng hợp' },
    { heading: 'II. VĂN PHÒNG', notation: '01.VP', title: `Hồ sơ hội nghị tổng kết công tác văn thư, lưu trữ năm ${y}`, retention: '10', unit: 'Văn phòng', owner: 'vanthu' },
    { heading: 'II. VĂN PHÒNG', notation: '02.VP', title: `Sổ đăng ký văn bản đi, văn bản đến năm ${y}`, retention: '20', unit: 'Văn phòng', owner: 'vanthu', openedByOwner: true },
  ] },
  { agencyCode: '000.00.31.H99', entries: (y) => [
    { heading: '', notation: '01.VP', title: `Hồ sơ tiếp công dân năm ${y}`, retention: '10', unit: 'Văn phòng HĐND và UBND', owner: 'xa.vanthu' },
    { heading: '', notation: '01.KT', title: `Hồ sơ hỗ trợ sản xuất nông nghiệp năm ${y}`, retention: '20', unit: 'Phòng Kinh tế', owner: 'xa.chuyenvien', openedByOwner: true },
  ] },
];

/**
 * The demo province's file plans for this year, and a few files opened from them (empty: documents come
 * from the demo's own flow), inside the demo seed's transaction (its DEMO_SEEDED audit rows cover it).
 */
export async function seedDemoRecords(tx: Db): Promise<void> {
  const year = vietnamYear(new Date());
  for (const plan of PLANS) {
    const agency = await recordsRepo.findAgencyByCode(tx, plan.agencyCode);
    if (!agency) continue;
    const people = await listAgencyUsers(tx, agency.id);
    for (const e of plan.entries(year)) {
      const unit = await recordsRepo.findUnitByName(tx, agency.id, e.unit);
      const owner = e.owner ? people.find((u) => u.username === e.owner) : undefined;
      const entry = await recordsRepo.insertPlanEntry(tx, { agencyId: agency.id, year, heading: e.heading, notation: e.notation, title: e.title, retention: e.retention, unitId: unit?.id ?? null, ownerId: owner?.id ?? null });
      if (e.openedByOwner && owner) {
        await recordsRepo.insertFile(tx, { agencyId: agency.id, year, planEntryId: entry.id, notation: e.notation, title: e.title, retention: e.retention, unitId: unit?.id ?? null, ownerId: owner.id });
      }
    }
  }
}
