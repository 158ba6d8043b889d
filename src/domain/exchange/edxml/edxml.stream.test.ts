import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { buildEdxml } from './edxml.build.ts';
import { parseEdxml } from './edxml.parse.ts';
import { makeTestSigner, sampleHeader } from './edxml.testing.ts';

const MB = 1024 * 1024;
const SIZE = 200 * MB;
const dir = mkdtempSync(join(tmpdir(), 'vanthu-edxml-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Samples heap and array-buffer memory every few ms and on demand; reports the peaks above a baseline. */
function memoryProbe() {
  globalThis.gc?.();
  const base = process.memoryUsage();
  const peak = { heapUsed: base.heapUsed, arrayBuffers: base.arrayBuffers, rss: base.rss };
  const sample = () => {
    const m = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    peak.rss = Math.max(peak.rss, m.rss);
  };
  const timer = setInterval(sample, 5);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return { heapMB: (peak.heapUsed - base.heapUsed) / MB, buffersMB: (peak.arrayBuffers - base.arrayBuffers) / MB, rssMB: (peak.rss - base.rss) / MB };
    },
  };
}

async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let done = 0; done < size; done += 4 * MB) {
    const chunk = randomBytes(Math.min(4 * MB, size - done));
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return hash.digest('hex');
}

describe('a 200 MB package streams in bounded memory', () => {
  test('build and parse a signed package with a 200 MB attachment: heap stays far below the package size', { timeout: 300_000 }, async () => {
    const attachment = join(dir, 'lon.bin');
    const expected = await writeRandomFile(attachment, SIZE);
    const out = join(dir, 'lon.edxml');
    const signer = makeTestSigner('rsa');

    const buildProbe = memoryProbe();
    let started = performance.now();
    await buildEdxml(sampleHeader(), [{ name: 'lon.bin', contentType: 'application/octet-stream', source: attachment }], { signer }, out);
    const buildSeconds = (performance.now() - started) / 1000;
    const buildMemory = buildProbe.stop();
    const packageBytes = statSync(out).size;

    const parseProbe = memoryProbe();
    let received = 0;
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { received += chunk.length; parseProbe.sample(); done(); } });
    started = performance.now();
    const parsed = await parseEdxml(out, { attachmentSink: () => sink });
    const parseSeconds = (performance.now() - started) / 1000;
    const parseMemory = parseProbe.stop();

    console.log(`[edxml stream] package ${(packageBytes / MB).toFixed(1)} MB (attachment ${SIZE / MB} MB)\n`
      + `  build: ${buildSeconds.toFixed(2)} s, ${(packageBytes / MB / buildSeconds).toFixed(1)} MB/s of package, peak heap +${buildMemory.heapMB.toFixed(1)} MB, buffers +${buildMemory.buffersMB.toFixed(1)} MB, rss +${buildMemory.rssMB.toFixed(1)} MB\n`
      + `  parse+verify: ${parseSeconds.toFixed(2)} s, ${(packageBytes / MB / parseSeconds).toFixed(1)} MB/s of package, peak heap +${parseMemory.heapMB.toFixed(1)} MB, buffers +${parseMemory.buffersMB.toFixed(1)} MB, rss +${parseMemory.rssMB.toFixed(1)} MB`);

    expect(received).toBe(SIZE);
    expect(parsed.attachments[0]?.sha256).toBe(expected);
    expect(parsed.signature.valid).toBe(true);
    // The package is ~267 MB; a non-streaming implementation needs at least that much heap.
    expect(packageBytes).toBeGreaterThan(260 * MB);
    expect(buildMemory.heapMB).toBeLessThan(64);
    expect(parseMemory.heapMB).toBeLessThan(64);
    expect(buildMemory.buffersMB).toBeLessThan(64);
    expect(parseMemory.buffersMB).toBeLessThan(64);
  });
});
