import { createHash } from 'node:crypto';
import { Agent, createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { buildSdkRequest, parseSdkResponse, sendSdkRequest } from './axis.client.ts';
import { formatEdxmlTimestamp } from '../edxml/edxml.format.ts';
import { asciiJson, asciiJsonWithBase64, gsonString, javaHashMapOrder, listTime, sdkTimestamp, signHeaderHmac, unpaddedSha256Hex } from './axis.protocol.ts';
import { recipientsFromToHeader } from './axis.package.ts';
import { CAPTURE, CAPTURE_SECRET } from './testdata/capture.ts';

const header = (headers: [string, string][], name: string) => headers.find(([k]) => k === name)?.[1] ?? '';

describe('the SDK signature, checked against every captured request', () => {
  test('each captured hash-header is the HMAC-SHA256 of its sign-header with the captured secret', () => {
    expect(CAPTURE).toHaveLength(12);
    // #5 and #12 (getEdoc) had their filePath redacted to "<client-local path>" in the document after signing.
    const intact = CAPTURE.filter((c) => !header(c.headers, 'XroadVnpt-sign-header').includes('<client-local path>'));
    expect(intact).toHaveLength(10);
    for (const call of intact) {
      expect(signHeaderHmac(CAPTURE_SECRET, header(call.headers, 'XroadVnpt-sign-header')), `capture #${call.n}`).toBe(header(call.headers, 'XroadVnpt-hash-header'));
    }
  });

  test('the Java HashMap order we compute gives the captured sign-header-key of every call', () => {
    for (const call of CAPTURE) {
      const keys = header(call.headers, 'XroadVnpt-sign-header-key').split(';');
      // Insertion order of the SDK: timestamp (constructor), systemid (init), Content-Type, then the call's own keys.
      const inserted = ['timestamp', 'systemid', 'Content-Type', ...keys.filter((k) => !['timestamp', 'systemid', 'Content-Type'].includes(k))];
      expect(javaHashMapOrder(inserted), `capture #${call.n}`).toEqual(keys);
    }
  });

  test('our client builds the exact captured header block (names, order, values, signature) when given the captured timestamp, but for HttpClient\'s Expect: 100-continue', () => {
    for (const call of CAPTURE.filter((c) => !c.path.endsWith('/sendEdoc') && !header(c.headers, 'XroadVnpt-sign-header').includes('<client-local path>'))) {
      const signed = JSON.parse(header(call.headers, 'XroadVnpt-sign-header')) as Record<string, string>;
      const ts = signed['XroadVnpt-timestamp'] ?? '';
      const params = Object.entries(signed)
        .filter(([k]) => !['XroadVnpt-timestamp', 'XroadVnpt-systemid', 'XroadVnpt-Content-Type'].includes(k))
        .map(([k, v]): [string, string] => [k.replace('XroadVnpt-', ''), v]);
      const now = new Date(Date.UTC(Number(ts.slice(4, 8)), Number(ts.slice(2, 4)) - 1, Number(ts.slice(0, 2)), Number(ts.slice(9, 11)), Number(ts.slice(11, 13)), Number(ts.slice(13, 15)), Number(ts.slice(16))));
      const op = call.path.replace('/vxp/', '') as Parameters<typeof buildSdkRequest>[1]['op'];
      const built = buildSdkRequest({ endpoint: 'http://127.0.0.1:34179/vxp', systemId: '000.00.01.H53', secret: CAPTURE_SECRET },
        { op, params, body: Buffer.from(call.body), now, timeZone: 'UTC' });
      // The {} body goes with the headers: no Expect (see buildSdkRequest); everything else is the capture's.
      expect(built.headers, `capture #${call.n}`).toEqual(call.headers.filter(([k]) => k !== 'Expect'));
      expect(Buffer.concat(built.body).toString()).toBe(call.body);
    }
  });

  test('sendEdoc is built as HttpURLConnection sends it: Content-Type first, quoted "to", file + CRLF, the captured header order', () => {
    const call = CAPTURE[0];
    if (!call) throw new Error('capture missing');
    const file = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><edXML/>');
    const built = buildSdkRequest({ endpoint: 'http://127.0.0.1:34179/vxp', systemId: '000.00.01.H53', secret: CAPTURE_SECRET }, {
      op: 'sendEdoc', body: file, now: new Date(Date.UTC(2026, 10, 23, 3, 1, 0, 639)), timeZone: 'UTC',
      params: [['from', '000.00.01.H53'], ['servicetype', 'eDoc'], ['messagetype', 'edoc'], ['to', gsonString('000.00.00.G22')]],
    });
    expect(built.headers.map(([k]) => k)).toEqual(call.headers.map(([k]) => k));
    expect(header(built.headers, 'XroadVnpt-to')).toBe('"000.00.00.G22"');
    expect(header(built.headers, 'XroadVnpt-hash-file')).toBe(unpaddedSha256Hex(file));
    expect(header(built.headers, 'XroadVnpt-timestamp')).toBe('23112026T030100+0639');
    expect(Buffer.concat(built.body).equals(Buffer.concat([file, Buffer.from('\r\n')]))).toBe(true);
    expect(header(built.headers, 'Content-Length')).toBe(String(file.length + 2));
  });

  test('the bytes on the wire are the SDK\'s: header order kept, one Content-Type, the {} body sent with the headers (no wait for 100 Continue)', async () => {
    const seen: { raw: string[]; body: string }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ raw: req.rawHeaders, body: Buffer.concat(chunks).toString() });
        res.end('{"status":"OK","ErrorCode":0,"ErrorDesc":"Th\\u00e0nh c\\u00f4ng"}\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const request = buildSdkRequest({ endpoint: `http://127.0.0.1:${port}/vxp`, systemId: 'S1', secret: 'secret-1' }, { op: 'updateStatus', params: [['docId', 'x'], ['status', 'done']], body: Buffer.from('{}') });
    const res = parseSdkResponse(await sendSdkRequest(request));
    server.close();
    expect(res).toMatchObject({ status: 'OK', ErrorCode: '0', ErrorDesc: 'Thành công' });
    const names = (seen[0]?.raw ?? []).filter((_, i) => i % 2 === 0);
    expect(names).toEqual(request.headers.map(([k]) => k));
    expect(names.filter((n) => n.toLowerCase() === 'content-type')).toHaveLength(1);
    expect(names).not.toContain('Expect');
    expect(seen[0]?.body).toBe('{}');
  });

  test('sendEdoc\'s file and CRLF arrive as one body of the announced length, on a fresh and on a kept-alive connection; a list call sends no body', async () => {
    const seen: { length: string | undefined; body: Buffer }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ length: req.headers['content-length'], body: Buffer.concat(chunks) });
        res.end('{"status":"OK","ErrorCode":"0","ErrorDesc":"","DocId":"d1"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const credentials = { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/vxp`, systemId: 'S1', secret: 'secret-1' };
    const file = Buffer.alloc(300_000, 'PGVkWE1MPg==');
    const agent = new Agent({ keepAlive: true });
    const params: [string, string][] = [['from', 'S1'], ['servicetype', 'eDoc'], ['messagetype', 'edoc']];
    for (let i = 0; i < 2; i++) await sendSdkRequest(buildSdkRequest(credentials, { op: 'sendEdoc', params, body: file }), { agent });
    await sendSdkRequest(buildSdkRequest(credentials, { op: 'getReceivedEdocList', params: [['servicetype', 'eDoc'], ['messagetype', 'edoc']] }), { agent });
    agent.destroy();
    server.close();
    const sent = Buffer.concat([file, Buffer.from('\r\n')]);
    expect(seen.map((s) => [s.length, s.body.equals(sent)])).toEqual([[String(sent.length), true], [String(sent.length), true], ['0', false]]);
    expect(seen[2]?.body.length).toBe(0);
  });
});

describe('value formats', () => {
  test('hash-file drops the leading zero of bytes below 0x10, as the SDK does', () => {
    const bytes = Buffer.from('vanthu-0');
    const padded = createHash('sha256').update(bytes).digest();
    const expected = [...padded].map((b) => b.toString(16)).join('');
    expect(unpaddedSha256Hex(bytes)).toBe(expected);
    expect(unpaddedSha256Hex(bytes).length).toBeLessThanOrEqual(64);
  });

  test('the timestamp is ddMMyyyyTHHmmss+SSSS with milliseconds, in the client zone', () => {
    expect(sdkTimestamp(new Date(Date.UTC(2026, 10, 22, 19, 59, 42, 65)), 'Asia/Ho_Chi_Minh')).toBe('23112026T025942+0065');
  });

  test('Vietnam timestamps (UTC+7 arithmetic) are the ones Intl gives, across day and year ends and before 1976, when Vietnam was not UTC+7', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    for (const iso of ['2026-12-31T16:59:59.999Z', '2026-12-31T17:00:00.000Z', '2024-02-28T17:30:05.007Z', '1999-06-15T00:00:00.120Z', '1970-01-01T16:30:00.000Z']) {
      const at = new Date(iso);
      const p = Object.fromEntries(intl.formatToParts(at).map((x) => [x.type, x.value]));
      const ms = String(at.getUTCMilliseconds()).padStart(4, '0');
      expect(sdkTimestamp(at), iso).toBe(`${p.day}${p.month}${p.year}T${p.hour}${p.minute}${p.second}+${ms}`);
    }
    expect(sdkTimestamp(new Date('1970-01-01T16:30:00Z'))).toBe('02011970T003000+0000'); // UTC+8 then
    expect(sdkTimestamp(new Date('2026-12-31T17:00:00Z'), 'UTC')).toBe('31122026T170000+0000');
  });

  test('Gson escaping: quotes, backslashes, control characters and U+2028; no HTML escaping', () => {
    expect(gsonString('a"b\\c\n\u0001<&>=\u2028đ')).toBe('"a\\"b\\\\c\\n\\u0001<&>=\\u2028đ"');
  });

  test('responses are ASCII JSON: Vietnamese text travels as \\u escapes', () => {
    const text = asciiJson({ ErrorDesc: 'Không tìm thấy văn bản' });
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(JSON.parse(text)).toEqual({ ErrorDesc: 'Không tìm thấy văn bản' });
  });

  test('the "to" header is read in every shape the SDK sends', () => {
    expect(recipientsFromToHeader('"000.00.00.G22"')).toEqual(['000.00.00.G22']);
    expect(recipientsFromToHeader('[{"code":"000.00.00.G22"},{"code":"000.00.00.G09"}]')).toEqual(['000.00.00.G22', '000.00.00.G09']);
    expect(recipientsFromToHeader('000.00.00.G22,000.00.00.G09')).toEqual(['000.00.00.G22', '000.00.00.G09']);
    expect(recipientsFromToHeader(undefined)).toEqual([]);
  });
});

describe('list times', () => {
  test('are written in Vietnam time as yyyy-MM-dd HH:mm:ss, the same instant the edXML timestamps name, across day and year ends', () => {
    for (const iso of ['2026-12-31T16:59:59.999Z', '2026-12-31T17:00:00Z', '2024-02-28T17:30:05Z', '1999-06-15T00:00:00Z', '2026-03-02T02:15:00Z']) {
      const date = new Date(iso);
      expect(listTime(date)).toBe(formatEdxmlTimestamp(date).replaceAll('/', '-'));
    }
    expect(listTime(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01 00:00:00');
  });
});

describe('getEdoc\'s response with its package appended', () => {
  test.each([0, 1, 2, 3, 49_151, 49_152, 49_153, 100_002])('is the ASCII JSON of the envelope with the package\'s base64 as data, for %i bytes', (size) => {
    const pkg = Buffer.from(Array.from({ length: size }, (_, i) => (i * 131) % 256));
    const envelope = { status: 'OK', ErrorCode: '0', ErrorDesc: 'Thành công' };
    const expected = asciiJson({ ...envelope, data: pkg.toString('base64') });
    expect(asciiJsonWithBase64(envelope, new Uint8Array(pkg)).toString('latin1')).toBe(expected);
    expect(asciiJsonWithBase64(envelope, pkg.toString('base64')).toString('latin1')).toBe(expected);
  });
});
