/**
 * A minimal PKCS#11 (cryptoki 2.40) binding on koffi — an FFI with prebuilt binaries for Windows,
 * Linux and macOS, so no compiler is needed anywhere (the signing agent ships it in one file).
 *
 * The token's library is loaded, `C_GetFunctionList` gives the CK_FUNCTION_LIST and every call goes
 * through its function pointers (as a PKCS#11 application should). Platform ABI, as in pkcs11.h:
 * CK_ULONG is C `unsigned long` — 32-bit on Windows (also on Win64), 64-bit on Linux/macOS x64 — and
 * on Windows every cryptoki struct is packed to 1 byte (`#pragma pack(push, cryptoki, 1)`), elsewhere
 * naturally aligned. Both are in the koffi types of `cryptokiTypes` (uint32_t or `unsigned long`, koffi.pack vs koffi.struct),
 * so the offsets are computed by koffi for the platform the code runs on.
 *
 * Only what signing needs: initialize, slots, token info, sessions, login, find objects, read
 * attributes, sign. A failing call throws Pkcs11Error with the CKR_* code.
 */
import koffi from 'koffi';

export const IS_WINDOWS = process.platform === 'win32';
const PTR = 'void *';
type Fields = Parameters<typeof koffi.pack>[0];

/** CK_FUNCTION_LIST in the standard's order, up to C_Sign (the members after it are never read). */
const FUNCTION_NAMES = [
  'C_Initialize', 'C_Finalize', 'C_GetInfo', 'C_GetFunctionList', 'C_GetSlotList', 'C_GetSlotInfo', 'C_GetTokenInfo',
  'C_GetMechanismList', 'C_GetMechanismInfo', 'C_InitToken', 'C_InitPIN', 'C_SetPIN', 'C_OpenSession', 'C_CloseSession',
  'C_CloseAllSessions', 'C_GetSessionInfo', 'C_GetOperationState', 'C_SetOperationState', 'C_Login', 'C_Logout',
  'C_CreateObject', 'C_CopyObject', 'C_DestroyObject', 'C_GetObjectSize', 'C_GetAttributeValue', 'C_SetAttributeValue',
  'C_FindObjectsInit', 'C_FindObjects', 'C_FindObjectsFinal', 'C_EncryptInit', 'C_Encrypt', 'C_EncryptUpdate', 'C_EncryptFinal',
  'C_DecryptInit', 'C_Decrypt', 'C_DecryptUpdate', 'C_DecryptFinal', 'C_DigestInit', 'C_Digest', 'C_DigestUpdate', 'C_DigestKey',
  'C_DigestFinal', 'C_SignInit', 'C_Sign',
] as const;

/**
 * The cryptoki types for Windows (`windows`: CK_ULONG 32-bit, structs packed to 1 byte) or for the
 * others (CK_ULONG = `unsigned long`, natural alignment). The module uses those of the platform it
 * runs on; the test also builds the Windows ones to check their layout against pkcs11.h.
 */
export function cryptokiTypes(windows: boolean) {
  const CK_ULONG = koffi.type(windows ? 'uint32_t' : 'unsigned long');
  const ckStruct = (fields: Fields) => (windows ? koffi.pack(fields) : koffi.struct(fields));
  const chars = (n: number) => koffi.array('uint8_t', n, 'Typed');
  const CK_VERSION = ckStruct({ major: 'uint8_t', minor: 'uint8_t' });
  return {
    CK_ULONG,
    CK_VERSION,
    CK_ATTRIBUTE: ckStruct({ type: CK_ULONG, pValue: PTR, ulValueLen: CK_ULONG }),
    CK_MECHANISM: ckStruct({ mechanism: CK_ULONG, pParameter: PTR, ulParameterLen: CK_ULONG }),
    CK_RSA_PKCS_PSS_PARAMS: ckStruct({ hashAlg: CK_ULONG, mgf: CK_ULONG, sLen: CK_ULONG }),
    CK_C_INITIALIZE_ARGS: ckStruct({ CreateMutex: PTR, DestroyMutex: PTR, LockMutex: PTR, UnlockMutex: PTR, flags: CK_ULONG, pReserved: PTR }),
    CK_TOKEN_INFO: ckStruct({
      label: chars(32), manufacturerID: chars(32), model: chars(16), serialNumber: chars(16), flags: CK_ULONG,
      ulMaxSessionCount: CK_ULONG, ulSessionCount: CK_ULONG, ulMaxRwSessionCount: CK_ULONG, ulRwSessionCount: CK_ULONG,
      ulMaxPinLen: CK_ULONG, ulMinPinLen: CK_ULONG, ulTotalPublicMemory: CK_ULONG, ulFreePublicMemory: CK_ULONG,
      ulTotalPrivateMemory: CK_ULONG, ulFreePrivateMemory: CK_ULONG, hardwareVersion: CK_VERSION, firmwareVersion: CK_VERSION, utcTime: chars(16),
    }),
    CK_FUNCTION_LIST: ckStruct({ version: CK_VERSION, ...Object.fromEntries(FUNCTION_NAMES.map((n) => [n, PTR])) }),
  };
}

const { CK_ULONG, CK_ATTRIBUTE, CK_MECHANISM, CK_RSA_PKCS_PSS_PARAMS, CK_C_INITIALIZE_ARGS, CK_TOKEN_INFO, CK_FUNCTION_LIST } = cryptokiTypes(IS_WINDOWS);

const U = CK_ULONG;
const PROTOS = {
  C_Initialize: koffi.proto(U, [PTR]),
  C_Finalize: koffi.proto(U, [PTR]),
  C_GetSlotList: koffi.proto(U, ['uint8_t', PTR, PTR]),
  C_GetTokenInfo: koffi.proto(U, [U, PTR]),
  C_OpenSession: koffi.proto(U, [U, U, PTR, PTR, PTR]),
  C_CloseSession: koffi.proto(U, [U]),
  C_Login: koffi.proto(U, [U, U, PTR, U]),
  C_Logout: koffi.proto(U, [U]),
  C_GetAttributeValue: koffi.proto(U, [U, U, PTR, U]),
  C_FindObjectsInit: koffi.proto(U, [U, PTR, U]),
  C_FindObjects: koffi.proto(U, [U, PTR, U, PTR]),
  C_FindObjectsFinal: koffi.proto(U, [U]),
  C_SignInit: koffi.proto(U, [U, PTR, U]),
  C_Sign: koffi.proto(U, [U, PTR, U, PTR, PTR]),
} as const;
type FnName = keyof typeof PROTOS;
type Fn = (...args: unknown[]) => number | bigint;

export const CKR = {
  OK: 0x0, GENERAL_ERROR: 0x5, FUNCTION_FAILED: 0x6, ATTRIBUTE_SENSITIVE: 0x11, ATTRIBUTE_TYPE_INVALID: 0x12, DEVICE_ERROR: 0x30, DEVICE_MEMORY: 0x31,
  DEVICE_REMOVED: 0x32, KEY_TYPE_INCONSISTENT: 0x63, MECHANISM_INVALID: 0x70, OBJECT_HANDLE_INVALID: 0x82, PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1, PIN_LEN_RANGE: 0xa2, PIN_EXPIRED: 0xa3, PIN_LOCKED: 0xa4, SESSION_CLOSED: 0xb0, SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0, TOKEN_NOT_RECOGNIZED: 0xe1, USER_ALREADY_LOGGED_IN: 0x100, USER_NOT_LOGGED_IN: 0x101, BUFFER_TOO_SMALL: 0x150,
  CRYPTOKI_NOT_INITIALIZED: 0x190, CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const;
const CKR_NAMES = new Map<number, string>(Object.entries(CKR).map(([name, code]) => [code, `CKR_${name}`]));

export const CKA_CLASS = 0x0;
export const CKA_LABEL = 0x3;
export const CKA_VALUE = 0x11;
export const CKA_KEY_TYPE = 0x100;
export const CKA_ID = 0x102;
export const CKO_CERTIFICATE = 1;
export const CKO_PRIVATE_KEY = 3;
export const CKK_EC = 3;
export const CKU_USER = 1;
export const CKF_RW_SESSION = 0x2;
export const CKF_SERIAL_SESSION = 0x4;
export const CKF_OS_LOCKING_OK = 0x2;
export const CKF_USER_PIN_LOCKED = 0x40000;
export const CKM_RSA_PKCS = 0x1;
export const CKM_RSA_PKCS_PSS = 0xd;
export const CKM_ECDSA = 0x1041;
export const CKM_SHA256 = 0x250;
export const CKM_SHA384 = 0x260;
export const CKM_SHA512 = 0x270;
export const CKG_MGF1_SHA256 = 0x2;
export const CKG_MGF1_SHA384 = 0x3;
export const CKG_MGF1_SHA512 = 0x4;

/** A cryptoki call that returned something other than CKR_OK; `code` is the CK_RV. */
export class Pkcs11Error extends Error {
  readonly code: number;
  constructor(code: number, fn: string) {
    super(`${fn}: ${CKR_NAMES.get(code) ?? `CKR 0x${code.toString(16)}`}`);
    this.name = 'Pkcs11Error';
    this.code = code;
  }
}

/** One attribute of a search template: CK_ULONG numbers, CK_BBOOL booleans, UTF-8 strings or bytes. */
export type TemplateAttribute = { type: number; value: number | boolean | string | Uint8Array };

export type TokenInfo = { label: string; manufacturer: string; model: string; serialNumber: string; flags: number };

const ULONG_SIZE = koffi.sizeof(CK_ULONG);
const ATTRIBUTE_SIZE = koffi.sizeof(CK_ATTRIBUTE);
/** CK_UNAVAILABLE_INFORMATION is ~0 as a CK_ULONG: any length above this is "no value". */
const MAX_VALUE_LENGTH = 0x7fffffff;

const ulongBytes = (value: number) => {
  const buf = Buffer.alloc(ULONG_SIZE);
  koffi.encode(buf, 0, CK_ULONG, value);
  return buf;
};
const readUlong = (buf: Buffer, offset = 0) => Number(koffi.decode(buf, offset, CK_ULONG) as number | bigint);
/** A CK_ULONG attribute value (CKA_CLASS, CKA_KEY_TYPE…) as a number. */
export const ulongValue = (buf: Buffer) => (buf.length === ULONG_SIZE ? readUlong(buf) : Number.NaN);
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8').replace(/[\s\0]+$/, '');

/** Native memory the token may write to during a call (koffi.alloc: it does not move); freed by `release`. */
class NativeBlocks {
  private readonly blocks: unknown[] = [];
  alloc(length: number): unknown {
    const ptr = koffi.alloc('uint8_t', Math.max(length, 1));
    this.blocks.push(ptr);
    return ptr;
  }
  write(bytes: Uint8Array): unknown {
    const ptr = this.alloc(bytes.length);
    new Uint8Array(koffi.view(ptr, Math.max(bytes.length, 1))).set(bytes);
    return ptr;
  }
  release(): void {
    for (const ptr of this.blocks.splice(0)) koffi.free(ptr);
  }
}

/** Encodes CK_ATTRIBUTE[] for `attrs`, each pValue a native block (null: ask only for the length). */
function encodeTemplate(attrs: { type: number; pValue: unknown; length: number }[]): Buffer {
  const buf = Buffer.alloc(Math.max(attrs.length, 1) * ATTRIBUTE_SIZE);
  attrs.forEach((a, i) => koffi.encode(buf, i * ATTRIBUTE_SIZE, CK_ATTRIBUTE, { type: a.type, pValue: a.pValue, ulValueLen: a.length }));
  return buf;
}

function attributeBytes(value: TemplateAttribute['value']): Uint8Array {
  if (typeof value === 'number') return ulongBytes(value);
  if (typeof value === 'boolean') return Uint8Array.of(value ? 1 : 0);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return value;
}

/**
 * A loaded and initialized PKCS#11 library. One per library path in the process, shared: C_Initialize
 * on the first `Cryptoki.open`, C_Finalize when the last user `release`s it (a second C_Initialize in
 * one process is an error in PKCS#11, and C_Finalize would end the other user's sessions).
 */
export class Cryptoki {
  private static readonly loaded = new Map<string, Cryptoki>();
  private users = 0;

  readonly path: string;
  private readonly fns: Record<FnName, Fn>;

  private constructor(path: string, fns: Record<FnName, Fn>) {
    this.path = path;
    this.fns = fns;
  }

  /** Loads (once per process) and initializes the library at `path`. Throws Pkcs11Error, or an Error when the file is not a PKCS#11 library. */
  static open(path: string): Cryptoki {
    let lib = Cryptoki.loaded.get(path);
    if (!lib) {
      // never unloaded: a session object may still call through its function pointers after C_Finalize
      const handle = koffi.load(path);
      const getFunctionList = handle.func('C_GetFunctionList', CK_ULONG, [koffi.out(koffi.pointer(PTR))]);
      const out: unknown[] = [null];
      const rv = Number(getFunctionList(out));
      if (rv !== CKR.OK) throw new Pkcs11Error(rv, 'C_GetFunctionList');
      const list = out[0];
      const fns = {} as Record<FnName, Fn>;
      for (const name of Object.keys(PROTOS) as FnName[]) {
        const ptr = koffi.decode(list, koffi.offsetof(CK_FUNCTION_LIST, name), PTR);
        if (!ptr) throw new Pkcs11Error(CKR.FUNCTION_FAILED, `${name} missing`);
        fns[name] = koffi.decode(ptr, PROTOS[name]) as Fn;
      }
      lib = new Cryptoki(path, fns);
      Cryptoki.loaded.set(path, lib);
    }
    if (lib.users === 0) {
      const args = Buffer.alloc(koffi.sizeof(CK_C_INITIALIZE_ARGS));
      koffi.encode(args, 0, CK_C_INITIALIZE_ARGS, { CreateMutex: null, DestroyMutex: null, LockMutex: null, UnlockMutex: null, flags: CKF_OS_LOCKING_OK, pReserved: null });
      const rv = Number(lib.fns.C_Initialize(args));
      if (rv !== CKR.OK && rv !== CKR.CRYPTOKI_ALREADY_INITIALIZED) throw new Pkcs11Error(rv, 'C_Initialize');
    }
    lib.users++;
    return lib;
  }

  /** One user is done; the last one finalizes the library (ending every session of this process on it). */
  release(): void {
    if (this.users === 0) return;
    this.users--;
    if (this.users === 0) this.fns.C_Finalize(null);
  }

  private call(name: FnName, ...args: unknown[]): void {
    const rv = Number(this.fns[name](...args));
    if (rv !== CKR.OK) throw new Pkcs11Error(rv, name);
  }

  /** The slots (IDs) with a token present. */
  slotsWithToken(): number[] {
    const count = Buffer.alloc(ULONG_SIZE);
    this.call('C_GetSlotList', 1, null, count);
    for (;;) {
      const n = readUlong(count);
      const slots = Buffer.alloc(Math.max(n, 1) * ULONG_SIZE);
      const rv = Number(this.fns.C_GetSlotList(1, slots, count));
      if (rv === CKR.BUFFER_TOO_SMALL) continue; // a token was plugged in between the two calls
      if (rv !== CKR.OK) throw new Pkcs11Error(rv, 'C_GetSlotList');
      return Array.from({ length: readUlong(count) }, (_, i) => readUlong(slots, i * ULONG_SIZE));
    }
  }

  tokenInfo(slot: number): TokenInfo {
    const buf = Buffer.alloc(koffi.sizeof(CK_TOKEN_INFO));
    this.call('C_GetTokenInfo', slot, buf);
    const info = koffi.decode(buf, CK_TOKEN_INFO) as { label: Uint8Array; manufacturerID: Uint8Array; model: Uint8Array; serialNumber: Uint8Array; flags: number | bigint };
    return { label: text(info.label), manufacturer: text(info.manufacturerID), model: text(info.model), serialNumber: text(info.serialNumber), flags: Number(info.flags) };
  }

  openSession(slot: number, flags: number): number {
    const handle = Buffer.alloc(ULONG_SIZE);
    this.call('C_OpenSession', slot, flags, null, null, handle);
    return readUlong(handle);
  }

  closeSession(session: number): void {
    this.call('C_CloseSession', session);
  }

  /** Logs the user in; a session of this application already logged in counts as success. */
  login(session: number, pin: string): void {
    const bytes = Buffer.from(pin, 'utf8');
    const rv = Number(this.fns.C_Login(session, CKU_USER, bytes, bytes.length));
    if (rv !== CKR.OK && rv !== CKR.USER_ALREADY_LOGGED_IN) throw new Pkcs11Error(rv, 'C_Login');
  }

  logout(session: number): void {
    this.call('C_Logout', session);
  }

  /** The handles of the objects matching `template` (at most `max`). */
  findObjects(session: number, template: TemplateAttribute[], max = 100): number[] {
    const blocks = new NativeBlocks();
    try {
      const values = template.map((a) => attributeBytes(a.value));
      const tmpl = encodeTemplate(template.map((a, i) => ({ type: a.type, pValue: blocks.write(values[i] ?? new Uint8Array()), length: values[i]?.length ?? 0 })));
      this.call('C_FindObjectsInit', session, tmpl, template.length);
      const handles = Buffer.alloc(max * ULONG_SIZE);
      const count = Buffer.alloc(ULONG_SIZE);
      try {
        this.call('C_FindObjects', session, handles, max, count);
      } finally {
        this.fns.C_FindObjectsFinal(session);
      }
      return Array.from({ length: readUlong(count) }, (_, i) => readUlong(handles, i * ULONG_SIZE));
    } finally {
      blocks.release();
    }
  }

  /**
   * The values of `types` on `object` (undefined for an attribute the object does not have or keeps
   * secret). Two calls, as the standard says: the lengths, then the values.
   */
  getAttributes(session: number, object: number, types: number[]): (Buffer | undefined)[] {
    const blocks = new NativeBlocks();
    try {
      const probe = encodeTemplate(types.map((type) => ({ type, pValue: null, length: 0 })));
      this.tolerateMissing(this.fns.C_GetAttributeValue(session, object, probe, types.length));
      const lengths = types.map((_, i) => readUlong(probe, i * ATTRIBUTE_SIZE + koffi.offsetof(CK_ATTRIBUTE, 'ulValueLen')));
      const pointers = lengths.map((n) => (n > MAX_VALUE_LENGTH ? null : blocks.alloc(n)));
      const tmpl = encodeTemplate(types.map((type, i) => ({ type, pValue: pointers[i], length: pointers[i] ? (lengths[i] ?? 0) : 0 })));
      this.tolerateMissing(this.fns.C_GetAttributeValue(session, object, tmpl, types.length));
      return types.map((_, i) => {
        const ptr = pointers[i];
        const n = readUlong(tmpl, i * ATTRIBUTE_SIZE + koffi.offsetof(CK_ATTRIBUTE, 'ulValueLen'));
        if (!ptr || n > MAX_VALUE_LENGTH) return undefined;
        return Buffer.from(new Uint8Array(koffi.view(ptr, Math.max(n, 1)), 0, n));
      });
    } finally {
      blocks.release();
    }
  }

  private tolerateMissing(result: number | bigint): void {
    const rv = Number(result);
    if (rv !== CKR.OK && rv !== CKR.ATTRIBUTE_TYPE_INVALID && rv !== CKR.ATTRIBUTE_SENSITIVE) throw new Pkcs11Error(rv, 'C_GetAttributeValue');
  }

  /**
   * Signs `data` with `key` (C_SignInit + C_Sign). `parameter` is the mechanism's parameter struct
   * (already encoded), e.g. CK_RSA_PKCS_PSS_PARAMS.
   */
  sign(session: number, key: number, mechanism: number, data: Uint8Array, parameter?: Uint8Array): Buffer {
    const blocks = new NativeBlocks();
    try {
      const mech = Buffer.alloc(koffi.sizeof(CK_MECHANISM));
      koffi.encode(mech, 0, CK_MECHANISM, { mechanism, pParameter: parameter ? blocks.write(parameter) : null, ulParameterLen: parameter?.length ?? 0 });
      this.call('C_SignInit', session, mech, key);
      const input = Buffer.from(data);
      let signature = Buffer.alloc(1024); // RSA-8192 or ECDSA P-521 fit
      const length = ulongBytes(signature.length);
      let rv = Number(this.fns.C_Sign(session, input, input.length, signature, length));
      if (rv === CKR.BUFFER_TOO_SMALL) {
        signature = Buffer.alloc(readUlong(length));
        rv = Number(this.fns.C_Sign(session, input, input.length, signature, length));
      }
      if (rv !== CKR.OK) throw new Pkcs11Error(rv, 'C_Sign');
      return signature.subarray(0, readUlong(length));
    } finally {
      blocks.release();
    }
  }
}

/** CK_RSA_PKCS_PSS_PARAMS as bytes, for `Cryptoki.sign`. */
export function pssParameter(hashAlg: number, mgf: number, sLen: number): Buffer {
  const buf = Buffer.alloc(koffi.sizeof(CK_RSA_PKCS_PSS_PARAMS));
  koffi.encode(buf, 0, CK_RSA_PKCS_PSS_PARAMS, { hashAlg, mgf, sLen });
  return buf;
}
