#!/usr/bin/env node
// The `vanthu` command. The CLI is TypeScript run by Node 24's type stripping; this shim only
// checks the runtime so that an old Node says why instead of failing on the first type annotation.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`vanthu cần Node 24 trở lên (đang chạy ${process.versions.node}). Chạy qua "npx vanthu" hoặc "npm run" trong thư mục dự án để dùng Node 24 đi kèm.`);
  process.exit(1);
}
await import('../src/cli/main.ts');
