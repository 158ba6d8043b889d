/**
 * The proxy for the verifier's plain-HTTP client (OCSP, CRL and AIA over `http:`), chosen the way
 * Node's own node:http and fetch choose it since Node 24.5: only when the environment proxy is on
 * (`NODE_USE_ENV_PROXY=1` or `--use-env-proxy`), from `http_proxy`/`HTTP_PROXY` (lower case first),
 * skipping the hosts `no_proxy`/`NO_PROXY` lists. Node does not export its matcher, so the rules of
 * its ProxyConfig.shouldUseProxy are repeated here: `*`; a host or `host:port`; `.example.gov.vn` and
 * `*.example.gov.vn` for a domain and its subdomains; an IPv4 range `a-b` or CIDR block `a/n`.
 */
export type HttpProxy = { protocol: string; host: string; port: number; authorization?: string };

type Env = Record<string, string | undefined>;

/** Whether Node's environment proxy is on for this process (the variable, the flag, or the flag in NODE_OPTIONS). */
export function envProxyEnabled(env: Env = process.env, execArgv: string[] = process.execArgv): boolean {
  return execArgv.includes('--use-env-proxy') || /(^|\s)--use-env-proxy(\s|$)/.test(env.NODE_OPTIONS ?? '') || env.NODE_USE_ENV_PROXY === '1';
}

function ipv4(host: string): number | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) < 256)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function bypassed(entry: string, host: string, port: string): boolean {
  if (entry === '*' || entry === host || entry === `${host}:${port}`) return true;
  const suffix = entry.startsWith('*.') ? entry.slice(2) : entry.startsWith('.') ? entry.slice(1) : undefined;
  if (suffix) return host === suffix || host.endsWith(`.${suffix}`);
  const ip = ipv4(host);
  if (ip === undefined) return false;
  const range = entry.split('-').map((p) => ipv4(p.trim()));
  if (range.length === 2 && range[0] !== undefined && range[1] !== undefined) return ip >= range[0] && ip <= range[1];
  const [base, bits] = entry.split('/');
  const start = ipv4(base ?? '');
  const n = Number(bits);
  if (start === undefined || !Number.isInteger(n) || n < 0 || n > 32) return false;
  const size = 2 ** (32 - n);
  return Math.floor(ip / size) === Math.floor(start / size);
}

/**
 * The proxy an `http:` request to `target` goes through, or undefined for a direct connection.
 * Throws on a proxy URL that cannot be parsed (the request then fails as pki.unreachable).
 */
export function httpProxyFor(target: URL, env: Env = process.env, execArgv: string[] = process.execArgv): HttpProxy | undefined {
  if (!envProxyEnabled(env, execArgv)) return undefined;
  const raw = env.http_proxy || env.HTTP_PROXY;
  if (!raw) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || '80';
  const list = (env.no_proxy || env.NO_PROXY || '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  if (list.some((entry) => bypassed(entry, host, port))) return undefined;
  let proxy: URL;
  try { proxy = new URL(raw); } catch { throw new Error(`invalid proxy URL in http_proxy/HTTP_PROXY: ${raw}`); }
  const auth = proxy.username || proxy.password ? `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}` : undefined;
  return {
    protocol: proxy.protocol, host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80)),
    authorization: auth === undefined ? undefined : `Basic ${Buffer.from(auth).toString('base64')}`,
  };
}
