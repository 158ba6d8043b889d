import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Secrets the server must keep to sign without a person (the agency seal's PKCS#12 password) are
 * stored encrypted (AES-256-GCM) with a key file DATA_DIR/keys/secret.key (0600, created at first use),
 * so a database dump alone does not reveal them.
 */
async function secretKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, 'keys', 'secret.key');
  try {
    return await readFile(file);
  } catch {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, randomBytes(32), { mode: 0o600, flag: 'wx' });
    await rename(tmp, file);
    return readFile(file);
  }
}

/** Encrypts a secret to a `v1.<iv>.<tag>.<data>` string (base64url parts). */
export async function sealSecret(dataDir: string, plain: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await secretKey(dataDir), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** Whether a stored value is what sealSecret wrote (a clear value stored before encryption is not). */
export function isSealedSecret(value: string): boolean {
  return /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/.test(value);
}

/** Decrypts what sealSecret wrote (throws when the key file changed or the text was altered). */
export async function openSecret(dataDir: string, sealed: string): Promise<string> {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('secret: unknown format');
  const decipher = createDecipheriv('aes-256-gcm', await secretKey(dataDir), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
