/** RUN instructions as commands, and package installs as (manager, flags, packages) for the hygiene rules. */
import type { SourceRange } from '../../../../src-shared/contract/definitions';
import type { Stage } from '../../build/dockerfile';
import { commandName, effectiveWords, runScript, splitCommands, type SimpleCommand } from '../shell';
import { findAllOnLines, fromDockerfile, lineSpan, type Match } from '../text';
import type { DockerfileInput } from '../types';
import { allInstructions, type Of } from './dockerfile-common';

export interface RunCommands {
  stage: Stage;
  run: Of<'RUN'>;
  script: string;
  commands: SimpleCommand[];
}

export function runs(input: DockerfileInput): RunCommands[] {
  return allInstructions(input, 'RUN').map(({ stage, instruction: run }) => {
    const script = runScript(run);
    return { stage, run, script, commands: splitCommands(script) };
  });
}

export type Manager = 'apt' | 'apk' | 'dnf' | 'pip' | 'npm';

export interface Install {
  manager: Manager;
  /** The command as written (`apt-get`, `yum`, `pip3`). */
  tool: string;
  /** The subcommand word (`install`, `add`, `i`). */
  verb: string;
  flags: string[];
  packages: string[];
}

/** Options that take the next word as their value, so it is not read as a package. */
const VALUE_FLAGS: Record<Manager, Set<string>> = {
  apt: new Set(['-o', '-c', '-t', '--target-release', '--option', '--config-file']),
  apk: new Set([
    '-t',
    '--virtual',
    '-X',
    '--repository',
    '-p',
    '--root',
    '--arch',
    '--cache-dir',
    '--repositories-file',
  ]),
  dnf: new Set([
    '--setopt',
    '--enablerepo',
    '--disablerepo',
    '--installroot',
    '--releasever',
    '-c',
    '--config',
    '--repo',
    '--exclude',
    '-x',
    '--nodocs=false',
  ]),
  pip: new Set([
    '-r',
    '--requirement',
    '-c',
    '--constraint',
    '-e',
    '--editable',
    '-i',
    '--index-url',
    '--extra-index-url',
    '-f',
    '--find-links',
    '-t',
    '--target',
    '--prefix',
    '--root',
    '--platform',
    '--python-version',
    '--trusted-host',
    '--cache-dir',
    '--src',
    '--upgrade-strategy',
    '--progress-bar',
  ]),
  npm: new Set([
    '--prefix',
    '--registry',
    '--cache',
    '-w',
    '--workspace',
    '--tag',
    '--omit',
    '--include',
    '--loglevel',
  ]),
};

const VERBS: Record<Manager, Set<string>> = {
  apt: new Set(['install']),
  apk: new Set(['add']),
  dnf: new Set(['install']),
  pip: new Set(['install']),
  npm: new Set(['install', 'i', 'add']),
};

function managerOf(words: string[]): { manager: Manager; tool: string; rest: string[] } | undefined {
  const tool = commandName(words[0]);
  if (tool === 'apt-get' || tool === 'apt') return { manager: 'apt', tool, rest: words.slice(1) };
  if (tool === 'apk') return { manager: 'apk', tool, rest: words.slice(1) };
  if (tool === 'dnf' || tool === 'yum' || tool === 'microdnf' || tool === 'tdnf')
    return { manager: 'dnf', tool, rest: words.slice(1) };
  if (/^pip(?:3(?:\.\d+)?)?$/.test(tool)) return { manager: 'pip', tool, rest: words.slice(1) };
  if (/^python(?:3(?:\.\d+)?)?$/.test(tool) && words[1] === '-m' && words[2] === 'pip')
    return { manager: 'pip', tool: `${tool} -m pip`, rest: words.slice(3) };
  if (tool === 'npm') return { manager: 'npm', tool, rest: words.slice(1) };
  return undefined;
}

export function installOf(command: SimpleCommand): Install | undefined {
  const found = managerOf(effectiveWords(command.words));
  if (!found) return undefined;
  const { manager, tool, rest } = found;
  const flags: string[] = [];
  const packages: string[] = [];
  let verb: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w.startsWith('-')) {
      flags.push(w);
      if (VALUE_FLAGS[manager].has(w) && !w.includes('=')) flags.push(rest[++i] ?? '');
    } else if (verb === undefined) {
      verb = w;
      if (!VERBS[manager].has(w)) return undefined;
    } else packages.push(w);
  }
  return verb === undefined ? undefined : { manager, tool, verb, flags, packages };
}

export function installs(r: RunCommands, manager: Manager): Install[] {
  return r.commands.map(installOf).filter((i): i is Install => i?.manager === manager);
}

/** A short flag cluster (`-yq`) or long flag holds `letter` / one of `long`. */
export function hasFlag(flags: readonly string[], letter: string | undefined, ...long: string[]): boolean {
  return flags.some(
    (f) =>
      long.some((l) => f === l || f.startsWith(`${l}=`)) ||
      (letter !== undefined && /^-[A-Za-z]+$/.test(f) && f.includes(letter)),
  );
}

/** Cache mounts on any of these paths keep the cache out of the layer. */
export function mountsCache(run: Of<'RUN'>, ...paths: string[]): boolean {
  return run.mounts.some(
    (m) => (m.type === 'cache' || m.type === 'tmpfs') && paths.some((p) => m.target.startsWith(p)),
  );
}

/**
 * Where each install command of a manager is in the RUN's lines, in order: the verb word, for a precise
 * range and for fixes that insert a flag after it. Undefined when the text and the parse disagree (exec
 * form, odd quoting), so that no fix is offered on a guess.
 */
export function verbMatches(
  input: DockerfileInput,
  run: Of<'RUN'>,
  pattern: RegExp,
  count: number,
): Match[] | undefined {
  const found = findAllOnLines(input.lines, run.range.startLine, run.range.endLine, pattern);
  return found.length === count ? found : undefined;
}

export function verbRange(m: Match | undefined, run: Of<'RUN'>): SourceRange {
  if (!m) return fromDockerfile(run.range);
  const verb = m.groups[m.groups.length - 1] ?? m.text;
  return lineSpan(m.line, m.column + m.text.length - verb.length, verb.length);
}
