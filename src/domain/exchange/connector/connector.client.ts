import { createAxisClient, type AxisClient } from '../axis/axis.client.ts';
import type { EndpointRow } from './connector.repository.ts';

const clients = new Map<string, AxisClient>();

/** The axis client of an agency endpoint (one keep-alive client per endpoint + credentials). */
export function axisClientFor(endpoint: Pick<EndpointRow, 'endpoint' | 'systemId' | 'secret'>, timeoutMs: number): AxisClient {
  const key = `${endpoint.endpoint}\n${endpoint.systemId}\n${endpoint.secret}\n${timeoutMs}`;
  let client = clients.get(key);
  if (!client) {
    client = createAxisClient({ endpoint: endpoint.endpoint.replace(/\/+$/, ''), systemId: endpoint.systemId, secret: endpoint.secret, timeoutMs });
    clients.set(key, client);
  }
  return client;
}

/** Closes every cached client (process shutdown, tests). */
export function closeAxisClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}
