import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { MessageImprint, TimeStampReq } from '@peculiar/asn1-tsp';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import { makePdfLib } from '../signing/testing/corpus.ts';
import { addToTrustStore, loadTrustStore } from '../signing/verify/verify.trust.ts';
import { verifyPdf } from '../signing/verify/verify.ts';
import { DEMO_CRL_URL, ensureDemoCa, ensureDemoTsa, issueDemoCertificate, issueDemoCrl, type DemoTsa } from './certificates.pki.ts';
import { answerTimestampRequest, demoTimestampProvider, MAX_TIMESTAMP_REQUEST_BYTES } from './certificates.tsa.ts';

const pem = (der: Uint8Array) => new X509Certificate(der).toString();

function request(o: { hashOid?: string; digest?: Uint8Array; policy?: string } = {}): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(new TimeStampReq({
    version: 1, certReq: true, ...(o.policy ? { reqPolicy: o.policy } : {}),
    messageImprint: new MessageImprint({ hashAlgorithm: new AlgorithmIdentifier({ algorithm: o.hashOid ?? '2.16.840.1.101.3.4.2.1', parameters: null }), hashedMessage: new OctetString(o.digest ?? new Uint8Array(32).fill(7)) }),
  })));
}

/** What openssl reads in a response: its status and failure reason lines. */
function opensslStatus(der: Uint8Array): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vanthu-tsr-')), 'resp.tsr');
  writeFileSync(file, der);
  const text = execFileSync('openssl', ['ts', '-reply', '-in', file, '-text'], { stdio: 'pipe' }).toString();
  return text.split('\n').filter((l) => /^(Status|Failure info):/.test(l)).join(' | ');
}

describe.skipIf(!needTool('openssl'))('the demo install\'s own timestamp authority', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-demo-tsa-'));
  let tsa: DemoTsa;
  beforeAll(async () => {
    tsa = await ensureDemoTsa(dataDir);
  }, 60_000);

  test('its certificate is issued by the demo CA for timestamping only (extendedKeyUsage critical), and a restart reuses it', async () => {
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: pem(tsa.certDer) }).toString();
    expect(text).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping/);
    expect(new X509Certificate(tsa.certDer).checkIssued(new X509Certificate((await ensureDemoCa(dataDir)).certDer))).toBe(true);
    expect(Buffer.from((await ensureDemoTsa(dataDir)).certDer).equals(Buffer.from(tsa.certDer))).toBe(true);
  });

  test('openssl ts -verify accepts a token it answers to an openssl-made request (nonce, SHA-512)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-tsa-openssl-'));
    const file = (n: string) => path.join(dir, n);
    writeFileSync(file('data.txt'), 'Công văn số 12/UBND-VP');
    writeFileSync(file('ca.pem'), pem(tsa.caDer));
    execFileSync('openssl', ['ts', '-query', '-data', file('data.txt'), '-sha512', '-cert', '-out', file('req.tsq')]);
    writeFileSync(file('resp.tsr'), answerTimestampRequest(tsa, new Uint8Array(readFileSync(file('req.tsq')))));
    const out = execFileSync('openssl', ['ts', '-verify', '-in', file('resp.tsr'), '-queryfile', file('req.tsq'), '-CAfile', file('ca.pem')], { stdio: 'pipe' }).toString();
    expect(out).toContain('Verification: OK');
    const text = execFileSync('openssl', ['ts', '-reply', '-in', file('resp.tsr'), '-text']).toString();
    expect(text).toContain('Status: Granted.');
    expect(text).toMatch(/Nonce: 0x[0-9A-F]+/);
  });

  test('a PDF sealed at B-T with its timestamp verifies, the timestamp valid, with the demo CA trusted', async () => {
    const ca = await ensureDemoCa(dataDir);
    const issued = await issueDemoCertificate(ca, { commonName: 'UBND xã Thử Nghiệm', organization: 'UBND xã Thử Nghiệm', password: 'p' });
    const signed = await signPdf(await makePdfLib(1), { signer: await createP12Signer(issued.p12, 'p'), level: 'B-T', timestamp: demoTimestampProvider(dataDir) });
    const trustStore = await loadTrustStore();
    addToTrustStore(trustStore, [ca.certDer], true);
    const crl = await issueDemoCrl(ca);
    const report = await verifyPdf(signed, { trustStore, fetch: async (url) => (url === DEMO_CRL_URL ? new Response(new Uint8Array(crl)) : new Response(null, { status: 404 })) });
    const signature = report.signatures[0];
    expect(signature?.indication).toBe('TOTAL-PASSED');
    expect(signature?.level).toBe('B-T');
    expect(signature?.signingTimeProof).toBe('timestamp');
    expect(signature?.timestamps.map((t) => [t.indication, t.tsa?.subject.includes('Demo TSA')])).toEqual([['TOTAL-PASSED', true]]);
  }, 60_000);

  test('bad requests get an RFC 3161 rejection with the reason, never an exception', () => {
    const cases: [string, Uint8Array, string][] = [
      ['garbage', new Uint8Array([1, 2, 3, 4, 5]), 'the data submitted has the wrong format'],
      ['empty', new Uint8Array(), 'the data submitted has the wrong format'],
      ['a request with bytes after it', new Uint8Array([...request(), 0]), 'the data submitted has the wrong format'],
      ['oversize', new Uint8Array(MAX_TIMESTAMP_REQUEST_BYTES + 1), 'the data submitted has the wrong format'],
      ['SHA-1', request({ hashOid: '1.3.14.3.2.26', digest: new Uint8Array(20) }), 'unrecognized or unsupported algorithm identifier'],
      ['a SHA-256 imprint of 20 bytes', request({ digest: new Uint8Array(20) }), 'unrecognized or unsupported algorithm identifier'],
      ['another policy', request({ policy: '1.2.3.4' }), 'the requested TSA policy is not supported by the TSA'],
    ];
    for (const [what, body, reason] of cases) {
      expect(opensslStatus(answerTimestampRequest(tsa, body)), what).toBe(`Status: Rejected. | Failure info: ${reason}`);
    }
    expect(opensslStatus(answerTimestampRequest(tsa, request()))).toBe('Status: Granted. | Failure info: unspecified'); // openssl's words for "no failure info"
  });
});
