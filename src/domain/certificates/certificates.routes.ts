import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../platform/http/context.ts';
import { ensureDemoCa, ensureDemoTsa } from './certificates.pki.ts';
import { demoTsaResponse, MAX_TIMESTAMP_REQUEST_BYTES } from './certificates.tsa.ts';

const pemOf = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

/**
 * The demo PKI over HTTP (mounted at /demo-pki in demo mode only, without login: like a public CA):
 * POST /tsa answers RFC 3161 requests (application/timestamp-query), GET /ca.crt and /tsa.crt give
 * the certificates to check tokens with (e.g. `openssl ts -verify -CAfile ca.crt`).
 */
export const demoPkiRoutes = new Hono<AppEnv>()
  .post('/tsa', bodyLimit({ maxSize: MAX_TIMESTAMP_REQUEST_BYTES, onError: (c) => c.text('Yêu cầu quá lớn', 413) }), async (c) =>
    demoTsaResponse(c.var.deps.config.dataDir, new Uint8Array(await c.req.arrayBuffer())))
  .get('/ca.crt', async (c) => c.body(pemOf((await ensureDemoCa(c.var.deps.config.dataDir)).certDer), 200, { 'content-type': 'application/x-pem-file' }))
  .get('/tsa.crt', async (c) => c.body(pemOf((await ensureDemoTsa(c.var.deps.config.dataDir)).certDer), 200, { 'content-type': 'application/x-pem-file' }));
