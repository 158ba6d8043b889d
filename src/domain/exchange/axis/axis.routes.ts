import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { AppDeps } from '../../../platform/deps.ts';
import { createBufferPool } from '../../../platform/buffer-pool.ts';
import { isAppError } from '../../../platform/errors.ts';
import { authenticateSdkRequest, type AxisCaller } from './axis.auth.ts';
import { deleteAgency, listAgencies, listUnits, registerAgency, secretOf } from './axis.directory.ts';
import { axisTooLarge } from './axis.errors.ts';
import { asciiJson, asciiJsonWithBase64 } from './axis.protocol.ts';
import { createRecentBodyCache } from './axis.recent.ts';
import { getEdoc, listReceived, listSent, sendEdoc, updateStatus, type AxisContext } from './axis.service.ts';
import type { AxisOperation } from './axis.client.ts';

export type AxisRoutesOptions = AxisContext & { basePath?: string; maxPackageBytes?: number };

type Handler = (c: Context, caller: AxisCaller) => Promise<Record<string, unknown>>;

const OK = { status: 'OK', ErrorCode: '0', ErrorDesc: 'Thành công' };

/** Fields the SDK reads even on failure: DocId (sendEdoc) and data (getEdoc) must be present. */
const FAIL_EXTRA: Partial<Record<AxisOperation, Record<string, unknown>>> = { sendEdoc: { DocId: '' }, getEdoc: { data: '' } };

/** getEdoc's `data`: the package as base64 text or as bytes, written as the last field without escaping. */
type PackageData = { base64: string } | { bytes: Uint8Array };
const isPackageData = (v: unknown): v is PackageData => typeof v === 'object' && v !== null && ('base64' in v || 'bytes' in v);

/**
 * getEdoc's response buffers (~230 KiB for a 172 KiB package), taken again once Node has handed a response's
 * bytes to the socket ('finish'): a new one per fetch cost ~25–55 page faults (fresh memory) and external
 * memory, which is what starts V8's major collections. A response whose connection breaks first keeps its
 * buffer (the garbage collector takes it).
 */
const createResponseBuffers = () => createBufferPool({ step: 64 * 1024, maxBytes: 16 * 1024 * 1024 });

type ResponseBuffers = ReturnType<typeof createResponseBuffers>;

function reply(c: Context, body: Record<string, unknown>, buffers?: ResponseBuffers) {
  // Always 200 and ASCII JSON: the SDK ignores the status and decodes sendEdoc replies in the JVM charset.
  const { data, ...rest } = body;
  const headers = { 'Content-Type': 'application/json; charset=utf-8' };
  if (!isPackageData(data)) return c.body(asciiJson(body), 200, headers);
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  let taken: Buffer<ArrayBuffer> | undefined;
  const alloc = buffers && outgoing ? (size: number) => (taken = buffers.take(size)) : undefined;
  const bytes = asciiJsonWithBase64(rest, 'base64' in data ? data.base64 : data.bytes, alloc);
  if (taken && outgoing && buffers) {
    const buffer = taken;
    outgoing.once('finish', () => buffers.giveBack(buffer));
  }
  return c.body(bytes, 200, headers);
}

async function readBody(c: Context, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw axisTooLarge({ maxBytes });
  // Under the Node server the request itself is read: cheaper than its web-stream adapter (c.req.raw.body).
  const stream: AsyncIterable<Uint8Array> | null = (c.env as Partial<HttpBindings> | undefined)?.incoming ?? c.req.raw.body;
  if (!stream) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > maxBytes) throw axisTooLarge({ maxBytes });
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks); // one copy; a Buffer is a Uint8Array already
  return body;
}

function handlers(ctx: AxisContext, maxBytes: number): Record<AxisOperation, Handler> {
  const { db } = ctx.deps;
  const recent = createRecentBodyCache();
  return {
    sendEdoc: async (c, caller) => {
      const result = await sendEdoc({ ctx, caller, body: await readBody(c, maxBytes), recent });
      ctx.deps.logger.info({ systemId: caller.systemId, docId: result.docId, isDuplicate: result.isDuplicate }, 'axis: sendEdoc');
      return { DocId: result.docId };
    },
    getReceivedEdocList: async (_c, caller) => ({ data: await listReceived({ db, caller }) }),
    getSentEdocList: async (_c, caller) => ({ data: await listSent({ db, caller }) }),
    getEdoc: async (_c, caller) => ({ data: (await getEdoc({ deps: ctx.deps, caller, recent })) satisfies PackageData }),
    updateStatus: async (_c, caller) => {
      await updateStatus({ db, caller });
      return {};
    },
    getAgenciesList: async () => ({ data: await listAgencies({ db }) }),
    getSynchronizeUnit: async () => ({ data: await listUnits({ db }) }),
    registerAgency: async (c, caller) => {
      await registerAgency({ db, caller, body: Buffer.from(await readBody(c, 64 * 1024)).toString('utf8') });
      return {};
    },
    deleteAgency: async (_c, caller) => {
      await deleteAgency({ db, caller });
      return {};
    },
  };
}

function logFailure(deps: AppDeps, c: Context, op: string, error: unknown) {
  const systemId = c.req.header('XroadVnpt-systemid');
  // A body dropped by the retention is an expected answer, not a fault of the axis or the caller.
  if (isAppError(error) && error.code === 'axis.body_expired') deps.logger.info({ op, code: error.code, systemId, details: error.details }, `axis: ${op}: ${error.message}`);
  else if (isAppError(error)) deps.logger.warn({ op, code: error.code, systemId, details: error.details }, `axis: ${op} refused: ${error.message}`);
  else deps.logger.error({ op, systemId, err: error }, `axis: ${op} failed`);
}

/**
 * The axis's HTTP surface: POST `<basePath>/<operation>` for the nine SDK operations, each
 * authenticated by the SDK's HMAC headers, answering with the SDK's envelope
 * `{status, ErrorCode, ErrorDesc, …}` (HTTP 200 always; failures are `FAIL` / ErrorCode "-1" with a
 * Vietnamese ErrorDesc and our dotted `code`).
 */
export function createAxisApp(options: AxisRoutesOptions): Hono {
  const basePath = (options.basePath ?? '/vxp').replace(/\/+$/, '');
  const app = new Hono();
  const table = handlers(options, options.maxPackageBytes ?? 200 * 1024 * 1024);
  const buffers = createResponseBuffers();
  app.post(`${basePath}/:op`, async (c) => {
    const op = c.req.param('op');
    const handler = Object.hasOwn(table, op) ? table[op as AxisOperation] : undefined;
    if (!handler) {
      return reply(c, { status: 'FAIL', ErrorCode: '-1', ErrorDesc: `Thao tác không tồn tại: ${op}.`, code: 'axis.unknown_operation' });
    }
    try {
      const caller = await authenticateSdkRequest({ get: (name) => c.req.raw.headers.get(name) }, (id) => secretOf(options.deps.db, options.deps.config.dataDir, id));
      return reply(c, { ...OK, ...(await handler(c, caller)) }, buffers);
    } catch (error) {
      logFailure(options.deps, c, op, error);
      const desc = isAppError(error) ? error.message : 'Lỗi nội bộ của trục liên thông, vui lòng thử lại sau.';
      const code = isAppError(error) ? error.code : 'internal.error';
      return reply(c, { status: 'FAIL', ErrorCode: '-1', ErrorDesc: desc, code, ...FAIL_EXTRA[op as AxisOperation] });
    }
  });
  app.get(`${basePath}/health`, (c) => c.json({ ok: true }));
  return app;
}
