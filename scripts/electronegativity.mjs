// Electronegativity (Doyensec's checker for Electron security misconfigurations) over the desktop shell —
// electron/*.ts: main, preload, ipc, the engine host and their helpers — and the renderer's sources with
// index.html, which carries the CSP. Exits 1 on any finding not suppressed inline with an
// `/* eng-disable CHECK_ID: why */` comment on the line it points at, and on any file it could not parse.
//
// Its CLI cannot be used here (it requires `commander` without declaring it, and the hoisted one is too new),
// so this runs its programmatic runner. It runs offline: the one check that downloads Electron's release list
// (AvailableSecurityFixesGlobalCheck) is left out — Electron's version is pinned in package.json and updated
// deliberately — and its translation download is answered "offline" at once instead of waiting on the network.
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runnerPath = path.join(root, 'node_modules/@doyensec/electronegativity/dist/runner.js');
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;

/** What is scanned, relative to the repository: the shell (not electron/engine, which never touches Electron) and the renderer. */
const sources = [
  ...fs.readdirSync(path.join(root, 'electron')).filter((f) => f.endsWith('.ts')).map((f) => `electron/${f}`),
  ...fs
    .readdirSync(path.join(root, 'renderer'), { recursive: true })
    .map(String)
    .filter((f) => /\.(ts|tsx|html)$/.test(f))
    .map((f) => `renderer/${f.split(path.sep).join('/')}`),
  'package.json',
];

// Left out, with the reason: AvailableSecurityFixesGlobalCheck downloads Electron's release list (offline here);
// ElectronVersionJSONCheck only reports the Electron version read from package.json (informational, always
// "found"), which is passed to the runner below instead.
const excluded = ['AvailableSecurityFixesGlobalCheck', 'ElectronVersionJSONCheck'];

// The translation download goes through `got`: answer it from here, offline, before the runner loads it.
const requireFromRunner = createRequire(runnerPath);
const gotPath = requireFromRunner.resolve('got');
const offline = () => Promise.reject(new Error('electronegativity runs offline here'));
offline.head = offline;
offline.get = offline;
const stub = new Module(gotPath);
stub.filename = gotPath;
stub.loaded = true;
stub.exports = offline;
requireFromRunner.cache[gotPath] = stub;

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-electronegativity-'));
let exitCode = 0;
try {
  for (const rel of sources) {
    fs.mkdirSync(path.join(stage, path.dirname(rel)), { recursive: true });
    fs.copyFileSync(path.join(root, rel), path.join(stage, rel));
  }
  const run = requireFromRunner(runnerPath);
  // The runner says on console.log that it fell back to its bundled English texts: not news offline.
  const log = console.log;
  console.log = () => undefined;
  let result;
  try {
    result = await run({ input: stage, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: excluded }, false);
  } finally {
    console.log = log;
  }
  const { issues, errors, globalChecks, atomicChecks } = result;
  console.log(`electronegativity: ${atomicChecks} checks per file and ${globalChecks} global checks over ${sources.length} files, Electron ${electronVersion} (left out: ${excluded.join(', ')})`);
  const unreadable = errors.filter((e) => !e.tolerable);
  for (const e of errors) {
    console.log(`${e.tolerable ? 'warning' : 'error'}: ${path.relative(stage, e.file)} could not be parsed fully: ${e.message}`);
  }
  for (const i of issues) {
    const where = i.file === 'N/A' ? '(whole app)' : `${i.file}:${i.location.line}:${i.location.column}`;
    console.log(`\n${i.id}  ${i.severity.name}/${i.confidence.name}${i.manualReview ? ' (review)' : ''}  ${where}`);
    console.log(`  ${i.description}`);
    if (i.sample) console.log(`  > ${String(i.sample).trim().slice(0, 160)}`);
    console.log(`  ${i.shortenedURL}`);
  }
  if (issues.length === 0 && unreadable.length === 0) {
    console.log('No findings.');
  } else {
    console.log(`\n${issues.length} finding(s), ${unreadable.length} file(s) not parsed. Fix each, or suppress it on its line with /* eng-disable CHECK_ID: why */.`);
    exitCode = 1;
  }
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
process.exit(exitCode);
