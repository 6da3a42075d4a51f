/**
 * Which engines can build here, found at run time: the native one when its sandbox works, each external
 * one when its binary is on PATH and a quick probe answers (`docker version --format json` plus
 * `docker buildx version`, `podman version`, `buildah version`). Results are cached briefly, because a
 * probe starts a process and a daemon may come up or go away. A missing engine keeps its reason.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { GovcError } from '../../../src-shared/errors';
import type { Availability } from '../build/sandbox/executor';
import { VERSION } from '../version';
import {
  EXTERNAL_ENGINES,
  type EngineChoice,
  type EngineName,
  type EngineStatus,
  type EnginesConfig,
  type ExternalEngineName,
} from './types';

export interface DetectOptions {
  /** The search path; the process's PATH by default. */
  path?: string;
  config?: EnginesConfig;
  /** Whether the native engine can run RUN steps (its executor's availability). */
  native: () => Availability;
  ttlMs?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 30_000;
const PROBE_TIMEOUT_MS = 5_000;

export class EngineDetector {
  private cached: { at: number; statuses: Promise<EngineStatus[]>; binaries: Map<string, string> } | undefined;

  constructor(private readonly options: DetectOptions) {}

  /** Every engine, available or not, native first. */
  async list(): Promise<EngineStatus[]> {
    return (await this.detect()).statuses;
  }

  /** The binary an available external engine runs as. */
  async binary(name: ExternalEngineName): Promise<string | undefined> {
    return (await this.detect()).binaries.get(name);
  }

  /** Forgets the cached probes, e.g. after a failed external build (its daemon may have gone). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async detect(): Promise<{ statuses: EngineStatus[]; binaries: Map<string, string> }> {
    const now = (this.options.now ?? Date.now)();
    if (!this.cached || now - this.cached.at > (this.options.ttlMs ?? DEFAULT_TTL_MS)) {
      const binaries = new Map<string, string>();
      const statuses = Promise.all([
        Promise.resolve(this.nativeStatus()),
        ...EXTERNAL_ENGINES.map((name) => this.probeExternal(name, binaries)),
      ]);
      this.cached = { at: now, statuses, binaries };
    }
    return { statuses: await this.cached.statuses, binaries: this.cached.binaries };
  }

  nativeStatus(): EngineStatus {
    const availability = this.options.native();
    return availability.ok
      ? { name: 'native', available: true, version: VERSION }
      : { name: 'native', available: false, reason: availability.reason, version: VERSION };
  }

  private async probeExternal(name: ExternalEngineName, binaries: Map<string, string>): Promise<EngineStatus> {
    const configured = this.options.config?.[name]?.binary;
    const binary = configured ?? (await findOnPath(name, this.options.path ?? process.env.PATH ?? ''));
    if (!binary) return { name, available: false, reason: `${name} was not found on PATH` };
    const status = await PROBES[name](binary, this.options.path);
    if (status.available) binaries.set(name, binary);
    return status;
  }
}

export interface Emulation {
  /** The RUN lines that would run for a platform other than the host's. */
  steps: readonly string[];
  /** Whether an external engine can run them (qemu registered with binfmt_misc, or a VM that has it). */
  available: (engine: ExternalEngineName) => boolean;
}

const NO_EMULATION: Emulation = { steps: [], available: () => false };

/**
 * Picks the engine for a build: the one asked for, or for `auto` the native one when it can run every
 * step, else the first external engine found that can (one needing emulation only where it has it).
 */
export function selectEngine(
  choice: EngineChoice,
  statuses: readonly EngineStatus[],
  emulation: Emulation = NO_EMULATION,
): EngineName {
  const status = (name: EngineName) => statuses.find((s) => s.name === name);
  if (choice !== 'auto') {
    const chosen = status(choice);
    if (!chosen?.available)
      throw new GovcError(
        choice === 'native' ? 'SANDBOX_UNAVAILABLE' : 'UNAVAILABLE',
        `The ${choice} engine is not available: ${chosen?.reason ?? 'unknown engine'}`,
        { engine: choice },
      );
    if (choice === 'native' && emulation.steps.length > 0) throw emulationError(emulation, ['native: no emulation']);
    return choice;
  }
  const needsEmulation = emulation.steps.length > 0;
  if (status('native')?.available && !needsEmulation) return 'native';
  const usable = (name: ExternalEngineName) =>
    status(name)?.available && (!needsEmulation || emulation.available(name));
  const external = EXTERNAL_ENGINES.find(usable);
  if (external) return external;
  const why = statuses.map((s) => {
    if (!s.available) return `${s.name}: ${s.reason ?? 'not available'}`;
    return s.name === 'native' ? 'native: no emulation' : `${s.name}: no emulator registered for those platforms`;
  });
  if (needsEmulation) throw emulationError(emulation, why);
  throw new GovcError('UNAVAILABLE', `No engine can run this build (${why.join('; ')})`, { engines: statuses });
}

function emulationError(emulation: Emulation, why: string[]): GovcError {
  return new GovcError(
    'UNSUPPORTED',
    `These steps would run under emulation for a platform other than this host's: ${emulation.steps.join('; ')}. No engine here can (${why.join('; ')}): build them on a host of that platform, or register qemu (binfmt_misc) for an external engine`,
    { steps: emulation.steps },
  );
}

export async function findOnPath(command: string, path: string): Promise<string | undefined> {
  const names = process.platform === 'win32' ? [`${command}.exe`, command] : [command];
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (
        await access(candidate, constants.X_OK).then(
          () => true,
          () => false,
        )
      )
        return candidate;
    }
  }
  return undefined;
}

interface ProbeOutput {
  code: number;
  stdout: string;
  stderr: string;
}

function probe(binary: string, args: string[], path: string | undefined): Promise<ProbeOutput> {
  return new Promise((resolve) => {
    const env = path === undefined ? process.env : { ...process.env, PATH: path };
    execFile(binary, args, { timeout: PROBE_TIMEOUT_MS, env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (err && !stdout ? err.message : '') });
    });
  });
}

const firstLine = (text: string): string => text.trim().split('\n')[0]?.trim() ?? '';
const plainVersion = (text: string): string | undefined => /^\s*Version:\s*(\S+)/m.exec(text)?.[1];

const PROBES: Record<ExternalEngineName, (binary: string, path?: string) => Promise<EngineStatus>> = {
  async docker(binary, path) {
    const out = await probe(binary, ['version', '--format', 'json'], path);
    let parsed: { Client?: { Version?: string }; Server?: { Version?: string } | null } = {};
    try {
      parsed = JSON.parse(out.stdout) as typeof parsed;
    } catch {
      // No JSON: an old client or not docker at all; the reason below says what it printed.
    }
    const client = parsed.Client?.Version;
    if (!client)
      return {
        name: 'docker',
        available: false,
        reason: `${binary} did not answer \`docker version\`: ${firstLine(out.stderr || out.stdout)}`,
      };
    if (!parsed.Server?.Version)
      return {
        name: 'docker',
        available: false,
        version: client,
        reason: `docker ${client} is installed but its daemon is not reachable: ${firstLine(out.stderr) || 'no server'}`,
      };
    const buildx = await probe(binary, ['buildx', 'version'], path);
    if (buildx.code !== 0)
      return {
        name: 'docker',
        available: false,
        version: parsed.Server.Version,
        reason: `docker buildx (BuildKit's client) is not installed: ${firstLine(buildx.stderr || buildx.stdout)}`,
      };
    return { name: 'docker', available: true, version: parsed.Server.Version };
  },
  podman: (binary, path) => probeVersionCommand('podman', binary, path),
  buildah: (binary, path) => probeVersionCommand('buildah', binary, path),
};

async function probeVersionCommand(name: 'podman' | 'buildah', binary: string, path?: string): Promise<EngineStatus> {
  const out = await probe(binary, ['version'], path);
  const version = plainVersion(out.stdout);
  if (out.code === 0 && version) return { name, available: true, version };
  return {
    name,
    available: false,
    reason: `\`${name} version\` failed (exit ${out.code}): ${firstLine(out.stderr || out.stdout) || 'no output'}`,
  };
}
