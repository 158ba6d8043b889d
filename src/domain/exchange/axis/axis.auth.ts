import { timingSafeEqual } from 'node:crypto';
import { axisAuthMalformed, axisAuthMissing, axisBadSignature, axisHeaderMismatch, axisUnknownSystem } from './axis.errors.ts';
import { HEADER_PREFIX, signHeaderHmac } from './axis.protocol.ts';

/** Who called and with which (signed) parameters: keys without the `XroadVnpt-` prefix, case kept. */
export type AxisCaller = { systemId: string; params: Record<string, string> };

/** Anything with a case-insensitive `get`, e.g. the Fetch `Headers` of a request. */
export type HeaderSource = { get: (name: string) => string | null };

/**
 * Header values reach Node as latin1 strings of the raw bytes; the SDK sends UTF-8 (sendEdoc) and the
 * HMAC covers those bytes, so undo the latin1 view before hashing or comparing.
 */
const rawBytes = (value: string) => Buffer.from(value, 'latin1');
const asUtf8 = (value: string) => rawBytes(value).toString('utf8');

function parseSigned(signHeader: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(asUtf8(signHeader));
  } catch {
    throw axisAuthMalformed();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw axisAuthMalformed();
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string' || !key.startsWith(HEADER_PREFIX)) throw axisAuthMalformed({ key });
    params[key.slice(HEADER_PREFIX.length)] = value;
  }
  return params;
}

function sameHmac(expectedHex: string, givenHex: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(givenHex)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(givenHex, 'hex'));
}

/**
 * Authenticates a request the way axis-protocol.md §3.2 and §7 require: HMAC-SHA256 (secret of the
 * signed `XroadVnpt-systemid`) over the RECEIVED `XroadVnpt-sign-header` bytes, compared in constant time
 * with `XroadVnpt-hash-header`; then every signed pair must equal its `XroadVnpt-*` header. The JSON is
 * never rebuilt (its key order is Java HashMap order). Parameters are read only from the signed JSON.
 * No timestamp window: the SDK reuses one timestamp per service instance (replays are made harmless by
 * idempotent operations instead). Throws axis.auth_missing, axis.auth_malformed, axis.unknown_system,
 * axis.bad_signature, axis.header_mismatch.
 */
export async function authenticateSdkRequest(
  headers: HeaderSource,
  secretOf: (systemId: string) => Promise<string | undefined>,
): Promise<AxisCaller> {
  const signHeader = headers.get(`${HEADER_PREFIX}sign-header`);
  const hashHeader = headers.get(`${HEADER_PREFIX}hash-header`);
  if (!signHeader || !hashHeader) throw axisAuthMissing();
  const params = parseSigned(signHeader);
  const systemId = params.systemid;
  if (!systemId) throw axisAuthMalformed({ missing: `${HEADER_PREFIX}systemid` });
  const secret = await secretOf(systemId);
  if (secret === undefined) throw axisUnknownSystem({ systemId }, { message: `Hệ thống "${systemId}" chưa được đăng ký hoặc đã bị khóa trên trục.` });
  if (!sameHmac(signHeaderHmac(secret, rawBytes(signHeader)), hashHeader.trim())) throw axisBadSignature({ systemId });
  for (const [name, value] of Object.entries(params)) {
    const received = headers.get(HEADER_PREFIX + name);
    if (received === null || asUtf8(received) !== value) {
      throw axisHeaderMismatch({ header: HEADER_PREFIX + name }, { message: `Tiêu đề ${HEADER_PREFIX}${name} không khớp với giá trị đã ký trong XroadVnpt-sign-header.` });
    }
  }
  return { systemId, params };
}

/** A signed parameter by any of its spellings (`docId` and `docid` both occur in the field). */
export function signedParam(caller: AxisCaller, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = caller.params[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
