/**
 * The one DER/BER walker of the verifier: certificates, CMS SignedData, OCSP responses, CRLs and
 * timestamp tokens are read by locating elements in the original bytes (nothing is re-encoded, no
 * schema library is loaded), and OCSP requests are written with `tlv`. Indefinite lengths (BER, as
 * NSS writes CMS) are accepted for constructed elements. Malformed input throws a plain Error.
 */

/** One element: its tag byte and where its bytes and its content are (end excludes a BER end-of-contents). */
export type Tlv = { tag: number; start: number; contentStart: number; contentEnd: number; end: number };

const MAX_DEPTH = 64;

/** Reads the element at `at`; it must end by `limit`. */
export function readTlv(b: Uint8Array, at: number, limit: number = b.length, depth = 0): Tlv {
  const tag = b[at];
  const first = b[at + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f || at + 2 > limit) throw new Error('bad DER tag');
  if (depth > MAX_DEPTH) throw new Error('DER nested too deeply');
  const contentStart = at + 2;
  if (first === 0x80) {
    // BER indefinite length: the children run until an end-of-contents (00 00).
    if ((tag & 0x20) === 0) throw new Error('bad BER length');
    for (let p = contentStart; ;) {
      if (p + 2 > limit) throw new Error('BER element without end-of-contents');
      if (b[p] === 0 && b[p + 1] === 0) return { tag, start: at, contentStart, contentEnd: p, end: p + 2 };
      p = readTlv(b, p, limit, depth + 1).end;
    }
  }
  let len = first;
  let cs = contentStart;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 4) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (b[at + 2 + i] ?? 0);
    cs += n;
  }
  const end = cs + len;
  if (end > limit) throw new Error('DER element overruns its parent');
  return { tag, start: at, contentStart: cs, contentEnd: end, end };
}

/** The elements inside a constructed element. */
export function childrenOf(b: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.contentEnd && out.length < 100_000;) {
    const t = readTlv(b, at, parent.contentEnd);
    out.push(t);
    at = t.end;
  }
  return out;
}

/** The whole element (tag, length, content). */
export function bytesOf(b: Uint8Array, t: Tlv): Uint8Array {
  return b.subarray(t.start, t.end);
}

/** The content of an element. */
export function contentOf(b: Uint8Array, t: Tlv): Uint8Array {
  return b.subarray(t.contentStart, t.contentEnd);
}

/** The element with tag `tag` (throws when `t` is missing or has another tag). */
export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new Error(`expected ${what}`);
  return t;
}

/** Parses `bytes` as exactly one element at its start (trailing bytes, e.g. zero padding, allowed). */
export function rootOf(bytes: Uint8Array): Tlv {
  return readTlv(bytes, 0, bytes.length);
}

/** Dotted OBJECT IDENTIFIER of an 0x06 element. */
export function oidOf(b: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x06) throw new Error('expected OBJECT IDENTIFIER');
  const parts: string[] = [];
  let v = 0n;
  let small = 0;
  let big = false;
  for (let i = t.contentStart; i < t.contentEnd; i++) {
    const byte = b[i] ?? 0;
    if (big) v = (v << 7n) | BigInt(byte & 0x7f);
    else if (small > 2 ** 45) { big = true; v = (BigInt(small) << 7n) | BigInt(byte & 0x7f); } else small = small * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      const value = big ? v : BigInt(small);
      if (parts.length === 0) {
        const first = value < 80n ? value / 40n : 2n;
        parts.push(String(first), String(value - first * 40n));
      } else parts.push(String(value));
      v = 0n; small = 0; big = false;
    }
  }
  return parts.join('.');
}

/** AlgorithmIdentifier: the OID and the DER of its parameters, when present. */
export type AlgId = { algorithm: string; parameters?: Uint8Array };

export function algIdOf(b: Uint8Array, t: Tlv): AlgId {
  const [oid, params] = childrenOf(b, expectTag(t, 0x30, 'AlgorithmIdentifier'));
  if (!oid) throw new Error('empty AlgorithmIdentifier');
  return { algorithm: oidOf(b, oid), ...(params ? { parameters: bytesOf(b, params) } : {}) };
}

/** Bytes of an OCTET STRING; a BER constructed one is joined from its segments. */
export function octetsOf(b: Uint8Array, t: Tlv): Uint8Array {
  if (t.tag === 0x04) return contentOf(b, t);
  if (t.tag === 0x24) return new Uint8Array(Buffer.concat(childrenOf(b, t).map((c) => octetsOf(b, c))));
  throw new Error('expected OCTET STRING');
}

/** Bits of a BIT STRING without the unused-bits byte. */
export function bitsOf(b: Uint8Array, t: Tlv): Uint8Array {
  if (t.tag !== 0x03 || t.contentEnd <= t.contentStart) throw new Error('expected BIT STRING');
  return b.subarray(t.contentStart + 1, t.contentEnd);
}

/** UTCTime (0x17) or GeneralizedTime (0x18) as a Date; fractions and ±hhmm offsets are read. */
export function timeOf(b: Uint8Array, t: Tlv): Date {
  const s = Buffer.from(contentOf(b, t)).toString('latin1');
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?$/.exec(s)
    : t.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(s) : null;
  if (!m) throw new Error('bad time');
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const frac = t.tag === 0x18 && m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const zone = t.tag === 0x18 ? m[8] : m[7];
  let ms = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5] ?? 0), Number(m[6] ?? 0), frac);
  if (zone && zone !== 'Z') ms -= (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  if (!Number.isFinite(ms)) throw new Error('bad time');
  return new Date(ms);
}

/** Whether the element is a context-specific tag [n] (constructed or not). */
export function isContext(t: Tlv | undefined, n: number): boolean {
  return t !== undefined && (t.tag & 0xdf) === (0x80 | n);
}

/** Text of a directory string attribute value, as @peculiar/asn1-x509 rendered it (unknown string types: hex of the element). */
export function stringOf(b: Uint8Array, t: Tlv): string {
  const c = contentOf(b, t);
  switch (t.tag) {
    case 0x0c: return new TextDecoder().decode(c);
    case 0x13: case 0x14: case 0x16: return Buffer.from(c).toString('latin1');
    case 0x1e: { let s = ''; for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode(((c[i] ?? 0) << 8) | (c[i + 1] ?? 0)); return s; }
    case 0x1c: { let s = ''; for (let i = 0; i + 3 < c.length; i += 4) s += String.fromCodePoint((((c[i] ?? 0) << 24) | ((c[i + 1] ?? 0) << 16) | ((c[i + 2] ?? 0) << 8) | (c[i + 3] ?? 0)) >>> 0); return s; }
    default: return Buffer.from(bytesOf(b, t)).toString('hex');
  }
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** DER element `tag` around the concatenated `parts`. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return new Uint8Array(Buffer.concat([Uint8Array.from([tag, ...lengthBytes(body.length)]), body]));
}
