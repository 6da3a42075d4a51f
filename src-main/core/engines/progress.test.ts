/**
 * Engine progress → build events, from recorded output written after the engines' documented formats
 * (docker and podman are not installed here, so their parsers are tested on these fixtures only):
 * BuildKit's rawjson and podman/buildah's STEP lines, each a multi-stage build with cached steps and a
 * build that fails in a RUN.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../build/execute/events';
import { BuildKitProgress } from './buildkit-progress';
import { ContainersProgress } from './containers-progress';
import type { ProgressParser } from './types';

function parse(
  fixture: string,
  make: (emit: (e: BuildEvent) => void) => ProgressParser,
  code: number,
): { events: BuildEvent[]; parser: ProgressParser } {
  const events: BuildEvent[] = [];
  const parser = make((e) => events.push(e));
  const text = readFileSync(join(__dirname, 'testdata', fixture), 'utf8');
  for (const line of text.replace(/\n$/, '').split('\n')) parser.line(line);
  parser.end({ code, cancelled: false });
  return { events, parser };
}

/** One row per step: id, stage, position/total, text, how it ended, its output. */
function timeline(events: BuildEvent[]) {
  const rows = new Map<number, { step: string; end?: string; output: string }>();
  for (const e of events) {
    if (e.type === 'step')
      rows.set(e.id, { step: `#${e.id} [${e.stage} ${e.position}/${e.total}] ${e.text}`, output: '' });
    else if (e.type === 'output') rows.get(e.id)!.output += e.text;
    else if (e.type === 'cached') rows.get(e.id)!.end = 'CACHED';
    else if (e.type === 'done') rows.get(e.id)!.end = 'DONE';
    else if (e.type === 'failed') rows.get(e.id)!.end = `ERROR ${e.message}`;
  }
  return [...rows.values()];
}

describe('BuildKit rawjson progress', () => {
  it('turns step vertexes into steps in start order, skipping BuildKit internals, with cache hits and logs', () => {
    const { events } = parse('buildkit-multistage.rawjson', (emit) => new BuildKitProgress(emit), 0);
    const rows = timeline(events);
    expect(rows.map((r) => `${r.step.replace(/@sha256:[0-9a-f]+/, '')} ${r.end}`)).toEqual([
      '#1 [build 1/6] FROM docker.io/library/golang:1.22 CACHED',
      '#2 [stage-1 1/2] FROM docker.io/library/alpine:3.20 CACHED',
      '#3 [build 2/6] WORKDIR /src CACHED',
      '#4 [build 3/6] COPY go.mod go.sum ./ CACHED',
      '#5 [build 4/6] RUN go mod download CACHED',
      '#6 [build 5/6] COPY . . DONE',
      '#7 [build 6/6] RUN go build -o /out/app ./cmd/app DONE',
      '#8 [stage-1 2/2] COPY --from=build /out/app /usr/local/bin/app DONE',
    ]);
    // A log that came before its vertex was reported started is kept, and base64 chunks join into lines.
    expect(rows[6]!.output).toBe('go: downloading golang.org/x/sys v0.21.0\nbuilding app v1.4.0\nlinking done\n');
    const done = events.find((e) => e.type === 'done' && e.id === 7);
    expect(done).toMatchObject({ seconds: 5.3 });
  });

  it('fails the RUN step with its error, and gives BuildKit closing ERROR line as the message', () => {
    const { events, parser } = parse('buildkit-error.rawjson', (emit) => new BuildKitProgress(emit), 1);
    const rows = timeline(events);
    expect(rows.map((r) => r.end)).toEqual([
      'DONE',
      'CACHED',
      'CACHED',
      'ERROR process "/bin/sh -c npm test" did not complete successfully: exit code: 1',
    ]);
    expect(rows[0]!.output).toMatch(/^sha256:[0-9a-f]{64} 3623807 bytes done\n$/);
    expect(rows[3]!.output).toBe('\n> app@1.0.0 test\n> node --test\n\nnot ok 1 - adds numbers\n');
    expect(parser.errorMessage()).toBe(
      'failed to solve: process "/bin/sh -c npm test" did not complete successfully: exit code: 1',
    );
  });

  it('ends steps still running as cancelled when the build is cancelled', () => {
    const events: BuildEvent[] = [];
    const parser = new BuildKitProgress((e) => events.push(e));
    parser.line(
      JSON.stringify({
        vertexes: [{ digest: 'sha256:1', name: '[2/2] RUN sleep 100', started: '2024-06-11T09:14:01Z' }],
      }),
    );
    parser.end({ code: null, cancelled: true });
    expect(events.map((e) => e.type)).toEqual(['step', 'failed']);
    expect(events[1]).toMatchObject({ message: 'cancelled' });
  });
});

describe('podman / buildah progress', () => {
  it('names stages from FROM … AS, numbers steps across stages, and reads cache and commit lines', () => {
    const { events } = parse('podman-multistage.txt', (emit) => new ContainersProgress(emit), 0);
    const rows = timeline(events);
    expect(rows.map((r) => `${r.step} ${r.end}`)).toEqual([
      '#1 [build 1/6] FROM docker.io/library/golang:1.22 AS build DONE',
      '#2 [build 2/6] WORKDIR /src CACHED',
      '#3 [build 3/6] COPY go.mod go.sum ./ CACHED',
      '#4 [build 4/6] RUN go mod download CACHED',
      '#5 [build 5/6] COPY . . DONE',
      '#6 [build 6/6] RUN go build -o /out/app ./cmd/app DONE',
      '#7 [stage-1 1/3] FROM docker.io/library/alpine:3.20 DONE',
      '#8 [stage-1 2/3] COPY --from=build /out/app /usr/local/bin/app DONE',
      '#9 [stage-1 3/3] ENTRYPOINT ["app"] DONE',
    ]);
    expect(rows[5]!.output).toBe('go: downloading golang.org/x/sys v0.21.0\nbuilding app v1.4.0\n');
    expect(rows[6]!.output).toMatch(/^Trying to pull docker.io\/library\/alpine:3.20...\n/);
    // Nothing after COMMIT belongs to a step.
    expect(rows[8]!.output).toBe('');
  });

  it('fails the open step with the Error: line, its output kept', () => {
    const { events, parser } = parse('podman-error.txt', (emit) => new ContainersProgress(emit), 1);
    const rows = timeline(events);
    expect(rows.map((r) => `${r.step} ${r.end}`)).toEqual([
      '#1 [stage-0 1/4] FROM docker.io/library/node:20-alpine DONE',
      '#2 [stage-0 2/4] WORKDIR /app CACHED',
      '#3 [stage-0 3/4] COPY . . DONE',
      '#4 [stage-0 4/4] RUN npm test ERROR building at STEP "RUN npm test": while running runtime: exit status 1',
    ]);
    expect(rows[3]!.output).toBe('\n> app@1.0.0 test\n> node --test\n\nnot ok 1 - adds numbers\n');
    expect(parser.errorMessage()).toMatch(/exit status 1$/);
  });
});
