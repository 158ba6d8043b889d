import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import { run as runVerify } from '../../../cli/commands/verify.ts';
import { createP12Signer } from '../keys.ts';
import { signPdf } from '../signing.pades.ts';
import { makePdfLib } from '../testing/corpus.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from '../testing/pki.ts';
import { parseCert } from '../pki/pki.cert.ts';
import { createRevocationCache } from '../pki/revocation.cache.ts';
import { buildChain } from './verify.chain.ts';
import { flipSignedByte } from './verify.tamper.ts';
import { loadTrustStore } from './verify.trust.ts';

describe.skipIf(!needTool('openssl'))('chain building through AIA, and the vanthu verify exit codes', () => {
  let pki: TestPki;
  let ocsp: TestServer;
  beforeAll(async () => {
    pki = await createTestPki();
    ocsp = await startTestOcsp(pki);
  }, 60_000);
  afterAll(async () => { await ocsp.close(); });

  test('an intermediate missing from the CMS and the store is fetched once from the AIA caIssuers URL', async () => {
    const store = await loadTrustStore({ pems: [pki.root.certPem] });
    const cache = createRevocationCache();
    const leaf = parseCert(pki.leader.certDer);
    const offline = await buildChain(leaf, { store, pool: [], offline: true, cache });
    expect(offline).toMatchObject({ trusted: false, reason: 'issuer-not-found' });
    const before = ocsp.requests.get('/ca/intermediate.crt') ?? 0;
    for (let i = 0; i < 3; i++) {
      const online = await buildChain(leaf, { store, pool: [], offline: false, cache });
      expect(online.trusted).toBe(true);
      expect(online.path.map((c) => c.subjectAttr('CN'))).toEqual(['Nguyễn Văn An', 'Vanthu Test CA phục vụ cơ quan Nhà nước', 'Vanthu Test Root CA']);
    }
    expect((ocsp.requests.get('/ca/intermediate.crt') ?? 0) - before).toBe(1);
  });

  test('vanthu verify exits 0 for valid files, 1 for a failed one, 2 for an untrusted one, 3 for a non-PDF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-verify-cli-'));
    const base = await makePdfLib(1);
    const good = await signPdf(base, { signer: await createP12Signer(pki.leader.p12, pki.password) });
    const files = {
      good: good, bad: flipSignedByte(good), junk: new TextEncoder().encode('not a pdf'),
      untrusted: await signPdf(base, { signer: await createP12Signer(pki.untrusted.p12, pki.password) }),
    };
    const paths = Object.fromEntries(Object.entries(files).map(([k, v]) => { const p = join(dir, `${k}.pdf`); writeFileSync(p, v); return [k, p]; }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const trust = ['--trust', pki.root.certPath];
      const first = await runVerify([...trust, paths.good ?? '', paths.good ?? '']);
      expect(first, JSON.stringify(log.mock.calls)).toBe(0);
      expect(await runVerify([...trust, paths.good ?? '', paths.bad ?? ''])).toBe(1);
      expect(await runVerify([...trust, paths.untrusted ?? ''])).toBe(2);
      expect(await runVerify([...trust, paths.good ?? '', paths.junk ?? ''])).toBe(3);
      expect(await runVerify([...trust, '--json', paths.good ?? ''])).toBe(0);
      const json = JSON.parse(String(log.mock.calls.at(-1)?.[0])) as { indication: string; signatures: unknown[] };
      expect(json.indication).toBe('TOTAL-PASSED');
      expect(json.signatures).toHaveLength(1);
    } finally {
      log.mockRestore();
    }
  });
});
