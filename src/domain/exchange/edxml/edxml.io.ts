import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { edxmlIo } from './edxml.errors.ts';

/** Awaitable writes with backpressure, and all-or-nothing output files (temp file + rename). */

/** `latin1` marks a string known to be ASCII (base64): its bytes are its characters, written without a UTF-8 encoder pass. */
export type Sink = { write: (data: string | Uint8Array, encoding?: 'latin1') => Promise<void> };

/** Writes `data` (a string as UTF-8 unless `encoding` says otherwise), waiting for 'drain' when the stream's buffer is full. */
export async function writeWithBackpressure(stream: Writable, data: string | Uint8Array, encoding: BufferEncoding = 'utf8'): Promise<void> {
  if (stream.write(data, encoding)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => { stream.off('error', onError); resolve(); };
    const onError = (e: Error) => { stream.off('drain', onDrain); reject(e); };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

/**
 * Runs `produce` against `out`: a Writable (left open, so stdout works) or a path, written to a sibling
 * temp file that is renamed into place only on success and removed on failure. Throws edxml.io.
 */
export async function withOutput<T>(out: Writable | string, produce: (sink: Sink) => Promise<T>): Promise<T> {
  if (typeof out !== 'string') return produce({ write: (d, e) => writeWithBackpressure(out, d, e) });
  const tmp = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.part`);
  const stream = createWriteStream(tmp, { flags: 'wx' });
  const failed = once(stream, 'error').then(([e]) => { throw edxmlIo({ path: out }, { cause: e }); });
  failed.catch(() => undefined);
  try {
    const result = await produce({ write: (d, e) => Promise.race([writeWithBackpressure(stream, d, e), failed]) });
    stream.end();
    await Promise.race([once(stream, 'close'), failed]);
    await rename(tmp, out);
    return result;
  } catch (error) {
    stream.destroy();
    await rm(tmp, { force: true });
    throw error;
  }
}
