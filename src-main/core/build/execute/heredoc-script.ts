/**
 * `RUN <<EOF` whose body starts with `#!` runs the body as a script with that interpreter, as the Dockerfile
 * reference documents (e.g. `#!/usr/bin/env python3`), instead of feeding it to SHELL. The body is written to
 * a private host file and bind-mounted read-only at `/dev/pipes/<name>` (where BuildKit puts it); `/dev` is a
 * fresh tmpfs in the sandbox, so nothing of it reaches the layer. The interpreter line is split as Linux does
 * (`#!interpreter [one argument]`), so the mount needs no exec permission.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Heredoc } from '../dockerfile/types';
import type { BindMount } from '../sandbox/executor';

export interface ShebangScript {
  argv: string[];
  mount: BindMount;
  dispose(): Promise<void>;
}

/** The script to run when `command` is exactly one `<<NAME` whose body starts with `#!`; else undefined. */
export async function shebangScript(
  command: string,
  heredocs: readonly Heredoc[],
  tempRoot: string,
): Promise<ShebangScript | undefined> {
  const only = heredocs.length === 1 ? /^<<-?(["']?)([^\s"']+)\1$/.exec(command.trim()) : null;
  const doc = heredocs[0];
  if (!only || !doc || only[2] !== doc.name || !doc.content.startsWith('#!')) return undefined;
  const interpreterLine = doc.content.slice(2).split('\n', 1)[0]!.trim();
  const space = interpreterLine.search(/\s/);
  const interpreter = space < 0 ? interpreterLine : interpreterLine.slice(0, space);
  const argument = space < 0 ? '' : interpreterLine.slice(space).trim();
  if (!interpreter) return undefined;
  const folder = await mkdtemp(join(tempRoot, 'heredoc-'));
  const source = join(folder, 'script');
  await writeFile(source, doc.content, { mode: 0o755 });
  const target = `/dev/pipes/${doc.name}`;
  return {
    argv: [interpreter, ...(argument ? [argument] : []), target],
    mount: { type: 'bind', source, target, readonly: true },
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
}
