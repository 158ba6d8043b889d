/**
 * The signing agent's HTTP server (`vanthu signing-agent`). It runs on the leader's computer, next to
 * the USB token, and listens on 127.0.0.1 only. Only the configured vanthu origins may call it from a
 * browser (CORS, including Chrome's Private Network Access preflight); requests from other pages are
 * refused before they touch the token, and a Host other than 127.0.0.1/localhost (DNS rebinding) is
 * refused too. The PIN comes in the request from the vanthu page (which sends it only here, never to
 * the vanthu server) or, when the request has none, is typed into the agent's terminal.
 *
 *   GET  /certificates → { data: { agent, version, certificates: TokenCertificate[] } }
 *   POST /sign {pin?, certificate?, items:[{id, signedAttributes, digest?, hash}]} → { data: { certificate, results } }
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { agentBadRequest, agentHostRefused, agentNotFound, agentOriginRefused, agentPinRequired } from './signing-agent.errors.ts';
import { listTokenCertificates, signWithToken, type SignItemResult, type TokenConfig } from './signing-agent.token.ts';

/** What the agent is started with. `askPin` reads a PIN on the agent's terminal (absent when it has none). */
export type AgentOptions = TokenConfig & {
  origins: string[];
  port: number;
  askPin?: (question: string) => Promise<string>;
  log?: (line: string) => void;
};

/** A started agent: its address and a stop function. */
export type RunningAgent = { url: string; port: number; server: Server; stop: () => Promise<void> };

const AGENT = 'vanthu-signing-agent';
const VERSION = 1;
const MAX_BODY = 4 * 1024 * 1024;

const ZSignBody = z.object({
  pin: z.string().min(1).max(64).optional().describe('PIN of the token; absent: asked on the agent terminal'),
  certificate: z.string().max(20_000).optional().describe('base64 DER of the certificate to sign with (from GET /certificates)'),
  items: z.array(z.object({
    id: z.string().min(1).max(100).describe('Outgoing document id'),
    signedAttributes: z.string().max(100_000).optional().describe('base64 DER of the CMS signed attributes'),
    digest: z.string().max(200).optional().describe('base64 hash(signedAttributes), checked when present'),
    hash: z.enum(['SHA-256', 'SHA-384', 'SHA-512']).describe('Hash algorithm'),
  })).min(1).max(500),
});

/** Starts the agent on 127.0.0.1:`port` (0 = any free port). */
export async function startSigningAgent(options: AgentOptions): Promise<RunningAgent> {
  const origins = new Set(options.origins.map((o) => new URL(o).origin));
  let port = options.port;
  let queue: Promise<unknown> = Promise.resolve();
  // One token operation at a time: PKCS#11 modules are initialised per operation and tokens serialise anyway.
  const serial = <T>(work: () => Promise<T> | T): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, error));
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (!isLoopbackHost(req.headers.host, port)) throw agentHostRefused({ host: req.headers.host });
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) throw agentOriginRefused({ origin });
    if (origin) setCors(res, origin);
    if (req.method === 'OPTIONS') return preflight(req, res);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method === 'GET' && path === '/certificates') {
      const certificates = await serial(() => listTokenCertificates(options));
      return sendJson(res, 200, { data: { agent: AGENT, version: VERSION, certificates } });
    }
    if (req.method === 'POST' && path === '/sign') return sendJson(res, 200, { data: await sign(req, origin) });
    throw agentNotFound({ method: req.method, path });
  }
  async function sign(req: IncomingMessage, origin: string | undefined) {
    // JSON only: a cross-origin JSON POST always needs the preflight that the origin check answers.
    if (!req.headers['content-type']?.startsWith('application/json')) throw agentBadRequest({ reason: 'content-type' });
    const parsed = ZSignBody.safeParse(await readJson(req));
    if (!parsed.success) throw agentBadRequest({ issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    const body = parsed.data;
    return serial(async () => {
      const pin = body.pin ?? (options.askPin ? await options.askPin(`Nhập mã PIN của USB token để ký ${body.items.length} văn bản (${origin ?? 'không rõ trang'}): `) : undefined);
      if (!pin) throw agentPinRequired();
      const results = await signWithToken(options, { pin, certificate: body.certificate, items: body.items });
      options.log?.(`${new Date().toLocaleString('vi-VN')}: đã ký ${countOk(results)}/${results.length} văn bản cho ${origin ?? 'ứng dụng trên máy'}.`);
      return { certificate: body.certificate ?? null, results };
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, port, server,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const countOk = (results: SignItemResult[]) => results.filter((r) => r.ok).length;

function isLoopbackHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

function setCors(res: ServerResponse, origin: string) {
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
}

function preflight(req: IncomingMessage, res: ServerResponse) {
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
  res.setHeader('Access-Control-Max-Age', '600');
  // Chrome's Private Network Access: a public https page may reach 127.0.0.1 only if we say so.
  if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
  res.writeHead(204).end();
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw agentBadRequest({ reason: 'too large' }, { message: 'Yêu cầu ký quá lớn (tối đa 4 MB).' });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw agentBadRequest({ reason: 'json' });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: unknown) {
  if (res.headersSent) return void res.end();
  const e = error instanceof AppError ? error : new AppError('signing_agent.internal', 500, 'Phần mềm ký số gặp lỗi không mong muốn.');
  if (!(error instanceof AppError)) console.error(error);
  sendJson(res, e.status, { error: { code: e.code, message: e.message } });
}
