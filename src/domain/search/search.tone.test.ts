import { describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { listIncoming } from '../incoming/incoming-query.service.ts';
import { listOutgoing } from '../outgoing/outgoing.service.ts';
import { findDocumentsToFile, listRecordsFiles } from '../records/records.service.ts';
import { recordsRepo } from '../records/records.repository.ts';
import { makeIncomingFor, makeOutgoingBy, makeRecordsAgency } from '../records/records.testing.ts';

const t = useTestDb();

describe('a word found whichever way its tone mark is placed («hòa» or «hoà», «Ủy» or «Uỷ»)', () => {
  test('incoming and outgoing documents and work files typed one way are found by the other, and by words without diacritics as before', async () => {
    const w = await makeRecordsAgency(t.db);
    const incoming = await makeIncomingFor(t.db, w.staff, { subject: 'Về việc hòa giải ở cơ sở', issuerName: 'Uỷ ban nhân dân huyện Thuỷ Nguyên' });
    const outgoing = await makeOutgoingBy(t.db, w.staff, { subject: 'Báo cáo công tác phòng chống thiên tai, thủy lợi năm 2026' });
    const file = (await recordsRepo.insertFile(t.db, { agencyId: w.agencyId, year: 2026, notation: '05.TP', title: 'Hồ sơ hoà giải viên khoẻ mạnh', retention: '10', ownerId: w.staff.id, unitId: w.unitId })).id;
    const inc = async (q: string) => (await listIncoming({ db: t.db, actor: w.staff, query: { box: 'all', limit: 50, offset: 0, q } })).map((d) => d.id);
    const out = async (search: string) => (await listOutgoing({ db: t.db, actor: w.staff, query: { box: 'all', limit: 50, offset: 0, search, order: 'relevance' } })).map((d) => d.id);
    const files = async (q: string) => (await listRecordsFiles({ db: t.db, actor: w.staff, query: { scope: 'mine', q, order: 'relevance' } })).map((f) => f.id);

    for (const q of ['hoà giải', 'hòa giải', 'HOÀ GIẢI', 'hoa giai', 'Ủy ban Thủy Nguyên', 'uỷ ban thuỷ nguyên']) expect(await inc(q), q).toEqual([incoming]);
    for (const q of ['thuỷ lợi', 'thủy lợi', 'thuy loi']) expect(await out(q), q).toEqual([outgoing]);
    for (const q of ['hòa giải', 'hoà giải', 'khỏe', 'khoẻ']) expect(await files(q), q).toEqual([file]);
    // a word that is not there still finds nothing
    expect(await inc('hoà bình')).toEqual([]);
  });

  test('the «Cơ quan ban hành» filter of the incoming list finds the name either way', async () => {
    const w = await makeRecordsAgency(t.db);
    const incoming = await makeIncomingFor(t.db, w.staff, { subject: 'Về việc tổng kết năm', issuerName: 'Ủy ban nhân dân tỉnh Thái Hòa' });
    const byIssuer = async (issuer: string) => (await listIncoming({ db: t.db, actor: w.staff, query: { box: 'all', limit: 50, offset: 0, issuer } })).map((d) => d.id);
    for (const issuer of ['Thái Hòa', 'Thái Hoà', 'thái hoà', 'Uỷ ban nhân dân tỉnh Thái Hoà', '  Ủy ban  ']) expect(await byIssuer(issuer), issuer).toEqual([incoming]);
    expect(await byIssuer('Thái Bình')).toEqual([]);
  });

  test('the documents offered to a file are found either way too', async () => {
    const w = await makeRecordsAgency(t.db);
    const incoming = await makeIncomingFor(t.db, w.staff, { subject: 'Về việc hòa giải ở cơ sở', status: 'done' });
    const file = (await recordsRepo.insertFile(t.db, { agencyId: w.agencyId, year: 2026, notation: '06.TP', title: 'Hồ sơ tư pháp', retention: '10', ownerId: w.staff.id, unitId: w.unitId })).id;
    const found = async (q: string) => (await findDocumentsToFile({ db: t.db, actor: w.staff, fileId: file, q })).map((d) => d.ownerId);
    expect(await found('hoà giải')).toEqual([incoming]);
    expect(await found('hòa giải')).toEqual([incoming]);
  });
});
