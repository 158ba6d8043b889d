import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Secrets the server must keep to sign without a person (the agency seal's PKCS#12 password, the axis
 * secrets) are stored encrypted (AES-256-GCM) with a key file DATA_DIR/keys/secret.key (0600, created
 * at first use), so a database dump alone does not reveal them. The key is read once per process.
 */
const keys = new Map<string, Promise<Buffer>>();

function secretKey(dataDir: string): Promise<Buffer> {
  const file = path.join(path.resolve(dataDir), 'keys', 'secret.key');
  let key = keys.get(file);
  if (!key) {
    key = readOrCreateKey(file);
    keys.set(file, key);
    key.catch(() => keys.delete(file));
  }
  return key;
}

/**
 * The key file, created when missing. Several processes (a server and a CLI, or a server's workers) may
 * start on a fresh data directory at once: each writes and fsyncs its own temporary file and links it
 * into place, which fails when another was first; every process then reads the one that won, so no
 * secret is ever sealed with a key that is later replaced. The directory is fsynced before the key is
 * used: a secret committed to the database must not outlive its key after a crash.
 */
async function readOrCreateKey(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(randomBytes(32));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp);
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
  return readFile(file);
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
