/**
 * The token side of the signing agent: lists the signing certificates on a PKCS#11 token (no PIN
 * needed: certificates are public objects) and signs a batch of prepared items with the engine's
 * PKCS#11 signer — one login (one PIN) for the whole batch, logout at the end.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';
import type { HashAlgorithm } from '../signing/keys.ts';
import { closeToken, mapTokenError, openPkcs11Signer, openTokenSession, tokenCertificates, type Pkcs11Signer } from '../signing/signing.pkcs11.ts';
import { agentDigestMismatch, agentNeedsSignedAttributes, agentNoCertificate, agentNoToken } from './signing-agent.errors.ts';

/** Where the token is: the PKCS#11 module, the slot index among slots with a token, an optional key label. */
export type TokenConfig = { module: string; slot?: number; keyLabel?: string };

/** A signing certificate found on the token, with the token's CA certificates (base64 DER) for the server to build its chain from. */
export type TokenCertificate = { label: string; certificate: string; subject: string; issuer: string; notBefore: string; notAfter: string; sha256: string; chain: string[] };

/** One thing to sign, as `POST /api/outgoing/sign/prepare` hands it out. */
export type SignItem = { id: string; signedAttributes?: string; digest?: string; hash: HashAlgorithm };

/** One item's result: the raw signature (base64), or the error code and Vietnamese message. */
export type SignItemResult = { id: string; ok: true; signature: string } | { id: string; ok: false; code: string; message: string };

const sha256Hex = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');

/** Lists the token's end-entity certificates, each with the token's CA certificates as its chain. Throws signing_agent.no_token, signing.token_error. */
export function listTokenCertificates(config: TokenConfig): TokenCertificate[] {
  const { lib, session } = openTokenSession(config, (slot) => agentNoToken({ slot }));
  try {
    const found = tokenCertificates(lib, session);
    lib.cryptoki.closeSession(session);
    const parsed = found.map((f) => ({ ...f, x: new X509Certificate(f.der) }));
    const chain = parsed.filter((c) => c.x.ca).map((c) => Buffer.from(c.der).toString('base64'));
    return parsed.flatMap(({ label, der, x }) => {
      if (x.ca || (config.keyLabel && label !== config.keyLabel)) return [];
      return [{ label, certificate: Buffer.from(der).toString('base64'), subject: x.subject.replace(/\n/g, ', '), issuer: x.issuer.replace(/\n/g, ', '),
        notBefore: new Date(x.validFrom).toISOString(), notAfter: new Date(x.validTo).toISOString(), sha256: sha256Hex(der), chain }];
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw mapTokenError(error);
  } finally {
    closeToken(lib);
  }
}

/**
 * Signs every item with the key of the chosen certificate (base64 DER; default: the first one),
 * logging in once with `pin`. Items are independent: a bad item gets its own error; a token pulled
 * out mid-batch fails the rest. Throws (before any item) signing_agent.no_token,
 * signing_agent.no_certificate, signing.token_bad_pin, signing.token_key_not_found, signing.token_error.
 */
export async function signWithToken(config: TokenConfig, o: { pin: string; certificate?: string; items: SignItem[] }): Promise<SignItemResult[]> {
  const certificates = listTokenCertificates(config);
  const chosen = o.certificate ? certificates.find((c) => c.certificate === o.certificate) : certificates[0];
  if (!chosen) throw agentNoCertificate({ available: certificates.length });
  const signer = openSignerFor(config, o.pin, chosen);
  try {
    const results: SignItemResult[] = [];
    for (const item of o.items) results.push(await signItem(signer, item));
    return results;
  } finally {
    signer.close();
  }
}

function openSignerFor(config: TokenConfig, pin: string, chosen: TokenCertificate): Pkcs11Signer {
  const open = (keyLabel: string | undefined) => openPkcs11Signer({ module: config.module, slot: config.slot, pin, keyLabel });
  let signer: Pkcs11Signer;
  try {
    signer = open(chosen.label || undefined);
  } catch (error) {
    // Some tokens label the key differently from its certificate: the engine then takes the first key.
    if (!(error instanceof AppError && error.code === 'signing.token_key_not_found') || config.keyLabel) throw error;
    signer = open(undefined);
  }
  if (sha256Hex(signer.certificate) !== chosen.sha256) {
    signer.close();
    throw agentNoCertificate({ reason: 'key of the chosen certificate not found' });
  }
  return signer;
}

async function signItem(signer: Pkcs11Signer, item: SignItem): Promise<SignItemResult> {
  try {
    if (!item.signedAttributes) throw agentNeedsSignedAttributes();
    const data = new Uint8Array(Buffer.from(item.signedAttributes, 'base64'));
    if (item.digest) {
      const digest = createHash(item.hash.replace('-', '').toLowerCase()).update(data).digest('base64');
      if (digest !== item.digest) throw agentDigestMismatch();
    }
    return { id: item.id, ok: true, signature: Buffer.from(await signer.sign(data, item.hash)).toString('base64') };
  } catch (error) {
    if (error instanceof AppError) return { id: item.id, ok: false, code: error.code, message: error.message };
    return { id: item.id, ok: false, code: 'signing.token_error', message: 'Lỗi khi ký bằng USB token.' };
  }
}
