import { hash, verify } from '@node-rs/argon2';
import { authWeakPassword } from './auth.errors.ts';

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes); @node-rs/argon2 is N-API.
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id (PHC string). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Checks a password against a stored argon2 hash; false for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A fixed hash to verify against when the login name is unknown, so timing does not reveal it.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('vanthu-dummy-password-for-timing');
  return dummyHash;
}

/** Throws auth.weak_password unless the password is ≥ 8 chars with a letter and a digit, and does not contain the username. */
export function assertStrongPassword(password: string, username: string): void {
  const isWeak = password.length < 8 || password.length > 256 || !/\p{L}/u.test(password) || !/\d/.test(password);
  if (isWeak) throw authWeakPassword();
  // «Quantri@2026» for «quantri» is long, with letters and digits: say why it is refused
  if (password.toLowerCase().includes(username.toLowerCase())) {
    throw authWeakPassword({ reason: 'contains_username' }, { message: `Mật khẩu không được chứa tên đăng nhập («${username}»).` });
  }
}
