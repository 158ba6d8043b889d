/**
 * External (deferred) signing: the server prepares the PDF and hands out what must be signed (the
 * DER of the signed attributes, and its digest for signers that take a pre-hashed value), plus a
 * JSON-safe state with an expiry it can store in its database. Later — even after a restart —
 * `finishExternalSignature(state, signature | CMS)` checks the signature against the prepared bytes
 * and the expected certificate, then embeds it. The private key never reaches the server.
 */
import { createHash, timingSafeEqual, verify, X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { nodeHash, signatureTimestampImprint } from './signing.cms.ts';
import { fillContents, joinPlaceholder, digestByteRange } from './signing.embed.ts';
import { completeSignature, prepareSignature } from './signing.pades.ts';
import type { PreparedSignature, SignatureFields } from './signing.pades.ts';
import type { Placeholder } from './signing.placeholder.ts';
import { rawEcdsaToDer } from './signing.pkcs11.ts';
import { createCmsContext, derChildren } from './signing.cms.ts';
import type { TimestampProvider } from './signing.tsa.ts';
import type { HashAlgorithm, KeyAlgorithm } from './keys.ts';
import { badOptions, prepareExpired, signatureMismatch, stateInvalid } from './signing.errors.ts';

/** Serialisable state of a prepared external signature (store it as JSON). */
export type ExternalSigningState = {
  version: 1;
  /** The prepared file (placeholder and /ByteRange filled), base64. */
  pdf: string;
  baseLength: number;
  contentsStart: number;
  contentsEnd: number;
  byteRangeStart: number;
  byteRangeEnd: number;
  fieldName: string;
  signedAttributes: string;
  documentDigest: string;
  certificate: string;
  chain: string[];
  keyAlgorithm: KeyAlgorithm;
  hash: HashAlgorithm;
  withTimestamp: boolean;
  expiresAt: string;
};

/** What the external signer must sign, plus the state to keep. */
export type PreparedExternalSignature = {
  /** DER of the signed attributes: sign these bytes with `hash` (base64). */
  signedAttributes: string;
  /** `hash(signedAttributes)`, for signers that sign a pre-computed digest (base64). */
  digest: string;
  hash: HashAlgorithm;
  state: ExternalSigningState;
};

/** Options: the signer's certificate (and chain), the usual signature fields, the lifetime (default 10 min). */
export type ExternalPrepareOptions = SignatureFields & { certificate: Uint8Array; chain?: Uint8Array[]; keyAlgorithm?: KeyAlgorithm; ttlSeconds?: number; withTimestamp?: boolean };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/**
 * Prepares a PDF for an external signer. Throws the errors of `prepareSignature` and
 * `signing.key_unsupported` for certificates whose key is not RSA/EC.
 */
export function prepareExternalSignature(pdf: Uint8Array, options: ExternalPrepareOptions): PreparedExternalSignature {
  const keyAlgorithm = keyAlgorithmOfCertificate(options.certificate);
  const hash = options.hash ?? 'SHA-256';
  const identity = { certificate: options.certificate, chain: options.chain ?? [], keyAlgorithm: options.keyAlgorithm ?? keyAlgorithm };
  const prepared = prepareSignature(pdf, identity, { ...options, hash });
  const p = prepared.placeholder;
  const state: ExternalSigningState = {
    version: 1, pdf: b64(joinPlaceholder(p.base, p.update)), baseLength: p.base.length, contentsStart: p.contentsStart, contentsEnd: p.contentsEnd,
    byteRangeStart: p.byteRangeStart, byteRangeEnd: p.byteRangeEnd, fieldName: p.fieldName,
    signedAttributes: b64(prepared.signed.der), documentDigest: b64(prepared.documentDigest), certificate: b64(options.certificate),
    chain: (options.chain ?? []).map(b64), keyAlgorithm: identity.keyAlgorithm, hash, withTimestamp: options.withTimestamp ?? false,
    expiresAt: new Date((options.now ?? new Date()).getTime() + (options.ttlSeconds ?? 600) * 1000).toISOString(),
  };
  return { signedAttributes: state.signedAttributes, digest: b64(createHash(nodeHash(hash)).update(prepared.signed.der).digest()), hash, state };
}

function keyAlgorithmOfCertificate(der: Uint8Array): KeyAlgorithm {
  const type = new X509Certificate(der).publicKey.asymmetricKeyType;
  if (type === 'ec') return 'ECDSA';
  if (type === 'rsa-pss') return 'RSA-PSS';
  if (type === 'rsa') return 'RSA';
  throw badOptions({ type }, { message: 'Loại khóa của chứng thư số chưa được hỗ trợ.' });
}

/** The external result: a raw signature over the signed attributes, or a whole CMS SignedData. */
export type ExternalSignature = { signature: Uint8Array } | { cms: Uint8Array };

/**
 * Checks and embeds an external signature. Refuses an expired state (`signing.prepare_expired`), a
 * damaged state (`signing.state_invalid`), and a signature over other bytes or from another
 * certificate (`signing.signature_mismatch`). Adds a signature timestamp when the state asks for one.
 */
export async function finishExternalSignature(state: ExternalSigningState, result: ExternalSignature, options: { timestamp?: TimestampProvider; now?: Date } = {}): Promise<Uint8Array> {
  const prepared = restore(state);
  if ((options.now ?? new Date()).getTime() > Date.parse(state.expiresAt)) throw prepareExpired({ expiresAt: state.expiresAt });
  if ('cms' in result) return embedCms(prepared, state, result.cms);
  const signature = acceptRawSignature(state, result.signature);
  const token = state.withTimestamp && options.timestamp ? await options.timestamp(signatureTimestampImprint(signature, state.hash), state.hash) : undefined;
  if (state.withTimestamp && !token) throw badOptions(undefined, { message: 'Phiên ký cần dấu thời gian nhưng chưa cấu hình máy chủ TSA.' });
  return completeSignature(prepared, signature, token);
}

function restore(state: ExternalSigningState): PreparedSignature {
  if (state?.version !== 1 || typeof state.pdf !== 'string') throw stateInvalid();
  const bytes = unb64(state.pdf);
  const placeholder: Placeholder = {
    base: bytes.subarray(0, state.baseLength), update: bytes.slice(state.baseLength), fieldName: state.fieldName,
    contentsStart: state.contentsStart, contentsEnd: state.contentsEnd, byteRangeStart: state.byteRangeStart, byteRangeEnd: state.byteRangeEnd,
  };
  const documentDigest = unb64(state.documentDigest);
  // The stored file must still hash to the digest the signed attributes commit to.
  if (!Buffer.from(digestByteRange(placeholder, state.hash)).equals(Buffer.from(documentDigest))) throw stateInvalid({ reason: 'digest' });
  const context = createCmsContext(unb64(state.certificate), state.chain.map(unb64), state.keyAlgorithm, state.hash);
  const der = unb64(state.signedAttributes);
  if (der[0] !== 0x31) throw stateInvalid({ reason: 'signed attributes' });
  const attributes = derChildren(der);
  return { placeholder, documentDigest, signed: { attributes, der }, context };
}

function verifies(state: ExternalSigningState, signature: Uint8Array): boolean {
  const key = new X509Certificate(unb64(state.certificate)).publicKey;
  const data = unb64(state.signedAttributes);
  const algorithm = nodeHash(state.hash);
  try {
    if (state.keyAlgorithm === 'RSA-PSS') return verify(algorithm, data, { key, padding: 6, saltLength: { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[state.hash] }, signature);
    return verify(algorithm, data, key, signature);
  } catch {
    return false;
  }
}

function acceptRawSignature(state: ExternalSigningState, signature: Uint8Array): Uint8Array {
  if (verifies(state, signature)) return signature;
  // WebCrypto and many tokens return ECDSA as r‖s (IEEE P1363): accept it, embed it as DER.
  if (state.keyAlgorithm === 'ECDSA' && signature[0] !== 0x30) {
    const der = rawEcdsaToDer(signature);
    if (verifies(state, der)) return der;
  }
  throw signatureMismatch();
}

function embedCms(prepared: PreparedSignature, state: ExternalSigningState, cms: Uint8Array): Uint8Array {
  let signedData: pkijs.SignedData;
  try {
    signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(cms)).content });
  } catch (error) {
    throw signatureMismatch({ reason: 'not a CMS SignedData' }, { cause: error });
  }
  const signer = signedData.signerInfos[0];
  const attrs = signer?.signedAttrs;
  if (!signer || !attrs) throw signatureMismatch({ reason: 'no signed attributes' });
  const digestAttr = attrs.attributes.find((a) => a.type === '1.2.840.113549.1.9.4');
  const digest = new Uint8Array(digestAttr?.values[0]?.valueBlock?.valueHexView ?? []);
  const expected = unb64(state.documentDigest);
  if (digest.length !== expected.length || !timingSafeEqual(digest, expected)) throw signatureMismatch({ reason: 'signed over other bytes' });
  const signedAttrsDer = new Uint8Array(attrs.encodedValue);
  const setDer = Uint8Array.from(signedAttrsDer);
  setDer[0] = 0x31; // the signature covers the attributes encoded as a SET, not as [0] IMPLICIT
  const check = { ...state, signedAttributes: b64(setDer), keyAlgorithm: state.keyAlgorithm };
  if (!verifies(check, new Uint8Array(signer.signature.valueBlock.valueHexView))) throw signatureMismatch({ reason: 'signature or certificate' });
  fillContents(prepared.placeholder, cms);
  return joinPlaceholder(prepared.placeholder.base, prepared.placeholder.update);
}
