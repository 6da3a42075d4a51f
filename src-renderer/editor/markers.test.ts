import { describe, expect, it } from 'vitest';
import type { Problem } from '../stores/diagnostics';
import { MONACO_SEVERITIES, toMarker } from './markers';

const problem = (overrides: Partial<Problem> = {}): Problem => ({
  origin: 'policy',
  severity: 'warning',
  message: 'FROM node:latest uses the latest tag; pin a version',
  range: { start: { line: 1, column: 6 }, end: { line: 1, column: 17 } },
  rule: 'GV1001',
  source: 'govc policy',
  ...overrides,
});

describe('problem markers', () => {
  it('keeps the engine range as it is (both are 1-based, end exclusive) with severity, message and source', () => {
    expect(toMarker(problem(), MONACO_SEVERITIES, () => undefined)).toEqual({
      severity: 4,
      message: 'FROM node:latest uses the latest tag; pin a version',
      source: 'govc policy',
      code: 'GV1001',
      startLineNumber: 1,
      startColumn: 6,
      endLineNumber: 1,
      endColumn: 17,
    });
  });

  it('links the rule id to its page when there is one', () => {
    const target = { toString: () => 'http://x/assets/GV1001.md' } as never;
    const marker = toMarker(problem(), MONACO_SEVERITIES, (rule) => (rule === 'GV1001' ? target : undefined));
    expect(marker.code).toEqual({ value: 'GV1001', target });
  });

  it('maps error and info to Monaco severities', () => {
    expect(toMarker(problem({ severity: 'error' }), MONACO_SEVERITIES, () => undefined).severity).toBe(8);
    expect(toMarker(problem({ severity: 'info' }), MONACO_SEVERITIES, () => undefined).severity).toBe(2);
  });

  it('widens an empty range to one character, so the squiggle is drawn', () => {
    const empty = problem({ range: { start: { line: 2, column: 1 }, end: { line: 2, column: 1 } } });
    const marker = toMarker(empty, MONACO_SEVERITIES, () => undefined);
    expect([marker.startColumn, marker.endColumn]).toEqual([1, 2]);
  });
});
