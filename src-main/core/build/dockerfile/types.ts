/**
 * The Dockerfile frontend's output: what the planner and executor consume. Parsing (text → these types)
 * lives beside this file; planning and execution live in ../plan and ../execute. Everything here is plain
 * data, with source ranges so every later error can point at the Dockerfile line.
 *
 * Stage pipeline: parse (text → AST with ranges, directives, heredocs) → instructions (this file's types,
 * with ARG/ENV expansion applied per the Dockerfile reference) → plan (cache keys) → execute.
 */

/** 1-based line and column, end inclusive of the last line of a continued instruction. */
export interface SourceRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface Located {
  range: SourceRange;
  /** The instruction's original text (continuations joined), for messages and history. */
  original: string;
}

/** JSON (exec) form keeps its argv; shell form is run through the stage's SHELL. */
export type CommandForm = { form: 'exec'; argv: string[] } | { form: 'shell'; command: string };

export interface Heredoc {
  /** The delimiter word, e.g. EOF. */
  name: string;
  content: string;
  /** `<<-` strips leading tabs; quoted delimiters disable expansion. */
  expand: boolean;
  /** For COPY <<EOF dest and RUN <<EOF with a file target (`cat <<EOF > file`), where it is written. */
  path?: string;
  chomp: boolean;
}

export interface RunMount {
  type: 'cache' | 'bind' | 'tmpfs' | 'secret' | 'ssh';
  target: string;
  source?: string;
  from?: string;
  id?: string;
  readonly?: boolean;
  sharing?: 'shared' | 'private' | 'locked';
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  required?: boolean;
  /** Secret mounts only: expose the secret as this environment variable (`env=NAME`) instead of, or besides, a file. */
  env?: string;
}

export type Instruction = Located &
  (
    | {
        kind: 'RUN';
        command: CommandForm;
        heredocs: Heredoc[];
        mounts: RunMount[];
        network: 'default' | 'none' | 'host';
        security?: 'sandbox' | 'insecure';
      }
    | {
        kind: 'COPY' | 'ADD';
        sources: string[];
        dest: string;
        heredocs: Heredoc[];
        from?: string;
        chown?: string;
        chmod?: string;
        link: boolean;
        excludes: string[];
        parents: boolean;
        /** ADD only: `--checksum=sha256:…` for remote URLs; `--keep-git-dir`. */
        checksum?: string;
        keepGitDir?: boolean;
      }
    | { kind: 'ENV'; pairs: Array<{ key: string; value: string }> }
    | { kind: 'ARG'; args: Array<{ name: string; default?: string }> }
    | { kind: 'LABEL'; pairs: Array<{ key: string; value: string }> }
    | { kind: 'WORKDIR'; path: string }
    | { kind: 'USER'; user: string }
    | { kind: 'EXPOSE'; ports: Array<{ port: number; endPort?: number; protocol: 'tcp' | 'udp' | 'sctp' }> }
    | { kind: 'VOLUME'; paths: string[] }
    | { kind: 'CMD' | 'ENTRYPOINT'; command: CommandForm }
    | { kind: 'SHELL'; argv: string[] }
    | { kind: 'STOPSIGNAL'; signal: string }
    | {
        kind: 'HEALTHCHECK';
        /** `NONE` disables an inherited healthcheck. */
        test: ['NONE'] | ['CMD', ...string[]] | ['CMD-SHELL', string];
        interval?: number; // nanoseconds, as in the image config
        timeout?: number;
        startPeriod?: number;
        startInterval?: number;
        retries?: number;
      }
    | { kind: 'ONBUILD'; trigger: string }
    | { kind: 'MAINTAINER'; name: string }
  );

export type InstructionKind = Instruction['kind'];

export interface Stage {
  /** Position in the file, 0-based. */
  index: number;
  /** `AS name`, lower-cased as Docker does; undefined when unnamed. */
  name?: string;
  /** Base: `scratch`, another stage's name or index, or an image reference (after ARG expansion). */
  base: string;
  platform?: string;
  from: Located;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  /** Parser directives: `syntax`, `escape`, `check`. */
  directives: Record<string, string>;
  escape: '\\' | '`';
  /** ARGs before the first FROM, usable in FROM lines and (re-declared) inside stages. */
  globalArgs: Array<{ name: string; default?: string; range: SourceRange }>;
  stages: Stage[];
}

/** Errors carry a stable code and the Dockerfile line they are about. */
export interface DockerfileProblem {
  code:
    | 'DOCKERFILE_SYNTAX'
    | 'UNKNOWN_INSTRUCTION'
    | 'BAD_FLAG'
    | 'UNDEFINED_STAGE'
    | 'CYCLIC_STAGE'
    | 'NO_FROM'
    | 'BAD_ARGUMENT';
  message: string;
  range: SourceRange;
}
