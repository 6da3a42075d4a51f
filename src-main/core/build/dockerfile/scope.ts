/**
 * The global scope: the predefined platform and proxy args and the ARGs declared before the first FROM,
 * with `--build-arg` values overriding defaults. FROM lines expand in this scope only.
 */
import { ProblemError } from './problems';
import { type EscapeChar, processWord, ShellSyntaxError, type WordResult } from './shell-lexer';
import type { ParsedDockerfile } from './types';

export interface ScopeOptions {
  /** `--build-arg NAME=value`. */
  buildArgs?: Readonly<Record<string, string>>;
  /** The target platform, `os/arch[/variant]`; defaults to the build platform. */
  platform?: string;
  /** The platform the build runs on; defaults to this machine's. */
  buildPlatform?: string;
}

export const PROXY_ARGS: ReadonlySet<string> = new Set(
  ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((name) => [name, name.toLowerCase()]),
);

export const PLATFORM_ARGS: ReadonlySet<string> = new Set(
  ['PLATFORM', 'OS', 'ARCH', 'VARIANT'].flatMap((part) => [`TARGET${part}`, `BUILD${part}`]),
);

const NODE_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm/v7',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

export function hostPlatform(): string {
  return `linux/${NODE_ARCH[process.arch] ?? process.arch}`;
}

/** `linux/arm64/v8` → TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT (prefix TARGET or BUILD). */
export function platformArgs(prefix: 'TARGET' | 'BUILD', platform: string): Record<string, string> {
  const [os = '', arch = '', variant = ''] = platform.split('/');
  return {
    [`${prefix}PLATFORM`]: platform,
    [`${prefix}OS`]: os,
    [`${prefix}ARCH`]: arch,
    [`${prefix}VARIANT`]: variant,
  };
}

export interface GlobalScope {
  values: Map<string, string>;
  /** For each global ARG, the global args its default used (FROM's cache key follows them). */
  deps: Map<string, Set<string>>;
}

export function globalScope(parsed: ParsedDockerfile, options: ScopeOptions): GlobalScope {
  const build = options.buildPlatform ?? hostPlatform();
  const values = new Map<string, string>(
    Object.entries({ ...platformArgs('BUILD', build), ...platformArgs('TARGET', options.platform ?? build) }),
  );
  const deps = new Map<string, Set<string>>();
  const buildArgs = options.buildArgs ?? {};
  for (const arg of parsed.globalArgs) {
    if (Object.prototype.hasOwnProperty.call(buildArgs, arg.name)) {
      values.set(arg.name, buildArgs[arg.name] as string);
    } else if (arg.default !== undefined) {
      const result = expandOrThrow(arg.default, (name) => values.get(name), parsed.escape);
      values.set(arg.name, result.value);
      deps.set(arg.name, result.matched);
    }
  }
  return { values, deps };
}

export function expandOrThrow(word: string, env: (name: string) => string | undefined, escape: EscapeChar): WordResult {
  try {
    return processWord(word, env, { escape });
  } catch (error) {
    if (error instanceof ShellSyntaxError) throw new ProblemError('BAD_ARGUMENT', error.message);
    throw error;
  }
}

/** FROM's base and `--platform`, expanded in the global scope. */
export function expandFrom(
  stage: { base: string; platform?: string },
  scope: GlobalScope,
  escape: EscapeChar,
): { base: string; platform?: string; used: Set<string> } {
  const lookup = (name: string): string | undefined => scope.values.get(name);
  const base = expandOrThrow(stage.base, lookup, escape);
  if (base.value === '') throw new ProblemError('BAD_ARGUMENT', `base name (${stage.base}) should not be blank`);
  const used = new Set(base.matched);
  if (stage.platform === undefined) return { base: base.value, used };
  const platform = expandOrThrow(stage.platform, lookup, escape);
  if (platform.value === '') {
    throw new ProblemError('BAD_ARGUMENT', `empty platform value from expression ${stage.platform}`);
  }
  for (const name of platform.matched) used.add(name);
  return { base: base.value, platform: platform.value, used };
}
