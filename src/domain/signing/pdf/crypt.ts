/**
 * The standard security handler (ISO 32000-2 §7.6.4): opens a password-protected PDF with its user
 * (or owner) password and gives per-object string/stream encryption and decryption, so an
 * incremental update can be written in the file's own encryption. Revisions 2–6: RC4 40–128 bit
 * (V1/V2), crypt filters V2 / AESV2 (V4, AES-128) and AESV3 (V5, AES-256).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { bytesOf, isArray, isDict, isStream, nameOf, numberOf } from './objects.ts';
import type { PdfDict, PdfObject } from './objects.ts';

/** How strings and streams are encrypted: RC4, AES-128 (per-object keys) or AES-256 (file key). */
type Method = 'rc4' | 'aes128' | 'aes256' | 'none';

/** An unlocked standard security handler. */
export type Security = {
  revision: number;
  fileKey: Uint8Array;
  stringMethod: Method;
  streamMethod: Method;
  encryptMetadata: boolean;
};

/** Why a file could not be unlocked. */
export type UnlockFailure = 'unsupported' | 'wrong_password';

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

/**
 * Checks `password` as the user password, then as the owner password, against the /Encrypt
 * dictionary; returns the handler or why it failed.
 */
export function unlockStandardSecurity(encrypt: PdfDict, id0: Uint8Array, password: string): Security | UnlockFailure {
  if (nameOf(encrypt.entries.get('Filter')) !== 'Standard') return 'unsupported';
  const v = numberOf(encrypt.entries.get('V')) ?? 0;
  const r = numberOf(encrypt.entries.get('R')) ?? 0;
  const o = bytesOf(encrypt.entries.get('O'));
  const u = bytesOf(encrypt.entries.get('U'));
  const p = numberOf(encrypt.entries.get('P'));
  if (!o || !u || p === undefined || r < 2 || r > 6) return 'unsupported';
  const encryptMetadata = encrypt.entries.get('EncryptMetadata') !== false;
  const methods = cryptMethods(encrypt, v);
  if (!methods) return 'unsupported';
  if (r >= 5) {
    const oe = bytesOf(encrypt.entries.get('OE'));
    const ue = bytesOf(encrypt.entries.get('UE'));
    if (!oe || !ue || o.length < 48 || u.length < 48) return 'unsupported';
    const fileKey = unlockAes256(r, Buffer.from(password, 'utf8').subarray(0, 127), o, u, oe, ue);
    return fileKey ? { revision: r, fileKey, ...methods, encryptMetadata } : 'wrong_password';
  }
  const length = r === 2 ? 5 : Math.min(16, Math.max(5, (numberOf(encrypt.entries.get('Length')) ?? 40) / 8));
  const ctx = { r, o, u, p, id0, length, encryptMetadata };
  const latin1 = Buffer.from(password, 'latin1');
  const asUser = checkUserPassword(ctx, latin1);
  if (asUser) return { revision: r, fileKey: asUser, ...methods, encryptMetadata };
  const asOwner = checkUserPassword(ctx, userPasswordFromOwner(ctx, latin1));
  return asOwner ? { revision: r, fileKey: asOwner, ...methods, encryptMetadata } : 'wrong_password';
}

function cryptMethods(encrypt: PdfDict, v: number): { stringMethod: Method; streamMethod: Method } | undefined {
  if (v === 1 || v === 2) return { stringMethod: 'rc4', streamMethod: 'rc4' };
  if (v !== 4 && v !== 5) return undefined;
  const filters = encrypt.entries.get('CF');
  const method = (key: string): Method | undefined => {
    const name = nameOf(encrypt.entries.get(key)) ?? 'Identity';
    if (name === 'Identity') return 'none';
    const filter = isDict(filters) ? filters.entries.get(name) : undefined;
    const cfm = isDict(filter) ? nameOf(filter.entries.get('CFM')) : undefined;
    if (cfm === 'V2') return 'rc4';
    if (cfm === 'AESV2') return 'aes128';
    if (cfm === 'AESV3') return 'aes256';
    if (cfm === 'None') return 'none';
    return undefined;
  };
  const stringMethod = method('StrF');
  const streamMethod = method('StmF');
  return stringMethod && streamMethod ? { stringMethod, streamMethod } : undefined;
}

type LegacyContext = { r: number; o: Uint8Array; u: Uint8Array; p: number; id0: Uint8Array; length: number; encryptMetadata: boolean };

function padded(password: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(password).subarray(0, 32), PAD]).subarray(0, 32);
}

/** Algorithm 2: the file key from a (user) password. */
function legacyFileKey(ctx: LegacyContext, password: Uint8Array): Buffer {
  const p = Buffer.alloc(4);
  p.writeInt32LE(ctx.p | 0);
  const h = createHash('md5').update(padded(password)).update(ctx.o.subarray(0, 32)).update(p).update(ctx.id0);
  if (ctx.r >= 4 && !ctx.encryptMetadata) h.update(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  let key = h.digest();
  if (ctx.r >= 3) for (let i = 0; i < 50; i++) key = createHash('md5').update(key.subarray(0, ctx.length)).digest();
  return key.subarray(0, ctx.length);
}

/** Algorithms 4–6: the key when `password` is the user password, else undefined. */
function checkUserPassword(ctx: LegacyContext, password: Uint8Array): Buffer | undefined {
  const key = legacyFileKey(ctx, password);
  if (ctx.r === 2) return Buffer.from(rc4(key, PAD)).equals(Buffer.from(ctx.u.subarray(0, 32))) ? key : undefined;
  let value = createHash('md5').update(PAD).update(ctx.id0).digest();
  for (let i = 0; i < 20; i++) value = Buffer.from(rc4(xorKey(key, i), value));
  return value.subarray(0, 16).equals(Buffer.from(ctx.u.subarray(0, 16))) ? key : undefined;
}

/** Algorithm 7: the user password recovered from /O with the owner password. */
function userPasswordFromOwner(ctx: LegacyContext, owner: Uint8Array): Uint8Array {
  let key = createHash('md5').update(padded(owner)).digest();
  if (ctx.r >= 3) for (let i = 0; i < 50; i++) key = createHash('md5').update(key).digest();
  key = key.subarray(0, ctx.length);
  let value: Uint8Array = ctx.o.subarray(0, 32);
  if (ctx.r === 2) return rc4(key, value);
  for (let i = 19; i >= 0; i--) value = rc4(xorKey(key, i), value);
  return value;
}

function xorKey(key: Uint8Array, i: number): Buffer {
  return Buffer.from(key.map((b) => b ^ i));
}

/** Revision 5/6: checks the user, then the owner password; returns the file key or undefined. */
function unlockAes256(r: number, password: Buffer, o: Uint8Array, u: Uint8Array, oe: Uint8Array, ue: Uint8Array): Uint8Array | undefined {
  const u48 = u.subarray(0, 48);
  const hash = (salt: Uint8Array, extra: Uint8Array) => (r === 5 ? createHash('sha256').update(password).update(salt).update(extra).digest() : hash2B(password, salt, extra));
  const open = (key: Uint8Array, wrapped: Uint8Array) => {
    const d = createDecipheriv('aes-256-cbc', key, Buffer.alloc(16));
    d.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([d.update(wrapped.subarray(0, 32)), d.final()]));
  };
  if (Buffer.from(hash(u.subarray(32, 40), new Uint8Array(0))).equals(Buffer.from(u.subarray(0, 32)))) return open(hash(u.subarray(40, 48), new Uint8Array(0)), ue);
  if (Buffer.from(hash(o.subarray(32, 40), u48)).equals(Buffer.from(o.subarray(0, 32)))) return open(hash(o.subarray(40, 48), u48), oe);
  return undefined;
}

/** Algorithm 2.B (revision 6). */
function hash2B(password: Uint8Array, salt: Uint8Array, extra: Uint8Array): Buffer {
  let k = createHash('sha256').update(password).update(salt).update(extra).digest();
  for (let round = 0; ; round++) {
    const k1 = Buffer.concat(Array(64).fill(Buffer.concat([password, k, extra])) as Buffer[]);
    const c = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    c.setAutoPadding(false);
    const e = Buffer.concat([c.update(k1), c.final()]);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i] ?? 0;
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3] ?? 'sha256').update(e).digest();
    if (round >= 63 && (e[e.length - 1] ?? 0) <= round - 31) break;
  }
  return k.subarray(0, 32);
}

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] ?? 0) + (key[i % key.length] ?? 0)) & 0xff;
    [s[i], s[j]] = [s[j] ?? 0, s[i] ?? 0];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] ?? 0)) & 0xff;
    [s[i], s[j]] = [s[j] ?? 0, s[i] ?? 0];
    out[n] = (data[n] ?? 0) ^ (s[((s[i] ?? 0) + (s[j] ?? 0)) & 0xff] ?? 0);
  }
  return out;
}

/** Algorithm 1: the key for object `num gen` (the file key itself for AES-256). */
function objectKey(sec: Security, method: Method, num: number, gen: number): Uint8Array {
  if (method === 'aes256') return sec.fileKey;
  const salt = method === 'aes128' ? Buffer.from('sAlT', 'latin1') : Buffer.alloc(0);
  const id = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
  return createHash('md5').update(sec.fileKey).update(id).update(salt).digest().subarray(0, Math.min(16, sec.fileKey.length + 5));
}

function crypt(sec: Security, method: Method, num: number, gen: number, data: Uint8Array, encrypt: boolean): Uint8Array {
  if (method === 'none') return data;
  const key = objectKey(sec, method, num, gen);
  if (method === 'rc4') return rc4(key, data);
  const algorithm = method === 'aes256' ? 'aes-256-cbc' : 'aes-128-cbc';
  if (encrypt) {
    const iv = randomBytes(16);
    const c = createCipheriv(algorithm, key, iv);
    return new Uint8Array(Buffer.concat([iv, c.update(data), c.final()]));
  }
  if (data.length < 32 || data.length % 16 !== 0) return new Uint8Array(0);
  const d = createDecipheriv(algorithm, key, data.subarray(0, 16));
  try {
    return new Uint8Array(Buffer.concat([d.update(data.subarray(16)), d.final()]));
  } catch {
    return new Uint8Array(0);
  }
}

/** Decrypts (`encrypt` false) or encrypts every string and stream in object `num gen`, returning a new object. */
export function cryptObject(sec: Security, value: PdfObject, num: number, gen: number, encrypt: boolean): PdfObject {
  if (value === null || typeof value !== 'object') return value;
  switch (value.type) {
    case 'string': return { ...value, bytes: crypt(sec, sec.stringMethod, num, gen, value.bytes, encrypt) };
    case 'array': return { type: 'array', items: value.items.map((item) => cryptObject(sec, item, num, gen, encrypt)) };
    case 'dict': {
      // A signature dictionary's /Contents is never encrypted (ISO 32000-2 §7.6.2).
      const signature = value.entries.has('ByteRange');
      return { type: 'dict', entries: new Map([...value.entries].map(([k, v]) => [k, signature && k === 'Contents' ? v : cryptObject(sec, v, num, gen, encrypt)])) };
    }
    case 'stream': {
      const dict = cryptObject(sec, value.dict, num, gen, encrypt) as PdfDict;
      const type = nameOf(value.dict.entries.get('Type'));
      const plain = type === 'XRef' || (type === 'Metadata' && !sec.encryptMetadata) || isCryptFiltered(value.dict);
      return { ...value, dict, raw: plain ? value.raw : crypt(sec, sec.streamMethod, num, gen, value.raw, encrypt) };
    }
    default: return value;
  }
}

// A stream with its own /Crypt filter (only /Identity is supported) is left as is.
function isCryptFiltered(dict: PdfDict): boolean {
  const filter = dict.entries.get('Filter');
  return nameOf(filter) === 'Crypt' || (isArray(filter) && filter.items.some((f) => nameOf(f) === 'Crypt'));
}

/** True for the stream kinds that are never encrypted (cross-reference streams). */
export function isNeverEncrypted(value: PdfObject): boolean {
  return isStream(value) && nameOf(value.dict.entries.get('Type')) === 'XRef';
}

/** Encrypts one string for object `num gen` (for pre-serialized dictionaries such as the signature's). */
export function encryptString(sec: Security, num: number, gen: number, bytes: Uint8Array): Uint8Array {
  return crypt(sec, sec.stringMethod, num, gen, bytes, true);
}
