import { describe, expect, test } from 'vitest';
import { assertStrongPassword } from './passwords.ts';

describe('the password rule', () => {
  test('a long password with letters and digits that contains the user name is refused saying so, not as «too weak»', () => {
    expect(() => assertStrongPassword('Quantri@2026', 'quantri')).toThrow(expect.objectContaining({
      code: 'auth.weak_password', message: 'Mật khẩu không được chứa tên đăng nhập («quantri»).',
    }));
  });

  test('a short one, or one without a digit, gets the rule in full; a good one passes', () => {
    for (const weak of ['Ab1', 'KhongCoSo!']) {
      expect(() => assertStrongPassword(weak, 'quantri')).toThrow(expect.objectContaining({ message: 'Mật khẩu phải dài ít nhất 8 ký tự, có chữ và số, và không chứa tên đăng nhập.' }));
    }
    expect(() => assertStrongPassword('HoaBinh@2026', 'quantri')).not.toThrow();
  });
});
