/**
 * Regenerates the warm-up fixture of the `vanthu verify` startup snapshot (scripts/build-cli.ts):
 * a 1-page PDF signed twice by a throw-away test PKI and augmented to B-LTA (DSS with OCSP responses
 * and CRLs, a document timestamp), plus that PKI's root certificate. The snapshot builder verifies it
 * offline once, so the code of every step of a verification (PDF parsing, CMS, chain, OCSP/CRL,
 * timestamps, change analysis) is compiled into the snapshot. Its result does not matter: the
 * certificates may expire. Run: `npx node scripts/snapshot/make-warmup.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createP12Signer } from '../../src/domain/signing/keys.ts';
import { signPdf } from '../../src/domain/signing/signing.pades.ts';
import { makePdfLib, scratchDir } from '../../src/domain/signing/testing/corpus.ts';
import { createTestPki, startTestOcsp, startTestTsa } from '../../src/domain/signing/testing/pki.ts';
import { augmentPdf } from '../../src/domain/signing/verify/verify.ltv.ts';
import { loadTrustStore } from '../../src/domain/signing/verify/verify.trust.ts';

const pki = await createTestPki(scratchDir('snapshot-warmup'));
const [ocsp, tsa] = [await startTestOcsp(pki), await startTestTsa(pki)];
const signed = await signPdf(await signPdf(await makePdfLib(1), { signer: await createP12Signer(pki.leader.p12, pki.password) }),
  { signer: await createP12Signer(pki.seal.p12, pki.password), fieldName: 'Seal' });
const out = await augmentPdf(signed, { tsaUrl: tsa.url, trustStore: await loadTrustStore({ files: [pki.root.certPath] }) });
writeFileSync(join(import.meta.dirname, 'warmup.pdf'), out);
writeFileSync(join(import.meta.dirname, 'warmup-root.der'), pki.root.certDer);
await Promise.all([ocsp.close(), tsa.close()]);
console.log(`scripts/snapshot/warmup.pdf: ${out.length} bytes`);
