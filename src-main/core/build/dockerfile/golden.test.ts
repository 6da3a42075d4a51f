/**
 * Golden tests in BuildKit's style: testdata/<case>/{Dockerfile, result.json} must parse, plan and resolve to
 * exactly result.json; testdata-negative/<case>/{Dockerfile, error.json} must report that error code on that
 * line. An optional options.json gives build args, platform, target and base image env.
 * GOVC_UPDATE_GOLDEN=1 rewrites result.json/error.json: review the diff against the Dockerfile reference.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveStage, type ResolvedStage, unusedBuildArgs } from './expand';
import { planStages } from './graph';
import { parseDockerfile } from './parse';

const UPDATE = process.env.GOVC_UPDATE_GOLDEN === '1';
const here = import.meta.dirname;

interface CaseOptions {
  buildArgs?: Record<string, string>;
  platform?: string;
  buildPlatform?: string;
  target?: string;
  baseImageEnv?: string[];
  baseImageOnBuild?: string[];
}

function readCase(dir: string): { text: string; options: CaseOptions } {
  const optionsPath = join(dir, 'options.json');
  const options = existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, 'utf8')) as CaseOptions) : {};
  return { text: readFileSync(join(dir, 'Dockerfile'), 'utf8'), options };
}

/** Everything the frontend produces for a Dockerfile, as the executor would drive it. */
function run(text: string, options: CaseOptions) {
  const scope = {
    buildArgs: options.buildArgs ?? {},
    platform: options.platform ?? 'linux/amd64',
    buildPlatform: options.buildPlatform ?? 'linux/amd64',
  };
  const { dockerfile, problems, warnings } = parseDockerfile(text);
  if (problems.length > 0) return { problems, warnings };
  const graph = planStages(dockerfile, { ...scope, target: options.target });
  if (graph.problems.length > 0) return { problems: graph.problems, warnings };
  const resolved = new Map<number, ResolvedStage>();
  for (const index of graph.order) {
    const node = graph.stages[index]!;
    const parent = node.baseStage === undefined ? undefined : resolved.get(node.baseStage);
    const stage = resolveStage(dockerfile, index, {
      ...scope,
      ...(parent
        ? { parent }
        : { baseImageEnv: options.baseImageEnv ?? [], baseImageOnBuild: options.baseImageOnBuild }),
    });
    resolved.set(index, stage);
  }
  const stageProblems = [...resolved.values()].flatMap((stage) => stage.problems);
  const result = {
    parsed: dockerfile,
    warnings: [...warnings, ...[...resolved.values()].flatMap((stage) => stage.warnings)],
    graph: { target: graph.target, order: graph.order, waves: graph.waves, stages: graph.stages },
    resolved: graph.order.map((index) => {
      const { problems: _p, warnings: _w, instructions, ...stage } = resolved.get(index)!;
      return {
        ...stage,
        instructions: instructions.map(({ instruction, ...rest }) => {
          const { range: _r, original: _o, ...body } = instruction;
          return { ...body, ...rest };
        }),
      };
    }),
    unusedBuildArgs: unusedBuildArgs(dockerfile, scope.buildArgs, graph.order),
  };
  return stageProblems.length > 0 ? { problems: stageProblems, warnings } : { problems: [], result };
}

function cases(folder: string): string[] {
  const root = join(here, folder);
  return existsSync(root) ? readdirSync(root).sort() : [];
}

describe('Dockerfile golden cases', () => {
  const positive = cases('testdata');
  it('has at least 50 positive cases', () => expect(positive.length).toBeGreaterThanOrEqual(50));
  for (const name of positive) {
    it(name, () => {
      const dir = join(here, 'testdata', name);
      const { text, options } = readCase(dir);
      const outcome = run(text, options);
      expect(outcome.problems).toEqual([]);
      const resultPath = join(dir, 'result.json');
      const actual = JSON.parse(JSON.stringify(outcome.result)) as unknown;
      if (UPDATE) writeFileSync(resultPath, JSON.stringify(actual, null, 2) + '\n');
      expect(actual).toEqual(JSON.parse(readFileSync(resultPath, 'utf8')));
    });
  }
});

describe('Dockerfile negative cases', () => {
  const negative = cases('testdata-negative');
  it('has at least 20 negative cases', () => expect(negative.length).toBeGreaterThanOrEqual(20));
  for (const name of negative) {
    it(name, () => {
      const dir = join(here, 'testdata-negative', name);
      const { text, options } = readCase(dir);
      const { problems } = run(text, options);
      const errorPath = join(dir, 'error.json');
      if (UPDATE && problems[0]) {
        const first = problems[0];
        const expected = { code: first.code, line: first.range.startLine, message: first.message };
        writeFileSync(errorPath, JSON.stringify(expected, null, 2) + '\n');
      }
      const expected = JSON.parse(readFileSync(errorPath, 'utf8')) as { code: string; line: number; message: string };
      expect(problems.map((p) => ({ code: p.code, line: p.range.startLine, message: p.message }))).toContainEqual(
        expected,
      );
    });
  }
});
