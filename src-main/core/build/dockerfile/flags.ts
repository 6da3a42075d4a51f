/**
 * Instruction flags (`--from=`, `--link`, `--mount=` …): which instruction accepts which flag, of which kind,
 * and the checks Docker applies (unknown, duplicate, missing value, bad boolean).
 */
import { ProblemError } from './problems';
import { parseGoBool } from './values';
import type { RawFlag } from './words';

type FlagKind = 'string' | 'bool' | 'strings';

const HEALTHCHECK_FLAGS: Record<string, FlagKind> = {
  interval: 'string',
  timeout: 'string',
  'start-period': 'string',
  'start-interval': 'string',
  retries: 'string',
};

export const INSTRUCTION_FLAGS: Readonly<Record<string, Readonly<Record<string, FlagKind>>>> = {
  from: { platform: 'string' },
  run: { mount: 'strings', network: 'string', security: 'string' },
  copy: { from: 'string', chown: 'string', chmod: 'string', link: 'bool', exclude: 'strings', parents: 'bool' },
  add: {
    chown: 'string',
    chmod: 'string',
    link: 'bool',
    exclude: 'strings',
    checksum: 'string',
    'keep-git-dir': 'bool',
  },
  healthcheck: HEALTHCHECK_FLAGS,
};

export interface FlagValues {
  string(name: string): string | undefined;
  bool(name: string): boolean;
  list(name: string): string[];
  /** The flag's text as written, to locate errors about its value. */
  text(name: string): string | undefined;
}

export function parseFlags(keyword: string, flags: RawFlag[], allowed = INSTRUCTION_FLAGS[keyword] ?? {}): FlagValues {
  const strings = new Map<string, string>();
  const bools = new Map<string, boolean>();
  const lists = new Map<string, string[]>();
  const texts = new Map<string, string>();
  for (const flag of flags) {
    const kind = allowed[flag.name];
    const bad = (message: string): ProblemError => new ProblemError('BAD_FLAG', message, `--${flag.name}`);
    if (kind === undefined) {
      throw bad(`unknown flag: --${flag.name} (${keyword.toUpperCase()} accepts ${describe(allowed)})`);
    }
    texts.set(flag.name, flag.text);
    if (kind === 'bool') {
      if (bools.has(flag.name)) throw bad(`duplicate flag specified: --${flag.name}`);
      try {
        bools.set(flag.name, flag.value === undefined ? true : parseGoBool(flag.value));
      } catch {
        throw bad(`expecting boolean value for flag --${flag.name}, not: ${flag.value}`);
      }
      continue;
    }
    if (flag.value === undefined) throw bad(`missing a value on flag: --${flag.name}`);
    if (kind === 'strings') {
      lists.set(flag.name, [...(lists.get(flag.name) ?? []), flag.value]);
    } else {
      if (strings.has(flag.name)) throw bad(`duplicate flag specified: --${flag.name}`);
      strings.set(flag.name, flag.value);
    }
  }
  return {
    string: (name) => strings.get(name),
    bool: (name) => bools.get(name) ?? false,
    list: (name) => lists.get(name) ?? [],
    text: (name) => texts.get(name),
  };
}

function describe(allowed: Readonly<Record<string, FlagKind>>): string {
  const names = Object.keys(allowed);
  return names.length === 0 ? 'no flags' : names.map((name) => `--${name}`).join(', ');
}
