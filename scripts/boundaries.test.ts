/**
 * The layer boundaries are enforced by lint: each planted violation must fail with no-restricted-imports,
 * and the same file without the violation must pass. Uses the project's real eslint.config.js.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const planted: Array<[string, string, string]> = [
  [
    'src-shared imports node',
    'src-shared/planted.ts',
    "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
  ],
  [
    'src-shared imports react',
    'src-shared/planted.ts',
    "import { useState } from 'react';\nexport const f = useState;\n",
  ],
  [
    'src-shared imports the engine',
    'src-shared/planted.ts',
    "import { EventBus } from '../src-main/core/events/bus';\nexport const f = EventBus;\n",
  ],
  ['core imports electron', 'src-main/core/planted.ts', "import { app } from 'electron';\nexport const f = app;\n"],
  [
    'core imports the server',
    'src-main/core/planted.ts',
    "import { ServerAuth } from '../server/auth';\nexport const f = ServerAuth;\n",
  ],
  [
    'core imports the renderer',
    'src-main/core/planted.ts',
    "import x from '../../src-renderer/main';\nexport const f = x;\n",
  ],
  [
    'the server imports electron',
    'src-main/server/planted.ts',
    "import { app } from 'electron';\nexport const f = app;\n",
  ],
  ['the CLI imports electron', 'src-main/cli/planted.ts', "import { app } from 'electron';\nexport const f = app;\n"],
  [
    'the renderer imports the engine',
    'src-renderer/planted.ts',
    "import { EventBus } from '../src-main/core/events/bus';\nexport const f = EventBus;\n",
  ],
  [
    'the renderer imports node',
    'src-renderer/planted.ts',
    "import { readFileSync } from 'fs';\nexport const f = readFileSync;\n",
  ],
  [
    'the renderer imports electron',
    'src-renderer/planted.ts',
    "import { ipcRenderer } from 'electron';\nexport const f = ipcRenderer;\n",
  ],
];

describe('import boundaries', () => {
  it.each(planted)('fails lint when %s', async (_label, filePath, code) => {
    expect(await restrictedImports(filePath, code)).not.toEqual([]);
  });

  it('tells the electron package from a folder named electron', async () => {
    expect(
      await restrictedImports(
        'src-main/core/planted.ts',
        "import { app } from 'electron/main';\nexport const f = app;\n",
      ),
    ).not.toEqual([]);
    expect(
      await restrictedImports(
        'src-main/index.ts',
        "import { start } from './electron/app';\nexport const f = start;\n",
      ),
    ).toEqual([]);
  });

  it('lets src-main/electron and the preload import electron', async () => {
    expect(
      await restrictedImports(
        'src-main/electron/planted.ts',
        "import { app } from 'electron';\nexport const f = app;\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImports(
        'src-main/preload/planted.ts',
        "import { contextBridge } from 'electron';\nexport const f = contextBridge;\n",
      ),
    ).toEqual([]);
  });

  it('lets every layer import src-shared', async () => {
    const code = "import { requests } from '../src-shared/contract';\nexport const f = requests;\n";
    expect(await restrictedImports('src-renderer/bridge/planted.ts', code)).toEqual([]);
    expect(await restrictedImports('src-main/planted.ts', code.replace('../', '../'))).toEqual([]);
  });
});

describe('the renderer bridge', () => {
  it('is the only part of the renderer that reads the contract', async () => {
    const code = "import { requests } from '../../src-shared/contract';\nexport const f = requests;\n";
    expect(await restrictedImports('src-renderer/features/planted.tsx', code)).not.toEqual([]);
    expect(await restrictedImports('src-renderer/bridge/planted.ts', code)).toEqual([]);
  });
});
