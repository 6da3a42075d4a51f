/** The executor-facing API beyond what the golden files show. */
import { describe, expect, it } from 'vitest';
import { parseDockerfile, parseTrigger, planStages, resolveStage } from './index';

describe('frontend API', () => {
  it("ignores a lone escape at the end of the file instead of throwing (found by the linter's property tests)", () => {
    for (const text of ['\\', 'FROM a\n\\', 'FROM a\n\\\n']) {
      const { dockerfile } = parseDockerfile(text);
      expect(dockerfile.stages.length).toBeLessThanOrEqual(1);
    }
    expect(parseDockerfile('FROM a\n\\').dockerfile.stages[0]!.base).toBe('a');
  });

  it('re-parses an image OnBuild trigger into an instruction', () => {
    const { instruction, problems } = parseTrigger('COPY --chown=app . /src');
    expect(problems).toEqual([]);
    expect(instruction).toMatchObject({ kind: 'COPY', sources: ['.'], dest: '/src', chown: 'app' });
  });

  it('rejects triggers that are not allowed', () => {
    expect(parseTrigger('FROM alpine').problems[0]?.message).toMatch(/isn't allowed as an ONBUILD trigger/);
    expect(parseTrigger('NOPE x').problems[0]?.code).toBe('UNKNOWN_INSTRUCTION');
  });

  it('expands stage bases in the global scope when given options', () => {
    const { dockerfile } = parseDockerfile('ARG V=1\nFROM --platform=$TARGETPLATFORM alpine:$V\n', {
      platform: 'linux/arm64',
      buildArgs: { V: '2' },
    });
    expect(dockerfile.stages[0]).toMatchObject({ base: 'alpine:2', platform: 'linux/arm64' });
  });

  it('requires the parent stage when resolving a stage based on another', () => {
    const { dockerfile } = parseDockerfile('FROM alpine AS a\nFROM a\n');
    expect(() => resolveStage(dockerfile, 1)).toThrow(/options.parent/);
    const parent = resolveStage(dockerfile, 0);
    expect(resolveStage(dockerfile, 1, { parent }).baseStage).toBe(0);
  });

  it('reports the global ARGs a FROM line used, for its cache key', () => {
    const { dockerfile } = parseDockerfile('ARG REG=docker.io\nARG UNUSED=x\nFROM $REG/library/alpine\n');
    expect(resolveStage(dockerfile, 0).baseUsedArgs).toEqual({ REG: 'docker.io' });
  });

  it('warns about undefined variables but not declared ARGs without a value', () => {
    const { dockerfile } = parseDockerfile('FROM alpine\nARG EMPTY\nWORKDIR /$EMPTY$NOPE\n');
    const stage = resolveStage(dockerfile, 0);
    expect(stage.warnings.map((w) => w.message)).toEqual(["Usage of undefined variable '$NOPE'"]);
  });

  it('skips stages the target does not need', () => {
    const { dockerfile } = parseDockerfile('FROM alpine AS a\nFROM alpine AS b\nFROM alpine AS c\nCOPY --from=a / /\n');
    const graph = planStages(dockerfile);
    expect(graph.order).toEqual([0, 2]);
    expect(planStages(dockerfile, { target: 'B' }).order).toEqual([1]);
  });

  it('counts a parent stage’s ONBUILD --from as a dependency of the child', () => {
    const text = 'FROM alpine AS tools\nFROM alpine AS base\nONBUILD COPY --from=tools /t /t\nFROM base\n';
    expect(planStages(parseDockerfile(text).dockerfile).stages[2]?.deps).toEqual([1, 0]);
  });
});
