import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { makeTestSigner, sampleHeader, sampleStatus } from '../../domain/exchange/edxml/edxml.testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-edxml-cli-'));
const main = join(import.meta.dirname, '..', 'main.ts');
const cli = (...args: string[]) => spawnSync(process.execPath, [main, 'edxml', ...args], { encoding: 'utf8' });

describe('vanthu edxml', () => {
  test('build with a PKCS#12, parse --json round-trips, verify exits 0 / 1 / 3, status builds', () => {
    const signer = makeTestSigner('rsa');
    const headerPath = join(dir, 'header.json');
    writeFileSync(headerPath, JSON.stringify(sampleHeader()));
    const pdf = join(dir, 'cv.pdf');
    writeFileSync(pdf, '%PDF-1.4\n%%EOF\n');
    const out = join(dir, 'out.edxml');
    const built = cli('build', out, '--header', headerPath, '--attach', pdf, '--p12', signer.p12Path, '--password', signer.password);
    expect(built.status, built.stderr).toBe(0);
    const parsed = JSON.parse(cli('parse', out, '--json').stdout) as { header: unknown; attachments: { name: string; contentType: string; size: number }[] };
    expect(parsed.header).toEqual(sampleHeader());
    expect(parsed.attachments[0]).toMatchObject({ name: 'cv.pdf', contentType: 'application/pdf', size: 15 });
    expect(cli('parse', out).stdout).toContain('Chữ ký số: hợp lệ');
    expect(cli('verify', out).status).toBe(0);
    writeFileSync(join(dir, 'bad.edxml'), readFileSync(out, 'utf8').replace('Nguyễn Văn A', 'Nguyễn Văn B'));
    expect(cli('verify', join(dir, 'bad.edxml')).status).toBe(1);
    writeFileSync(join(dir, 'junk.edxml'), '<!DOCTYPE x><x/>');
    const junk = cli('verify', join(dir, 'junk.edxml'));
    expect(junk.status).toBe(3);
    expect(junk.stderr).toContain('edxml.doctype_refused');
    const statusPath = join(dir, 'status.json');
    writeFileSync(statusPath, JSON.stringify(sampleStatus()));
    expect(cli('status', join(dir, 'status.edxml'), '--header', statusPath).status).toBe(0);
    expect(cli('parse', join(dir, 'status.edxml')).stdout).toContain('03 – Đã tiếp nhận');
    execFileSync('xmllint', ['--noout', out, join(dir, 'status.edxml')]);
  });

  test('--help documents the subcommands and their options', () => {
    expect(cli('--help').stdout).toMatch(/parse FILE[\s\S]*build OUT\.edxml[\s\S]*verify FILE[\s\S]*status OUT\.edxml/);
    for (const sub of ['parse', 'build', 'verify', 'status']) expect(cli(sub, '--help').stdout).toContain(`vanthu edxml ${sub}`);
  });
});
