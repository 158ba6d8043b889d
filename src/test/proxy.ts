import { createServer, request, type Server } from 'node:http';

/** The environment variables Node's proxy support reads; tests set them and put them back. */
const PROXY_VARS = ['NODE_USE_ENV_PROXY', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;
type ProxyVars = Partial<Record<(typeof PROXY_VARS)[number], string>>;

/** Listens on 127.0.0.1 at a free port and returns the port. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * A tiny forwarding HTTP proxy: whatever host the absolute URI names, it forwards the request to
 * 127.0.0.1:`targetPort()` (so a host only the proxy can reach, like an agency's CA or axis behind the
 * firewall, works through it), and records each request line and Proxy-Authorization header in `seen`.
 */
export async function startForwardingProxy(targetPort: () => number) {
  const seen: { line: string; auth?: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ line: `${req.method} ${req.url}`, auth: req.headers['proxy-authorization'] });
    const url = new URL(req.url ?? '/');
    const forward = request({ host: '127.0.0.1', port: targetPort(), method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(forward);
  });
  const port = await listen(server);
  return { port, seen, close: () => server.close() };
}

/**
 * Sets exactly `vars` among PROXY_VARS (the others removed); `restore` puts back what the process had.
 */
export function proxyEnv() {
  const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));
  return {
    set: (vars: ProxyVars) => {
      for (const k of PROXY_VARS) delete process.env[k];
      Object.assign(process.env, vars);
    },
    restore: () => {
      for (const k of PROXY_VARS) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    },
  };
}
