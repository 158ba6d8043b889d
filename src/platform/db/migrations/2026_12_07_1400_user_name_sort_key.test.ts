import { expect, test } from 'vitest';
import { useTestDb } from '../../../test/app.ts';
import { makeAgency, makeUser } from '../../../test/factories.ts';
import { nameSortKey } from '../../../domain/users/users.sort-key.ts';
import { setNameSortKeys } from './2026_12_07_1400_user_name_sort_key.ts';

const t = useTestDb();

test('people there before the migration get the key that orders their name, as a new person would', async () => {
  const agencyId = (await makeAgency(t.db)).id;
  await Promise.all(['Vũ Thị Lan', 'Đỗ Văn Hùng', 'Bu\u0300i Thi\u0323 Yê\u0301n'].map((fullName) => makeUser(t.db, { agencyId, fullName })));
  // as before the migration: no key worth the name
  await t.db.updateTable('appUser').set({ nameSortKey: '' }).where('agencyId', '=', agencyId).execute();
  await setNameSortKeys(t.db);
  const keys = await t.db.selectFrom('appUser').select(['fullName', 'nameSortKey']).where('agencyId', '=', agencyId).orderBy('nameSortKey').execute();
  expect(keys.map((k) => k.fullName.normalize('NFC'))).toEqual(['Đỗ Văn Hùng', 'Vũ Thị Lan', 'Bùi Thị Yến']);
  expect(keys.map((k) => k.nameSortKey)).toEqual(['Đỗ Văn Hùng', 'Vũ Thị Lan', 'Bùi Thị Yến'].map(nameSortKey));
});
