import { describe, expect, it } from 'vitest';
import { extraHover, stagesOf } from './dockerfile-hover-extra';

const text = [
  'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build',
  'RUN --mount=type=cache,target=/root/.cache go build -o /out/app',
  'FROM build AS test',
  'FROM alpine',
  'COPY --from=build --chmod=755 --link /out/app /app',
  'COPY --from=tools /x /x',
  'COPY --from=0 /y /y',
].join('\n');

const valueOf = (line: number, character: number) => {
  const contents = extraHover(text, line, character)?.contents;
  return contents && typeof contents === 'object' && 'value' in contents ? contents.value : null;
};

describe('Dockerfile hover the language service lacks', () => {
  it('reads stages with their names (case folded), bases and lines', () => {
    expect(stagesOf(text.split('\n'))).toEqual([
      { index: 0, name: 'build', image: 'golang:1.22', line: 0 },
      { index: 1, name: 'test', image: 'build', line: 2 },
      { index: 2, name: null, image: 'alpine', line: 3 },
    ]);
  });

  it('a stage name after --from= says which stage, what it is built from and where it is used', () => {
    const hover = extraHover(text, 4, 14);
    expect(hover?.range).toEqual({ start: { line: 4, character: 12 }, end: { line: 4, character: 17 } });
    expect(valueOf(4, 14)).toBe(
      '**Stage `build`** (1 of 3)\n\nBuilt `FROM golang:1.22`, line 1. Used on line 3, 5, 7.',
    );
    expect(valueOf(6, 12)).toMatch(/^\*\*Stage `build`\*\*/);
    expect(valueOf(5, 14)).toMatch(/Image `tools`.*\n\nNot a stage before this line/);
  });

  it('a stage as a FROM base and a stage name after AS', () => {
    expect(valueOf(2, 6)).toMatch(/^\*\*Stage `build`\*\* \(1 of 3\)/);
    expect(valueOf(2, 15)).toBe('**Stage `test`** (2 of 3)\n\nBuilt `FROM build`, line 3.');
    expect(valueOf(3, 7)).toBeNull(); // an image, which the language service describes
  });

  it('BuildKit flags of RUN, COPY and ADD, but not the ones the service already explains', () => {
    expect(valueOf(1, 6)).toMatch(/^\*\*--mount\*\*\n\nMounts something for this RUN only/);
    expect(extraHover(text, 1, 6)?.range).toEqual({
      start: { line: 1, character: 4 },
      end: { line: 1, character: 11 },
    });
    expect(valueOf(4, 22)).toMatch(/^\*\*--chmod\*\*/);
    expect(valueOf(4, 33)).toMatch(/^\*\*--link\*\*/);
    expect(valueOf(4, 8)).toBeNull(); // --from itself
    expect(valueOf(0, 8)).toBeNull(); // FROM --platform
  });
});
