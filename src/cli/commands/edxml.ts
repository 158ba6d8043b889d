import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { buildEdxml, buildStatusEdxml, type EdxmlAttachmentInput } from '../../domain/exchange/edxml/edxml.build.ts';
import { parseEdxml, type EdxmlParseResult } from '../../domain/exchange/edxml/edxml.parse.ts';
import { verifyEdxml } from '../../domain/exchange/edxml/edxml.verify.ts';
import { BUSSINESS_DOC_TYPES, PRIORITIES, STATUS_CODES } from '../../domain/exchange/edxml/edxml.schemas.ts';
import type { EdxmlSigner } from '../../domain/exchange/edxml/edxml.signature.ts';
import { loadPkcs12 } from '../../domain/signing/keys.ts';
import { isAppError } from '../../platform/errors.ts';

export const summary = 'Gói tin edXML (QCVN 102:2016): đọc, tạo, kiểm tra chữ ký, gói tin trạng thái';

const HELP = `Cách dùng: vanthu edxml <lệnh> [tùy chọn]

Các lệnh:
  parse FILE [--json] [--out-dir DIR] [--max-mb N]
        Đọc gói tin (văn bản hoặc trạng thái). --json in JSON: khóa là tên phần tử edXML viết
        lowerCamelCase (messageHeader.from.organId, traceHeaderList.bussiness.bussinessDocType, …)
        và với mỗi tệp đính kèm: tên, kiểu, kích thước, SHA-256. --out-dir ghi các tệp đính kèm ra thư mục.
  build OUT.edxml --header HEADER.json [--attach FILE[:KIỂU]]… [--p12 FILE --password PASS]
        Tạo gói tin văn bản (mới, thu hồi, cập nhật, thay thế theo BussinessDocType) từ JSON cùng dạng
        với "parse --json" (chỉ phần "header"). Có --p12 thì ký XML-DSig (RSA-SHA256) bằng chứng thư cơ quan.
  verify FILE
        Kiểm tra chữ ký số của gói tin. Mã thoát: 0 hợp lệ, 1 không hợp lệ/không ký, 3 không đọc được.
  status OUT.edxml --header STATUS.json [--p12 FILE --password PASS]
        Tạo gói tin trạng thái (StatusCode 01–06, 13, 15, 16).

Mỗi lệnh có --help riêng. Đặc tả chi tiết: docs/edxml.md`;

const SUB_HELP: Record<string, string> = {
  parse: 'Cách dùng: vanthu edxml parse FILE [--json] [--out-dir DIR] [--max-mb N]\n  --json       in toàn bộ gói tin dạng JSON\n  --out-dir    ghi tệp đính kèm (đã giải mã base64) vào thư mục DIR\n  --max-mb     từ chối gói tin lớn hơn N MB (mặc định 1024)',
  build: 'Cách dùng: vanthu edxml build OUT.edxml --header HEADER.json [--attach FILE[:KIỂU]]… [--p12 FILE --password PASS]\n  --header     JSON tiêu đề {messageHeader, traceHeaderList} (dạng của "parse --json", khóa "header")\n  --attach     tệp đính kèm, lặp lại được; KIỂU là content type (mặc định đoán theo đuôi tệp)\n  --p12        tệp PKCS#12 của cơ quan để ký; --password mật khẩu của nó',
  verify: 'Cách dùng: vanthu edxml verify FILE\n  In kết quả kiểm tra chữ ký. Mã thoát: 0 hợp lệ, 1 không hợp lệ hoặc không ký, 3 không đọc được.',
  status: 'Cách dùng: vanthu edxml status OUT.edxml --header STATUS.json [--p12 FILE --password PASS]\n  --header     JSON {messageHeader: {responseFor, from, statusCode, description, timestamp, staffInfo}, traceHeaderList?}',
};

const TYPES: Record<string, string> = {
  pdf: 'application/pdf', doc: 'application/msword', zip: 'application/zip', xml: 'application/xml', txt: 'text/plain',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xls: 'application/vnd.ms-excel',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
};

function contentTypeOf(path: string): string {
  return TYPES[path.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

function toJson(result: EdxmlParseResult): string {
  const { signature } = result;
  const sig = { ...signature, certificate: signature.certificate ? Buffer.from(signature.certificate).toString('base64') : undefined };
  return JSON.stringify({ ...result, signature: sig }, null, 2);
}

function summarize(r: EdxmlParseResult): string {
  const lines: string[] = [];
  if (r.kind === 'status') {
    const m = r.header.messageHeader;
    lines.push('Gói tin TRẠNG THÁI', `  Từ: ${m.from.organName ?? ''} (${m.from.organId})`,
      `  Trạng thái: ${m.statusCode} – ${STATUS_CODES[m.statusCode as keyof typeof STATUS_CODES] ?? 'không rõ'}${m.description ? `: ${m.description}` : ''}`,
      `  Về văn bản: ${m.responseFor.code ?? ''} của ${m.responseFor.organId}${m.responseFor.documentId ? ` (${m.responseFor.documentId})` : ''}`,
      `  Thời điểm: ${m.timestamp}`);
  } else {
    const m = r.header.messageHeader;
    const b = r.header.traceHeaderList.bussiness;
    lines.push(`Gói tin VĂN BẢN – ${BUSSINESS_DOC_TYPES[b?.bussinessDocType ?? 0] ?? `nghiệp vụ ${b?.bussinessDocType}`}`,
      `  Số, ký hiệu: ${m.code.codeNumber}/${m.code.codeNotation}   Ngày ban hành: ${m.promulgationInfo.promulgationDate}`,
      `  Loại: ${m.documentType.typeName}   Độ khẩn: ${PRIORITIES[m.otherInfo?.priority ?? 0] ?? m.otherInfo?.priority}`,
      `  Trích yếu: ${m.subject}`, `  Từ: ${m.from.organName ?? ''} (${m.from.organId})`,
      ...m.to.map((t) => `  Gửi: ${t.organName ?? ''} (${t.organId})`));
    if (m.signerInfo?.fullName) lines.push(`  Người ký: ${[m.signerInfo.competence, m.signerInfo.position, m.signerInfo.fullName].filter(Boolean).join(' ')}`);
    if (b?.bussinessDocReason && b.bussinessDocType !== 0) lines.push(`  Lý do: ${b.bussinessDocReason} (văn bản gốc ${b.documentId ?? '?'})`);
  }
  lines.push(`  Tệp đính kèm: ${r.attachments.length}`);
  for (const a of r.attachments) lines.push(`    - ${a.name} (${a.contentType}, ${a.size} byte, SHA-256 ${a.sha256})${a.path ? ` → ${a.path}` : ''}`);
  lines.push(`  Chữ ký số: ${signatureLine(r.signature)}`, ...r.warnings.map((w) => `  Cảnh báo: ${w}`));
  return lines.join('\n');
}

function signatureLine(s: EdxmlParseResult['signature']): string {
  if (!s.signed) return 'không có';
  if (s.valid) return `hợp lệ (${s.signatureMethod}), người ký: ${s.subject ?? '?'}`;
  return `KHÔNG HỢP LỆ – ${s.problems.join('; ')}`;
}

async function readSigner(values: { p12?: string; password?: string }): Promise<EdxmlSigner | undefined> {
  if (!values.p12) return undefined;
  const { privateKey, certificate } = await loadPkcs12(await readFile(values.p12), values.password ?? '');
  return { privateKey, certificate };
}

async function readHeaderJson(path: string | undefined): Promise<unknown> {
  if (!path) throw new Error('Thiếu --header');
  const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  // Accept the whole output of "parse --json" as well as its "header" part.
  return 'header' in json ? json.header : json;
}

async function runParse(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    json: { type: 'boolean' }, 'out-dir': { type: 'string' }, 'max-mb': { type: 'string' } } });
  const file = positionals[0];
  if (!file) throw new Error('Thiếu tệp gói tin');
  const result = await parseEdxml(file, {
    attachmentSink: values['out-dir'] ? { dir: values['out-dir'] } : 'discard',
    ...(values['max-mb'] ? { maxBytes: Number(values['max-mb']) * 1024 * 1024 } : {}),
  });
  console.log(values.json ? toJson(result) : summarize(result));
  return 0;
}

async function runVerify(args: string[]): Promise<number> {
  const file = args[0];
  if (!file) throw new Error('Thiếu tệp gói tin');
  let result: Awaited<ReturnType<typeof verifyEdxml>>;
  try {
    result = await verifyEdxml(file);
  } catch (error) {
    console.error(isAppError(error) ? `Không đọc được gói tin [${error.code}]: ${error.message}` : String(error));
    return 3;
  }
  console.log(`Chữ ký số: ${signatureLine(result)}`);
  for (const ref of result.references) console.log(`  ${ref.ok ? 'đúng' : 'SAI '}  ${ref.covers.padEnd(10)} ${ref.digest.padEnd(7)} ${ref.uri || '(edXMLEnvelope)'}`);
  return result.valid ? 0 : 1;
}

async function runBuild(args: string[], status: boolean): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    header: { type: 'string' }, attach: { type: 'string', multiple: true }, p12: { type: 'string' }, password: { type: 'string' } } });
  const out = positionals[0];
  if (!out) throw new Error('Thiếu tệp kết quả OUT.edxml');
  const header = await readHeaderJson(values.header);
  const signer = await readSigner(values);
  if (status) {
    await buildStatusEdxml(header as Parameters<typeof buildStatusEdxml>[0], { signer }, out);
    console.log(`Đã tạo gói tin trạng thái ${out}${signer ? ' (đã ký)' : ''}`);
    return 0;
  }
  const attachments: EdxmlAttachmentInput[] = (values.attach ?? []).map((spec) => {
    const m = /^(.*):([\w.+-]+\/[\w.+-]+)$/.exec(spec);
    const path = m?.[1] ?? spec;
    return { name: basename(path), contentType: m?.[2] ?? contentTypeOf(path), source: path };
  });
  const result = await buildEdxml(header as Parameters<typeof buildEdxml>[0], attachments, { signer }, out);
  console.log(`Đã tạo gói tin ${out}${result.signed ? ' (đã ký)' : ''} với ${result.attachments.length} tệp đính kèm`);
  return 0;
}

/** Runs `vanthu edxml …`; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(HELP);
    return sub ? 0 : 64;
  }
  const help = SUB_HELP[sub];
  if (!help) {
    console.error(`Lệnh con không tồn tại: "${sub}". Xem "vanthu edxml --help".`);
    return 64;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(help);
    return 0;
  }
  try {
    if (sub === 'parse') return await runParse(rest);
    if (sub === 'verify') return await runVerify(rest);
    return await runBuild(rest, sub === 'status');
  } catch (error) {
    if (isAppError(error)) {
      const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
      for (const i of issues ?? []) console.error(`  ${i.path}: ${i.message}`);
      throw error;
    }
    console.error(`Lỗi: ${error instanceof Error ? error.message : String(error)}\n\n${help}`);
    return 64;
  }
}
