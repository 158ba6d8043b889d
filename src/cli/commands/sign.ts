/**
 * `vanthu sign IN.pdf OUT.pdf …`: signs one PDF (PAdES B-B … B-LTA) with a PKCS#12 file or a
 * PKCS#11 token, optionally with a visible stamp. `signerFromArgs` and `parseSignArgs` are shared
 * with `vanthu sign-batch`.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createP12Signer } from '../../domain/signing/keys.ts';
import type { HashAlgorithm, Signer } from '../../domain/signing/keys.ts';
import { signPdfParts } from '../../domain/signing/signing.pades.ts';
import type { PadesLevel, SignPdfOptions } from '../../domain/signing/signing.pades.ts';
import { openPkcs11Signer } from '../../domain/signing/signing.pkcs11.ts';
import { revocationOverHttp } from '../../domain/signing/signing.revocation.ts';
import { resolveStamp } from '../../domain/signing/signing.stamp.ts';
import type { StampSpec } from '../../domain/signing/signing.stamp.ts';
import { timestampFromUrl } from '../../domain/signing/signing.tsa.ts';
import { writeAtomically } from '../../domain/signing/signing.output.ts';
import { badOptions, inputUnreadable } from '../../domain/signing/signing.errors.ts';

/** One line for `vanthu --help`. */
export const summary = 'Ký số tệp PDF (PAdES B-B/B-T/B-LT/B-LTA) bằng tệp PKCS#12 hoặc token PKCS#11';

/** Help text for the options common to sign and sign-batch. */
export const OPTIONS_HELP = `Khóa ký (chọn một):
  --p12 FILE               Tệp PKCS#12 (.p12/.pfx) chứa khóa bí mật và chứng thư số
  --password PASS          Mật khẩu tệp PKCS#12 (hoặc biến môi trường VANTHU_P12_PASSWORD)
  --pkcs11 MODULE          Thư viện PKCS#11 của token/HSM (vd. /usr/lib/softhsm/libsofthsm2.so)
  --pin PIN                Mã PIN của token (hoặc biến môi trường VANTHU_PIN)
  --slot N                 Chỉ số khe có token (mặc định 0)
  --key-label L            Nhãn (CKA_LABEL) của khóa trên token (mặc định: khóa đầu tiên)
Mức chữ ký:
  --level B-B|B-T|B-LT|B-LTA  Mức PAdES (mặc định B-B; B-T trở lên cần --tsa)
  --tsa URL                Máy chủ cấp dấu thời gian RFC 3161
  --hash SHA-256|SHA-384|SHA-512  Thuật toán băm (mặc định SHA-256)
  --pss                    Ký RSA theo RSA-PSS thay cho PKCS#1 v1.5
Hiển thị chữ ký (bỏ qua để ký ẩn):
  --image PNG              Ảnh chữ ký/con dấu (PNG nền trong suốt)
  --text "…"               Dòng chữ hiển thị (lặp lại để thêm dòng)
  --page N --rect x,y,w,h  Trang (từ 1) và khung (điểm PDF, gốc dưới-trái)
  --anchor "TEXT"          Đặt chữ ký ngay dưới đoạn văn bản này (thay cho --page/--rect)
Tệp có mật khẩu:
  --pdf-password PASS      Mật khẩu mở tệp PDF (hoặc VANTHU_PDF_PASSWORD); bản cập nhật được mã hóa như tệp gốc
Thông tin:
  --reason …  --location …  --contact …  --name …  --field TÊN_TRƯỜNG
  -h, --help               Hiện hướng dẫn này`;

const HELP = `Cách dùng: vanthu sign IN.pdf OUT.pdf (--p12 FILE --password PASS | --pkcs11 MODULE --pin PIN) [tùy chọn]

Ký số tệp IN.pdf theo PAdES (cập nhật tăng dần: các chữ ký trước vẫn hợp lệ), ghi kết quả ra OUT.pdf.

${OPTIONS_HELP}`;

/** The option table shared by sign and sign-batch (node:util parseArgs). */
export const OPTIONS = {
  p12: { type: 'string' }, password: { type: 'string' }, pkcs11: { type: 'string' }, pin: { type: 'string' },
  slot: { type: 'string' }, 'key-label': { type: 'string' }, level: { type: 'string' }, tsa: { type: 'string' },
  hash: { type: 'string' }, pss: { type: 'boolean' }, image: { type: 'string' }, text: { type: 'string', multiple: true },
  page: { type: 'string' }, rect: { type: 'string' }, anchor: { type: 'string' }, reason: { type: 'string' },
  location: { type: 'string' }, contact: { type: 'string' }, name: { type: 'string' }, field: { type: 'string' },
  'pdf-password': { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Parses argv with the shared options. Throws `signing.bad_options` for unknown options. */
export function parseSignArgs(args: string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw badOptions(undefined, { message: `Tham số không hợp lệ: ${(error as Error).message}`, cause: error });
  }
}

/** Opens the signer the options name (P12 or PKCS#11). Throws `signing.bad_options` and the signer's errors. */
export async function signerFromArgs(v: Values): Promise<Signer & { close?: () => void }> {
  const algorithm = v.pss ? 'RSA-PSS' : undefined;
  if (v.p12 && v.pkcs11) throw badOptions(undefined, { message: 'Chỉ chọn một trong --p12 hoặc --pkcs11.' });
  if (v.p12) {
    const bytes = await readFile(v.p12).catch((e: unknown) => { throw inputUnreadable({ path: v.p12 }, { cause: e }); });
    return createP12Signer(bytes, v.password ?? process.env.VANTHU_P12_PASSWORD ?? '', { algorithm });
  }
  if (v.pkcs11) {
    const pin = v.pin ?? process.env.VANTHU_PIN;
    if (!pin) throw badOptions(undefined, { message: 'Cần mã PIN của token (--pin).' });
    return openPkcs11Signer({ module: v.pkcs11, pin, slot: v.slot ? Number(v.slot) : undefined, keyLabel: v['key-label'], algorithm });
  }
  throw badOptions(undefined, { message: 'Cần chọn khóa ký: --p12 FILE hoặc --pkcs11 MODULE.' });
}

const LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'];
const HASHES = ['SHA-256', 'SHA-384', 'SHA-512'];

/** Everything but the signer and the widget, from the options. Throws `signing.bad_options`. */
export function signOptionsFromArgs(v: Values): Omit<SignPdfOptions, 'signer'> {
  const level = (v.level ?? 'B-B').toUpperCase();
  if (!LEVELS.includes(level)) throw badOptions({ level }, { message: `Mức chữ ký không hợp lệ: ${v.level} (B-B, B-T, B-LT, B-LTA).` });
  const hash = (v.hash ?? 'SHA-256').toUpperCase();
  if (!HASHES.includes(hash)) throw badOptions({ hash }, { message: `Thuật toán băm không hợp lệ: ${v.hash}.` });
  if (level !== 'B-B' && !v.tsa) throw badOptions({ level }, { message: `Mức ${level} cần --tsa URL.` });
  return {
    level: level as PadesLevel, hash: hash as HashAlgorithm, reason: v.reason, location: v.location, contactInfo: v.contact, name: v.name,
    fieldName: v.field, pdfPassword: v['pdf-password'] ?? process.env.VANTHU_PDF_PASSWORD, timestamp: v.tsa ? timestampFromUrl(v.tsa) : undefined,
    revocation: level === 'B-LT' || level === 'B-LTA' ? revocationOverHttp() : undefined,
  };
}

/** The visible stamp the options describe, or undefined (invisible). Throws `signing.bad_options`. */
export async function stampFromArgs(v: Values): Promise<StampSpec | undefined> {
  if (!v.image && !v.text && !v.rect && !v.anchor && !v.page) return undefined;
  const rect = v.rect?.split(',').map(Number);
  if (rect && (rect.length !== 4 || rect.some((n) => !Number.isFinite(n)))) throw badOptions({ rect: v.rect }, { message: '--rect phải có dạng x,y,w,h (số).' });
  const page = v.page ? Number(v.page) - 1 : undefined;
  if (page !== undefined && !(Number.isInteger(page) && page >= 0)) throw badOptions({ page: v.page }, { message: '--page phải là số trang từ 1.' });
  const image = v.image ? new Uint8Array(await readFile(v.image).catch((e: unknown) => { throw inputUnreadable({ path: v.image }, { cause: e }); })) : undefined;
  return { page, rect: rect as [number, number, number, number] | undefined, anchor: v.anchor, image, lines: v.text?.flatMap((t) => t.split('\\n')) };
}

/** Runs `vanthu sign`. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseSignArgs(args);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [input, output] = positionals;
  if (!input || !output || positionals.length > 2) {
    console.error(HELP);
    return 64;
  }
  const options = signOptionsFromArgs(values);
  const pdf = new Uint8Array(await readFile(input).catch((e: unknown) => { throw inputUnreadable({ path: input }, { cause: e }); }));
  const stamp = await stampFromArgs(values);
  const signer = await signerFromArgs(values);
  try {
    const widget = stamp ? await resolveStamp(pdf, stamp, options.pdfPassword) : undefined;
    const bytes = await writeAtomically(output, await signPdfParts(pdf, { ...options, signer, widget }));
    console.log(`Đã ký: ${output} (${options.level}, ${bytes} byte)`);
    return 0;
  } finally {
    signer.close?.();
  }
}
