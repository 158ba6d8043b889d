import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, verify, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { createTestPki, type TestPki } from '../../domain/signing/testing/pki.ts';
import { createSoftToken } from '../../domain/signing/testing/softhsm.ts';
import { addonCacheDir, cachedAddon } from './addon-cache.ts';

const DIST = join(import.meta.dirname, '..', '..', '..', 'dist', 'signing-agent');
const LINUX = join(DIST, 'vanthu-ky-so-linux-x64');
const WINDOWS = join(DIST, 'vanthu-ky-so-win-x64.exe');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const VANTHU = 'https://vanthu.example';

/** The single-file build is too slow for every test run: these checks run on `npm run build:signing-agent` output when it is there. */
function built(file: string): boolean {
  if (existsSync(file)) return true;
  console.warn(`⚠ ${file} chưa được dựng: bỏ qua kiểm tra bản một tệp (chạy npm run build:signing-agent rồi chạy lại tệp kiểm thử này).`);
  return false;
}

describe('the addon cache of the single-file agent', () => {
  test('per-user folder: %LOCALAPPDATA%\\vanthu on Windows, $XDG_CACHE_HOME/vanthu elsewhere', () => {
    expect(addonCacheDir('win32', { LOCALAPPDATA: 'C:/Users/lanhdao/AppData/Local' })).toMatch(/^C:\/Users\/lanhdao\/AppData\/Local[\\/]vanthu$/);
    expect(addonCacheDir('linux', { XDG_CACHE_HOME: '/home/ld/.cache' })).toBe('/home/ld/.cache/vanthu');
  });

  test('the addon is written once under its SHA-256 and written again when the file on disk was changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-addon-'));
    const addon = randomBytes(1000);
    const path = cachedAddon(addon, dir);
    expect(path).toBe(join(dir, `koffi-${createHash('sha256').update(addon).digest('hex')}.node`));
    expect(Buffer.compare(readFileSync(path), addon)).toBe(0);
    writeFileSync(path, 'tampered');
    expect(cachedAddon(addon, dir)).toBe(path);
    expect(Buffer.compare(readFileSync(path), addon)).toBe(0);
    expect(readdirSync(dir)).toEqual([`koffi-${createHash('sha256').update(addon).digest('hex')}.node`]);
  });
});

describe.skipIf(!built(WINDOWS))('vanthu-ky-so-win-x64.exe (cannot be run here: its structure is checked)', () => {
  test('a PE executable with the SEA blob injected (fuse flipped, NODE_SEA_BLOB resource) and no stale signature', () => {
    const exe = readFileSync(WINDOWS);
    expect(exe.toString('latin1', 0, 2)).toBe('MZ');
    const pe = exe.readUInt32LE(0x3c);
    expect(exe.toString('latin1', pe, pe + 4)).toBe('PE\0\0');
    expect(exe.readUInt16LE(pe + 4)).toBe(0x8664); // x64
    const optional = pe + 24;
    expect(exe.readUInt16LE(optional)).toBe(0x20b); // PE32+
    expect(exe.readUInt32LE(optional + 112 + 4 * 8 + 4)).toBe(0); // no certificate table left
    expect(exe.includes(`${FUSE}:1`)).toBe(true);
    expect(exe.includes(`${FUSE}:0`)).toBe(false);
    expect(exe.includes(Buffer.from('NODE_SEA_BLOB', 'utf16le'))).toBe(true);
  });
});

describe.skipIf(!built(LINUX) || !needTool('softhsm2-util', 'pkcs11-tool'))('vanthu-ky-so-linux-x64 on a SoftHSM2 token', () => {
  let pki: TestPki;
  let token: { module: string; pin: string };
  let agent: ChildProcess;
  let url: string;
  let cache: string;

  beforeAll(async () => {
    pki = await createTestPki();
    token = createSoftToken([{ label: 'leader', id: '01', keyPem: pki.leader.keyPem, certDer: pki.leader.certDer }]);
    cache = mkdtempSync(join(tmpdir(), 'vanthu-agent-cache-'));
    // no --origin: the address baked in at build time (npm run build:signing-agent -- --origin https://vanthu.example)
    agent = spawn(LINUX, ['--pkcs11', token.module, '--port', '0'], { env: { ...process.env, XDG_CACHE_HOME: cache }, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      agent.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const found = /đang chạy tại (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (found?.[1]) resolve(found[1]);
      });
      agent.stderr?.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
      agent.on('exit', (code) => reject(new Error(`the agent stopped (${code}): ${out}`)));
    });
  });
  afterAll(() => {
    agent?.kill('SIGTERM');
  });

  test('koffi runs from the per-user cache, the certificate is read and a signature made on the token verifies', async () => {
    expect(readdirSync(join(cache, 'vanthu')).filter((f) => /^koffi-[0-9a-f]{64}\.node$/.test(f))).toHaveLength(1);
    const listed = await fetch(`${url}/certificates`, { headers: { origin: VANTHU } });
    expect(listed.headers.get('access-control-allow-origin')).toBe(VANTHU);
    const { data } = (await listed.json()) as { data: { certificates: { certificate: string }[] } };
    expect(data.certificates.map((c) => c.certificate)).toEqual([Buffer.from(pki.leader.certDer).toString('base64')]);
    const signedAttributes = randomBytes(200);
    const answer = await fetch(`${url}/sign`, { method: 'POST', headers: { origin: VANTHU, 'content-type': 'application/json' },
      body: JSON.stringify({ pin: token.pin, items: [{ id: 'a', signedAttributes: signedAttributes.toString('base64'), hash: 'SHA-256' }] }) });
    const signed = (await answer.json()) as { data: { results: { ok: boolean; signature: string }[] } };
    const [result] = signed.data.results;
    expect(result?.ok).toBe(true);
    const key = createPublicKey(new X509Certificate(pki.leader.certDer).publicKey.export({ format: 'pem', type: 'spki' }));
    expect(verify('sha256', signedAttributes, key, Buffer.from(result?.signature ?? '', 'base64'))).toBe(true);
  });

  test('another site is refused', async () => {
    const answer = await fetch(`${url}/certificates`, { headers: { origin: 'https://evil.example' } });
    expect(answer.status).toBe(403);
  });
});
