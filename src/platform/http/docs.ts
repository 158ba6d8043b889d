import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** swagger-ui-dist's files, served locally: agencies' networks often cannot reach a CDN. */
export const SWAGGER_ASSETS_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** The /api/docs page: Swagger UI over our OpenAPI document, with no external requests. */
export function swaggerPage(specUrl: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vanthu API</title><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>`;
}

/** Starts Swagger UI (a file, since the Content-Security-Policy forbids inline scripts). */
export const SWAGGER_INIT_JS = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;
