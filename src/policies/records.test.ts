import { describe, expect, test } from 'vitest';
import { can } from './index.ts';
import type { Actor, Role } from './actor.ts';
import { canListKeptRecordsFile, recordsFileHandOverBy, recordsFileKeptListFor, recordsFileVisibleTo, type RecordsFileSubject, type RecordsKeepSubject } from './records.ts';
import { useTestDb } from '../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../test/factories.ts';

const actor = (id: string, roles: Role[], o: { agencyId?: string; unitId?: string | null } = {}): Actor =>
  ({ id, agencyId: o.agencyId ?? 'A', unitId: o.unitId ?? null, username: id, fullName: id, roles });
const file = (o: Partial<RecordsFileSubject> = {}): RecordsFileSubject => ({ agencyId: 'A', ownerId: 'owner', unitId: 'U1', status: 'open', ...o });
/** A closed file with a hand-over date and no keep-back asked. */
const due = (o: Partial<RecordsKeepSubject> = {}): RecordsKeepSubject => ({ ...file({ status: 'closed' }), hasHandOverDue: true, keepStatus: null, isExtensionPending: false, ...o });

describe('records rules', () => {
  test("a file is seen by its owner, the people of its unit and the agency's clerks, leaders and archivists", () => {
    expect(can(actor('owner', ['staff']), 'records.file.view', file())).toBe(true);
    expect(can(actor('colleague', ['staff'], { unitId: 'U1' }), 'records.file.view', file())).toBe(true);
    for (const r of ['clerk', 'leader', 'archivist'] as Role[]) expect(can(actor('x', [r]), 'records.file.view', file())).toBe(true);
  });
  test("staff of another unit and every user of another agency see nothing", () => {
    expect(can(actor('other', ['staff'], { unitId: 'U2' }), 'records.file.view', file())).toBe(false);
    expect(can(actor('other', ['unit_head'], { unitId: 'U2' }), 'records.file.view', file())).toBe(false);
    expect(can(actor('owner', ['staff'], { agencyId: 'B' }), 'records.file.view', file())).toBe(false);
    expect(can(actor('c', ['clerk', 'leader', 'archivist'], { agencyId: 'B' }), 'records.file.view', file())).toBe(false);
  });
  test('the file plan is drawn up by the clerk or the admin of the agency only', () => {
    expect(can(actor('c', ['clerk']), 'records.plan.manage', { agencyId: 'A' })).toBe(true);
    expect(can(actor('a', ['admin']), 'records.plan.manage', { agencyId: 'A' })).toBe(true);
    for (const r of ['staff', 'leader', 'unit_head', 'archivist'] as Role[]) expect(can(actor('x', [r]), 'records.plan.manage', { agencyId: 'A' })).toBe(false);
    expect(can(actor('c', ['clerk'], { agencyId: 'B' }), 'records.plan.manage', { agencyId: 'A' })).toBe(false);
  });
  test('an open file is edited and closed by its owner or a clerk, not by a colleague of the unit', () => {
    for (const a of ['records.file.edit', 'records.file.close']) {
      expect(can(actor('owner', ['staff']), a, file())).toBe(true);
      expect(can(actor('c', ['clerk']), a, file())).toBe(true);
      expect(can(actor('colleague', ['staff'], { unitId: 'U1' }), a, file())).toBe(false);
      expect(can(actor('l', ['leader']), a, file())).toBe(false);
      expect(can(actor('owner', ['staff']), a, file({ status: 'closed' }))).toBe(false);
    }
  });
  test('a closed file is handed over by its keeper, the head of its unit, the clerk or the archivist (ND 30 Art. 30.3.b, 31.3.a)', () => {
    const closed = file({ status: 'closed' });
    expect(can(actor('owner', ['staff']), 'records.file.hand_over', closed)).toBe(true);
    expect(can(actor('head', ['unit_head'], { unitId: 'U1' }), 'records.file.hand_over', closed)).toBe(true);
    expect(can(actor('c', ['clerk']), 'records.file.hand_over', closed)).toBe(true);
    expect(can(actor('ar', ['archivist']), 'records.file.hand_over', closed)).toBe(true);
  });
  test("nobody hands over an open file, another staff member's file, another unit's file or another agency's file", () => {
    const closed = file({ status: 'closed' });
    expect(can(actor('owner', ['staff']), 'records.file.hand_over', file({ status: 'open' }))).toBe(false);
    expect(can(actor('c', ['clerk']), 'records.file.hand_over', file({ status: 'open' }))).toBe(false);
    expect(can(actor('colleague', ['staff'], { unitId: 'U1' }), 'records.file.hand_over', closed)).toBe(false);
    expect(can(actor('l', ['leader']), 'records.file.hand_over', closed)).toBe(false);
    expect(can(actor('head', ['unit_head'], { unitId: 'U2' }), 'records.file.hand_over', closed)).toBe(false);
    expect(can(actor('head', ['unit_head'], { unitId: 'U1' }), 'records.file.hand_over', file({ status: 'closed', unitId: null }))).toBe(false);
    expect(can(actor('owner', ['staff'], { agencyId: 'B' }), 'records.file.hand_over', closed)).toBe(false);
    expect(can(actor('head', ['unit_head'], { agencyId: 'B', unitId: 'U1' }), 'records.file.hand_over', closed)).toBe(false);
    expect(can(actor('c', ['clerk', 'archivist'], { agencyId: 'B' }), 'records.file.hand_over', closed)).toBe(false);
  });
  test('a closed file with a hand-over date is asked to be kept back by its keeper or the head of its unit (ND 30 Art. 31.3.d)', () => {
    expect(can(actor('owner', ['staff']), 'records.file.keep', due())).toBe(true);
    expect(can(actor('head', ['unit_head'], { unitId: 'U1' }), 'records.file.keep', due())).toBe(true);
    expect(can(actor('owner', ['staff']), 'records.file.keep', due({ keepStatus: 'refused' }))).toBe(true);
  });
  test('nobody else asks, nor asks twice, nor for a file open, handed over or without a hand-over date', () => {
    for (const who of [actor('colleague', ['staff'], { unitId: 'U1' }), actor('head', ['unit_head'], { unitId: 'U2' }), actor('c', ['clerk']), actor('ar', ['archivist']),
      actor('l', ['leader']), actor('owner', ['staff'], { agencyId: 'B' }), actor('head', ['unit_head'], { agencyId: 'B', unitId: 'U1' })]) {
      expect(can(who, 'records.file.keep', due()), who.id).toBe(false);
    }
    for (const f of [due({ keepStatus: 'requested' }), due({ keepStatus: 'approved' }), due({ status: 'open' }), due({ status: 'handed_over' }), due({ hasHandOverDue: false })]) {
      expect(can(actor('owner', ['staff']), 'records.file.keep', f)).toBe(false);
    }
  });
  test('a leader of the agency, and only one, agrees or refuses a waiting request («người đứng đầu cơ quan, tổ chức đồng ý»)', () => {
    expect(can(actor('l', ['leader']), 'records.file.keep.decide', due({ keepStatus: 'requested' }))).toBe(true);
    for (const who of [actor('owner', ['staff']), actor('head', ['unit_head'], { unitId: 'U1' }), actor('c', ['clerk']), actor('ar', ['archivist']), actor('ad', ['admin']), actor('l', ['leader'], { agencyId: 'B' })]) {
      expect(can(who, 'records.file.keep.decide', due({ keepStatus: 'requested' })), who.id).toBe(false);
    }
    for (const keepStatus of [null, 'approved', 'refused']) expect(can(actor('l', ['leader']), 'records.file.keep.decide', due({ keepStatus }))).toBe(false);
  });
  test('a keep agreed is extended by its keeper or the head of its unit, one request at a time; a leader answers the extension waiting', () => {
    const kept = due({ keepStatus: 'approved' });
    expect(can(actor('owner', ['staff']), 'records.file.keep.extend', kept)).toBe(true);
    expect(can(actor('head', ['unit_head'], { unitId: 'U1' }), 'records.file.keep.extend', kept)).toBe(true);
    for (const who of [actor('colleague', ['staff'], { unitId: 'U1' }), actor('head', ['unit_head'], { unitId: 'U2' }), actor('c', ['clerk']), actor('ar', ['archivist']),
      actor('l', ['leader']), actor('owner', ['staff'], { agencyId: 'B' })]) {
      expect(can(who, 'records.file.keep.extend', kept), who.id).toBe(false);
    }
    for (const f of [due(), due({ keepStatus: 'requested' }), due({ keepStatus: 'refused' }), due({ keepStatus: 'approved', isExtensionPending: true }), due({ keepStatus: 'approved', status: 'handed_over' })]) {
      expect(can(actor('owner', ['staff']), 'records.file.keep.extend', f)).toBe(false);
    }
    const waiting = due({ keepStatus: 'approved', isExtensionPending: true });
    expect(can(actor('l', ['leader']), 'records.file.keep.decide', waiting)).toBe(true);
    for (const who of [actor('owner', ['staff']), actor('c', ['clerk']), actor('ar', ['archivist']), actor('l', ['leader'], { agencyId: 'B' })]) {
      expect(can(who, 'records.file.keep.decide', waiting), who.id).toBe(false);
    }
  });
  test('the Danh mục hồ sơ giữ lại is read by the clerks, leaders, archivists and unit heads of the agency; not by staff, admins or another agency', () => {
    for (const r of ['clerk', 'leader', 'archivist', 'unit_head'] as Role[]) expect(can(actor('x', [r]), 'records.kept.list', { agencyId: 'A' })).toBe(true);
    for (const r of ['staff', 'admin'] as Role[]) expect(can(actor('x', [r]), 'records.kept.list', { agencyId: 'A' })).toBe(false);
    expect(can(actor('x', ['leader'], { agencyId: 'B' }), 'records.kept.list', { agencyId: 'A' })).toBe(false);
  });
  test('its keeper or the clerk marks a file open or closed as a construction file (XDCB); nobody else, nor once handed over', () => {
    for (const status of ['open', 'closed']) {
      expect(can(actor('owner', ['staff']), 'records.file.construction', file({ status }))).toBe(true);
      expect(can(actor('c', ['clerk']), 'records.file.construction', file({ status }))).toBe(true);
    }
    for (const who of [actor('colleague', ['staff'], { unitId: 'U1' }), actor('head', ['unit_head'], { unitId: 'U1' }), actor('l', ['leader']), actor('ar', ['archivist']), actor('c', ['clerk'], { agencyId: 'B' })]) {
      expect(can(who, 'records.file.construction', file({ status: 'closed' })), who.id).toBe(false);
    }
    expect(can(actor('owner', ['staff']), 'records.file.construction', file({ status: 'handed_over' }))).toBe(false);
  });
  test('a hand-over batch is seen by whoever handed it over, the people of its unit and the agency\'s clerks, leaders and archivists; received by the archivist, once', () => {
    const batch = { agencyId: 'A', unitId: 'U1', handedOverBy: 'owner', receivedAt: null };
    for (const a of [actor('owner', ['staff']), actor('colleague', ['staff'], { unitId: 'U1' }), actor('c', ['clerk']), actor('l', ['leader']), actor('r', ['archivist'])]) {
      expect(can(a, 'records.batch.view', batch)).toBe(true);
    }
    for (const a of [actor('other', ['unit_head'], { unitId: 'U2' }), actor('r', ['archivist'], { agencyId: 'B' })]) expect(can(a, 'records.batch.view', batch)).toBe(false);
    expect(can(actor('r', ['archivist']), 'records.batch.receive', batch)).toBe(true);
    for (const r of ['staff', 'unit_head', 'clerk', 'leader', 'admin'] as Role[]) expect(can(actor('x', [r], { unitId: 'U1' }), 'records.batch.receive', batch)).toBe(false);
    expect(can(actor('r', ['archivist']), 'records.batch.receive', { ...batch, receivedAt: new Date() })).toBe(false);
    expect(can(actor('r', ['archivist'], { agencyId: 'B' }), 'records.batch.receive', batch)).toBe(false);
  });
  test('a handed-over file is changed by nobody, not even its keeper', () => {
    for (const a of ['records.file.edit', 'records.file.close', 'records.file.reopen', 'records.file.hand_over']) {
      expect(can(actor('c', ['clerk', 'archivist']), a, file({ status: 'handed_over', ownerId: 'c' }))).toBe(false);
      expect(can(actor('owner', ['staff']), a, file({ status: 'handed_over' }))).toBe(false);
    }
  });
});

describe('the list rule (SQL) agrees with the single-read rule', () => {
  const t = useTestDb();

  test('for every actor and file of a small agency, recordsFileVisibleTo, recordsFileHandOverBy and recordsFileKeptListFor return exactly what records.file.view, records.file.hand_over and the kept list allow', async () => {
    const db = t.db;
    const agencyId = (await makeAgency(db)).id;
    const [u1, u2] = [(await makeUnit(db, agencyId)).id, (await makeUnit(db, agencyId)).id];
    const u = async (roles: Role[], unitId: string | null = null, agency = agencyId) => (await makeUser(db, { agencyId: agency, roles, unitId })).actor;
    const [owner, otherUnitStaff, noUnitStaff] = [await u(['staff'], u1), await u(['staff'], u2), await u(['staff'])];
    const actors = [owner, otherUnitStaff, noUnitStaff, await u(['staff'], u1), await u(['unit_head'], u2), await u(['unit_head'], u1), await u(['clerk']), await u(['leader']),
      await u(['archivist']), await u(['admin']), await u(['clerk'], null, (await makeAgency(db)).id)];
    const specs = [{ ownerId: owner.id, unitId: u1 }, { ownerId: owner.id, unitId: null }, { ownerId: otherUnitStaff.id, unitId: u2 }, { ownerId: noUnitStaff.id, unitId: null }];
    const files: { id: string; subject: RecordsFileSubject }[] = [];
    for (const [i, s] of specs.entries()) {
      const row = await db.insertInto('recordsFile').values({ agencyId, year: 2026, notation: `0${i + 1}.TH`, title: 'Hồ sơ', retention: '10', ...s })
        .returning('id').executeTakeFirstOrThrow();
      files.push({ id: row.id, subject: { agencyId, status: 'open', ...s } });
    }
    for (const a of actors) {
      const listed = (await db.selectFrom('recordsFile').select('id').where(recordsFileVisibleTo(a)).execute()).map((r) => r.id).sort();
      const allowed = files.filter((f) => can(a, 'records.file.view', f.subject)).map((f) => f.id).sort();
      expect(listed, `actor ${a.roles.join(',')}`).toEqual(allowed);
      // the hand-over reminder's SQL agrees with the hand-over rule (asked of the files as if closed)
      const handedBy = (await db.selectFrom('recordsFile').select('id').where(recordsFileHandOverBy(a)).execute()).map((r) => r.id).sort();
      const mayHandOver = files.filter((f) => can(a, 'records.file.hand_over', { ...f.subject, status: 'closed' })).map((f) => f.id).sort();
      expect(handedBy, `hand-over, actor ${a.roles.join(',')}`).toEqual(mayHandOver);
      // the Danh mục hồ sơ giữ lại's SQL agrees with its rule, for whoever may read it
      if (can(a, 'records.kept.list', { agencyId: a.agencyId })) {
        const kept = (await db.selectFrom('recordsFile').select('id').where(recordsFileKeptListFor(a)).execute()).map((r) => r.id).sort();
        expect(kept, `kept list, actor ${a.roles.join(',')}`).toEqual(files.filter((f) => canListKeptRecordsFile(a, f.subject)).map((f) => f.id).sort());
      }
    }
  });
});
