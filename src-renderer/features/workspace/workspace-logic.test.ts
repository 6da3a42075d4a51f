import { describe, expect, it } from 'vitest';
import { checkSummary } from '../changes/commit-message';
import { languageForPath } from './language';
import { shortcutFor, SHORTCUTS } from './shortcuts';
import { treeRows } from './tree-model';

describe('languageForPath', () => {
  it.each([
    ['Dockerfile', 'dockerfile'],
    ['app/Containerfile', 'dockerfile'],
    ['Dockerfile.dev', 'dockerfile'],
    ['web.Dockerfile', 'dockerfile'],
    ['compose.yaml', 'yaml'],
    ['k8s/deploy.YML', 'yaml'],
    ['package.json', 'json'],
    ['README.md', 'plaintext'],
  ])('%s is %s', (path, language) => expect(languageForPath(path)).toBe(language));
});

describe('checkSummary', () => {
  it('blocks an empty summary and warns about a long one', () => {
    expect(checkSummary('\nbody')).toMatchObject({ ok: false, blocking: true });
    expect(checkSummary('x'.repeat(73))).toMatchObject({ ok: false, blocking: false });
    expect(checkSummary(`${'x'.repeat(72)}\n\n${'y'.repeat(200)}`)).toEqual({ ok: true, blocking: false });
  });
});

describe('treeRows', () => {
  it('lists directories first, implied by the files, and hides collapsed contents', () => {
    const paths = ['Dockerfile', 'app/src/main.ts', 'app/Dockerfile', 'README.md'];
    expect(treeRows(paths, new Set()).map((r) => `${'  '.repeat(r.depth)}${r.name}`)).toEqual([
      'app',
      '  src',
      '    main.ts',
      '  Dockerfile',
      'Dockerfile',
      'README.md',
    ]);
    expect(treeRows(paths, new Set(['app'])).map((r) => r.name)).toEqual(['app', 'Dockerfile', 'README.md']);
  });
});

describe('shortcuts', () => {
  const keys = { key: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false };
  it('maps Ctrl on Linux and Cmd on macOS, and Alt chords by physical key', () => {
    expect(shortcutFor({ ...keys, code: 'KeyS', ctrlKey: true }, false)).toBe('save');
    expect(shortcutFor({ ...keys, code: 'KeyS', metaKey: true }, true)).toBe('save');
    expect(shortcutFor({ ...keys, code: 'KeyS', ctrlKey: true }, true)).toBeUndefined();
    expect(shortcutFor({ ...keys, code: 'KeyN', altKey: true, key: '˜' }, true)).toBe('newFile');
    expect(shortcutFor({ ...keys, code: 'KeyN', altKey: true, shiftKey: true }, false)).toBe('newRepo');
  });

  it('gives every shortcut its own chord', () => {
    const chords = SHORTCUTS.flatMap((s) => s.chords.map((c) => JSON.stringify(c)));
    expect(new Set(chords).size).toBe(chords.length);
  });
});
