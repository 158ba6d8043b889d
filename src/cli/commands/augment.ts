/**
 * `vanthu augment FILE.pdf OUT.pdf --tsa URL [--trust …]`: adds long-term validation data to an
 * existing signed PDF: a DSS (chains, OCSP/CRL) for B-LT and a document timestamp for B-LTA.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isAppError } from '../../platform/errors.ts';
import { writeAtomically } from '../../domain/signing/signing.output.ts';
import { augmentPdf } from '../../domain/signing/verify/verify.ltv.ts';
import { trustFromArgs } from './verify.ts';

/** One line for `vanthu --help`. */
export const summary = 'Nâng mức chữ ký PDF lên B-LT/B-LTA (thêm DSS và dấu thời gian tài liệu)';

const HELP = `Cách dùng: vanthu augment TỆP.pdf RA.pdf --tsa URL [--trust PEM…] [--trust-dir THƯ_MỤC]

Kiểm tra các chữ ký (trực tuyến), thu thập chuỗi chứng thư và thông tin thu hồi (OCSP/CRL) vào DSS
(mức B-LT), rồi thêm dấu thời gian tài liệu (mức B-LTA). Tệp có chữ ký không hợp lệ bị từ chối.
  --tsa URL           Máy chủ cấp dấu thời gian RFC 3161 (bắt buộc)
  --trust FILE        Chứng thư tin cậy (PEM/DER, lặp lại được; có thể là thư mục)
  --trust-dir DIR     Thư mục chứng thư tin cậy (mặc định: VANTHU_TRUST_DIR)
  --timeout MS        Thời hạn mỗi yêu cầu mạng (mặc định 10000)
  -h, --help          Hiện hướng dẫn này`;

/** Runs `vanthu augment`. Exit 0 on success, 1 on a refusal or failure, 3 when the input is unreadable. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { tsa: { type: 'string' }, trust: { type: 'string', multiple: true }, 'trust-dir': { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [input, output] = positionals;
  if (values.help || !input || !output || !values.tsa) { console.log(HELP); return values.help ? 0 : 1; }
  try {
    const trustStore = await trustFromArgs(values.trust ?? [], values['trust-dir'] ?? process.env.VANTHU_TRUST_DIR);
    const bytes = new Uint8Array(await readFile(input));
    const out = await augmentPdf(bytes, { tsaUrl: values.tsa, trustStore, timeoutMs: values.timeout ? Number(values.timeout) : undefined });
    await writeAtomically(output, [out]);
    console.log(`Đã ghi ${output} (${out.length} byte): bổ sung DSS và dấu thời gian tài liệu (B-LTA).`);
    return 0;
  } catch (e) {
    console.error(isAppError(e) ? `${e.code}: ${e.message}${e.details ? ` ${JSON.stringify(e.details)}` : ''}` : String(e));
    return isAppError(e, 'verify.pdf_unreadable') ? 3 : 1;
  }
}
