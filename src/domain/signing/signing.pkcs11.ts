/**
 * A Signer on a PKCS#11 token or HSM (koffi binding in signing.cryptoki.ts: no native build). One
 * `openPkcs11Signer` call logs in once (one PIN) and keeps the session for every signature of a
 * batch; `close()` logs out. The private key never leaves the token. The hash is computed here and
 * only the digest goes to the token: RSA signs the DigestInfo with CKM_RSA_PKCS (or CKM_RSA_PKCS_PSS),
 * ECDSA the digest with CKM_ECDSA (the raw r‖s result is DER-encoded for CMS) — the mechanisms every
 * token has, also the older smart cards that lack CKM_SHA256_RSA_PKCS.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { isAppError } from '../../platform/errors.ts';
import type { HashAlgorithm, KeyAlgorithm, Signer } from './keys.ts';
import {
  CKA_CLASS, CKA_ID, CKA_KEY_TYPE, CKA_LABEL, CKA_VALUE, CKF_RW_SESSION, CKF_SERIAL_SESSION, CKF_USER_PIN_LOCKED, CKG_MGF1_SHA256, CKG_MGF1_SHA384,
  CKG_MGF1_SHA512, CKK_EC, CKM_ECDSA, CKM_RSA_PKCS, CKM_RSA_PKCS_PSS, CKM_SHA256, CKM_SHA384, CKM_SHA512, CKO_CERTIFICATE, CKO_PRIVATE_KEY, CKR, Cryptoki,
  Pkcs11Error, pssParameter, ulongValue, type TemplateAttribute,
} from './signing.cryptoki.ts';
import { tokenBadPin, tokenError, tokenKeyNotFound, tokenRemoved } from './signing.errors.ts';

/** Options of a token session. `slot` is an index into the slots with a token present (default 0). */
export type Pkcs11Options = { module: string; pin: string; slot?: number; keyLabel?: string; algorithm?: KeyAlgorithm };

/** A Signer bound to an open, logged-in session; call `close()` when the batch is done. */
export type Pkcs11Signer = Signer & { close(): void };

/** The library of an open token session; `closeToken` releases it once. */
export type TokenLib = { cryptoki: Cryptoki; released: boolean };

const REMOVED_CODES = new Set<number>([CKR.DEVICE_ERROR, CKR.DEVICE_MEMORY, CKR.DEVICE_REMOVED, CKR.SESSION_CLOSED, CKR.SESSION_HANDLE_INVALID,
  CKR.TOKEN_NOT_PRESENT, CKR.TOKEN_NOT_RECOGNIZED, CKR.CRYPTOKI_NOT_INITIALIZED]);
const PIN_CODES = new Set<number>([CKR.PIN_INCORRECT, CKR.PIN_INVALID, CKR.PIN_LEN_RANGE]);
const PIN_LOCKED_MESSAGE = 'Mã PIN của thiết bị ký số đã bị khóa do nhập sai nhiều lần: liên hệ nhà cung cấp chứng thư số để mở khóa.';

/** Maps a cryptoki error (CKR_* code) to the engine's errors (`signing.token_bad_pin`, `signing.token_removed`, `signing.token_error`). */
export function mapTokenError(error: unknown): Error {
  const code = error instanceof Pkcs11Error ? error.code : -1;
  if (code === CKR.PIN_LOCKED) return tokenBadPin({ code }, { message: PIN_LOCKED_MESSAGE, cause: error });
  if (code === CKR.PIN_EXPIRED) return tokenBadPin({ code }, { message: 'Mã PIN của thiết bị ký số đã hết hạn: hãy đổi mã PIN bằng phần mềm của nhà cung cấp.', cause: error });
  if (PIN_CODES.has(code)) return tokenBadPin({ code }, { cause: error });
  if (REMOVED_CODES.has(code)) return tokenRemoved({ code }, { cause: error });
  return tokenError({ code, message: error instanceof Error ? error.message : String(error) }, { cause: error });
}

/** Loads and initializes the library; a file that is not a PKCS#11 library gets a message naming it. */
function openLibrary(module: string): Cryptoki {
  try {
    return Cryptoki.open(module);
  } catch (error) {
    if (error instanceof Pkcs11Error) throw mapTokenError(error);
    throw tokenError({ module, message: error instanceof Error ? error.message : String(error) },
      { message: `Không nạp được thư viện PKCS#11 của thiết bị ký số (${module}): kiểm tra đã cài phần mềm của USB token và đường dẫn thư viện.`, cause: error });
  }
}

/**
 * Loads the module and opens a session on the chosen slot (an index into the slots with a token);
 * `noToken` makes the error for an empty slot. Close with `closeToken(lib)`. Throws what `noToken`
 * returns and `signing.token_error` / `signing.token_removed`.
 */
export function openTokenSession(o: { module: string; slot?: number }, noToken: (slot: number) => Error, flags = CKF_SERIAL_SESSION): { lib: TokenLib; session: number; slot: number } {
  const lib: TokenLib = { cryptoki: openLibrary(o.module), released: false };
  try {
    const slot = lib.cryptoki.slotsWithToken()[o.slot ?? 0];
    if (slot === undefined) throw noToken(o.slot ?? 0);
    return { lib, session: lib.cryptoki.openSession(slot, flags), slot };
  } catch (error) {
    closeToken(lib);
    throw asTokenError(error);
  }
}

/** Our own errors pass through; cryptoki errors are mapped (mapTokenError). */
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
  const { lib, session, slot } = openTokenSession(options, noToken, CKF_SERIAL_SESSION | CKF_RW_SESSION);
  try {
    // A locked PIN is told as such, without spending a try on it.
    if (lib.cryptoki.tokenInfo(slot).flags & CKF_USER_PIN_LOCKED) throw tokenBadPin({ code: CKR.PIN_LOCKED }, { message: PIN_LOCKED_MESSAGE });
    lib.cryptoki.login(session, options.pin);
    return bindSigner(lib, session, options);
  } catch (error) {
    closeToken(lib);
    throw asTokenError(error);
  }
}

/** Releases the library (once per open): the last user finalizes it, ending its sessions in this process. */
export function closeToken(lib: TokenLib): void {
  if (lib.released) return;
  lib.released = true;
  try {
    lib.cryptoki.release();
  } catch {
    // already finalized or the module is gone: nothing left to release
  }
}

/** The handles of the objects matching `template` (at most 100). */
export function findObjects(lib: TokenLib, session: number, template: TemplateAttribute[]): number[] {
  return lib.cryptoki.findObjects(session, template);
}

/** The token's certificates (CKA_ID, CKA_LABEL, DER), for the signer and the signing agent's list. */
export function tokenCertificates(lib: TokenLib, session: number): { id?: Buffer; label: string; der: Uint8Array }[] {
  return findObjects(lib, session, [{ type: CKA_CLASS, value: CKO_CERTIFICATE }]).flatMap((h) => {
    const [id, label, value] = lib.cryptoki.getAttributes(session, h, [CKA_ID, CKA_LABEL, CKA_VALUE]);
    return value ? [{ id, label: label?.toString('utf8') ?? '', der: new Uint8Array(value) }] : [];
  });
}

function bindSigner(lib: TokenLib, session: number, options: Pkcs11Options): Pkcs11Signer {
  const keyTemplate: TemplateAttribute[] = [{ type: CKA_CLASS, value: CKO_PRIVATE_KEY }];
  if (options.keyLabel) keyTemplate.push({ type: CKA_LABEL, value: options.keyLabel });
  const key = findObjects(lib, session, keyTemplate)[0];
  if (key === undefined) throw tokenKeyNotFound({ label: options.keyLabel });
  const [keyId, keyType] = lib.cryptoki.getAttributes(session, key, [CKA_ID, CKA_KEY_TYPE]);
  const certs = tokenCertificates(lib, session);
  const leaf = certs.find((c) => c.id && keyId && Buffer.compare(c.id, keyId) === 0);
  if (!leaf) throw tokenKeyNotFound({ label: options.keyLabel }, { message: 'Không tìm thấy chứng thư số đi kèm khóa bí mật trên thiết bị ký số.' });
  const isEc = (keyType && ulongValue(keyType) === CKK_EC) || new X509Certificate(leaf.der).publicKey.asymmetricKeyType === 'ec';
  const keyAlgorithm: KeyAlgorithm = isEc ? 'ECDSA' : options.algorithm === 'RSA-PSS' ? 'RSA-PSS' : 'RSA';
  let closed = false;
  return {
    certificate: leaf.der,
    chain: certs.filter((c) => c !== leaf).map((c) => c.der),
    keyAlgorithm,
    sign: async (data, hash) => {
      try {
        return signOnToken(lib.cryptoki, session, key, keyAlgorithm, data, hash);
      } catch (error) {
        throw mapTokenError(error);
      }
    },
    close: () => {
      if (closed) return;
      closed = true;
      try {
        lib.cryptoki.logout(session);
        lib.cryptoki.closeSession(session);
      } catch {
        // the token may already be gone
      }
      closeToken(lib);
    },
  };
}

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1): CKM_RSA_PKCS signs DigestInfo = prefix ‖ digest. */
const DIGEST_INFO: Record<HashAlgorithm, string> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};
const PSS: Record<HashAlgorithm, [number, number, number]> = {
  'SHA-256': [CKM_SHA256, CKG_MGF1_SHA256, 32],
  'SHA-384': [CKM_SHA384, CKG_MGF1_SHA384, 48],
  'SHA-512': [CKM_SHA512, CKG_MGF1_SHA512, 64],
};

function signOnToken(cryptoki: Cryptoki, session: number, key: number, algorithm: KeyAlgorithm, data: Uint8Array, hash: HashAlgorithm): Uint8Array {
  const digest = createHash(hash.replace('-', '').toLowerCase()).update(data).digest();
  if (algorithm === 'ECDSA') return rawEcdsaToDer(new Uint8Array(cryptoki.sign(session, key, CKM_ECDSA, digest)));
  if (algorithm === 'RSA-PSS') return new Uint8Array(cryptoki.sign(session, key, CKM_RSA_PKCS_PSS, digest, pssParameter(...PSS[hash])));
  return new Uint8Array(cryptoki.sign(session, key, CKM_RSA_PKCS, Buffer.concat([Buffer.from(DIGEST_INFO[hash], 'hex'), digest])));
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
