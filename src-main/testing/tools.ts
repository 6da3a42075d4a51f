/**
 * Test helpers for optional external tools (git, buildah, skopeo, …). A test whose tool is missing is
 * skipped with the reason printed; under GOVC_REQUIRE_ALL=1 (CI) a missing tool fails the run instead,
 * so a skip can never pass for a green result.
 */
import { spawnSync } from 'node:child_process';

const found = new Map<string, boolean>();

export function toolExists(command: string): boolean {
  let ok = found.get(command);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
    found.set(command, ok);
  }
  return ok;
}

/** True when every tool is there. Otherwise prints why the tests are skipped, or throws under GOVC_REQUIRE_ALL. */
export function haveTools(...commands: string[]): boolean {
  const missing = commands.filter((c) => !toolExists(c));
  if (missing.length === 0) return true;
  const reason = `missing tool(s): ${missing.join(', ')} (install them, e.g. apt-get install -y ${missing.join(' ')})`;
  if (process.env.GOVC_REQUIRE_ALL === '1') throw new Error(`GOVC_REQUIRE_ALL=1 and ${reason}`);
  process.stderr.write(`SKIP: ${reason}\n`);
  return false;
}
