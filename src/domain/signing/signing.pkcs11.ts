/**
 * A Signer on a PKCS#11 token or HSM (pkcs11js). One `openPkcs11Signer` call logs in once (one PIN)
 * and keeps the session for every signature of a batch; `close()` logs out. The private key never
 * leaves the token. RSA signs with CKM_SHA*_RSA_PKCS (or _PSS), ECDSA hashes locally and signs
 * the digest with CKM_ECDSA (the raw r‖s result is DER-encoded for CMS).
 */
import { createHash, X509Certificate } from 'node:crypto';
// Default import: under plain Node ESM the namespace import lacks the CK* constants (CJS export detection).
import pkcs11js from 'pkcs11js';
import { isAppError } from '../../platform/errors.ts';
import type { HashAlgorithm, KeyAlgorithm, Signer } from './keys.ts';
import { tokenBadPin, tokenError, tokenKeyNotFound, tokenRemoved } from './signing.errors.ts';

/** Options of a token session. `slot` is an index into the slots with a token present (default 0). */
export type Pkcs11Options = { module: string; pin: string; slot?: number; keyLabel?: string; algorithm?: KeyAlgorithm };

/** A Signer bound to an open, logged-in session; call `close()` when the batch is done. */
export type Pkcs11Signer = Signer & { close(): void };

const REMOVED_CODES = new Set([0x30, 0x31, 0x32, 0xb0, 0xb3, 0xe0, 0xe1, 0x190]); // device error/memory/removed, session closed/invalid, token absent, not initialized
const PIN_CODES = new Set([0xa0, 0xa1, 0xa4]); // PIN incorrect, invalid, locked

/** Maps a pkcs11js error to the engine's errors (`signing.token_bad_pin`, `signing.token_removed`, `signing.token_error`). */
export function mapTokenError(error: unknown): Error {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'number' ? error.code : -1;
  if (PIN_CODES.has(code)) return tokenBadPin({ code }, { cause: error });
  if (REMOVED_CODES.has(code)) return tokenRemoved({ code }, { cause: error });
  return tokenError({ code, message: error instanceof Error ? error.message : String(error) }, { cause: error });
}

/**
 * Loads the module and opens a session on the chosen slot (an index into the slots with a token);
 * `noToken` makes the error for an empty slot. Close with `closeToken(lib)`. Throws what `noToken`
 * returns and `signing.token_error` / `signing.token_removed`.
 */
export function openTokenSession(o: { module: string; slot?: number }, noToken: (slot: number) => Error, flags = pkcs11js.CKF_SERIAL_SESSION): { lib: pkcs11js.PKCS11; session: Buffer } {
  const lib = new pkcs11js.PKCS11();
  try {
    lib.load(o.module);
    lib.C_Initialize();
  } catch (error) {
    throw mapTokenError(error);
  }
  try {
    const slot = lib.C_GetSlotList(true)[o.slot ?? 0];
    if (!slot) throw noToken(o.slot ?? 0);
    return { lib, session: lib.C_OpenSession(slot, flags) };
  } catch (error) {
    closeToken(lib);
    throw asTokenError(error);
  }
}

/** Our own errors pass through; pkcs11js errors are mapped (mapTokenError). */
function asTokenError(error: unknown): Error {
  return isAppError(error) ? error : mapTokenError(error);
}

/**
 * Opens a session on the chosen slot, logs in and finds the key (by label, else the first private
 * key) and its certificate (same CKA_ID), plus the token's other certificates as the chain.
 * Throws `signing.token_error`, `signing.token_bad_pin`, `signing.token_key_not_found`.
 */
export function openPkcs11Signer(options: Pkcs11Options): Pkcs11Signer {
  const noToken = (slot: number) => tokenKeyNotFound({ slot }, { message: 'Không tìm thấy thiết bị ký số ở khe (slot) đã chọn.' });
  const { lib, session } = openTokenSession(options, noToken, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  try {
    lib.C_Login(session, pkcs11js.CKU_USER, options.pin);
    return bindSigner(lib, session, options);
  } catch (error) {
    closeToken(lib);
    throw asTokenError(error);
  }
}

/** Finalizes the module: ends every session of this process on it. */
export function closeToken(lib: pkcs11js.PKCS11): void {
  try {
    lib.C_Finalize();
  } catch {
    // already finalized or the module is gone: nothing left to release
  }
}

/** The handles of the objects matching `template` (at most 100). */
export function findObjects(lib: pkcs11js.PKCS11, session: Buffer, template: pkcs11js.Template): Buffer[] {
  lib.C_FindObjectsInit(session, template);
  const found = lib.C_FindObjects(session, 100);
  lib.C_FindObjectsFinal(session);
  return found;
}

function bindSigner(lib: pkcs11js.PKCS11, session: Buffer, options: Pkcs11Options): Pkcs11Signer {
  const keyTemplate: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }];
  if (options.keyLabel) keyTemplate.push({ type: pkcs11js.CKA_LABEL, value: options.keyLabel });
  const key = findObjects(lib, session, keyTemplate)[0];
  if (!key) throw tokenKeyNotFound({ label: options.keyLabel });
  const [idAttr, typeAttr] = lib.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_KEY_TYPE }]);
  const certs = findObjects(lib, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }]).map((h) => {
    const [id, value] = lib.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_VALUE }]);
    return { id: id?.value as Buffer | undefined, der: new Uint8Array(value?.value as Buffer) };
  });
  const leaf = certs.find((c) => c.id && idAttr?.value && Buffer.compare(c.id, idAttr.value as Buffer) === 0);
  if (!leaf) throw tokenKeyNotFound({ label: options.keyLabel }, { message: 'Không tìm thấy chứng thư số đi kèm khóa bí mật trên thiết bị ký số.' });
  const isEc = (typeAttr?.value as Buffer | undefined)?.readUInt32LE(0) === pkcs11js.CKK_EC || new X509Certificate(leaf.der).publicKey.asymmetricKeyType === 'ec';
  const keyAlgorithm: KeyAlgorithm = isEc ? 'ECDSA' : options.algorithm === 'RSA-PSS' ? 'RSA-PSS' : 'RSA';
  let closed = false;
  return {
    certificate: leaf.der,
    chain: certs.filter((c) => c !== leaf).map((c) => c.der),
    keyAlgorithm,
    sign: async (data, hash) => {
      try {
        return signOnToken(lib, session, key, keyAlgorithm, data, hash);
      } catch (error) {
        throw mapTokenError(error);
      }
    },
    close: () => {
      if (closed) return;
      closed = true;
      try {
        lib.C_Logout(session);
        lib.C_CloseSession(session);
      } catch {
        // the token may already be gone
      }
      closeToken(lib);
    },
  };
}

const RSA_MECH: Record<HashAlgorithm, number> = { 'SHA-256': pkcs11js.CKM_SHA256_RSA_PKCS, 'SHA-384': pkcs11js.CKM_SHA384_RSA_PKCS, 'SHA-512': pkcs11js.CKM_SHA512_RSA_PKCS };
const PSS_MECH: Record<HashAlgorithm, [number, number, number, number]> = {
  'SHA-256': [pkcs11js.CKM_SHA256_RSA_PKCS_PSS, pkcs11js.CKM_SHA256, pkcs11js.CKG_MGF1_SHA256, 32],
  'SHA-384': [pkcs11js.CKM_SHA384_RSA_PKCS_PSS, pkcs11js.CKM_SHA384, pkcs11js.CKG_MGF1_SHA384, 48],
  'SHA-512': [pkcs11js.CKM_SHA512_RSA_PKCS_PSS, pkcs11js.CKM_SHA512, pkcs11js.CKG_MGF1_SHA512, 64],
};

function signOnToken(lib: pkcs11js.PKCS11, session: Buffer, key: Buffer, algorithm: KeyAlgorithm, data: Uint8Array, hash: HashAlgorithm): Uint8Array {
  if (algorithm === 'ECDSA') {
    const digest = createHash(hash.replace('-', '').toLowerCase()).update(data).digest();
    lib.C_SignInit(session, { mechanism: pkcs11js.CKM_ECDSA }, key);
    return rawEcdsaToDer(new Uint8Array(lib.C_Sign(session, digest, Buffer.alloc(256))));
  }
  if (algorithm === 'RSA-PSS') {
    const [mechanism, hashAlg, mgf, saltLen] = PSS_MECH[hash];
    const parameter: pkcs11js.RsaPSS = { hashAlg, mgf, saltLen, type: pkcs11js.CK_PARAMS_RSA_PSS };
    lib.C_SignInit(session, { mechanism, parameter }, key);
  } else {
    lib.C_SignInit(session, { mechanism: RSA_MECH[hash] }, key);
  }
  return new Uint8Array(lib.C_Sign(session, Buffer.from(data), Buffer.alloc(1024)));
}

/** Converts a raw ECDSA signature r‖s into a DER ECDSA-Sig-Value. */
export function rawEcdsaToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const int = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const trimmed = bytes.subarray(i);
    const padded = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : Buffer.from(trimmed);
    return Buffer.concat([Buffer.from([0x02, padded.length]), padded]);
  };
  const body = Buffer.concat([int(raw.subarray(0, half)), int(raw.subarray(half))]);
  const header = body.length < 0x80 ? Buffer.from([0x30, body.length]) : Buffer.from([0x30, 0x81, body.length]);
  return new Uint8Array(Buffer.concat([header, body]));
}
