/**
 * Keys and signers. `loadPkcs12` opens a .p12/.pfx (PBES2/AES and MAC checked by pkijs) into a
 * node:crypto KeyObject plus DER certificates. A `Signer` is the one interface every key source
 * implements (PKCS#12 here, PKCS#11 in `signing.pkcs11.ts`, external signing in `signing.external.ts`):
 * it signs bytes with a hash algorithm and exposes its certificate chain.
 */
import { createPrivateKey, createPublicKey, sign as nodeSign, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { keyUnsupported, p12BadPassword, p12Invalid } from './signing.errors.ts';

/** Hash algorithms the engine signs with. */
export type HashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';
/** Key algorithms the engine signs with (RSA = PKCS#1 v1.5). */
export type KeyAlgorithm = 'RSA' | 'RSA-PSS' | 'ECDSA';

/**
 * Something that can sign: the certificate (DER), the rest of its chain (DER, leaf excluded), the
 * key algorithm, and `sign(data, hash)` returning the raw signature (PKCS#1 v1.5 / PSS bytes, or a
 * DER-encoded ECDSA-Sig-Value) over `data` hashed with `hash`.
 */
export type Signer = {
  certificate: Uint8Array;
  chain: Uint8Array[];
  keyAlgorithm: KeyAlgorithm;
  sign(data: Uint8Array, hash: HashAlgorithm): Promise<Uint8Array>;
};

/** The content of a PKCS#12 file. */
export type Pkcs12Content = { privateKey: KeyObject; certificate: Uint8Array; chain: Uint8Array[] };

/**
 * Opens a PKCS#12 file. The certificate is the one whose public key matches the private key; the
 * chain holds the other certificates. Throws `signing.p12_invalid`, `signing.p12_bad_password`.
 */
export async function loadPkcs12(bytes: Uint8Array, password: string): Promise<Pkcs12Content> {
  const pfx = parsePfx(bytes);
  const pass = new TextEncoder().encode(password).buffer as ArrayBuffer;
  try {
    await pfx.parseInternalValues({ password: pass, checkIntegrity: true });
    const safe = pfx.parsedValue?.authenticatedSafe;
    if (!safe) throw new Error('no authenticated safe');
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pass })) });
  } catch (error) {
    throw p12BadPassword(undefined, { cause: error });
  }
  const { keys, certs } = await collectBags(pfx, pass);
  const keyDer = keys[0];
  if (!keyDer || certs.length === 0) throw p12Invalid({ reason: 'missing key or certificate' });
  const privateKey = createPrivateKey({ key: Buffer.from(keyDer), format: 'der', type: 'pkcs8' });
  const publicDer = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const leaf = certs.find((c) => new X509Certificate(c).publicKey.export({ format: 'der', type: 'spki' }).equals(publicDer));
  if (!leaf) throw p12Invalid({ reason: 'no certificate matches the private key' });
  return { privateKey, certificate: leaf, chain: certs.filter((c) => c !== leaf) };
}

function parsePfx(bytes: Uint8Array): pkijs.PFX {
  try {
    const asn = asn1js.fromBER(Uint8Array.from(bytes).buffer);
    if (asn.offset === -1) throw new Error(asn.result.error);
    return new pkijs.PFX({ schema: asn.result });
  } catch (error) {
    throw p12Invalid(undefined, { cause: error });
  }
}

const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const X509_CERT = '1.2.840.113549.1.9.22.1';

type Bag = { bagId: string; bagValue: unknown };

async function collectBags(pfx: pkijs.PFX, pass: ArrayBuffer): Promise<{ keys: Uint8Array[]; certs: Uint8Array[] }> {
  const keys: Uint8Array[] = [];
  const certs: Uint8Array[] = [];
  const contents = (pfx.parsedValue?.authenticatedSafe?.parsedValue as { safeContents?: { value: { safeBags: Bag[] } }[] } | undefined)?.safeContents ?? [];
  for (const content of contents) {
    for (const bag of content.value.safeBags) {
      if (bag.bagId === SHROUDED_KEY_BAG) keys.push(await decryptKeyBag(bag.bagValue as pkijs.PKCS8ShroudedKeyBag, pass));
      else if (bag.bagId === KEY_BAG) keys.push(new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER()));
      else if (bag.bagId === CERT_BAG) {
        const certBag = bag.bagValue as pkijs.CertBag;
        if (certBag.certId === X509_CERT) certs.push(new Uint8Array((certBag.parsedValue as pkijs.Certificate).toSchema().toBER()));
      }
    }
  }
  return { keys, certs };
}

async function decryptKeyBag(bag: pkijs.PKCS8ShroudedKeyBag, pass: ArrayBuffer): Promise<Uint8Array> {
  // parseInternalValues is typed protected in pkijs 4 but is the documented way to decrypt the bag.
  const parse = (bag as unknown as { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> }).parseInternalValues.bind(bag);
  try {
    if (!bag.parsedValue) await parse({ password: pass });
  } catch (error) {
    throw p12BadPassword(undefined, { cause: error });
  }
  if (!bag.parsedValue) throw p12Invalid({ reason: 'undecryptable key bag' });
  return new Uint8Array(bag.parsedValue.toSchema().toBER());
}

/** The key algorithm of a private key. Throws `signing.key_unsupported` (DSA, Ed25519, …). */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RSA';
  if (key.asymmetricKeyType === 'rsa-pss') return 'RSA-PSS';
  if (key.asymmetricKeyType === 'ec') return 'ECDSA';
  throw keyUnsupported({ keyType: key.asymmetricKeyType });
}

const NODE_HASH: Record<HashAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const HASH_LENGTH: Record<HashAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** Signs with a node:crypto key the way the CMS layer expects (PSS: MGF1 same hash, salt = hash length). */
export function signWithKeyObject(key: KeyObject, algorithm: KeyAlgorithm, data: Uint8Array, hash: HashAlgorithm): Uint8Array {
  if (algorithm === 'RSA-PSS') {
    return nodeSign(NODE_HASH[hash], data, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: HASH_LENGTH[hash] });
  }
  return nodeSign(NODE_HASH[hash], data, key);
}

/** Options of a PKCS#12 signer. `algorithm: 'RSA-PSS'` signs an RSA key with PSS padding. */
export type P12SignerOptions = { algorithm?: KeyAlgorithm };

/**
 * A Signer backed by a PKCS#12 file's key. Signing runs on the libuv thread pool through
 * `crypto.sign`'s async form, so concurrent signatures use every core.
 * Throws `signing.p12_invalid`, `signing.p12_bad_password`, `signing.key_unsupported`.
 */
export async function createP12Signer(bytes: Uint8Array, password: string, options: P12SignerOptions = {}): Promise<Signer> {
  const content = await loadPkcs12(bytes, password);
  return createKeySigner(content, options);
}

/** A Signer from an already loaded key and certificates. Throws `signing.key_unsupported`. */
export function createKeySigner(content: Pkcs12Content, options: P12SignerOptions = {}): Signer {
  const natural = keyAlgorithmOf(content.privateKey);
  const keyAlgorithm = options.algorithm === 'RSA-PSS' && natural === 'RSA' ? 'RSA-PSS' : natural;
  return {
    certificate: content.certificate,
    chain: content.chain,
    keyAlgorithm,
    sign: (data, hash) => signAsync(content.privateKey, keyAlgorithm, data, hash),
  };
}

function signAsync(key: KeyObject, algorithm: KeyAlgorithm, data: Uint8Array, hash: HashAlgorithm): Promise<Uint8Array> {
  const options = algorithm === 'RSA-PSS' ? { key, padding: 6, saltLength: HASH_LENGTH[hash] } : key;
  return new Promise((resolve, reject) => {
    nodeSign(NODE_HASH[hash], data, options, (error, signature) => (error ? reject(error) : resolve(new Uint8Array(signature))));
  });
}
