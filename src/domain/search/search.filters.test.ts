import { describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { listIncoming } from '../incoming/incoming-query.service.ts';
import { listOutgoing } from '../outgoing/outgoing.service.ts';
import { listRecordsFiles } from '../records/records.service.ts';
import { makeIncomingFor, makeOutgoingBy, makeRecordsAgency } from '../records/records.testing.ts';

const t = useTestDb();

describe('the search page’s fields and order on the three lists (ND 30 Phụ lục VI III.6.d, g)', () => {
  test('incoming documents are found by date range, type and part of the issuer’s name, newest or oldest first', async () => {
    const w = await makeRecordsAgency(t.db);
    const march = await makeIncomingFor(t.db, w.staff, { documentDate: '2026-03-02', issuerName: 'Sở Tài chính tỉnh Thái Hòa' });
    const may = await makeIncomingFor(t.db, w.staff, { documentDate: '2026-05-20', issuerName: 'UBND huyện Đông Sơn' });
    await t.db.updateTable('incomingDocument').set({ typeCode: 'quyet_dinh' }).where('id', '=', may).execute();
    const ids = async (q: Record<string, string>) => (await listIncoming({ db: t.db, actor: w.staff, query: { box: 'all', limit: 50, offset: 0, ...q } })).map((d) => d.id);

    expect(await ids({ from: '2026-03-01', to: '2026-03-31' })).toEqual([march]);
    expect(await ids({ from: '2026-05-20' })).toEqual([may]);
    expect(await ids({ to: '2026-05-19' })).toEqual([march]);
    expect(await ids({ typeCode: 'quyet_dinh' })).toEqual([may]);
    expect(await ids({ issuer: 'tài chính' })).toEqual([march]);
    expect(await ids({ issuer: '100%' })).toEqual([]);
    expect(await ids({ order: 'oldest' })).toEqual([march, may]);
    expect(await ids({ order: 'newest' })).toEqual([may, march]);
  });

  test('outgoing documents are found by status, the day they were issued and type, oldest or newest first', async () => {
    const w = await makeRecordsAgency(t.db);
    const april = await makeOutgoingBy(t.db, w.staff, { issuedAt: '2026-04-10T03:00:00Z' });
    const june = await makeOutgoingBy(t.db, w.staff, { issuedAt: '2026-06-01T18:00:00Z' }); // 2 June in Việt Nam
    const draft = await makeOutgoingBy(t.db, w.staff, { status: 'draft' });
    const ids = async (q: Record<string, string>) => (await listOutgoing({ db: t.db, actor: w.staff, query: { box: 'all', limit: 50, offset: 0, ...q } })).map((d) => d.id);

    expect(await ids({ status: 'draft' })).toEqual([draft]);
    expect(await ids({ from: '2026-06-02', to: '2026-06-02' })).toEqual([june]);
    expect(await ids({ from: '2026-04-01', to: '2026-06-01' })).toEqual([april]);
    expect(await ids({ typeCode: 'quyet_dinh' })).toEqual([]);
    expect(await ids({ status: 'issued', order: 'oldest' })).toEqual([april, june]);
    expect(await ids({ status: 'issued', order: 'newest' })).toEqual([june, april]);
  });

  test('work files come oldest or newest first', async () => {
    const w = await makeRecordsAgency(t.db);
    const open = async (notation: string) => (await t.db.insertInto('recordsFile').values({ agencyId: w.agencyId, year: 2026, notation, title: `Hồ sơ ${notation}`, retention: '10', ownerId: w.staff.id, unitId: w.unitId }).returning('id').executeTakeFirstOrThrow()).id;
    const first = await open('02.VP');
    const second = await open('01.VP');
    await t.db.updateTable('recordsFile').set({ createdAt: new Date('2026-01-05T00:00:00Z') }).where('id', '=', first).execute();
    const ids = async (order?: 'newest' | 'oldest') => (await listRecordsFiles({ db: t.db, actor: w.staff, query: { scope: 'mine', order } })).map((f) => f.id);
    expect(await ids()).toEqual([second, first]); // by số/ký hiệu, as before
    expect(await ids('oldest')).toEqual([first, second]);
    expect(await ids('newest')).toEqual([second, first]);
  });
});
