/**
 * Talks to the signing agent (`vanthu signing-agent`) on the user's own computer, at
 * http://127.0.0.1:PORT. The USB token's PIN goes only there: never to the vanthu server.
 */

/** The agent's address when the user has not changed it. */
export const DEFAULT_AGENT_URL = 'http://127.0.0.1:12345';
const STORAGE_KEY = 'vanthu.signingAgentUrl';

/** The agent address saved on this browser (a per-computer setting: the agent runs on this computer). */
export function savedAgentUrl(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) || DEFAULT_AGENT_URL;
  } catch {
    return DEFAULT_AGENT_URL;
  }
}

/** Saves the agent address for the next signatures on this browser. */
export function saveAgentUrl(url: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, url);
  } catch {
    // private mode: the address is kept for this dialog only
  }
}

/** A certificate on the token, as the agent lists it. */
export type AgentCertificate = { label: string; certificate: string; subject: string; issuer: string; notBefore: string; notAfter: string; sha256: string;
  /** The token's CA certificates (base64 DER; agents before December 2026 send none). */
  chain?: string[] };
/** One signed (or refused) item from the agent. */
export type AgentResult = { id: string; ok: true; signature: string } | { id: string; ok: false; code: string; message: string };

/** An agent failure: `agent.unreachable` when nothing answers (agent not started), else the agent's own code. */
export type AgentError = Error & { isAgentError: true; code: string };

/** Whether a thrown value came from the agent (or from not reaching it). */
export function isAgentError(error: unknown): error is AgentError {
  return error instanceof Error && 'isAgentError' in error;
}

const agentError = (code: string, message: string): AgentError => Object.assign(new Error(message), { isAgentError: true as const, code });

async function call<T>(base: string, path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/+$/, '')}${path}`, { ...init, cache: 'no-store', credentials: 'omit' });
  } catch {
    throw agentError('agent.unreachable', '');
  }
  const body = (await res.json().catch(() => null)) as { data?: T; error?: { code?: string; message?: string } } | null;
  if (!res.ok || !body?.data) throw agentError(body?.error?.code ?? `agent.http_${res.status}`, body?.error?.message ?? '');
  return body.data;
}

/** The signing certificates on the token plugged into this computer. */
export function listAgentCertificates(base: string): Promise<{ certificates: AgentCertificate[] }> {
  return call(base, '/certificates');
}

/** Signs prepared items on the token with one PIN entry. */
export function signOnAgent(base: string, body: { pin: string; certificate: string; items: { id: string; signedAttributes: string; digest: string; hash: string }[] }): Promise<{ results: AgentResult[] }> {
  return call(base, '/sign', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}
