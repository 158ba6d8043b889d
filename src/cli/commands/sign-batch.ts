/** `vanthu sign-batch OUTDIR IN1.pdf IN2.pdf …`: signs many PDFs with one key/one token login. */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { signBatch } from '../../domain/signing/signing.batch.ts';
import { shutdownSigningPool } from '../../domain/signing/signing.pool.ts';
import { OPTIONS_HELP, parseSignArgs, signerFromArgs, signOptionsFromArgs, stampFromArgs } from './sign.ts';

/** One line for `vanthu --help`. */
export const summary = 'Ký số hàng loạt nhiều tệp PDF (một lần nhập PIN, dùng mọi nhân CPU)';

const HELP = `Cách dùng: vanthu sign-batch OUTDIR IN1.pdf IN2.pdf … (--p12 FILE --password PASS | --pkcs11 MODULE --pin PIN) [tùy chọn]

Ký từng tệp đầu vào, ghi ra OUTDIR với cùng tên tệp. Một tệp lỗi không làm dừng các tệp khác;
mã thoát là 0 khi mọi tệp đều ký được, 65 khi có tệp lỗi.

${OPTIONS_HELP}`;

/** Runs `vanthu sign-batch`. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseSignArgs(args);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [outDir, ...inputs] = positionals;
  if (!outDir || inputs.length === 0) {
    console.error(HELP);
    return 64;
  }
  const { timestamp, revocation, level, ...fields } = signOptionsFromArgs(values);
  const stamp = await stampFromArgs(values);
  await mkdir(outDir, { recursive: true });
  const signer = await signerFromArgs(values);
  try {
    const items = inputs.map((input) => ({ input, output: join(outDir, basename(input)) }));
    const outcomes = await signBatch(items, {
      ...fields, signer, level, timestamp, revocation, stamp,
      onOutcome: (o) => console.log(o.ok ? `OK   ${o.input} → ${o.output}` : `LỖI ${o.input}: [${o.code}] ${o.message}`),
    });
    const failed = outcomes.filter((o) => !o.ok).length;
    console.log(`Đã ký ${outcomes.length - failed}/${outcomes.length} tệp.`);
    return failed === 0 ? 0 : 65;
  } finally {
    signer.close?.();
    await shutdownSigningPool();
  }
}
