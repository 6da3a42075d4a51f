import { describe, expect, it } from 'vitest';
import { GovcError } from '../../src-shared/errors';
import { describeFailure } from './errors';

describe('describeFailure', () => {
  it('tells a person without a session how to sign in', () => {
    expect(describeFailure(new GovcError('UNAUTHORIZED', 'Missing token'))).toMatch(/open the URL that `govc serve`/);
  });

  it('keeps the engine message and its code', () => {
    expect(describeFailure(new GovcError('NOT_FOUND', 'No such repository'))).toBe('No such repository (NOT_FOUND)');
  });

  it('says the engine cannot be reached when fetch fails', () => {
    expect(describeFailure(new TypeError('Failed to fetch'))).toBe('Cannot reach the engine: Failed to fetch');
  });
});
