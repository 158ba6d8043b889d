import { createServer, request, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAxisClient } from './axis.client.ts';

const PROXY_VARS = ['NODE_USE_ENV_PROXY', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

describe('the connector reaches the axis through the agency proxy under Node\'s rule', () => {
  const seen: string[] = [];
  let axis: Server;
  let proxy: Server;
  let axisPort = 0;
  let proxyPort = 0;
  const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    // An axis answering every call with an empty list in the SDK's envelope.
    axis = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":[]}'));
    });
    axisPort = await listen(axis);
    // A forwarding proxy that records the absolute URIs it is asked for.
    proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const url = new URL(req.url ?? '/');
      const forward = request({ host: '127.0.0.1', port: axisPort, method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => { res.writeHead(502); res.end(); });
      req.pipe(forward);
    });
    proxyPort = await listen(proxy);
  });
  afterEach(() => {
    seen.length = 0;
    for (const k of PROXY_VARS) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
  });
  afterAll(() => { axis.close(); proxy.close(); });

  const setEnv = (vars: Partial<Record<(typeof PROXY_VARS)[number], string>>) => {
    for (const k of PROXY_VARS) delete process.env[k];
    Object.assign(process.env, vars);
  };
  // A host only the proxy knows how to reach (the forwarding proxy sends everything to the axis above).
  const agencyList = async () => {
    const client = createAxisClient({ endpoint: `http://truc.tinh.example:${axisPort}`, systemId: '000.00.01.H53', secret: 's', timeoutMs: 5000 });
    try {
      return await client.getAgenciesList();
    } finally {
      client.close();
    }
  };

  test('with NODE_USE_ENV_PROXY=1 and HTTP_PROXY, the axis calls go to the proxy as absolute URIs', async () => {
    setEnv({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://127.0.0.1:${proxyPort}` });
    expect(await agencyList()).toEqual([]);
    expect(seen).toEqual([`POST http://truc.tinh.example:${axisPort}/getAgenciesList`]);
  });

  test('HTTP_PROXY alone is ignored, as Node ignores it: the call goes straight to the axis host', async () => {
    setEnv({ HTTP_PROXY: `http://127.0.0.1:${proxyPort}` });
    await expect(agencyList()).rejects.toMatchObject({ code: 'axis.unreachable' });
    expect(seen).toEqual([]);
  });
});
