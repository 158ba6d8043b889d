import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBlobStore } from '../../../platform/blobs/blobs.ts';
import { loadConfig } from '../../../platform/config.ts';
import type { DatabaseHandle } from '../../../platform/db/client.ts';
import { createLogger } from '../../../platform/logger.ts';
import { buildEdxml, buildStatusEdxml } from '../edxml/edxml.build.ts';
import type { EdxmlSigner } from '../edxml/edxml.signature.ts';
import { sampleHeader, sampleStatus } from '../edxml/edxml.testing.ts';
import type { ParentAxis } from './axis.jobs.ts';
import { startAxisWith, type RunningAxis } from './axis.server.ts';

/** Test helpers: real edXML packages made by the edXML builder, and an axis on a per-file test database. */

// Numbers are this module's random base plus a counter: unique within a process, and apart from other
// processes' on a shared database (a random number per package collided about once in 100 runs of 150).
const base = 1_000_000 * (1 + Math.floor(Math.random() * 9000));
let counter = 0;

/** A real document package From → To (unique DocumentId unless `number` is given; an update of it with `isUpdate`), optionally signed, its PDF padded by `attachmentBytes`. */
export async function makePackage(o: { from: string; to: string[]; number?: string; signer?: EdxmlSigner; subject?: string; attachmentBytes?: number; isUpdate?: boolean }): Promise<Uint8Array> {
  const header = sampleHeader();
  const number = o.number ?? String(base + ++counter);
  header.messageHeader.from = { organId: o.from, organName: `Cơ quan ${o.from}` };
  header.messageHeader.to = o.to.map((organId) => ({ organId, organName: `Cơ quan ${organId}` }));
  header.messageHeader.documentId = `${o.from},2026/03/02,${number}/UBND-VP`;
  header.messageHeader.code = { codeNumber: number, codeNotation: 'UBND-VP' };
  header.messageHeader.responseFor = undefined;
  if (o.subject) header.messageHeader.subject = o.subject;
  if (o.isUpdate) {
    header.traceHeaderList.bussiness = { bussinessDocType: 2, bussinessDocReason: 'Cập nhật nội dung', documentId: header.messageHeader.documentId, paper: 0, bussinessDocumentInfo: { documentInfo: 1, documentReceiver: 0 } };
  }
  header.traceHeaderList.traceHeader = [{ organId: o.from, timestamp: '2026/03/02 09:15:00' }];
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-axis-pkg-')), 'p.edxml');
  await buildEdxml(header, [{ name: 'vanban.pdf', contentType: 'application/pdf', source: Buffer.concat([Buffer.from(`%PDF-1.4 văn bản số ${number}\n`), Buffer.alloc(o.attachmentBytes ?? 0, 0x20)]) }], { signer: o.signer }, file);
  return new Uint8Array(await readFile(file));
}

/** A real status package (03 unless `code`) from `from` about a document of `to`; the sample's Timestamp unless `timestamp`. */
export async function makeStatusPackage(o: { from: string; to: string; code?: string; description?: string; timestamp?: string }): Promise<Uint8Array> {
  const header = sampleStatus();
  header.messageHeader.from = { organId: o.from, organName: `Cơ quan ${o.from}` };
  header.messageHeader.responseFor = { organId: o.to, code: '1/UBND-VP', promulgationDate: '2026/03/02', documentId: `${o.to},2026/03/02,1/UBND-VP` };
  header.messageHeader.statusCode = o.code ?? '03';
  if (o.description !== undefined) header.messageHeader.description = o.description;
  if (o.timestamp !== undefined) header.messageHeader.timestamp = o.timestamp;
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-axis-pkg-')), 's.edxml');
  await buildStatusEdxml(header, {}, file);
  return new Uint8Array(await readFile(file));
}

/** Starts an axis (port 0) on a test database handle; blobs in a fresh temp directory. */
export async function startTestAxis(handle: DatabaseHandle, o: { parent?: ParentAxis; axisCode?: string; autoStart?: boolean; bodyRetentionDays?: number } = {}): Promise<RunningAxis> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-axis-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const deps = { config, db: handle.db, blobs: createBlobStore(config.blobDir), logger: createLogger('silent') };
  return startAxisWith(deps, handle.close, { port: 0, parent: o.parent, axisCode: o.axisCode, autoStart: o.autoStart ?? false, bodyRetentionDays: o.bodyRetentionDays });
}
