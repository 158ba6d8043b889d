import { expect, test } from 'vitest';
import { useTestDb } from '../../../test/app.ts';
import { makeAgency } from '../../../test/factories.ts';
import { setGoverningNames } from './2026_12_07_1100_agency_governing_name.ts';

const t = useTestDb();

test('agencies there before the migration print their parent as cơ quan chủ quản, except an Ủy ban or Hội đồng nhân dân and an agency without a parent', async () => {
  const province = await makeAgency(t.db, { name: 'Ủy ban nhân dân tỉnh Trước' });
  const department = await makeAgency(t.db, { parentId: province.id, name: 'Sở Nội vụ tỉnh Trước', level: 'department' });
  const commune = await makeAgency(t.db, { parentId: province.id, name: 'Uỷ ban nhân dân xã Trước', level: 'commune' });
  const council = await makeAgency(t.db, { parentId: province.id, name: 'HỘI ĐỒNG NHÂN DÂN XÃ TRƯỚC', level: 'commune' });
  await setGoverningNames(t.db);
  const governing = async (id: string) => (await t.db.selectFrom('agency').select('governingName').where('id', '=', id).executeTakeFirstOrThrow()).governingName;
  expect(await governing(department.id)).toBe('Ủy ban nhân dân tỉnh Trước');
  expect(await governing(commune.id)).toBeNull();
  expect(await governing(council.id)).toBeNull();
  expect(await governing(province.id)).toBeNull();
});
