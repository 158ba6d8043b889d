import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from '../../domain/signing/keys.ts';
import { isArray, isDict } from '../../domain/signing/pdf/objects.ts';
import { getCatalog, openPdf, resolve } from '../../domain/signing/pdf/reader.ts';
import { listSignatures } from '../../domain/signing/pdf/structure.ts';
import { signPdf } from '../../domain/signing/signing.pades.ts';
import { checkWithTools } from '../../domain/signing/testing/check.ts';
import * as corpus from '../../domain/signing/testing/corpus.ts';
import { createTestPki, startTestOcsp, startTestTsa } from '../../domain/signing/testing/pki.ts';
import type { TestPki, TestServer } from '../../domain/signing/testing/pki.ts';
import { run } from './augment.ts';

describe.skipIf(!needTool('openssl', 'pdfsig', 'qpdf'))('vanthu augment', () => {
  let pki: TestPki;
  let servers: TestServer[];
  const dir = corpus.scratchDir('cli-augment');

  beforeAll(async () => {
    pki = await createTestPki();
    servers = [await startTestOcsp(pki), await startTestTsa(pki)];
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  test('lifts a B-B file to B-LTA with a DSS whose /VRI entry for the signature names its certificates and OCSP responses', async () => {
    const signer = await createP12Signer(pki.leader.p12, pki.password);
    const input = join(dir, 'b-b.pdf');
    const output = join(dir, 'b-lta.pdf');
    writeFileSync(input, await signPdf(readFileSync(await corpus.pdfLibClassic()), { signer }));
    expect(await run([input, output, '--tsa', servers[1]?.url ?? '', '--trust', pki.root.certPath])).toBe(0);

    const out = readFileSync(output);
    const report = checkWithTools(out);
    expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
    expect(report.signatures[0]?.valid).toBe(true); // the signature (pdfsig does not judge document timestamps)
    const doc = openPdf(out);
    const signature = listSignatures(doc).find((s) => s.subFilter === 'ETSI.CAdES.detached');
    const dss = resolve(doc, getCatalog(doc).entries.get('DSS'));
    const vri = isDict(dss) ? resolve(doc, dss.entries.get('VRI')) : null;
    const key = createHash('sha1').update(signature?.contents ?? new Uint8Array(0)).digest('hex').toUpperCase();
    expect(isDict(vri) ? [...vri.entries.keys()] : []).toEqual([key]);
    const entry = isDict(vri) ? vri.entries.get(key) : null;
    const listed = (name: string) => (isDict(entry) ? resolve(doc, entry.entries.get(name)) : null);
    const certs = listed('Cert');
    const ocsps = listed('OCSP');
    expect(isArray(certs) && certs.items.length >= 3).toBe(true); // leader, intermediate, root
    expect(isArray(ocsps) && ocsps.items.length >= 1).toBe(true);
  });
});
