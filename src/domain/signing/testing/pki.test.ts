import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from './pki.ts';

describe.skipIf(!needTool('openssl'))('test PKI', () => {
  let pki: TestPki;
  let ocsp: TestServer;
  beforeAll(async () => {
    pki = await createTestPki();
    ocsp = await startTestOcsp(pki);
  }, 60_000);
  afterAll(async () => { await ocsp.close(); });

  test('openssl verifies every valid end-entity certificate against the root through the intermediate', () => {
    const out = execFileSync('openssl', ['verify', '-CAfile', pki.root.certPath, '-untrusted', pki.intermediate.certPath,
      pki.leader.certPath, pki.seal.certPath, pki.ecdsa.certPath, pki.tsa.certPath, pki.ocsp.certPath]).toString();
    expect(out.match(/: OK/g)).toHaveLength(5);
  });

  test('the expired certificate fails openssl verification', () => {
    expect(() => execFileSync('openssl', ['verify', '-CAfile', pki.root.certPath, '-untrusted', pki.intermediate.certPath,
      pki.expired.certPath], { stdio: 'pipe' })).toThrow();
  });

  test('the PKCS#12 files open with the password and use PBES2/AES', () => {
    const info = execFileSync('openssl', ['pkcs12', '-info', '-noout', '-in', pki.seal.p12Path, '-passin', `pass:${pki.password}`],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(info.toString()).toBe('');
    const err = execFileSync('sh', ['-c', `openssl pkcs12 -info -noout -in ${pki.seal.p12Path} -passin pass:${pki.password} 2>&1`]).toString();
    expect(err).toMatch(/PBES2/);
    expect(err).toMatch(/AES-256/);
  });

  test('the OCSP responder says good for the leader and revoked for the revoked certificate', async () => {
    for (const [role, want] of [['leader', 'good'], ['revoked', 'revoked']] as const) {
      // Async: the responder runs in this process, a sync child would deadlock it.
      const { stdout: out } = await promisify(execFile)('openssl', ['ocsp', '-issuer', pki.intermediate.certPath, '-cert', pki[role].certPath,
        '-url', pki.urls.ocsp, '-CAfile', pki.root.certPath, '-resp_text']);
      expect(out).toContain(`Cert Status: ${want}`);
    }
  });

  test('the CRL of the intermediate lists the revoked serial', async () => {
    const res = await fetch(pki.urls.crlIntermediate);
    const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-noout', '-text'], { input: new Uint8Array(await res.arrayBuffer()) }).toString();
    expect(text.toUpperCase()).toContain(pki.revoked.serialHex);
  });
});
