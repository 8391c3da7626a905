import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli';

// The import boundaries of DESIGN.md are lint errors. Each case lints source text as if it were a file at
// the given path, with the project's real eslint.config.js.

const eslint = new ESLint({ cwd: repoRoot });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}/${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['renderer/pages/X.tsx', "import fs from 'node:fs';\nexport const x = fs;\n", /no Node modules/],
    ['renderer/pages/X.tsx', "import path from 'path';\nexport const x = path;\n", /no Node modules/],
    ['renderer/X.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", /only through shared\/api\.ts/],
    ['renderer/X.ts', "import { Engine } from '../electron/engine/engine';\nexport const x = Engine;\n", /only renderer\/ and shared\//],
    ['renderer/pages/X.tsx', "import { main } from '../../electron/engine/cli';\nexport const x = main;\n", /only renderer\/ and shared\//],
    ['electron/engine/X.ts', "import { app } from 'electron';\nexport const x = app;\n", /plain Node/],
    ['electron/engine/store/X.ts', "import { safeStorageKeyProvider } from '../../keychain';\nexport const x = safeStorageKeyProvider;\n", /Electron shell/],
    ['shared/X.ts', "import fs from 'node:fs';\nexport const x = fs;\n", /both sides/],
  ])('%s may not import what this one does', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  });

  it.each([
    ['renderer/X.ts', "import { api } from '../shared/api';\nexport const x = api;\n"],
    ['electron/engine/X.ts', "import fs from 'node:fs';\nimport { api } from '../../shared/api';\nexport const x = [fs, api];\n"],
    ['electron/main.ts', "import { app } from 'electron';\nexport const x = app;\n"],
  ])('%s may import what this one does', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
