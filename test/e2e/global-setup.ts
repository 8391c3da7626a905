import { build } from 'vite';
import { repoRoot } from '../helpers/cli';

// The browser tests must exercise the UI as it is in the working tree, not whatever dist/ held last.
export default async function globalSetup(): Promise<void> {
  await build({ root: `${repoRoot}/renderer`, configFile: `${repoRoot}/vite.config.ts`, logLevel: 'warn' });
}
