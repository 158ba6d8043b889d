import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { envProxyEnabled } from '../../signing/verify/verify.proxy.ts';
import { axisBadResponse, axisRemoteError, axisUnreachable } from './axis.errors.ts';
import { gsonObject, gsonString, sdkTimestamp, signSdkHeaders, unpaddedSha256Hex } from './axis.protocol.ts';

export type AxisOperation =
  | 'sendEdoc' | 'getReceivedEdocList' | 'getSentEdocList' | 'getEdoc' | 'updateStatus'
  | 'getAgenciesList' | 'getSynchronizeUnit' | 'registerAgency' | 'deleteAgency';

export type AxisCredentials = { endpoint: string; systemId: string; secret: string };

/**
 * One request exactly as the SDK puts it on the wire: URL, headers in wire order, and the body's bytes
 * or the pieces it is written from, in order (sendEdoc's file and CRLF: the package is not copied to join them).
 */
export type SdkRequest = { url: URL; headers: [string, string][]; body: Uint8Array | readonly Uint8Array[]; expectContinue: boolean };

export type BuildSdkRequestOptions = {
  op: AxisOperation;
  /** The SDK's `jsonHeaders` argument, as ordered entries (values already strings). */
  params: [string, string][];
  body?: Uint8Array;
  now?: Date;
  /** The client JVM's time zone for the timestamp (default Asia/Ho_Chi_Minh). */
  timeZone?: string;
  /** `<endpoint>/<op>` already parsed (a client keeps one per operation). */
  url?: URL;
};

const CRLF = Buffer.from('\r\n', 'latin1');

const sendEdocTail = (host: string, length: number): [string, string][] => [
  ['Cache-Control', 'no-cache'], ['Pragma', 'no-cache'], ['Host', host],
  ['Accept', 'text/html, image/gif, image/jpeg, */*; q=0.2'], ['Connection', 'keep-alive'], ['Content-Length', String(length)],
];

/**
 * Builds the request the VXP Java SDK sends for one call (axis-protocol.md §3–5, capture §9): the
 * logical map (timestamp, systemid, Content-Type, the caller's params, and for sendEdoc `hash-file`) in
 * Java HashMap order, HMAC-signed; sendEdoc as HttpURLConnection sends it (Content-Type first, body =
 * file + CRLF), every other call as Apache HttpClient does, except that a `{}` body goes with the headers
 * instead of after the axis's "100 Continue" (HttpClient's Expect: 100-continue): the same bytes, one
 * round trip and two writes fewer per call (RFC 9110 §10.1.1 lets a client send it at once or not ask).
 */
export function buildSdkRequest(credentials: AxisCredentials, options: BuildSdkRequestOptions): SdkRequest & { body: readonly Uint8Array[] } {
  const url = options.url ?? new URL(`${credentials.endpoint}/${options.op}`);
  const isSend = options.op === 'sendEdoc';
  const entries: [string, string][] = [
    ['timestamp', sdkTimestamp(options.now ?? new Date(), options.timeZone)],
    ['systemid', credentials.systemId],
    ['Content-Type', isSend ? 'application/octet-stream' : 'application/json'],
    ...options.params,
  ];
  const file = options.body ?? new Uint8Array();
  if (isSend) entries.push(['hash-file', unpaddedSha256Hex(file)]);
  const signed = signSdkHeaders(entries, credentials.secret);
  if (isSend) {
    const headers: [string, string][] = [['Content-Type', 'application/octet-stream'], ...signed.wire.filter(([k]) => k !== 'Content-Type'), ...sendEdocTail(url.host, file.byteLength + CRLF.length)];
    return { url, headers, body: [file, CRLF], expectContinue: false };
  }
  const headers: [string, string][] = [
    ...signed.wire, ['Content-Length', String(file.byteLength)], ['Host', url.host], ['Connection', 'Keep-Alive'], ['Accept-Encoding', 'gzip,deflate'],
  ];
  return { url, headers, body: file.byteLength > 0 ? [file] : [], expectContinue: false };
}

export type SdkEnvelope = { status: string; ErrorCode: string; ErrorDesc: string; [key: string]: unknown };

async function decode(body: Buffer, encoding: string | undefined): Promise<Buffer> {
  if (encoding === 'gzip') return await promisify(zlib.gunzip)(body);
  if (encoding === 'deflate') return await promisify(zlib.inflate)(body);
  return body;
}

/** Parses a response as the SDK does: lines concatenated without separators, one JSON object. Throws axis.bad_response. */
export function parseSdkResponse(text: string): SdkEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.includes('\n') ? text.replace(/\r?\n/g, '') : text);
  } catch {
    throw axisBadResponse({ body: text.slice(0, 200) });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw axisBadResponse({ body: text.slice(0, 200) });
  const o = parsed as Record<string, unknown>;
  const asString = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const status = asString(o.status);
  const code = asString(o.ErrorCode);
  const desc = asString(o.ErrorDesc);
  if (status === undefined || code === undefined || desc === undefined) throw axisBadResponse({ body: text.slice(0, 200) });
  return { ...o, status, ErrorCode: code, ErrorDesc: desc };
}

const DATA_KEY = Buffer.from('"data":"', 'latin1');
const DATA_CHUNK = 64 * 1024; // base64 characters decoded at a time: a multiple of 4, a young-generation string
const isJsonSpace = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** The bytes from `from` to `to` (offsets in the chunks' concatenation) as views of the chunks. */
function slices(chunks: readonly Buffer[], from: number, to: number): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    const [a, b] = [Math.max(from - offset, 0), Math.min(to - offset, chunk.length)];
    if (a < b) out.push(chunk.subarray(a, b));
    offset += chunk.length;
  }
  return out;
}

/**
 * Decodes base64 text (latin1 bytes, in pieces) as Buffer.from(string, 'base64') would, or undefined
 * unless every character is base64 (at most two '=' at the end). Decoded 64 KiB at a time; the up to
 * three characters a piece ends with are completed from the next one.
 */
function decodeStrictBase64(text: readonly Buffer[]): Buffer | undefined {
  let length = 0;
  for (const piece of text) length += piece.length;
  if (length % 4 !== 0) return undefined;
  const tail = Buffer.concat(slices(text, length - 2, length));
  const padding = tail[tail.length - 1] === 0x3d ? (tail[tail.length - 2] === 0x3d ? 2 : 1) : 0;
  const out = Buffer.allocUnsafeSlow((length / 4) * 3 - padding); // its own ArrayBuffer, not the pool's
  let [at, seen, carry] = [0, 0, ''];
  // Node's decoder skips what is not base64: fewer bytes than the characters promise means a character was skipped.
  const put = (chars: string) => {
    seen += chars.length;
    const written = out.write(chars, at, 'base64');
    at += written;
    return written === (chars.length / 4) * 3 - (seen === length ? padding : 0);
  };
  for (const piece of text) {
    let i = 0;
    if (carry) {
      i = Math.min(4 - carry.length, piece.length);
      carry += piece.subarray(0, i).toString('latin1');
      if (carry.length < 4) continue;
      if (!put(carry)) return undefined;
      carry = '';
    }
    for (let n = piece.length - i; n >= 4; n = piece.length - i) {
      const take = Math.min(DATA_CHUNK, n - (n % 4));
      if (!put(piece.subarray(i, i + take).toString('latin1'))) return undefined;
      i += take;
    }
    carry = piece.subarray(i).toString('latin1');
  }
  return at === out.length ? out : undefined;
}

/** True when the quote at `at` opens a string: outside strings, as JSON's escapes decide (an ASCII envelope's \u00e0 included). */
function opensString(bytes: Buffer, at: number): boolean {
  let inString = false;
  for (let i = 0; i < at; i++) {
    const b = bytes[i];
    if (inString && b === 0x5c) i++;
    else if (b === 0x22) inString = !inString;
  }
  return !inString;
}

/** The offset of the quote of a response ending in `"}` and JSON whitespace, or -1. */
function closingQuote(chunks: readonly Buffer[], total: number): number {
  let [wanted, at] = [0x7d, total];
  for (let c = chunks.length - 1; c >= 0; c--) {
    const chunk = chunks[c] as Buffer;
    for (let i = chunk.length - 1; i >= 0; i--) {
      at--;
      if (wanted === 0x7d && isJsonSpace(chunk[i])) continue;
      if (chunk[i] !== wanted) return -1;
      if (wanted === 0x22) return at;
      wanted = 0x22;
    }
  }
  return -1;
}

/**
 * The envelope and the decoded base64 `data` of a getEdoc response, given as the chunks it arrived in,
 * without joining them or making the (large) response or its `data` into strings — they would go
 * straight to V8's old generation. Only a response whose `data` is the last member, plain base64 (no
 * escape: Gson writes '=' as \u003d by default) after a head without line ends within the first chunk,
 * takes this path; anything else is parsed as the SDK does.
 */
export function parseSdkDataResponse(chunks: readonly Buffer[]): { envelope: SdkEnvelope; data: Uint8Array | undefined } {
  const fallback = () => {
    const envelope = parseSdkResponse(Buffer.concat(chunks).toString('utf8'));
    return { envelope, data: typeof envelope.data === 'string' ? new Uint8Array(Buffer.from(envelope.data, 'base64')) : undefined };
  };
  const first = chunks[0];
  const key = first ? first.lastIndexOf(DATA_KEY) : -1;
  if (!first || key < 0) return fallback();
  const start = key + DATA_KEY.length;
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const end = closingQuote(chunks, total);
  if (end < start) return fallback();
  const head = first.subarray(0, start);
  if (head.includes(0x0a) || !opensString(head, key)) return fallback();
  // Every character from the key to the closing quote being base64, neither a quote nor another key lies
  // between them: this key is the response's last and its string ends at that quote.
  const data = decodeStrictBase64(slices(chunks, start, end));
  if (!data) return fallback();
  // Its quote opening a string, '"data":"' is a key, and the closing '}' ends the top-level object, of which
  // `data` is then the last (so the effective) member; parsing the head with an empty `data` confirms it.
  let envelope: SdkEnvelope;
  try {
    envelope = parseSdkResponse(`${head.toString('utf8')}"}`);
  } catch {
    return fallback();
  }
  if (envelope.data !== '') return fallback();
  return { envelope, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Writes the body's pieces and ends the request: before the socket is assigned they wait with the headers, and go out in one writev. */
function writeBody(req: http.ClientRequest, body: SdkRequest['body']): void {
  if (body instanceof Uint8Array) {
    req.end(body);
    return;
  }
  const last = body.length - 1;
  for (let i = 0; i < last; i++) req.write(body[i]);
  req.end(body[last]);
}

type SendOptions = { agent?: http.Agent; timeoutMs?: number; isRetry?: boolean };

const httpOptions = new WeakMap<URL, http.RequestOptions>();

/** What `http.request(url, …)` would take from the URL, worked out once per URL object (a client keeps one per operation). */
function httpOptionsOf(url: URL): http.RequestOptions {
  let options = httpOptions.get(url);
  if (!options) {
    options = urlToHttpOptions(url);
    httpOptions.set(url, options);
  }
  return options;
}

/** Sends one SDK request and returns the raw response text (HTTP status ignored, as the SDK does). Throws axis.unreachable. */
export async function sendSdkRequest(request: SdkRequest, options: SendOptions = {}): Promise<string> {
  return joined(await sendSdkRequestChunks(request, options)).toString('utf8');
}

const joined = (chunks: readonly Buffer[]) => (chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks));

/**
 * sendSdkRequest, returning the response bytes as the chunks they arrived in (one, decompressed, if
 * compressed). Settles once the request is closed too, so the caller may reuse the body's buffers: Node
 * no longer reads them (a server may answer before it has read the whole body).
 */
function sendSdkRequestChunks(request: SdkRequest, options: SendOptions = {}): Promise<Buffer[]> {
  const lib = request.url.protocol === 'https:' ? https : http;
  return new Promise((resolveNow, rejectNow) => {
    let [isClosed, outcome] = [false, undefined as (() => void) | undefined];
    const settle = (then: () => void) => (isClosed ? then() : (outcome ??= then));
    const resolve = (value: Buffer[] | Promise<Buffer[]>) => settle(() => resolveNow(value));
    const reject = (error: unknown) => settle(() => rejectNow(error));
    const req = lib.request({
      ...httpOptionsOf(request.url), method: 'POST', headers: request.headers.flat(), setHost: false, agent: options.agent, timeout: options.timeoutMs ?? 120_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (cause) => reject(axisUnreachable({ url: request.url.href }, { cause })));
      res.on('end', () => {
        const encoding = res.headers['content-encoding'];
        if (!encoding) return void resolve(chunks);
        decode(Buffer.concat(chunks), encoding).then((body) => resolve([body]), (cause: unknown) => reject(axisBadResponse({}, { cause })));
      });
    });
    req.on('close', () => {
      isClosed = true;
      outcome?.();
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (cause: NodeJS.ErrnoException) => {
      // A kept-alive connection the axis closed while idle fails as it is reused (reset, broken pipe):
      // every SDK operation is idempotent (the axis deduplicates), so it is sent once more on a new one.
      if (req.reusedSocket && !options.isRetry && (cause.code === 'ECONNRESET' || cause.code === 'EPIPE')) {
        settle(() => resolveNow(sendSdkRequestChunks(request, { ...options, isRetry: true })));
        return;
      }
      reject(axisUnreachable({ url: request.url.href }, { cause, message: `Không kết nối được tới trục liên thông ${request.url.origin}: ${cause.message}` }));
    });
    if (!request.expectContinue) {
      writeBody(req, request.body);
      return;
    }
    // As Apache HttpClient does (the tests replay the SDK's captured calls): wait for "100 Continue" (at most 3 s) before the body.
    let isSent = false;
    const send = () => {
      if (isSent) return;
      isSent = true;
      clearTimeout(timer);
      writeBody(req, request.body);
    };
    const timer = setTimeout(send, 3000);
    req.on('continue', send);
    req.flushHeaders();
  });
}

function requireOk(envelope: SdkEnvelope, op: AxisOperation): SdkEnvelope {
  if (envelope.ErrorCode === '0') return envelope;
  throw axisRemoteError({ op, errorCode: envelope.ErrorCode, errorDesc: envelope.ErrorDesc, code: envelope.code },
    { message: `Trục liên thông trả về lỗi (${op}): ${envelope.ErrorDesc}` });
}

function arrayData<T>(envelope: SdkEnvelope): T[] {
  if (!Array.isArray(envelope.data)) throw axisBadResponse({ reason: 'data is not an array' });
  return envelope.data as T[];
}

/** `to` as the SDK sends it: the JSON text of the jsonHeaders value (quoted string or array). */
function toHeaderText(to: string | { code: string }[]): string {
  if (typeof to === 'string') return gsonString(to);
  return `[${to.map((t) => gsonObject([['code', t.code]])).join(',')}]`;
}

export type ReceivedItem = { docId: string; serviceType?: string; messageType?: string; created_time?: string; updated_time?: string; from?: string; to?: string; status?: string; status_desc?: string };
export type SentItem = Record<string, string>;
export type AgencyItem = { id: string; pid: string; code: string; name: string; mail: string };
export type UnitItem = AgencyItem & { version: number; centerCode: string; deleted: boolean; modifyDate: string; isAgency: boolean };

export type AxisClient = ReturnType<typeof createAxisClient>;

/**
 * A client of the VXP axis protocol that puts on the wire what the Java SDK puts there (one SDK
 * service instance per call: a fresh timestamp and header map each time). Every method throws
 * axis.unreachable (network), axis.bad_response (not the SDK envelope) or axis.remote_error (ErrorCode ≠ "0").
 */
export function createAxisClient(credentials: AxisCredentials & { timeZone?: string; timeoutMs?: number }) {
  // A keep-alive pool ignores Node's NODE_USE_ENV_PROXY unless given the environment: agencies behind a proxy
  // reach the axis through it under the same rule as the verifier's OCSP/CRL requests.
  const proxyEnv = envProxyEnabled() ? process.env : undefined;
  const agent = new (credentials.endpoint.startsWith('https:') ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: 10, proxyEnv });
  const urls = new Map<AxisOperation, URL>();
  const urlOf = (op: AxisOperation) => urls.get(op) ?? urls.set(op, new URL(`${credentials.endpoint}/${op}`)).get(op) as URL;
  const send = (op: AxisOperation, params: [string, string][], body?: Uint8Array) =>
    sendSdkRequestChunks(buildSdkRequest(credentials, { op, params, body, timeZone: credentials.timeZone, url: urlOf(op) }), { agent, timeoutMs: credentials.timeoutMs });
  const call = async (op: AxisOperation, params: [string, string][], body?: Uint8Array) =>
    requireOk(parseSdkResponse(joined(await send(op, params, body)).toString('utf8')), op);
  const listParams = (messagetype: string): [string, string][] => [['servicetype', 'eDoc'], ['messagetype', messagetype]];
  return {
    /** Resolves once the request no longer reads `file` (its buffer may be used again). */
    sendEdoc: async (file: Uint8Array, o: { from?: string; to?: string | { code: string }[]; messagetype?: 'edoc' | 'status' } = {}) => {
      const params: [string, string][] = [['from', o.from ?? credentials.systemId], ['servicetype', 'eDoc'], ['messagetype', o.messagetype ?? 'edoc']];
      if (o.to !== undefined) params.push(['to', toHeaderText(o.to)]);
      const envelope = await call('sendEdoc', params, file);
      if (typeof envelope.DocId !== 'string' || envelope.DocId === '') throw axisBadResponse({ reason: 'no DocId' });
      return { docId: envelope.DocId };
    },
    getReceivedEdocList: async (messagetype: 'edoc' | 'status' = 'edoc') => arrayData<ReceivedItem>(await call('getReceivedEdocList', listParams(messagetype))),
    getSentEdocList: async (messagetype: 'edoc' | 'status' = 'edoc') => arrayData<SentItem>(await call('getSentEdocList', listParams(messagetype))),
    getEdoc: async (docId: string): Promise<Uint8Array> => {
      const { envelope, data } = parseSdkDataResponse(await send('getEdoc', [['docId', docId]], Buffer.from('{}')));
      requireOk(envelope, 'getEdoc');
      if (!data) throw axisBadResponse({ reason: 'no data' });
      return data;
    },
    updateStatus: async (docId: string, status: string) => {
      await call('updateStatus', [['docId', docId], ['status', status]], Buffer.from('{}'));
    },
    getAgenciesList: async () => arrayData<AgencyItem>(await call('getAgenciesList', [])),
    getSynchronizeUnit: async () => arrayData<UnitItem>(await call('getSynchronizeUnit', [])),
    registerAgency: async (agency: { id?: string; pid?: string; code: string; name: string; mail?: string }) => {
      await call('registerAgency', [], Buffer.from(JSON.stringify(agency), 'utf8'));
    },
    deleteAgency: async (code: string) => {
      await call('deleteAgency', [['code', code]], Buffer.from('{}'));
    },
    close: () => agent.destroy(),
  };
}
