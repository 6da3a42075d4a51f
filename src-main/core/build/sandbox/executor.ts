/**
 * How a RUN step runs: an `Executor` takes a prepared rootfs folder and a command and runs it isolated.
 * The native one is bubblewrap on Linux; external engines (buildah, a remote builder) can implement the
 * same interface later. Executors only run: materialising the rootfs and diffing it is the caller's job.
 */

export interface BindMount {
  type: 'bind';
  /** Host path. */
  source: string;
  /** Absolute path inside the container. */
  target: string;
  readonly: boolean;
}

export interface TmpfsMount {
  type: 'tmpfs';
  target: string;
  /** Bytes; unlimited when absent. */
  size?: number;
}

export type SandboxMount = BindMount | TmpfsMount;

export interface RunSpec {
  rootfs: string;
  argv: string[];
  /** `KEY=value`, exactly the environment the process sees. */
  env: string[];
  /** Absolute path inside the container; created when missing, as Docker does for WORKDIR. */
  cwd: string;
  uid: number;
  gid: number;
  /** `default` and `none` have no network; `host` shares the host's. */
  network: 'default' | 'none' | 'host';
  mounts: SandboxMount[];
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  signal?: AbortSignal;
}

export interface RunOutcome {
  durationMs: number;
}

export type Availability = { ok: true } | { ok: false; reason: string };

export interface Executor {
  readonly name: string;
  availability(): Availability;
  /** Resolves when the command exits 0; rejects with RUN_FAILED (exit code, last lines) or CANCELLED. */
  run(spec: RunSpec): Promise<RunOutcome>;
}
