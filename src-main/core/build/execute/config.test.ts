import { describe, expect, it } from 'vitest';
import type { Instruction } from '../dockerfile/types';
import { applyToConfig, type ConfigState } from './config';

const at = { range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, original: '' };
const apply = (state: ConfigState, ...instructions: Array<Record<string, unknown>>) => {
  for (const i of instructions) applyToConfig(state, { ...at, ...i } as Instruction);
  return state.config;
};

describe('applyToConfig', () => {
  it('drops an inherited CMD when ENTRYPOINT is set, but keeps one set earlier in the stage', () => {
    const inherited = apply(
      { config: { Cmd: ['sh'] }, cmdSet: false },
      { kind: 'ENTRYPOINT', command: { form: 'exec', argv: ['/app'] } },
    );
    expect(inherited).toEqual({ Cmd: null, Entrypoint: ['/app'] });
    const own = apply(
      { config: { Cmd: ['sh'] }, cmdSet: false },
      { kind: 'CMD', command: { form: 'exec', argv: ['--help'] } },
      { kind: 'ENTRYPOINT', command: { form: 'exec', argv: ['/app'] } },
    );
    expect(own).toEqual({ Cmd: ['--help'], Entrypoint: ['/app'] });
  });

  it('runs shell forms through the current SHELL and resolves WORKDIR against the previous one', () => {
    const config = apply(
      { config: {}, cmdSet: false },
      { kind: 'WORKDIR', path: '/srv' },
      { kind: 'WORKDIR', path: 'app' },
      { kind: 'SHELL', argv: ['/bin/bash', '-lc'] },
      { kind: 'CMD', command: { form: 'shell', command: 'make run' } },
    );
    expect(config.WorkingDir).toBe('/srv/app');
    expect(config.Cmd).toEqual(['/bin/bash', '-lc', 'make run']);
  });

  it('replaces ENV in place, merges labels, expands port ranges and records ONBUILD and HEALTHCHECK', () => {
    const config = apply(
      { config: { Env: ['PATH=/bin', 'A=1'] }, cmdSet: false },
      {
        kind: 'ENV',
        pairs: [
          { key: 'PATH', value: '/usr/bin:/bin' },
          { key: 'B', value: '2' },
        ],
      },
      { kind: 'LABEL', pairs: [{ key: 'a', value: '1' }] },
      {
        kind: 'EXPOSE',
        ports: [
          { port: 8000, endPort: 8001, protocol: 'tcp' },
          { port: 53, protocol: 'udp' },
        ],
      },
      { kind: 'ONBUILD', trigger: 'RUN echo child' },
      { kind: 'HEALTHCHECK', test: ['CMD-SHELL', 'true'], interval: 5e9, retries: 2 },
      { kind: 'VOLUME', paths: ['/data'] },
      { kind: 'STOPSIGNAL', signal: 'SIGINT' },
    );
    expect(config).toMatchObject({
      Env: ['PATH=/usr/bin:/bin', 'A=1', 'B=2'],
      Labels: { a: '1' },
      ExposedPorts: { '8000/tcp': {}, '8001/tcp': {}, '53/udp': {} },
      OnBuild: ['RUN echo child'],
      Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 5e9, Retries: 2 },
      Volumes: { '/data': {} },
      StopSignal: 'SIGINT',
    });
  });
});
