import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { httpBytes } from '../pki/pki.http.ts';
import { nodeHttpFetch } from './verify.http.ts';
import { envProxyEnabled, httpProxyFor } from './verify.proxy.ts';
import { listen, proxyEnv, startForwardingProxy } from '../../../test/proxy.ts';

describe('the verifier\'s OCSP/CRL/AIA requests behind an agency proxy', () => {
  let origin: Server;
  let originPort = 0;
  /** The proxy; `proxy.seen` is what it received: request lines and Proxy-Authorization headers. */
  let proxy: Awaited<ReturnType<typeof startForwardingProxy>>;
  const env = proxyEnv();

  beforeAll(async () => {
    // The responder: answers with what it was asked, so a test sees the request arrived whole.
    origin = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => res.end(`${req.method} ${req.url} ${Buffer.concat(parts).length}`));
    });
    originPort = await listen(origin);
    proxy = await startForwardingProxy(() => originPort);
  });
  afterEach(() => {
    proxy.seen.length = 0;
    env.restore();
  });
  afterAll(() => { origin.close(); proxy.close(); });

  const ocsp = (url: string) => httpBytes(url, new Uint8Array([48, 3, 2, 1, 0]), 'application/ocsp-request', { fetch: nodeHttpFetch, timeoutMs: 5000 });
  const text = (b: Uint8Array) => Buffer.from(b).toString();

  test('with NODE_USE_ENV_PROXY=1, an OCSP request to a host only the proxy reaches goes to HTTP_PROXY with the absolute URI and the proxy login', async () => {
    env.set({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://van%20thu:m%E1%BA%ADt@127.0.0.1:${proxy.port}` });
    expect(text(await ocsp('http://ocsp.ca.vanthu.test:2560/ocsp?x=1'))).toBe('POST /ocsp?x=1 5');
    expect(proxy.seen).toEqual([{ line: 'POST http://ocsp.ca.vanthu.test:2560/ocsp?x=1', auth: `Basic ${Buffer.from('van thu:mật').toString('base64')}` }]);
    expect(text(await httpBytes('http://crl.ca.vanthu.test/root.crl', undefined, undefined, { fetch: nodeHttpFetch }))).toBe('GET /root.crl 0');
    expect(proxy.seen[1]?.line).toBe('GET http://crl.ca.vanthu.test/root.crl');
  });

  test('hosts in NO_PROXY go direct, and HTTP_PROXY alone (without NODE_USE_ENV_PROXY) is ignored, as node:http ignores it', async () => {
    env.set({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: 'localhost, 127.0.0.0/8' });
    expect(text(await ocsp(`http://127.0.0.1:${originPort}/ocsp`))).toBe('POST /ocsp 5');
    env.set({ HTTP_PROXY: `http://127.0.0.1:${proxy.port}` });
    expect(text(await ocsp(`http://127.0.0.1:${originPort}/ocsp`))).toBe('POST /ocsp 5');
    expect(proxy.seen).toEqual([]);
  });

  test('a proxy that is down makes the request pki.unreachable, not a hang', async () => {
    env.set({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: 'http://127.0.0.1:1' });
    const error = await ocsp(`http://127.0.0.1:${originPort}/ocsp`).then(() => undefined, (e: unknown) => e);
    expect(isAppError(error) ? error.code : error).toBe('pki.unreachable');
  });

  test('Node\'s own node:http sends the same request line to the same proxy under the same environment', async () => {
    const childEnv = { ...process.env, NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: '' };
    const script = "require('node:http').get('http://crl.ca.vanthu.test/root.crl', (r) => r.resume())";
    await new Promise<void>((resolve, reject) => execFile(process.execPath, ['-e', script], { env: childEnv, timeout: 20_000 }, (e) => (e ? reject(e) : resolve())));
    env.set({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://127.0.0.1:${proxy.port}` });
    await httpBytes('http://crl.ca.vanthu.test/root.crl', undefined, undefined, { fetch: nodeHttpFetch });
    expect(proxy.seen.map((s) => s.line)).toEqual(['GET http://crl.ca.vanthu.test/root.crl', 'GET http://crl.ca.vanthu.test/root.crl']);
  }, 30_000);
});

describe('which requests a proxy takes (the rules of Node\'s NO_PROXY)', () => {
  const on = { NODE_USE_ENV_PROXY: '1', HTTP_PROXY: 'http://proxy.so.gov.vn:3128' };
  const via = (url: string, env: Record<string, string>) => httpProxyFor(new URL(url), env, [])?.host;

  test('the environment proxy is on with the variable, the flag, or the flag in NODE_OPTIONS; off otherwise', () => {
    expect(envProxyEnabled({ NODE_USE_ENV_PROXY: '1' }, [])).toBe(true);
    expect(envProxyEnabled({}, ['--use-env-proxy'])).toBe(true);
    expect(envProxyEnabled({ NODE_OPTIONS: '--max-old-space-size=512 --use-env-proxy' }, [])).toBe(true);
    expect(envProxyEnabled({ NODE_USE_ENV_PROXY: '0', NODE_OPTIONS: '--use-env-proxy-x' }, [])).toBe(false);
    expect(via('http://ocsp.ca.gov.vn/', { HTTP_PROXY: on.HTTP_PROXY })).toBeUndefined();
  });

  test('lower-case http_proxy wins over HTTP_PROXY, and the proxy port defaults to 80', () => {
    expect(httpProxyFor(new URL('http://ocsp.ca.gov.vn/'), { ...on, http_proxy: 'http://other.local' }, [])).toMatchObject({ host: 'other.local', port: 80 });
  });

  test('NO_PROXY entries: *, a host, host:port, a domain with or without *., an IPv4 range and a CIDR block', () => {
    const cases: [noProxy: string, url: string, bypassed: boolean][] = [
      ['*', 'http://ocsp.ca.gov.vn/', true],
      ['OCSP.ca.gov.vn', 'http://ocsp.ca.gov.vn/', true],
      ['ocsp.ca.gov.vn:8080', 'http://ocsp.ca.gov.vn:8080/', true],
      ['ocsp.ca.gov.vn:8080', 'http://ocsp.ca.gov.vn/', false],
      ['.gov.vn', 'http://ocsp.ca.gov.vn/', true],
      ['*.gov.vn', 'http://gov.vn/', true],
      ['.gov.vn', 'http://notgov.vn/', false],
      ['gov.vn', 'http://ocsp.ca.gov.vn/', false],
      ['10.0.0.1-10.0.0.9', 'http://10.0.0.5/', true],
      ['10.0.0.1-10.0.0.9', 'http://10.0.1.5/', false],
      ['192.168.0.0/16', 'http://192.168.4.2/', true],
      ['192.168.0.0/16', 'http://192.169.0.1/', false],
    ];
    for (const [noProxy, url, bypassed] of cases) expect(via(url, { ...on, NO_PROXY: noProxy }) === undefined, `${noProxy} ${url}`).toBe(bypassed);
  });
});
