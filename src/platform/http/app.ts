import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import { getConnInfo } from '@hono/node-server/conninfo';
import { openAPIRouteHandler } from 'hono-openapi';
import type { AppDeps, AppEnv } from './context.ts';
import { handleError, handleNotFound } from './errors.ts';
import { sessionMiddleware } from './auth.ts';
import { swaggerPage, SWAGGER_ASSETS_DIR, SWAGGER_INIT_JS } from './docs.ts';
import { authRoutes } from '../../domain/auth/auth.routes.ts';
import { orgsRoutes } from '../../domain/orgs/orgs.routes.ts';
import { usersRoutes } from '../../domain/users/users.routes.ts';
import { adminRoutes } from '../../domain/users/admin.routes.ts';
import { publicRoutes } from '../../domain/orgs/public.routes.ts';
import { registersRoutes } from '../../domain/registers/registers.routes.ts';
import { verificationRoutes } from '../../domain/verification/verification.routes.ts';
import { outgoingRoutes } from '../../domain/outgoing/outgoing.routes.ts';
import { incomingRoutes } from '../../domain/incoming/incoming.routes.ts';
import { exchangeRoutes } from '../../domain/exchange/connector/connector.routes.ts';
import { archiveRoutes } from '../../domain/archive/archive.routes.ts';
import { recordsRoutes } from '../../domain/records/records.routes.ts';
import { reportsRoutes } from '../../domain/reports/reports.routes.ts';
import { demoPkiRoutes } from '../../domain/certificates/certificates.routes.ts';
import { accessRoutes } from '../../domain/access/access.routes.ts';
import { searchRoutes } from '../../domain/search/search.routes.ts';
import { noticesRoutes } from '../../domain/notices/notices.routes.ts';
import { agentDownloadRoutes } from '../../domain/signing-agent/signing-agent.downloads.ts';

const WEB_DIST = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** The JSON API; its type is what the web app's typed client (Hono RPC) is built from. */
export function createApi() {
  return new Hono<AppEnv>()
    .route('/public', publicRoutes)
    .route('/auth', authRoutes)
    .route('/orgs', orgsRoutes)
    .route('/users', usersRoutes)
    .route('/admin', adminRoutes)
    .route('/registers', registersRoutes)
    .route('/verification', verificationRoutes)
    .route('/outgoing', outgoingRoutes)
    .route('/incoming', incomingRoutes)
    .route('/exchange', exchangeRoutes)
    .route('/archive', archiveRoutes)
    .route('/records', recordsRoutes)
    .route('/reports', reportsRoutes)
    .route('/access', accessRoutes)
    .route('/search', searchRoutes)
    .route('/notices', noticesRoutes);
}
export type ApiType = ReturnType<typeof createApi>;

/** Builds the whole HTTP application: API under /api, OpenAPI at /api/openapi.json, docs at /api/docs, the web app at /. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 64) || randomUUID();
    c.set('deps', deps);
    c.set('db', deps.db);
    c.set('requestId', requestId);
    c.set('ip', clientIp(c, deps));
    c.set('logger', deps.logger.child({ requestId }));
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    if (c.req.path.startsWith('/api/')) {
      c.var.logger.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
    }
  });
  app.use('*', secureHeaders({ contentSecurityPolicy: {
    defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'blob:'], styleSrc: ["'self'", "'unsafe-inline'"], scriptSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'], objectSrc: ["'none'"], frameAncestors: ["'self'"],
    // the signing agent (vanthu signing-agent) listens on the user's own computer only
    connectSrc: ["'self'", 'http://127.0.0.1:*', 'http://localhost:*'],
  } }));
  // JSON (and the API viewer's scripts) gzipped for browsers that accept it: a list of documents is a
  // tenth of its size, which a phone on a slow network feels. PDFs and images are compressed already.
  app.use('/api/*', compress());
  app.use('/api/*', bodyLimit({ maxSize: deps.config.maxUploadBytes }));
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });
  app.use('/api/*', sessionMiddleware);
  const api = createApi();
  app.route('/api', api);
  app.get('/api/openapi.json', openAPIRouteHandler(app, {
    documentation: {
      openapi: '3.1.0',
      info: { title: 'vanthu API', version: '0.1.0', description: 'API của hệ thống quản lý văn bản và hồ sơ công việc vanthu. Xác thực bằng cookie phiên; mọi yêu cầu thay đổi dữ liệu gửi kèm tiêu đề X-CSRF-Token lấy từ GET /api/auth/session.' },
      servers: [{ url: deps.config.publicUrl }],
    },
    exclude: ['/api/openapi.json', '/api/docs', '/api/docs/*'],
  }));
  app.get('/api/docs', (c) => c.html(swaggerPage('/api/openapi.json')));
  app.get('/api/docs/init.js', (c) => c.body(SWAGGER_INIT_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.use('/api/docs/assets/*', serveStatic({ root: path.relative(process.cwd(), SWAGGER_ASSETS_DIR), rewriteRequestPath: (p) => p.replace('/api/docs/assets', '') }));
  app.all('/api/*', handleNotFound);
  if (deps.config.demo) app.route('/demo-pki', demoPkiRoutes);
  // the single-file signing agent, when the server has been given a build (npm run build:signing-agent)
  app.route('/downloads', agentDownloadRoutes());
  mountWeb(app);
  return app;
}

function clientIp(c: Parameters<typeof getConnInfo>[0], deps: AppDeps): string {
  if (deps.config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'local'; // app.request() in tests has no socket
  }
}

/** Serves the built web app, with every non-file path answered by index.html (client-side routing). */
function mountWeb(app: Hono<AppEnv>) {
  const root = path.relative(process.cwd(), WEB_DIST) || '.';
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status !== 200) return;
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    // A cache between must not give the Brotli copy to a browser that did not ask for it, nor the plain one to all.
    if (!c.res.headers.has('Vary')) c.header('Vary', 'Accept-Encoding');
  });
  // The build writes .br and .gz copies of its text files (web/vite.config.ts): sent to browsers that accept them.
  app.use('*', serveStatic({ root, precompressed: true }));
  app.get('*', async (c) => {
    // A piece of the app's code that is not there (a page open since before an upgrade asks for the old
    // version's) is a 404, not the app's page: that would fail as code all the same, and be kept a year as
    // the piece under its immutable name. The page then reloads onto the new version (web/src/shell/reload.ts).
    if (c.req.path.startsWith('/assets/')) return c.text('Không tìm thấy tệp này của giao diện (có thể vanthu vừa được cập nhật): hãy tải lại trang.', 404);
    const index = path.join(WEB_DIST, 'index.html');
    if (!existsSync(index)) {
      return c.text('Giao diện web chưa được build. Chạy "npm run build:web" (npm start tự làm việc này).', 503);
    }
    c.header('Cache-Control', 'no-cache');
    return c.html(await readFile(index, 'utf8'));
  });
}
