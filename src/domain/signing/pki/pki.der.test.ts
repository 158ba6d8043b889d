import { X509Certificate } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createTestPki } from '../testing/pki.ts';
import { parseCert } from './pki.cert.ts';
import { childrenOf, octetsOf, oidOf, readTlv, rootOf, timeOf, tlv } from './pki.der.ts';

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s/g, ''), 'hex'));

describe('the DER walker the verifier reads certificates, CMS, OCSP and CRLs with', () => {
  test('a BER indefinite-length sequence with a constructed OCTET STRING is read like its DER form', () => {
    // SEQUENCE (indefinite) { OID 1.2.840.113549.1.7.1, OCTET STRING (constructed, indefinite) { "ab", "cd" } }
    const ber = hex('30 80 06 09 2a864886f70d010701 24 80 04 02 6162 04 02 6364 0000 0000 ffff');
    const root = rootOf(ber);
    expect(root.end).toBe(ber.length - 2);
    const [oid, octets] = childrenOf(ber, root);
    expect(oid && oidOf(ber, oid)).toBe('1.2.840.113549.1.7.1');
    expect(octets && Buffer.from(octetsOf(ber, octets)).toString()).toBe('abcd');
  });

  test('long OID arcs, UTCTime across 2050, GeneralizedTime with fractions and offsets', () => {
    const arc = (1n << 60n) + 5n; // above 2^53: a UUID-style arc must not lose precision
    const base128 = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) base128.unshift(Number(v & 0x7fn) | 0x80);
    const big = tlv(0x06, Uint8Array.from([0x2a, ...base128]));
    expect(oidOf(big, rootOf(big))).toBe(`1.2.${arc}`);
    const utc = (s: string) => { const b = tlv(0x17, new Uint8Array(Buffer.from(s))); return timeOf(b, rootOf(b)).toISOString(); };
    const gen = (s: string) => { const b = tlv(0x18, new Uint8Array(Buffer.from(s))); return timeOf(b, rootOf(b)).toISOString(); };
    expect(utc('491231235959Z')).toBe('2049-12-31T23:59:59.000Z');
    expect(utc('500101000000Z')).toBe('1950-01-01T00:00:00.000Z');
    expect(gen('20261206053000.25Z')).toBe('2026-12-06T05:30:00.250Z');
    expect(gen('20261206123000+0700')).toBe('2026-12-06T05:30:00.000Z');
  });

  test('truncated, overlong and bottomless input throws instead of reading past the end', () => {
    expect(() => readTlv(hex('30 05 02 01'), 0)).toThrow();
    expect(() => readTlv(hex('30 85 0000000001 00'), 0)).toThrow();
    expect(() => readTlv(hex('30 80 02 01 00'), 0)).toThrow();
    const deep = new Uint8Array(Buffer.concat([Buffer.from('3080'.repeat(100), 'hex'), Buffer.from('0000'.repeat(100), 'hex')]));
    expect(() => readTlv(deep, 0)).toThrow(/deeply/);
  });

  test('certificate fields read by the walker agree with OpenSSL (subject, issuer, serial, validity)', async () => {
    const pki = await createTestPki();
    for (const der of [pki.root.certDer, pki.intermediate.certDer, pki.leader.certDer, pki.seal.certDer, pki.tsa.certDer]) {
      const ours = parseCert(der);
      const native = new X509Certificate(der);
      expect(ours.serialHex).toBe(native.serialNumber.toUpperCase());
      expect(ours.notBefore.getTime()).toBe(new Date(native.validFrom).getTime());
      expect(ours.notAfter.getTime()).toBe(new Date(native.validTo).getTime());
      // OpenSSL names title 'title' where we write 'T'; the other attributes read the same.
      const sorted = (s: string, sep: string) => s.split(sep).map((x) => x.replace(/^title=/, 'T=')).sort();
      expect(sorted(ours.subject, ', ')).toEqual(sorted(native.subject, '\n'));
      expect(sorted(ours.issuer, ', ')).toEqual(sorted(native.issuer, '\n'));
    }
  }, 60_000);
});
