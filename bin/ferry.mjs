#!/usr/bin/env node
// Runs Ferry's TypeScript engine directly under Node (through tsx), so `npx ferry` works right after
// `npm install` with no separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/engine/cli.ts');
process.exitCode = await main(process.argv);
