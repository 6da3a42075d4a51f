/**
 * Build engines: the native one (this repository's engine, RUN in bubblewrap) and external ones that run
 * their own binary (Docker with BuildKit, Podman, Buildah). Every engine reports progress as the native
 * engine's `BuildEvent`s, so the build service records and streams the same steps whichever ran.
 */
import type { BuildEvent } from '../build/execute/events';

export const ENGINE_NAMES = ['native', 'docker', 'podman', 'buildah'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
export type ExternalEngineName = Exclude<EngineName, 'native'>;
export type EngineChoice = 'auto' | EngineName;

/** The order `auto` tries external engines in when the native one cannot build. */
export const EXTERNAL_ENGINES: readonly ExternalEngineName[] = ['docker', 'podman', 'buildah'];

export interface EngineStatus {
  name: EngineName;
  available: boolean;
  /** Why the engine cannot be used (missing binary, daemon down, no sandbox): never left out. */
  reason?: string;
  version?: string;
}

/** How an external engine is started; everything optional, the binary is looked up on PATH. */
export interface ExternalEngineConfig {
  /** The binary, when not `docker` / `podman` / `buildah` on PATH. */
  binary?: string;
  /** buildah / podman storage: `--storage-driver`, `--root`, `--runroot` (their defaults otherwise). */
  storageDriver?: string;
  root?: string;
  runroot?: string;
  /** buildah / podman `--isolation` (`chroot` where OCI isolation cannot run, e.g. in containers). */
  isolation?: string;
  /** `--pull` policy for base images; the engines' own default when absent. */
  pull?: string;
  env?: Record<string, string>;
}

export type EnginesConfig = Partial<Record<ExternalEngineName, ExternalEngineConfig>>;

/** What an external build is asked for: the build record's fields, with the context already on disk. */
export interface ExternalBuildSpec {
  contextDir: string;
  /** The Dockerfile written beside (not inside) the context, so it never becomes part of it. */
  dockerfilePath: string;
  tags: string[];
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  target?: string;
  /** `os/arch[/variant]`; empty means the engine's default (the host's). */
  platforms: string[];
  noCache: boolean;
  /** Where the engine writes the image id and, for multi-platform builds, its archive. */
  workDir: string;
  /** A name unique to this build, for engine-side manifest lists. */
  buildName: string;
}

/** Turns an engine's output, line by line, into build events; `end` closes steps left open. */
export interface ProgressParser {
  line(text: string): void;
  end(outcome: { code: number | null; cancelled: boolean }): void;
  /** The engine's own error text, for the build's error message. */
  errorMessage(): string | undefined;
}

export type EventSink = (event: BuildEvent) => void;
