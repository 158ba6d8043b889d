/** `vanthu signing-agent --pkcs11 MODULE --origin URL …`: the signing agent on the leader's computer (USB token). */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { findTokenLibrary, tokenLibraryCandidates, WINDOWS_TOKEN_LIBRARIES } from '../../domain/signing-agent/signing-agent.libraries.ts';
import { startSigningAgent } from '../../domain/signing-agent/signing-agent.server.ts';
import { listTokenCertificates } from '../../domain/signing-agent/signing-agent.token.ts';

/** One line for `vanthu --help`. */
export const summary = 'Phần mềm ký số trên máy tính lãnh đạo: ký văn bản trên vanthu bằng USB token (PKCS#11)';

const HELP = `Cách dùng: vanthu signing-agent --pkcs11 MODULE --origin https://vanthu.example [tùy chọn]

Chạy trên máy tính có cắm USB token. Trang vanthu (địa chỉ --origin) gọi phần mềm này tại
http://127.0.0.1:CỔNG để lấy chứng thư số và ký các văn bản đã chọn; khóa bí mật không rời USB token
và mã PIN không bao giờ được gửi tới máy chủ vanthu.

  --pkcs11 MODULE     thư viện PKCS#11 do nhà cung cấp USB token cài trên máy (tệp .so / .dll / .dylib);
                      trên Windows có thể bỏ qua: phần mềm tự tìm thư viện của ${WINDOWS_TOKEN_LIBRARIES.map((l) => l.vendor).join(', ')}
  --slot N            khe (slot) có token, đếm từ 0 (mặc định 0)
  --key-label L       chỉ dùng khóa/chứng thư số có nhãn L
  --port N            cổng trên 127.0.0.1 (mặc định 12345; 0 = cổng trống bất kỳ)
  --origin URL        địa chỉ trang vanthu được phép gọi (lặp lại cho nhiều địa chỉ); bắt buộc, trừ bản
                      tải về đã ghi sẵn địa chỉ vanthu của cơ quan

Mã PIN: trang vanthu hỏi PIN một lần cho cả lô và gửi thẳng tới phần mềm này. Nếu trang không gửi
PIN (ứng dụng khác trên máy), phần mềm hỏi PIN ngay trong cửa sổ dòng lệnh này.`;

const NO_LIBRARY = `Không tìm thấy thư viện PKCS#11 của USB token trên máy này.
Hãy cài phần mềm (driver) của USB token do nhà cung cấp chứng thư số cấp, hoặc chỉ rõ thư viện, ví dụ:
  --pkcs11 C:\\Windows\\System32\\<tên thư viện>.dll`;

/** Defaults of a packaged agent (the single-file build): the vanthu addresses it serves when --origin is not given. */
export type AgentDefaults = { origins?: string[] };

/** Runs `vanthu signing-agent`. */
export async function run(args: string[], defaults: AgentDefaults = {}): Promise<number> {
  const { values } = parseArgs({ args, options: {
    pkcs11: { type: 'string' }, slot: { type: 'string' }, 'key-label': { type: 'string' }, port: { type: 'string', default: '12345' },
    origin: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
  } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const port = Number(values.port);
  const slot = values.slot === undefined ? undefined : Number(values.slot);
  const origins = values.origin ?? defaults.origins ?? [];
  const module = values.pkcs11 ?? findModule();
  if (module === null) {
    console.error(NO_LIBRARY);
    return 64;
  }
  if (!module || origins.length === 0 || !Number.isInteger(port) || port < 0 || port > 65535 || (slot !== undefined && !Number.isInteger(slot))) {
    console.error(HELP);
    return 64;
  }
  for (const origin of origins) {
    if (!URL.canParse(origin)) {
      console.error(`Địa chỉ --origin không hợp lệ: ${origin}`);
      return 64;
    }
  }
  const config = { module, slot, keyLabel: values['key-label'] };
  try {
    const found = listTokenCertificates(config);
    console.log(found.length ? `USB token có ${found.length} chứng thư số: ${found.map((c) => c.subject).join(' | ')}` : 'USB token chưa có chứng thư số ký được.');
  } catch (error) {
    console.log(`Chưa đọc được USB token (${(error as Error).message}). Phần mềm vẫn chạy: cắm token rồi thử ký lại.`);
  }
  const agent = await startSigningAgent({ ...config, origins, port, askPin: process.stdin.isTTY ? askOnTerminal : undefined, log: (line) => console.log(line) });
  console.log(`Phần mềm ký số đang chạy tại ${agent.url} cho ${origins.join(', ')}. Nhấn Ctrl+C để dừng.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await agent.stop();
  return 0;
}

/** Without --pkcs11: a known token library on this computer (Windows), null when none is installed, undefined elsewhere. */
function findModule(): string | null | undefined {
  const candidates = tokenLibraryCandidates();
  if (candidates.length === 0) return undefined;
  const found = findTokenLibrary(candidates);
  if (!found) return null;
  console.log(`Dùng thư viện USB token ${found.path}${found.token ? '' : ' (chưa thấy USB token: hãy cắm vào)'}.`);
  return found.path;
}

async function askOnTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
