import { describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { makeUser } from '../../test/factories.ts';
import { findUserByLogin, lockUserForCredentials, updateCredentials } from './users.credentials.ts';

const t = useTestDb();

describe('the credentials door auth signs in through', () => {
  test('finds a user by login with their secrets, and writes the lock-out counters in a transaction', async () => {
    const { user } = await makeUser(t.db, { roles: ['staff'] });
    const found = await findUserByLogin(t.db, `  ${user.username.toUpperCase()} `);
    expect(found).toMatchObject({ id: user.id, failedLoginCount: 0 });
    expect(typeof found?.passwordHash).toBe('string');
    await t.db.transaction().execute(async (tx) => {
      const locked = await lockUserForCredentials(tx, user.id);
      await updateCredentials(tx, user.id, { failedLoginCount: (locked?.failedLoginCount ?? 0) + 1 });
    });
    expect((await findUserByLogin(t.db, user.username))?.failedLoginCount).toBe(1);
  });

  test('cannot change a user\'s roles, agency or active flag (refused by the type checker)', async () => {
    const { user } = await makeUser(t.db, { roles: ['staff'] });
    const attempt = () =>
      // @ts-expect-error roles are the users service's to change, with its audit row, not auth's
      updateCredentials(t.db, user.id, { roles: ['admin'], isActive: true });
    expect(typeof attempt).toBe('function');
    expect((await findUserByLogin(t.db, user.username))?.roles).toEqual(['staff']);
  });
});
