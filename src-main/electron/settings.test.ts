import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_PORT, readSettings, SETTINGS_FILE } from './settings';

describe('readSettings', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'govc-settings-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const write = (text: string) => writeFileSync(join(dataDir, SETTINGS_FILE), text);

  it('uses defaults, without a problem, when there is no file', () => {
    const read = readSettings(dataDir);
    expect(read.settings).toEqual({ apiServer: { enabled: false, port: DEFAULT_API_PORT } });
    expect(read.problem).toBeUndefined();
    expect(read.file).toBe(join(dataDir, SETTINGS_FILE));
  });

  it('reads the API server setting and fills what is missing', () => {
    write(JSON.stringify({ apiServer: { enabled: true, port: 9123 } }));
    expect(readSettings(dataDir).settings.apiServer).toEqual({ enabled: true, port: 9123 });
    write(JSON.stringify({ apiServer: { enabled: true } }));
    expect(readSettings(dataDir).settings.apiServer).toEqual({ enabled: true, port: DEFAULT_API_PORT });
    write('{}');
    expect(readSettings(dataDir).settings.apiServer.enabled).toBe(false);
  });

  it('falls back to defaults and says why for broken JSON', () => {
    write('{ "apiServer": ');
    const read = readSettings(dataDir);
    expect(read.settings.apiServer.enabled).toBe(false);
    expect(read.problem).toMatch(/not valid JSON/);
  });

  it.each([
    [{ apiServer: { enabled: 'yes' } }, /apiServer\.enabled/],
    [{ apiServer: { enabled: true, port: 70000 } }, /apiServer\.port/],
    [{ apiServer: { enabled: true, port: 80.5 } }, /apiServer\.port/],
    [[], /\(root\)/],
  ])('never enables the server from an invalid file: %j', (content, where) => {
    write(JSON.stringify(content));
    const read = readSettings(dataDir);
    expect(read.settings.apiServer.enabled).toBe(false);
    expect(read.problem).toMatch(where);
  });

  it('reports a file it cannot read', () => {
    mkdirSync(join(dataDir, SETTINGS_FILE));
    expect(readSettings(dataDir).problem).toMatch(/cannot read/);
  });
});
