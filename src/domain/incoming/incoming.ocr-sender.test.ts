import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';

const t = useTestApp();

// the axis directory as a connector syncs it: two «Sở Nội vụ» of two provinces (one named with its province, one
// not), a «xã Sơn Tây» in two districts, the regional treasuries XII and XIII
const DIRECTORY = [
  { code: '000.00.00.H23', name: 'Ủy ban nhân dân tỉnh Hà Tĩnh', parentCode: null },
  { code: '000.00.00.H40', name: 'Ủy ban nhân dân tỉnh Nghệ An', parentCode: null },
  { code: '000.00.05.H23', name: 'Sở Nội vụ tỉnh Hà Tĩnh', parentCode: '000.00.00.H23' },
  { code: '000.00.05.H40', name: 'Sở Nội vụ', parentCode: '000.00.00.H40' },
  { code: '000.31.00.H23', name: 'Ủy ban nhân dân huyện Hương Sơn', parentCode: '000.00.00.H23' },
  { code: '000.25.00.H40', name: 'Ủy ban nhân dân huyện Quỳnh Lưu', parentCode: '000.00.00.H40' },
  { code: '000.31.20.H23', name: 'Ủy ban nhân dân xã Sơn Tây', parentCode: '000.31.00.H23' },
  { code: '000.25.18.H40', name: 'Ủy ban nhân dân xã Sơn Tây', parentCode: '000.25.00.H40' },
  { code: '000.00.00.G12', name: 'Kho bạc Nhà nước', parentCode: null },
  { code: '000.12.00.G12', name: 'Kho bạc Nhà nước khu vực XII', parentCode: '000.00.00.G12' },
  { code: '000.13.00.G12', name: 'Kho bạc Nhà nước khu vực XIII', parentCode: '000.00.00.G12' },
];

// headers as tesseract read them off scans (incoming.ocr-guess.test.ts): capitals, lost spaces, slipped diacritics, specks
const scan = (governing: string, issuer: string) =>
  `${governing}\n${issuer}\n-S6: 45/QB- SNV.\n- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự dọ - Hạnh phúc .\nHà Tĩnh, ngày 12 tháng 11 năm 2026\nQUYẾT ĐỊNH\nVề việc cử công chức\n`;

let world: Awaited<ReturnType<typeof makeWorld>>;
async function makeWorld() {
  await t.db.insertInto('exchangeDirectoryAgency').values(DIRECTORY).execute();
  const me = await makeAgency(t.db, { name: 'Sở Tài chính tỉnh Thái Hòa' });
  const other = await makeAgency(t.db);
  // an agency of this install, not in the directory
  const tnmt = await makeAgency(t.db, { name: 'Sở Tài nguyên và Môi trường tỉnh Nghệ An', code: '000.00.09.H40' });
  await t.db.updateTable('agency').set({ governingName: 'UBND TỈNH NGHỆ AN' }).where('id', '=', tnmt.id).execute();
  // a sender of an earlier document the clerk wrote in by hand
  await t.db.insertInto('incomingDocument').values({ agencyId: me.id, source: 'paper', status: 'registered', issuerName: 'Chi cục Thuế khu vực Hương Sơn - Vũ Quang', issuerCode: '000.00.47.G13' }).execute();
  const clerk = await signedInClient(t.app, t.db, { agencyId: me.id, roles: ['clerk'] });
  const staff = await signedInClient(t.app, t.db, { agencyId: me.id, roles: ['staff'] });
  const leader = await signedInClient(t.app, t.db, { agencyId: me.id, roles: ['leader'] });
  const otherClerk = await signedInClient(t.app, t.db, { agencyId: other.id, roles: ['clerk'] });
  const received = async (ocrText: string | null, source = 'paper') => (await t.db.insertInto('incomingDocument')
    .values({ agencyId: me.id, source, status: 'received', ocrText, ocrStatus: ocrText ? 'done' : 'pending', createdBy: clerk.user.id }).returning('id').executeTakeFirstOrThrow()).id;
  const senderOf = async (ocrText: string) => {
    const res = await clerk.client.get(`/api/incoming/${await received(ocrText)}/ocr-sender`);
    expect(res.status).toBe(200);
    return res.body.data;
  };
  return { agency: () => me, received, senderOf, clerk: clerk.client, staff: staff.client, leader: leader.client, otherClerk: otherClerk.client };
}
beforeAll(async () => {
  world = await makeWorld();
});

describe('the sender of a scan put to a name vanthu knows', () => {
  test('«SỞNỘI VỤ» under «UBND TỈNH HÀ TĨNH» is Hà Tĩnh\'s Sở Nội vụ of the directory, with its code — not Nghệ An\'s', async () => {
    expect(await world.senderOf(scan('ˆUBND TỈNH HÀ TĨNH __..', 'l _SỞNỘI VỤ, ¬'))).toEqual({
      issuerName: 'Sở Nội vụ tỉnh Hà Tĩnh', issuerCode: '000.00.05.H23', matchedFrom: 'directory', printedName: 'SỞ NỘI VỤ', printedGoverning: 'UBND TỈNH HÀ TĨNH',
    });
    expect(await world.senderOf(scan('UBND TỈNH NGHỆ \'AN-', 'SỞ NỘI VỤ'))).toMatchObject({ issuerName: 'Sở Nội vụ', issuerCode: '000.00.05.H40', matchedFrom: 'directory' });
  });

  test('the commune is the one of the district printed above it', async () => {
    expect(await world.senderOf(scan('-UBND HUYỆN QUỲNH LƯU: `', '_ỦY BANNHẬN DẪN `.\nXÃ SƠN TÂY'))).toMatchObject({
      issuerName: 'Ủy ban nhân dân xã Sơn Tây', issuerCode: '000.25.18.H40', matchedFrom: 'directory', printedName: 'ỦY BAN NHÂN DÂN XÃ SƠN TÂY',
    });
    expect(await world.senderOf(scan('-UBND HUYỆN HƯƠNG SƠN: `', 'ỦY BAN NHÂN DÂN\nXÃ SƠN TÂY'))).toMatchObject({ issuerCode: '000.31.20.H23' });
  });

  test('a regional treasury whose numeral OCR misread («XIHI») is XIII, not XII', async () => {
    expect(await world.senderOf(scan('_ BỘ. TÀI CHÍNH X "', 'KHO. ;BẠC NHÀ NƯỚC -. -.\n- KHU VỰCXIHI `'))).toMatchObject({
      issuerName: 'Kho bạc Nhà nước khu vực XIII', issuerCode: '000.13.00.G12', matchedFrom: 'directory',
    });
  });

  test('not in the directory: an agency of this install, then a sender of an earlier document', async () => {
    expect(await world.senderOf(scan('UBND TỈNH NGHỆ AN', '- SỞ TÀI NGUYÊN VÀ. MỖI\n_TRƯỜN G-'))).toMatchObject({
      issuerName: 'Sở Tài nguyên và Môi trường tỉnh Nghệ An', issuerCode: '000.00.09.H40', matchedFrom: 'agency',
    });
    expect(await world.senderOf(scan('CỤC THUẾ TỈNH HÀ TĨNH', 'CHI CỤC THUẾ KHU VỰC HƯƠNG SƠN - VŨ QUANG'))).toMatchObject({
      issuerName: 'Chi cục Thuế khu vực Hương Sơn - Vũ Quang', issuerCode: '000.00.47.G13', matchedFrom: 'earlier',
    });
  });

  test('an earlier sender comes with the code of its latest document, not the greatest code, nor a later one left without a code', async () => {
    const { id: agencyId } = await world.agency();
    const issuerName = 'Trung tâm Lưu trữ lịch sử';
    const earlier = (issuerCode: string, registeredAt: string | null, createdAt: string) =>
      ({ agencyId, source: 'paper', status: registeredAt ? 'registered' : 'received', issuerName, issuerCode, registeredAt, createdAt });
    // what counts is when each was registered (or received, while not yet registered): the greater code was received
    // later but registered earlier; the latest of all was written in by hand without a code
    await t.db.insertInto('incomingDocument').values([
      earlier('000.00.12.H23', '2026-11-02T08:00:00Z', '2026-10-01T08:00:00Z'),
      earlier('000.99.99.H23', '2026-10-05T08:00:00Z', '2026-10-20T08:00:00Z'),
      earlier('000.00.11.H23', null, '2026-10-25T08:00:00Z'),
      earlier('', '2026-11-25T08:00:00Z', '2026-11-25T08:00:00Z'),
    ]).execute();
    expect(await world.senderOf(scan('SỞ NỘI VỤ TỈNH HÀ TĨNH', 'TRUNG TÂM LƯU TRỮ LỊCH SỬ'))).toMatchObject({
      issuerName, issuerCode: '000.00.12.H23', matchedFrom: 'earlier',
    });
  });

  test('a «Sở Nội vụ» of a province none is in is matched to none: the printed name is written as ND 30 writes it, without a code', async () => {
    expect(await world.senderOf(scan('UBND TỈNH QUẢNG BÌNH', 'SỞ NỘI VỤ'))).toEqual({
      issuerName: 'Sở Nội vụ', issuerCode: '', matchedFrom: null, printedName: 'SỞ NỘI VỤ', printedGoverning: 'UBND TỈNH QUẢNG BÌNH',
    });
    expect(await world.senderOf(scan('UBND HUYỆN HƯƠNG SƠN', 'ỦY BAN NHÂN DÂN\nXÃ SƠN TIẾN'))).toMatchObject({ issuerName: 'Ủy ban nhân dân xã Sơn Tiến', issuerCode: '', matchedFrom: null });
  });

  test('a document that is no scan waiting to be registered, or a scan OCR read no sender in, has no suggestion', async () => {
    for (const id of [await world.received(null), await world.received(scan('UBND TỈNH HÀ TĨNH', 'SỞ NỘI VỤ'), 'external'), await world.received('Biên lai thu tiền\n')]) {
      const res = await world.clerk.get(`/api/incoming/${id}/ocr-sender`);
      expect(res.status).toBe(200);
      expect(res.body.data).toBeNull();
    }
  });

  test('only the agency\'s clerk may ask: a leader who sees the scan is refused, staff and another agency\'s clerk do not find it', async () => {
    const id = await world.received(scan('UBND TỈNH HÀ TĨNH', 'SỞ NỘI VỤ'));
    const leader = await world.leader.get(`/api/incoming/${id}/ocr-sender`);
    expect([leader.status, leader.body.error?.code]).toEqual([403, 'forbidden']);
    const staff = await world.staff.get(`/api/incoming/${id}/ocr-sender`);
    expect([staff.status, staff.body.error?.code]).toEqual([404, 'incoming.not_found']);
    const other = await world.otherClerk.get(`/api/incoming/${id}/ocr-sender`);
    expect([other.status, other.body.error?.code]).toEqual([404, 'incoming.not_found']);
  });
});
