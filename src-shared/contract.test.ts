import { describe, expect, it } from 'vitest';
import { httpRequestFor } from './client';
import { fillPath, pathParams, requests } from './contract';
import { GovcError, httpStatusFor } from './errors';

describe('contract', () => {
  it('gives every request a unique HTTP route', () => {
    const routes = Object.values(requests).map((r) => `${r.http.method} ${r.http.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('fills path parameters, encoding each segment of a rest parameter', () => {
    expect(pathParams('/repos/{repo}/files/{path...}')).toEqual([
      { name: 'repo', rest: false },
      { name: 'path', rest: true },
    ]);
    expect(fillPath('/repos/{repo}/files/{path...}', { repo: 'a b', path: 'dir/x y.txt' })).toBe(
      '/repos/a%20b/files/dir/x%20y.txt',
    );
  });

  it('puts GET inputs in the query and POST inputs in the body', () => {
    expect(httpRequestFor('system.info', {})).toEqual({ method: 'GET', path: '/api/v1/system/info' });
    expect(httpRequestFor('system.echo', { message: 'hi' })).toEqual({
      method: 'POST',
      path: '/api/v1/system/echo',
      body: '{"message":"hi"}',
    });
  });

  it('round-trips errors through JSON with their code and details', () => {
    const err = new GovcError('NOT_FOUND', 'no such repo', { repo: 'x' });
    const back = GovcError.fromJSON(JSON.parse(JSON.stringify(err)));
    expect(back).toBeInstanceOf(GovcError);
    expect(back).toMatchObject({ code: 'NOT_FOUND', message: 'no such repo', details: { repo: 'x' } });
    expect(httpStatusFor('NOT_FOUND')).toBe(404);
    expect(httpStatusFor('SOMETHING_NEW')).toBe(500);
  });
});
