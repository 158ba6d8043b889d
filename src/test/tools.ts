import { execFileSync } from 'node:child_process';

/**
 * Whether an external tool (pdfsig, qpdf, softhsm2-util, chromium, ocrmypdf, …) is on this machine.
 * Tests that need one call `needTool` in a describe block: locally a missing tool skips the block with
 * a loud message; under CI=true it is a failure, because CI installs every tool the tests need.
 */
export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${JSON.stringify(name)}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Returns true when every tool is present; otherwise warns (locally) or throws (under CI=true). */
export function needTool(...names: string[]): boolean {
  const missing = names.filter((n) => !hasTool(n));
  if (missing.length === 0) return true;
  const message = `MISSING TOOL(S): ${missing.join(', ')} — these tests are SKIPPED. Install them (see .ci/run).`;
  if (process.env.CI === 'true') throw new Error(`${message} Under CI=true a missing tool is a failure.`);
  console.warn(`\n!!!!!!!! ${message} !!!!!!!!\n`);
  return false;
}
