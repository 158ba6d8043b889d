import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { listen, proxyEnv, startForwardingProxy } from '../../../test/proxy.ts';
import { createAxisClient, parseSdkDataResponse, parseSdkResponse, type SdkEnvelope } from './axis.client.ts';

describe('the connector reaches the axis through the agency proxy under Node\'s rule', () => {
  let axis: Server;
  let axisPort = 0;
  let proxy: Awaited<ReturnType<typeof startForwardingProxy>>;
  const env = proxyEnv();

  beforeAll(async () => {
    // An axis answering every call with an empty list in the SDK's envelope.
    axis = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":[]}'));
    });
    axisPort = await listen(axis);
    proxy = await startForwardingProxy(() => axisPort);
  });
  afterEach(() => {
    proxy.seen.length = 0;
    env.restore();
  });
  afterAll(() => { axis.close(); proxy.close(); });

  // A host only the proxy knows how to reach (the forwarding proxy sends everything to the axis above).
  const agencyList = async () => {
    const client = createAxisClient({ endpoint: `http://truc.tinh.example:${axisPort}`, systemId: '000.00.01.H53', secret: 's', timeoutMs: 5000 });
    try {
      return await client.getAgenciesList();
    } finally {
      client.close();
    }
  };

  test('with NODE_USE_ENV_PROXY=1 and HTTP_PROXY, the axis calls go to the proxy as absolute URIs', async () => {
    env.set({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://127.0.0.1:${proxy.port}` });
    expect(await agencyList()).toEqual([]);
    expect(proxy.seen.map((s) => s.line)).toEqual([`POST http://truc.tinh.example:${axisPort}/getAgenciesList`]);
  });

  test('HTTP_PROXY alone is ignored, as Node ignores it: the call goes straight to the axis host', async () => {
    env.set({ HTTP_PROXY: `http://127.0.0.1:${proxy.port}` });
    await expect(agencyList()).rejects.toMatchObject({ code: 'axis.unreachable' });
    expect(proxy.seen).toEqual([]);
  });
});

describe('kept-alive connections to the axis', () => {
  test('a connection the axis dropped while idle is not an error: the call is sent once more on a new one', async () => {
    // The axis answers the first request of each connection and drops the connection at its second, as a
    // server whose idle timeout ran out just as the client reused the socket.
    const perSocket = new Map<unknown, number>();
    let answered = 0;
    const axis = createServer((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      req.resume();
      req.on('end', () => {
        if (n > 1) return void req.socket.destroy();
        answered++;
        res.end('{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":[]}');
      });
    });
    const port = await listen(axis);
    const client = createAxisClient({ endpoint: `http://127.0.0.1:${port}`, systemId: '000.00.01.H53', secret: 's', timeoutMs: 5000 });
    try {
      expect(await client.getAgenciesList()).toEqual([]);
      expect(await client.getAgenciesList()).toEqual([]);
      expect(await client.getReceivedEdocList()).toEqual([]);
      expect(answered).toBe(3);
      expect(perSocket.size).toBe(3);
    } finally {
      client.close();
      axis.close();
    }
  });

  test('an axis that drops every connection is axis.unreachable after one more try, not a loop', async () => {
    let requests = 0;
    const axis = createServer((req) => {
      requests++;
      req.socket.destroy();
    });
    const port = await listen(axis);
    const client = createAxisClient({ endpoint: `http://127.0.0.1:${port}`, systemId: '000.00.01.H53', secret: 's', timeoutMs: 5000 });
    try {
      await expect(client.getAgenciesList()).rejects.toMatchObject({ code: 'axis.unreachable' });
      expect(requests).toBe(1);
    } finally {
      client.close();
      axis.close();
    }
  });
});

describe('sendEdoc and the package buffer', () => {
  test('an axis answering before it has read the package: sendEdoc settles only once the package is sent, so its buffer may be used again', async () => {
    // 8 MiB cannot sit in the sockets' buffers: the answer arrives while most of the package is still to be written.
    const file = Buffer.alloc(8 * 1024 ** 2, 0x61);
    let received: Promise<Buffer> | undefined;
    const axis = createServer((req, res) => {
      const chunks: Buffer[] = [];
      received = new Promise((resolve) => req.on('end', () => resolve(Buffer.concat(chunks))));
      // Reading (so Node does not discard the package), paused at once: the rest is read 50 ms after the answer.
      req.on('data', (c: Buffer) => chunks.push(c)).pause();
      res.end('{"ErrorCode":"0","ErrorDesc":"","status":"OK","DocId":"d1"}');
      setTimeout(() => req.resume(), 50);
    });
    const port = await listen(axis);
    const client = createAxisClient({ endpoint: `http://127.0.0.1:${port}`, systemId: '000.00.01.H53', secret: 's', timeoutMs: 5000 });
    try {
      expect(await client.sendEdoc(file)).toEqual({ docId: 'd1' });
      file.fill(0x62); // the next package, built into the same buffer
      const body = await received;
      expect(body?.length).toBe(file.length + 2);
      expect(body?.subarray(0, file.length).every((b) => b === 0x61)).toBe(true);
    } finally {
      client.close();
      axis.close();
    }
  });
});

describe('a getEdoc response is read without making its package into a string, with the SDK\'s result', () => {
  /** The envelope (its data blanked) and the package's bytes one way of reading gives, or the code it throws. */
  const outcome = (read: () => { envelope: SdkEnvelope; data: Uint8Array | undefined }) => {
    try {
      const { envelope, data } = read();
      return { envelope: { ...envelope, data: '' }, data: data && [...data] };
    } catch (error) {
      return { error: (error as { code?: string }).code };
    }
  };
  const sdkWay = (body: string) => outcome(() => {
    const envelope = parseSdkResponse(body);
    return { envelope, data: typeof envelope.data === 'string' ? Buffer.from(envelope.data, 'base64') : undefined };
  });
  /** The response cut into chunks of `size` bytes (the whole response when Infinity), as a socket may deliver it. */
  const chunked = (body: string, size: number) => {
    const bytes = Buffer.from(body, 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    return chunks.length > 0 ? chunks : [bytes];
  };
  const fastWay = (body: string, size = Infinity) => outcome(() => parseSdkDataResponse(chunked(body, size)));
  const pkg = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256));
  const b64 = (n: number) => pkg.subarray(0, n).toString('base64');

  test.each([
    ['our axis\'s response, data last', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(100_000)}"}`],
    ['padding of one and of two', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(99_998)}"}`],
    ['padding of two', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(99_999)}"}`],
    ['an empty package', '{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":""}'],
    ['Gson\'s escaped padding (\\u003d)', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(99_998).replaceAll('=', '\\u003d')}"}`],
    ['Gson\'s escaped slash', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(3000).replaceAll('/', '\\/')}"}`],
    ['data before the other members', `{"data":"${b64(3000)}","ErrorCode":"0","ErrorDesc":"","status":"OK"}`],
    ['a second data member after it', `{"data":"${b64(3000)}","ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(30)}"}`],
    ['our axis\'s ASCII envelope (\\u00e0 in ErrorDesc)', `{"status":"OK","ErrorCode":"0","ErrorDesc":"Th\\u00e0nh c\\u00f4ng","data":"${b64(100_000)}"}`],
    ['an escaped backslash before a quote in the head', `{"ErrorCode":"0","ErrorDesc":"a\\\\","status":"OK","data":"${b64(3000)}"}`],
    ['an escape in the head', `{"ErrorCode":"0","ErrorDesc":"a\\"b","status":"OK","data":"${b64(3000)}"}`],
    ['a key ending in "data" after an escaped quote', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"","x\\"data":"${b64(3000)}"}`],
    ['data inside a nested object', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","o":{"data":"${b64(3000)}"}}`],
    ['line breaks in the response (the SDK joins lines)', `{"ErrorCode":"0",\n"ErrorDesc":"","status":"OK",\r\n"data":"${b64(3000)}"}\n`],
    ['a line break inside the data', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(3000).slice(0, 76)}\n${b64(3000).slice(76)}"}`],
    ['trailing whitespace', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(3000)}"}  `],
    ['characters Node\'s base64 skips or reads as base64url', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(3000).slice(0, 100)}-_.!${b64(3000).slice(104)}"}`],
    ['a non-ASCII character in the data', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(3000).slice(0, 100)}ă${b64(3000).slice(101)}"}`],
    ['a control character in the data (not JSON)', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"AAAA\u0001AAA"}`],
    ['a remote error without data', '{"ErrorCode":"-1","ErrorDesc":"Không tìm thấy văn bản","status":"FAIL"}'],
    ['data that is not a string', '{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":[]}'],
    ['a truncated response', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(3000)}`],
    ['text after the object', `{"ErrorCode":"0","ErrorDesc":"","status":"OK","data":"${b64(3000)}"}x`],
    ['no envelope fields', `{"data":"${b64(3000)}"}`],
  ])('%s', (_name, body) => {
    const expected = sdkWay(body);
    // Whole, and cut where sockets cut (64 KiB), inside the head, inside base64 quanta and before the closing '"}'.
    for (const size of [Infinity, 65_536, 4093, 57, 3]) expect(fastWay(body, size), `chunks of ${size}`).toEqual(expected);
  });

  test.each([Infinity, 65_536, 4093, 97])('our axis\'s response in chunks of %s bytes is parsed without its package: JSON.parse sees only the envelope', (size) => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const { data } = parseSdkDataResponse(chunked(`{"status":"OK","ErrorCode":"0","ErrorDesc":"Th\\u00e0nh c\\u00f4ng","data":"${b64(100_000)}"}`, size));
      expect(Buffer.from(data ?? []).equals(pkg)).toBe(true);
      expect(parse.mock.calls.map(([text]) => String(text).length)).toEqual([76]);
    } finally {
      parse.mockRestore();
    }
  });
});
