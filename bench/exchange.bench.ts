/**
 * `npm run bench:exchange`: end-to-end exchange throughput on PostgreSQL — a sender install's outbox →
 * axis (sendEdoc) → the recipient install polls, verifies the XML-DSig, registers an incoming document
 * (with its 1-page signed PDF) and answers status 01 → axis → the sender records 01 on its outgoing
 * document. The measured window leaves out the first and last BENCH_WARMUP documents (200): a
 * server that runs all day is warm (JIT, caches, connections) and its pipeline full; the run from the
 * first send is printed too. Three databases (axis, sender, recipient) on postgres://postgres@127.0.0.1:5432, created
 * and dropped here. Next to it, two physical limits measured in the same run: raw SDK sendEdoc +
 * getEdoc + updateStatus round trips against the same axis (pre-built packages, no connector work), and
 * the PostgreSQL single-row commit rate (1 and 8 connections).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Session } from 'node:inspector/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/client.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { makeDeps } from '../src/test/factories.ts';
import { addSystem } from '../src/domain/exchange/axis/axis.directory.ts';
import { createAxisClient } from '../src/domain/exchange/axis/axis.client.ts';
import { startAxisServer } from '../src/domain/exchange/axis/axis.server.ts';
import { makePackage } from '../src/domain/exchange/axis/axis.testing.ts';
import { closeAxisClients } from '../src/domain/exchange/connector/connector.client.ts';
import { connectorTimings } from '../src/domain/exchange/connector/connector.config.ts';
import { configureEndpointByCode } from '../src/domain/exchange/connector/connector.service.ts';
import { findOpenEndpoint } from '../src/domain/exchange/connector/connector.secret.ts';
import { pollAgency } from '../src/domain/exchange/connector/connector.receive.ts';
import { sendPending } from '../src/domain/exchange/connector/connector.send.ts';
import { buildPackage } from '../src/domain/exchange/connector/connector.packages.ts';
import { parseEdxml } from '../src/domain/exchange/edxml/edxml.parse.ts';
import { outgoingSearchTextOf } from '../src/domain/outgoing/outgoing.repository.ts';
import { issueExternal, makeInstall, type Install } from '../src/domain/exchange/connector/connector.testing.ts';

const ADMIN = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Documents in the measured window, and before and after it (BENCH_WARMUP each): the window sees a warm server with the pipeline full. */
const N = Number(process.env.BENCH_DOCS ?? 1000);
const WARM = Number(process.env.BENCH_WARMUP ?? 200);
const TOTAL = N + 2 * WARM;
/** Pre-built packages of the raw SDK round trips. */
const RAW_N = 400;
const TARGET = 300;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const created: string[] = [];
/** `embedded`: vanthu's own pdf-lib sample draft (subset fonts since c129214, ~30 KiB; it embedded the whole fonts, ~500 KiB, before); default: a LibreOffice page with subset fonts (~45 KiB). */
const PDF_KIND = process.env.BENCH_PDF === 'embedded' ? 'embedded' : 'subset';

/** One page of a Công văn in Vietnamese, as an agency's word processor exports it. */
const CONG_VAN_HTML = `<html><head><meta charset="utf-8"><style>body{font-family:'Liberation Serif';font-size:13pt} .c{text-align:center} td{vertical-align:top;font-size:12pt}</style></head><body>
<table width="100%"><tr><td class="c" width="40%">UBND TỈNH BẮC NINH<br><b>SỞ NỘI VỤ</b><br>Số: 123/SNV-VP<br>V/v đo thông lượng liên thông văn bản</td>
<td class="c"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><br><i>Bắc Ninh, ngày 06 tháng 12 năm 2026</i></td></tr></table>
<p class="c">Kính gửi: Sở Tài chính tỉnh Bắc Ninh.</p>
<p>Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư, Sở Nội vụ đề nghị Sở Tài chính phối hợp thử nghiệm việc gửi, nhận văn bản điện tử qua Trục liên thông văn bản quốc gia, cụ thể như sau:</p>
<p>1. Kiểm tra việc tiếp nhận gói tin edXML có chữ ký số của cơ quan, tổ chức và tệp đính kèm định dạng PDF.</p>
<p>2. Phản hồi trạng thái đã nhận (01) ngay sau khi văn thư đăng ký văn bản đến vào sổ.</p>
<p>3. Báo cáo kết quả thử nghiệm về Sở Nội vụ trước ngày 15 tháng 12 năm 2026 để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.</p>
<p>Đề nghị Quý cơ quan quan tâm phối hợp thực hiện./.</p>
<table width="100%"><tr><td width="50%"><b><i>Nơi nhận:</i></b><br>- Như trên;<br>- Lưu: VT, VP.</td>
<td class="c"><b>KT. GIÁM ĐỐC<br>PHÓ GIÁM ĐỐC</b><br><br><br><br><b>Nguyễn Văn An</b></td></tr></table>
</body></html>`;

/** The 1-page PDF of the run: LibreOffice headless exports the page above with subset fonts (as Word and Writer do); undefined = vanthu's sample draft. */
async function benchPdf(): Promise<Uint8Array | undefined> {
  if (PDF_KIND === 'embedded') return undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-pdf-'));
  try {
    await writeFile(path.join(dir, 'cong-van.html'), CONG_VAN_HTML);
    await promisify(execFile)('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf:writer_pdf_Export', '--outdir', dir, path.join(dir, 'cong-van.html')], { timeout: 120_000 });
    return new Uint8Array(await readFile(path.join(dir, 'cong-van.pdf')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function newDatabase(): Promise<string> {
  const name = `bench_exchange_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  created.push(name);
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  return url.href;
}

async function openInstall(code: string, name: string): Promise<{ install: Install; handle: DatabaseHandle }> {
  const handle = await openDatabase({ url: await newDatabase() });
  await migrateToLatest(handle.db);
  const deps = { ...(await makeDeps(handle.db, { demo: true })), logger: (await makeDeps(handle.db)).logger };
  return { install: await makeInstall(handle.db, { code, name, deps }), handle };
}

/** N outgoing documents shaped like the issued template, each with its external recipient and 'edoc' outbox row. */
async function cloneIssued(sender: Install, templateId: string, recipientCode: string, n: number): Promise<void> {
  const db = sender.db;
  const template = await db.selectFrom('outgoingDocument').selectAll().where('id', '=', templateId).executeTakeFirstOrThrow();
  const box = await db.selectFrom('exchangeOutbox').selectAll().where('outgoingId', '=', templateId).executeTakeFirstOrThrow();
  const rcp = await db.selectFrom('outgoingRecipient').selectAll().where('outgoingId', '=', templateId).executeTakeFirstOrThrow();
  await db.transaction().execute(async (tx) => {
    for (let i = 1; i <= n; i++) {
      // generated columns (isSecret, searchVector) are computed by PostgreSQL; the search text is the number's own
      const { id: _id, isSecret: _s, searchVector: _v, ...fields } = template;
      const number = (template.number ?? 0) + i;
      const doc = await tx.insertInto('outgoingDocument').values({ ...fields, approvalWidget: JSON.stringify(template.approvalWidget), number, registerId: null,
        searchText: outgoingSearchTextOf({ subject: template.subject, number, notation: template.notation }) })
        .returning('id').executeTakeFirstOrThrow();
      await tx.insertInto('outgoingRecipient').values({ outgoingId: doc.id, kind: 'external', agencyCode: rcp.agencyCode, name: rcp.name }).execute();
      await tx.insertInto('exchangeOutbox').values({ outgoingId: doc.id, recipientAgencyCode: recipientCode, packageKind: 'edoc', businessDocType: 0, payload: JSON.stringify(box.payload) }).execute();
    }
    await tx.deleteFrom('exchangeOutbox').where('id', '=', box.id).execute();
  });
}

/** vanthu end to end: documents per second from the first send until the sender holds 01 for all N. */
async function measureConnector(axis: BenchAxis): Promise<{ rate: number; coldRate: number; measured: number; cpuMsPerDoc: number; axisCpuMsPerDoc: number; pgCpuMsPerDoc: number } & Stages> {
  const [axisEndpoint, axisDb, dataDir] = [axis.endpoint, axis.db, axis.dataDir];
  const sCode = '000.00.01.H53';
  const rCode = '000.00.02.H53';
  const { install: sender, handle: sh } = await openInstall(sCode, 'Sở Nội vụ (bench)');
  const { install: recipient, handle: rh } = await openInstall(rCode, 'Sở Tài chính (bench)');
  for (const [inst, secret] of [[sender, 'bench-secret-sender'], [recipient, 'bench-secret-recipient']] as const) {
    await addSystem({ db: axisDb.db, dataDir, systemId: inst.agency.code, name: inst.agency.name, secret, kind: 'agency' });
    await configureEndpointByCode(inst.deps, { agencyCode: inst.agency.code, endpoint: axisEndpoint, systemId: inst.agency.code, secret, isEnabled: true });
  }
  const template = await issueExternal(sender, [{ code: rCode, name: recipient.agency.name }], 'V/v đo thông lượng liên thông', await benchPdf());
  await cloneIssued(sender, template.id, rCode, TOTAL);
  const timings = { ...connectorTimings({}), concurrency: CONCURRENCY, batchSize: 64 };
  const endpointOf = async (inst: Install) => {
    const endpoint = await findOpenEndpoint(inst.deps, inst.agency.id);
    if (!endpoint) throw new Error(`${inst.agency.code} has no endpoint`);
    return { ...endpoint, agencyCode: inst.agency.code };
  };
  const [sEnd, rEnd] = [await endpointOf(sender), await endpointOf(recipient)];
  const countDone = async () => Number((await sender.db.selectFrom('outgoingRecipient').select((eb) => eb.fn.countAll().as('n')).where('statusCode', '=', '01').executeTakeFirstOrThrow()).n);
  let isDone = false;
  // Each loop runs again at once while it finds work; idle, it waits 5 ms, doubling up to 40 ms (an idle poll costs CPU the busy loops need).
  const loop = (work: () => Promise<unknown>) => (async () => {
    let idleMs = 5;
    while (!isDone) {
      if (await work()) idleMs = 5;
      else {
        await new Promise((res) => setTimeout(res, idleMs));
        idleMs = Math.min(idleMs * 2, 40);
      }
    }
  })();
  const started = performance.now();
  // Sending and receiving run side by side on each install (as two workers would), each looping at once while it finds work.
  const loops = [
    loop(async () => (await sendPending(sender.deps, timings)).packages),
    loop(async () => (await pollAgency(recipient.deps, timings, rEnd)).accepted),
    loop(async () => (await sendPending(recipient.deps, timings)).packages),
    loop(async () => (await pollAgency(sender.deps, timings, sEnd)).accepted),
  ];
  const countOf = async (inst: Install, table: 'incomingDocument' | 'exchangeOutbox', sent: boolean) => {
    let q = inst.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
    if (sent) q = q.where('status', '=', 'sent');
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  let lastLog = 0;
  /** Waits until the sender holds 01 for `n` documents; returns how many it holds then. */
  const doneReaching = async (n: number): Promise<number> => {
    for (;;) {
      const done = await countDone();
      if (done >= n) return done;
      if (process.env.BENCH_VERBOSE && performance.now() - lastLog > 2000) {
        lastLog = performance.now();
        console.error(`t=${((lastLog - started) / 1000).toFixed(1)}s sent=${await countOf(sender, 'exchangeOutbox', true)} incoming=${await countOf(recipient, 'incomingDocument', false)} 01-sent=${await countOf(recipient, 'exchangeOutbox', true)} 01-at-sender=${done}`);
      }
      await new Promise((res) => setTimeout(res, 20));
    }
  };
  // The measured window: from the WARM-th document's 01 to the (WARM + N)-th, documents entering and leaving alike.
  const doneBefore = await doneReaching(WARM);
  const profiler = await startProfile();
  const windowStarted = performance.now();
  const cpuBefore = process.cpuUsage();
  const axisCpuBefore = await axis.cpuMs();
  const pgCpuBefore = await postgresCpuByPid();
  const doneAfter = await doneReaching(WARM + N);
  const elapsed = (performance.now() - windowStarted) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const axisCpuMs = (await axis.cpuMs()) - axisCpuBefore;
  const pgCpuMs = await postgresCpuMsSince(pgCpuBefore);
  await profiler.stop();
  await doneReaching(TOTAL);
  const coldRate = TOTAL / ((performance.now() - started) / 1000);
  isDone = true;
  await Promise.all(loops);
  const incoming = Number((await recipient.db.selectFrom('incomingDocument').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  if (incoming !== TOTAL) throw new Error(`recipient holds ${incoming} incoming documents, expected ${TOTAL}`);
  const stages = await measureStages(sender, recipient);
  await sh.close();
  await rh.close();
  const measured = doneAfter - doneBefore;
  return {
    rate: measured / elapsed, coldRate, measured,
    cpuMsPerDoc: ((cpu.user + cpu.system) / 1000 + axisCpuMs) / measured, axisCpuMsPerDoc: axisCpuMs / measured, pgCpuMsPerDoc: pgCpuMs / measured, ...stages,
  };
}

/**
 * BENCH_PROFILE=<dir>: a V8 CPU profile of this process over the measured window only (bench-*.cpuprofile;
 * the axis process profiles its whole life into <dir>/axis), and the physical limits are not measured.
 */
async function startProfile(): Promise<{ stop: () => Promise<void> }> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return { stop: async () => undefined };
  await mkdir(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(path.join(dir, `bench-${Date.now()}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Node CPU milliseconds per call of `work`, one at a time, after a few calls of warm-up (the thread pool's CPU counts: the signature runs there). */
async function cpuMsOf(times: number, work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await work();
  const before = process.cpuUsage();
  for (let i = 0; i < times; i++) await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / times;
}

type Stages = { buildMs: number; parseMs: number; statusBuildMs: number; statusParseMs: number; packageKb: number; pdfKb: number; docPackage: Uint8Array; statusPackage: Uint8Array };

/** Build + sign and parse + verify of one sent package of `kind` from `install`'s outbox, measured alone. */
async function measureStage(install: Install, kind: 'edoc' | 'status', dir: string): Promise<{ buildMs: number; parseMs: number; bytes: Uint8Array }> {
  const row = await install.db.selectFrom('exchangeOutbox').selectAll().where('status', '=', 'sent').where('packageKind', '=', kind).limit(1).executeTakeFirstOrThrow();
  const claimed = { ...row, agencyId: install.agency.id };
  const built = await buildPackage(install.deps, [claimed]);
  const buildMs = await cpuMsOf(40, () => buildPackage(install.deps, [claimed]));
  const parseMs = await cpuMsOf(40, () => parseEdxml(built.bytes, { attachmentSink: { dir } }));
  return { buildMs, parseMs, bytes: built.bytes };
}

/**
 * The CPU of the signed XML every document pays, measured alone on real packages of the run: the
 * document package (built and signed by the sender, parsed and verified by the recipient) and its 01
 * (built and signed by the recipient, parsed and verified by the sender). The axis reads only envelopes.
 */
async function measureStages(sender: Install, recipient: Install): Promise<Stages> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-parse-'));
  try {
    const doc = await measureStage(sender, 'edoc', dir);
    const status = await measureStage(recipient, 'status', dir);
    const pdfBytes = Math.max(0, ...(await parseEdxml(doc.bytes)).attachments.map((a) => a.size));
    return { buildMs: doc.buildMs, parseMs: doc.parseMs, statusBuildMs: status.buildMs, statusParseMs: status.parseMs, packageKb: doc.bytes.length / 1024, pdfKb: pdfBytes / 1024, docPackage: doc.bytes, statusPackage: status.bytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Raw SDK round trips (sendEdoc, then getEdoc + updateStatus by the recipient) with 8 in flight, pre-built packages. */
async function measureRawAxis({ endpoint, db: axisDb, dataDir, cpuMs }: BenchAxis): Promise<{ rate: number; axisCpuMs: number }> {
  const [from, to] = ['000.00.03.H53', '000.00.04.H53'];
  await addSystem({ db: axisDb.db, dataDir, systemId: from, name: 'raw from', secret: 'raw-secret-from', kind: 'agency' });
  await addSystem({ db: axisDb.db, dataDir, systemId: to, name: 'raw to', secret: 'raw-secret-to', kind: 'agency' });
  const packages = await Promise.all(Array.from({ length: RAW_N }, () => makePackage({ from, to: [to] })));
  const s = createAxisClient({ endpoint, systemId: from, secret: 'raw-secret-from' });
  const r = createAxisClient({ endpoint, systemId: to, secret: 'raw-secret-to' });
  let next = 0;
  const started = performance.now();
  const cpuBefore = await cpuMs();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < packages.length) {
      const pkg = packages[next++] as Uint8Array;
      const { docId } = await s.sendEdoc(pkg);
      await r.getEdoc(docId);
      await r.updateStatus(docId, 'done');
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const axisCpuMs = ((await cpuMs()) - cpuBefore) / RAW_N;
  s.close();
  r.close();
  return { rate: RAW_N / elapsed, axisCpuMs };
}

type Floor = { ms: number; signMs: number; hashMs: number; httpMs: number; pgMs: number };

/**
 * The floor: the CPU every document needs whatever vanthu's code does, measured with bare primitives in
 * the same run (a lower bound — nothing is parsed, checked, routed or logged): 2 RSA-2048 signatures and
 * 2 verifications (the document's package and its 01, each signed by the sending agency); 4 SHA-256 passes
 * over each package (the SDK's hash-file, the axis's check, the XML-DSig digest at signing and at
 * verification); 6 HTTP/1.1 requests on keep-alive loopback connections, client and server in this
 * process, 8 in flight (per package: sendEdoc carrying it, getEdoc answering it in base64, updateStatus);
 * 9 single-row PostgreSQL commits, Node's and the backend's CPU (per package the axis's insert, lookup
 * and acknowledgement; the recipient's registration, the sender's sent mark and its 01).
 */
async function measureFloor(url: string, docPackage: Uint8Array, statusPackage: Uint8Array): Promise<Floor> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signMs = 2 * cpuMsOfSync(200, (i) => {
    const data = Buffer.from(`SignedInfo ${i}`);
    verify('sha256', data, publicKey, sign('sha256', data, privateKey));
  });
  const hashMs = 4 * cpuMsOfSync(100, () => { createHash('sha256').update(docPackage).digest(); createHash('sha256').update(statusPackage).digest(); });
  const httpMs = await httpFloorMs(docPackage, statusPackage);
  const pgMs = 9 * await commitCpuMs(url);
  return { ms: signMs + hashMs + httpMs + pgMs, signMs, hashMs, httpMs, pgMs };
}

function cpuMsOfSync(times: number, work: (i: number) => void): number {
  for (let i = 0; i < 10; i++) work(i);
  const before = process.cpuUsage();
  for (let i = 0; i < times; i++) work(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / times;
}

/** Node CPU (client + server) of one document's six requests: the package up, its base64 down, the acknowledgement — for the document and its 01. */
async function httpFloorMs(docPackage: Uint8Array, statusPackage: Uint8Array): Promise<number> {
  const answers = new Map([['/doc', `{"status":"OK","data":"${Buffer.from(docPackage).toString('base64')}"}`], ['/status', `{"status":"OK","data":"${Buffer.from(statusPackage).toString('base64')}"}`]]);
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answers.get(req.url ?? '') ?? '{"status":"OK","ErrorDesc":"","DocId":"8f0c3f59-54b1-4d8e-9f76-3c1b0a3c5d21"}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const call = (urlPath: string, body: Uint8Array) => new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, method: 'POST', agent, headers: { 'content-type': 'application/octet-stream', 'content-length': body.length } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
  const none = new Uint8Array(0);
  const documents = async (n: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next++ < n) {
        for (const [pkg, answer] of [[docPackage, '/doc'], [statusPackage, '/status']] as const) {
          await call('/send', pkg);
          await call(answer, none);
          await call('/ack', none);
        }
      }
    }));
  };
  try {
    await documents(50);
    const before = process.cpuUsage();
    await documents(400);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / 400;
  } finally {
    agent.destroy();
    server.close();
  }
}

/** Node + backend CPU of one single-row INSERT commit, 8 connections. */
async function commitCpuMs(url: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => undefined);
  const clients = await Promise.all(Array.from({ length: 8 }, () => pool.connect()));
  try {
    await clients[0]?.query('create table if not exists bench_floor (id bigserial primary key, v text)');
    const pids = await Promise.all(clients.map(async (c) => (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid));
    const backendsMs = async () => (await Promise.all(pids.map((pid) => processCpuMs(pid)))).reduce((a, b) => a + b, 0);
    const commits = async (n: number) => {
      let next = 0;
      await Promise.all(clients.map(async (c) => { while (next++ < n) await c.query({ name: 'floor', text: 'insert into bench_floor (v) values ($1)', values: ['x'] }); }));
    };
    await commits(400);
    const [before, backendsBefore] = [process.cpuUsage(), await backendsMs()];
    await commits(4000);
    const used = process.cpuUsage(before);
    return ((used.user + used.system) / 1000 + (await backendsMs()) - backendsBefore) / 4000;
  } finally {
    for (const c of clients) c.release();
    await pool.end();
  }
}

/** Single-row INSERT commits per second on a scratch table, with `clients` connections. */
async function measureCommits(url: string, clients: number, seconds = 3): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  // A connection still closing when the database is dropped at the end must not crash the run.
  pool.on('error', () => undefined);
  await pool.query('create table if not exists bench_commit (id bigserial primary key, v text)');
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < end) {
      await pool.query('insert into bench_commit (v) values ($1)', ['x']);
      done++;
    }
  }));
  const rate = done / ((performance.now() - started) / 1000);
  await pool.end();
  return rate;
}

/** The CPU milliseconds a process has used so far (Linux /proc; 0 elsewhere). */
async function processCpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10; // utime + stime, in 100 Hz ticks
}

/** The CPU milliseconds each PostgreSQL backend serving the bench's databases has used so far, by pid. */
async function postgresCpuByPid(): Promise<Map<number, number>> {
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = any($1)', [created]);
  await admin.end();
  const byPid = new Map<number, number>();
  for (const { pid } of rows) byPid.set(pid, await processCpuMs(pid));
  return byPid;
}

/** The CPU those backends used since `before` (the pools keep their connections for the whole run; a backend that started later counts from 0). */
async function postgresCpuMsSince(before: Map<number, number>): Promise<number> {
  let total = 0;
  for (const [pid, ms] of await postgresCpuByPid()) total += ms - (before.get(pid) ?? 0);
  return total;
}

type BenchAxis = { endpoint: string; db: DatabaseHandle; dataDir: string; cpuMs: () => Promise<number>; stop: () => Promise<void> };

/**
 * The axis as operators run it, `vanthu axis serve` in its own process (default; it then has a core
 * of its own), or in this process with BENCH_AXIS=inprocess.
 */
async function startBenchAxis(databaseUrl: string): Promise<BenchAxis> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-axis-'));
  if (process.env.BENCH_AXIS === 'inprocess') {
    const axis = await startAxisServer({ dataDir, databaseUrl, port: 0, logLevel: 'silent', autoStart: false });
    return { endpoint: axis.endpoint, dataDir, db: { db: axis.deps.db, close: async () => undefined } as unknown as DatabaseHandle, cpuMs: async () => 0, stop: axis.stop };
  }
  // BENCH_AXIS_PROFILE=<dir>: the axis process writes a V8 CPU profile there when it stops.
  const profileDir = process.env.BENCH_AXIS_PROFILE ?? (process.env.BENCH_PROFILE && path.join(process.env.BENCH_PROFILE, 'axis'));
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, path.resolve(import.meta.dirname, '../src/cli/main.ts'), 'axis', 'serve', '--port', '0', '--log-level', 'silent', '--data-dir', dataDir, '--database-url', databaseUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    const read = (c: Buffer) => {
      out += c.toString();
      const m = /Trục liên thông đang chạy: (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`axis serve exited (${String(code)}): ${out}`)));
  });
  const db = await openDatabase({ url: databaseUrl });
  return {
    endpoint, db, dataDir, cpuMs: () => processCpuMs(child.pid),
    stop: async () => {
      await db.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main() {
  const axisUrl = await newDatabase();
  const axis = await startBenchAxis(axisUrl);
  try {
    const vanthu = await measureConnector(axis);
    const skip = { rate: Number.NaN, axisCpuMs: Number.NaN };
    const raw = process.env.BENCH_PROFILE ? skip : await measureRawAxis(axis);
    const commit1 = process.env.BENCH_PROFILE ? Number.NaN : await measureCommits(axisUrl, 1);
    const commit8 = process.env.BENCH_PROFILE ? Number.NaN : await measureCommits(axisUrl, 8);
    const floor = await measureFloor(axisUrl, vanthu.docPackage, vanthu.statusPackage);
    const cores = availableParallelism();
    const xmlMs = vanthu.buildMs + vanthu.parseMs + vanthu.statusBuildMs + vanthu.statusParseMs;
    const where = process.env.BENCH_AXIS === 'inprocess' ? 'axis in this process' : 'axis in its own process';
    const rows: [string, string, string][] = [
      ['vanthu connector, end to end (outbox → axis → incoming registered → 01 back), warm', vanthu.rate.toFixed(1), `${vanthu.measured} documents measured from the time the sender held 01 for ${WARM} until it held 01 for ${WARM + N}, of ${TOTAL} sent (the servers warm, the pipeline full), 1-page signed PDF ${vanthu.pdfKb.toFixed(0)} KiB (${PDF_KIND === 'subset' ? 'LibreOffice, subset fonts' : 'vanthu sample draft, pdf-lib'}), edXML package ${vanthu.packageKb.toFixed(0)} KiB, XML-DSig; ${CONCURRENCY} in flight per install; ${where}`],
      ['the same run from a cold start: all its documents from the first send', vanthu.coldRate.toFixed(1), `${TOTAL} documents, the first ones with cold caches, JIT and connections, the pipeline filling`],
      [`CPU bound: ${availableParallelism()} cores ÷ Node CPU per document (axis + both connectors)`, (availableParallelism() * 1000 / vanthu.cpuMsPerDoc).toFixed(1), `${vanthu.cpuMsPerDoc.toFixed(1)} ms CPU per document (${vanthu.axisCpuMsPerDoc.toFixed(1)} of it the axis), PostgreSQL's own CPU in the next row`],
      [`CPU bound with PostgreSQL: ${availableParallelism()} cores ÷ (Node + PostgreSQL backends) CPU per document`, (availableParallelism() * 1000 / (vanthu.cpuMsPerDoc + vanthu.pgCpuMsPerDoc)).toFixed(1), `${(vanthu.cpuMsPerDoc + vanthu.pgCpuMsPerDoc).toFixed(1)} ms CPU per document, ${vanthu.pgCpuMsPerDoc.toFixed(1)} of it PostgreSQL's backends (three databases)`],
      ['CPU bound of signed XML alone: one core ÷ (build+sign + parse+verify of the document and of its 01; the axis reads only envelopes)', (1000 / xmlMs).toFixed(1), `document: build+sign ${vanthu.buildMs.toFixed(2)} ms, parse+verify ${vanthu.parseMs.toFixed(2)} ms (package ${vanthu.packageKb.toFixed(0)} KiB); its 01: ${vanthu.statusBuildMs.toFixed(2)} ms, ${vanthu.statusParseMs.toFixed(2)} ms`],
      ['target (issue 7)', String(TARGET), ''],
      ['physical: raw SDK sendEdoc+getEdoc+updateStatus over loopback, same axis', raw.rate.toFixed(1), `${RAW_N} pre-built packages, 8 in flight; the axis process ${raw.axisCpuMs.toFixed(1)} ms CPU per round trip`],
      [`physical: floor, ${cores} cores ÷ the CPU every document needs with bare primitives (a lower bound)`, (cores * 1000 / floor.ms).toFixed(1), `${floor.ms.toFixed(1)} ms per document: 2 RSA-2048 signatures + verifications ${floor.signMs.toFixed(1)}, 4 SHA-256 passes over each package ${floor.hashMs.toFixed(1)}, 6 loopback HTTP requests carrying the packages (client + server) ${floor.httpMs.toFixed(1)}, 9 single-row commits (Node + PostgreSQL) ${floor.pgMs.toFixed(1)}; vanthu uses ${(vanthu.cpuMsPerDoc + vanthu.pgCpuMsPerDoc).toFixed(1)}`],
      ['physical: PostgreSQL single-row commits, 1 connection', commit1.toFixed(0), 'fsync per commit'],
      ['physical: PostgreSQL single-row commits, 8 connections', commit8.toFixed(0), 'group commit'],
    ];
    console.log(`\nExchange throughput (documents/s) — ${new Date().toISOString()}, ${process.platform}, Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (other jobs share the machine)\n`);
    console.log('| measure | per second | notes |\n|---|---:|---|');
    for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
  } finally {
    closeAxisClients();
    await axis.stop();
    const admin = new pg.Client({ connectionString: ADMIN });
    await admin.connect();
    for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
