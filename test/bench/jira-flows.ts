// Benchmark, not a test: the Jira flows over the medium sandbox world (2,000 POs, 40 projects, 25 Jira users in
// six time zones, months of worklogs), each flow through the real CLI in its own process (so its memory is its
// own): po-to-jira, then worklog-to-gl from the first day of last month, then both again (nothing to do).
// Prints figures; asserts nothing. Run with `npm run bench`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection, saveJiraConnection } from '../../electron/engine/connectors/connect';
import { configureSandboxJira } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { setJiraFlowSettings } from '../../electron/engine/mapping/jira-settings';
import { startSandbox } from '../../electron/engine/sandbox';
import { repoRoot } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

type Flow = 'po-to-jira' | 'worklog-to-gl';
interface Result {
  flows: Record<string, { created: number; updated: number; unchanged: number; skipped: number; failed: number; requests: number }>;
  peakRssMb: number;
}

function sync(dataDir: string, flow: Flow): Promise<{ result: Result; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'ferry.mjs'), 'sync', '--once', '--flow', flow, '--json', '--data-dir', dataDir], {
      cwd: repoRoot,
      env: { ...process.env, FERRY_PARENT_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve({ result: JSON.parse(out.trim().split('\n').pop()!) as Result, seconds: (performance.now() - started) / 1000 }));
  });
}

const tmp = tempDir('ferry-bench-jira-');
const sandbox = await startSandbox({ dir: path.join(tmp.dir, 'sandbox'), scale: 'medium', seed: 5, tenants: ['FERRY_TST'] });
try {
  const dataDir = path.join(tmp.dir, 'ferry');
  const engine = await Engine.open({ dataDir, log: createLogger(null) });
  const info = sandbox.tenants.FERRY_TST!;
  saveCloudSuiteConnection(engine.profile, parseIonapi(fs.readFileSync(info.files.ionapi, 'utf8')), info.mongooseConfig, { rateLimitPerMinute: 10_000 });
  const jira = JSON.parse(fs.readFileSync(info.files.jira, 'utf8')) as { baseUrl: string; email: string; apiToken: string };
  saveJiraConnection(engine.profile, { auth: 'basic', baseUrl: jira.baseUrl, email: jira.email }, { apiToken: jira.apiToken });
  configureSandboxJira(engine.profile, sandbox);
  // The world starts now (its flows run in `ferry` child processes, on the wall clock): its month, then.
  const d = sandbox.clock.date();
  setJiraFlowSettings(engine.profile.db, { posting: { startDate: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 10) } });
  engine.close();

  const world = sandbox.runtime().jira;
  console.log(`medium world: ${sandbox.runtime().ido.rows('SLPos').length} POs, ${world.projects.length} Jira projects, ${world.users.length} Jira users, ${world.worklogs.length} worklogs`);
  for (const pass of ['first', 'second'] as const) {
    for (const flow of ['po-to-jira', 'worklog-to-gl'] as const) {
      const { result, seconds } = await sync(dataDir, flow);
      const r = result.flows[flow]!;
      const moved = r.created + r.updated;
      console.log(
        `${pass} ${flow}: ${moved} written (${r.created} created, ${r.updated} updated), ${r.unchanged} unchanged, ${r.failed} waiting; ` +
          `${seconds.toFixed(1)} s, ${r.requests} requests${moved ? ` (${(r.requests / moved).toFixed(2)} per record written)` : ''}, peak RSS ${result.peakRssMb} MB`,
      );
    }
  }
} finally {
  await sandbox.close();
  tmp.remove();
}
