import { describe, expect, it } from 'vitest';
import { composeCompletions, composeHover } from './compose-assist';

const labels = (text: string, line: number, column: number) =>
  composeCompletions(text, line, column).items.map((i) => i.label);

describe('compose completion from the compose-spec schema', () => {
  it('the top-level keys, without the ones the file already has', () => {
    const top = labels('services:\n  web:\n    image: nginx\nvol', 4, 4);
    expect(top).toEqual(expect.arrayContaining(['volumes', 'networks', 'secrets', 'configs', 'name']));
    expect(top).not.toContain('services');
    expect(top).not.toContain('image');
  });

  it('service keys with their description and how they are written', () => {
    const { items, range } = composeCompletions('services:\n  web:\n    po', 3, 7);
    expect(range).toEqual({ start: { line: 3, column: 5 }, end: { line: 3, column: 7 } });
    const ports = items.find((i) => i.label === 'ports');
    expect(ports).toMatchObject({ kind: 'key', shape: 'list', type: 'list', deprecated: false });
    expect(ports?.description).toMatch(/Expose container ports/);
    expect(items.find((i) => i.label === 'image')).toMatchObject({ shape: 'scalar', type: 'string' });
    expect(items.find((i) => i.label === 'healthcheck')?.shape).toBe('map');
    // `build: .` or `build:` with a map under it
    expect(items.find((i) => i.label === 'build')?.shape).toBe('mixed');
    expect(items.map((i) => i.label)).not.toContain('context');
  });

  it('keys of a map inside a branch of the schema (build as a map) and inside a list item', () => {
    expect(labels('services:\n  web:\n    build:\n      ', 4, 7)).toEqual(
      expect.arrayContaining(['context', 'dockerfile', 'target', 'args']),
    );
    const port = labels('services:\n  web:\n    ports:\n      - target: 80\n        ', 5, 9);
    expect(port).toEqual(expect.arrayContaining(['published', 'protocol', 'host_ip']));
    expect(port).not.toContain('target');
  });

  it('allowed values after `key: ` and for items of a list of fixed values', () => {
    const condition = 'services:\n  web:\n    depends_on:\n      db:\n        condition: ';
    expect(labels(condition, 5, 20)).toEqual(['service_started', 'service_healthy', 'service_completed_successfully']);
    expect(composeCompletions(condition, 5, 20).items[0]?.kind).toBe('value');
    expect(labels('services:\n  web:\n    read_only: ', 3, 16)).toEqual(['true', 'false']);
  });

  it('the deprecated `version` key says so', () => {
    expect(composeCompletions('', 1, 1).items.find((i) => i.label === 'version')?.deprecated).toBe(true);
  });

  it('nothing where a name is the user’s to choose, or inside a scalar', () => {
    expect(labels('services:\n  ', 2, 3)).toEqual([]);
    expect(labels('services:\n  web:\n    command: |\n      ', 4, 7)).toEqual([]);
  });
});

describe('compose hover', () => {
  const text = 'services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 2\nx-common: 1\n';

  it('describes the key under the cursor with its path and type', () => {
    expect(composeHover(text, 3, 6)).toEqual({
      key: 'image',
      path: 'services.web.image',
      description: expect.stringMatching(/image to start the container from/),
      type: 'string',
      deprecated: false,
      range: { start: { line: 3, column: 5 }, end: { line: 3, column: 10 } },
    });
    expect(composeHover(text, 5, 8)).toMatchObject({ path: 'services.web.deploy.replicas', type: 'number | string' });
    expect(composeHover(text, 2, 3)).toMatchObject({ key: 'web', description: 'Configuration for a service.' });
  });

  it('nothing on values, or on keys the schema says nothing about', () => {
    expect(composeHover(text, 3, 13)).toBeNull();
    expect(composeHover(text, 6, 3)).toBeNull();
  });
});
