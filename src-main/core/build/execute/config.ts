/**
 * What metadata instructions do to the image config, following Docker/BuildKit: ENV replaces in place,
 * ENTRYPOINT drops a CMD inherited from the base (not one set earlier in the same stage), shell forms run
 * through the current SHELL, WORKDIR resolves against the previous one.
 */
import { posix } from 'node:path';
import type { CommandForm, Instruction } from '../dockerfile/types';
import type { ContainerConfig, HealthConfig } from '../oci/types';

export const DEFAULT_SHELL = ['/bin/sh', '-c'];
export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ConfigState {
  config: ContainerConfig;
  author?: string;
  /** Whether this stage set CMD itself, so a later ENTRYPOINT keeps it. */
  cmdSet: boolean;
}

/** Applies a metadata instruction; RUN/COPY/ADD/ARG leave the config alone. */
export function applyToConfig(state: ConfigState, instruction: Instruction): void {
  const c = state.config;
  switch (instruction.kind) {
    case 'ENV':
      for (const { key, value } of instruction.pairs) setEnv(c, key, value);
      break;
    case 'LABEL':
      c.Labels = { ...c.Labels, ...Object.fromEntries(instruction.pairs.map((p) => [p.key, p.value])) };
      break;
    case 'WORKDIR':
      c.WorkingDir = posix.resolve(c.WorkingDir || '/', instruction.path);
      break;
    case 'USER':
      c.User = instruction.user;
      break;
    case 'EXPOSE':
      c.ExposedPorts = { ...c.ExposedPorts };
      for (const { port, endPort, protocol } of instruction.ports) {
        for (let p = port; p <= (endPort ?? port); p++) c.ExposedPorts[`${p}/${protocol}`] = {};
      }
      break;
    case 'VOLUME':
      c.Volumes = { ...c.Volumes, ...Object.fromEntries(instruction.paths.map((p) => [p, {}])) };
      break;
    case 'CMD':
      c.Cmd = argvOf(instruction.command, c.Shell);
      state.cmdSet = true;
      break;
    case 'ENTRYPOINT':
      c.Entrypoint = argvOf(instruction.command, c.Shell);
      if (!state.cmdSet) c.Cmd = null;
      break;
    case 'SHELL':
      c.Shell = [...instruction.argv];
      break;
    case 'STOPSIGNAL':
      c.StopSignal = instruction.signal;
      break;
    case 'HEALTHCHECK':
      c.Healthcheck = healthOf(instruction);
      break;
    case 'ONBUILD':
      c.OnBuild = [...(c.OnBuild ?? []), instruction.trigger];
      break;
    case 'MAINTAINER':
      state.author = instruction.name;
      break;
    default:
      break;
  }
}

export function argvOf(command: CommandForm, shell: string[] | undefined): string[] {
  return command.form === 'exec' ? [...command.argv] : [...(shell?.length ? shell : DEFAULT_SHELL), command.command];
}

export function setEnv(c: ContainerConfig, key: string, value: string): void {
  const env = [...(c.Env ?? [])];
  const at = env.findIndex((e) => e.slice(0, e.indexOf('=') === -1 ? e.length : e.indexOf('=')) === key);
  if (at === -1) env.push(`${key}=${value}`);
  else env[at] = `${key}=${value}`;
  c.Env = env;
}

function healthOf(instruction: Extract<Instruction, { kind: 'HEALTHCHECK' }>): HealthConfig {
  const health: HealthConfig = { Test: [...instruction.test] };
  if (instruction.interval !== undefined) health.Interval = instruction.interval;
  if (instruction.timeout !== undefined) health.Timeout = instruction.timeout;
  if (instruction.startPeriod !== undefined) health.StartPeriod = instruction.startPeriod;
  if (instruction.startInterval !== undefined) health.StartInterval = instruction.startInterval;
  if (instruction.retries !== undefined) health.Retries = instruction.retries;
  return health;
}
