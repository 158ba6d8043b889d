import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { finishExternalSignature, prepareExternalSignature } from '../signing/signing.external.ts';
import { checkWithTools } from '../signing/testing/check.ts';
import * as corpus from '../signing/testing/corpus.ts';
import { createTestPki, type TestPki } from '../signing/testing/pki.ts';
import { createSoftToken } from '../signing/testing/softhsm.ts';
import { startSigningAgent, type RunningAgent } from './signing-agent.server.ts';

const VANTHU = 'https://vanthu.example';

type Result = { id: string; ok: boolean; signature?: string; code?: string };
type AgentData = { certificates: { certificate: string; subject: string; label: string; chain: string[] }[]; results: Result[] };
type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: { data: AgentData; error?: { code: string; message: string } } };

/** A raw HTTP call with exactly the headers a browser (or an attacker's page) would send. */
function call(agent: RunningAgent, method: string, path: string, o: { origin?: string; host?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  const headers: Record<string, string> = { host: o.host ?? `127.0.0.1:${agent.port}`, ...(o.origin ? { origin: o.origin } : {}), ...(payload ? { 'content-type': 'application/json' } : {}), ...o.headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: agent.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : {} });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe.skipIf(!needTool('softhsm2-util', 'pkcs11-tool', 'pdfsig'))('signing agent on a SoftHSM2 token', () => {
  let pki: TestPki;
  let token: { module: string; pin: string };
  let agent: RunningAgent;
  let pdf: Uint8Array;

  beforeAll(async () => {
    pki = await createTestPki();
    token = createSoftToken([{ label: 'leader', id: '01', keyPem: pki.leader.keyPem, certDer: pki.leader.certDer, extraCerts: [pki.intermediate.certDer] }]);
    agent = await startSigningAgent({ module: token.module, origins: [VANTHU], port: 0 });
    pdf = readFileSync(await corpus.pdfLibClassic());
  });
  afterAll(() => agent?.stop());

  test('the vanthu page reads the token signing certificate (not the CA) with CORS for its origin', async () => {
    const answer = await call(agent, 'GET', '/certificates', { origin: VANTHU });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(VANTHU);
    const certificates = answer.body.data.certificates;
    expect(certificates).toHaveLength(1);
    expect(certificates[0]?.certificate).toBe(Buffer.from(pki.leader.certDer).toString('base64'));
    expect(certificates[0]?.label).toBe('leader');
    // the token's CA certificate goes with it, so the server can embed the intermediate in the signature
    expect(certificates[0]?.chain).toEqual([Buffer.from(pki.intermediate.certDer).toString('base64')]);
  });

  test('a preflight from the vanthu page is allowed, including Private Network Access', async () => {
    const answer = await call(agent, 'OPTIONS', '/sign', { origin: VANTHU, headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type', 'access-control-request-private-network': 'true' } });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe(VANTHU);
    expect(answer.headers['access-control-allow-private-network']).toBe('true');
    expect(String(answer.headers['access-control-allow-headers'])).toMatch(/content-type/i);
  });

  test('a page of another origin is refused without CORS headers, before the token is touched', async () => {
    const preflight = await call(agent, 'OPTIONS', '/sign', { origin: 'https://evil.example', headers: { 'access-control-request-method': 'POST', 'access-control-request-private-network': 'true' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-private-network']).toBeUndefined();
    const sign = await call(agent, 'POST', '/sign', { origin: 'https://evil.example', body: { pin: token.pin, items: [{ id: 'x', signedAttributes: 'MQA=', hash: 'SHA-256' }] } });
    expect(sign.status).toBe(403);
    expect(sign.body.error?.code).toBe('signing_agent.origin_refused');
    expect(sign.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a request addressed to another host name (DNS rebinding) is refused', async () => {
    const answer = await call(agent, 'GET', '/certificates', { host: `attacker.example:${agent.port}` });
    expect(answer.status).toBe(403);
    expect(answer.body.error?.code).toBe('signing_agent.host_refused');
  });

  test('two prepared documents are signed with one PIN and the server-side finish makes valid PDFs', async () => {
    const prepared = [0, 1].map(() => prepareExternalSignature(pdf, { certificate: pki.leader.certDer, chain: [pki.intermediate.certDer], reason: 'Ký duyệt' }));
    const items = prepared.map((p, i) => ({ id: `doc-${i}`, signedAttributes: p.signedAttributes, digest: p.digest, hash: p.hash }));
    const answer = await call(agent, 'POST', '/sign', { origin: VANTHU, body: { pin: token.pin, certificate: Buffer.from(pki.leader.certDer).toString('base64'), items } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const results = answer.body.data.results;
    expect(results.map((r) => [r.id, r.ok])).toEqual([['doc-0', true], ['doc-1', true]]);
    for (const [i, p] of prepared.entries()) {
      const out = await finishExternalSignature(p.state, { signature: new Uint8Array(Buffer.from(results[i]?.signature ?? '', 'base64')) });
      expect(checkWithTools(out).signatures.map((s) => s.valid)).toEqual([true]);
    }
  });

  test('a wrong PIN, a missing PIN and an unknown certificate get clear Vietnamese errors', async () => {
    const items = [{ id: 'a', signedAttributes: 'MQA=', hash: 'SHA-256' }];
    const wrong = await call(agent, 'POST', '/sign', { origin: VANTHU, body: { pin: '0000', items } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'signing.token_bad_pin', message: 'Mã PIN của thiết bị ký số không đúng.' });
    expect(wrong.headers['access-control-allow-origin']).toBe(VANTHU);
    const missing = await call(agent, 'POST', '/sign', { origin: VANTHU, body: { items } });
    expect(missing.body.error?.code).toBe('signing_agent.pin_required');
    const other = await call(agent, 'POST', '/sign', { origin: VANTHU, body: { pin: token.pin, certificate: Buffer.from(pki.seal.certDer).toString('base64'), items } });
    expect(other.body.error?.code).toBe('signing_agent.no_certificate');
  });

  test('an item whose digest does not match its signed attributes is not signed; the others are', async () => {
    const p = prepareExternalSignature(pdf, { certificate: pki.leader.certDer });
    const items = [{ id: 'bad', signedAttributes: p.signedAttributes, digest: Buffer.alloc(32).toString('base64'), hash: 'SHA-256' }, { id: 'good', signedAttributes: p.signedAttributes, hash: 'SHA-256' }];
    const answer = await call(agent, 'POST', '/sign', { origin: VANTHU, body: { pin: token.pin, items } });
    expect(answer.body.data.results.map((r) => [r.id, r.ok, r.code])).toEqual([['bad', false, 'signing_agent.digest_mismatch'], ['good', true, undefined]]);
  });

  test('bad input is answered 400, never a crash', async () => {
    const notJson = await call(agent, 'POST', '/sign', { origin: VANTHU, headers: { 'content-type': 'text/plain' } });
    expect(notJson.body.error?.code).toBe('signing_agent.bad_request');
    const empty = await call(agent, 'POST', '/sign', { origin: VANTHU, body: { pin: '1', items: [] } });
    expect(empty.status).toBe(400);
    expect((await call(agent, 'GET', '/nothing', { origin: VANTHU })).status).toBe(404);
  });
});

describe.skipIf(!needTool('softhsm2-util'))('signing agent without a token', () => {
  test('no token in the slot: signing_agent.no_token with what to do', async () => {
    const agent = await startSigningAgent({ module: '/usr/lib/softhsm/libsofthsm2.so', slot: 7, origins: [VANTHU], port: 0 });
    try {
      const answer = await call(agent, 'GET', '/certificates', { origin: VANTHU });
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatchObject({ code: 'signing_agent.no_token', message: expect.stringContaining('cắm USB token') });
    } finally {
      await agent.stop();
    }
  });
});
