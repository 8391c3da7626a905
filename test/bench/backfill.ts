// Benchmark, not a test: a 5,000-PO backfill of po-to-jaggaer against the sandbox, through the real CLI in
// its own process (so its memory is its own), first under a 300/min ION quota, then with no quota.
// Prints figures; asserts nothing. Run with `npm run bench`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection, saveJaggaerConnection } from '../../electron/engine/connectors/connect';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { startSandbox } from '../../electron/engine/sandbox';
import type { JaggaerCredentialsFile } from '../../electron/engine/sandbox/files';
import { repoRoot } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const POS = Number(process.env.FERRY_BENCH_POS ?? 5000);
const QUOTA = 300;

async function backfill(quotaPerMinute: number | null): Promise<void> {
  const tmp = tempDir('ferry-bench-');
  const sandbox = await startSandbox({ dir: path.join(tmp.dir, 'sandbox'), poCount: POS, seed: 77, tenants: ['FERRY_TST'] });
  try {
    const t = sandbox.runtime();
    t.config.gateway.quotaPerMinute = quotaPerMinute;
    t.config.gateway.quotaStyle = 'no-hint';
    const dataDir = path.join(tmp.dir, 'ferry');
    const engine = await Engine.open({ dataDir, log: createLogger(null) });
    const info = sandbox.tenants.FERRY_TST!;
    saveCloudSuiteConnection(engine.profile, parseIonapi(fs.readFileSync(info.files.ionapi, 'utf8')), info.mongooseConfig, {
      rateLimitPerMinute: quotaPerMinute ?? 10_000,
    });
    const j = JSON.parse(fs.readFileSync(info.files.jaggaer, 'utf8')) as JaggaerCredentialsFile;
    saveJaggaerConnection(engine.profile, { baseUrl: j.baseUrl, poImportPath: j.poImportPath, clientId: j.clientId }, { clientSecret: j.clientSecret, identity: j.identity, sharedSecret: j.sharedSecret });
    engine.close();

    const started = performance.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'ferry.mjs'), 'sync', '--once', '--flow', 'po-to-jaggaer', '--json', '--data-dir', dataDir], {
        cwd: repoRoot,
        env: { ...process.env, FERRY_PARENT_PID: String(process.pid) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    const seconds = (performance.now() - started) / 1000;
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { flows: Record<string, { created: number; skipped: number; failed: number; requests: number }>; peakRssMb: number };
    const run = result.flows['po-to-jaggaer']!;
    const ion = sandbox.stats.count({ system: 'ido' });
    const throttled = sandbox.stats.count({ system: 'ido', status: 429 });
    const records = run.created + run.skipped;
    if (quotaPerMinute) {
      const lowerBound = (ion / quotaPerMinute) * 60;
      console.log(
        `quota ${quotaPerMinute}/min: ${POS} POs (${run.created} sent, ${run.skipped} skipped, ${run.failed} failed) in ${seconds.toFixed(1)} s; ` +
          `${ion} ION requests need ≥ ${lowerBound.toFixed(1)} s at the quota; ${(run.requests / POS).toFixed(3)} requests per PO ` +
          `(${(ion / POS).toFixed(3)} to CloudSuite); ${throttled} × 429; peak RSS ${result.peakRssMb} MB`,
      );
    } else {
      console.log(`no quota: ${records} POs through the engine in ${seconds.toFixed(1)} s = ${(records / seconds).toFixed(0)} records/s; peak RSS ${result.peakRssMb} MB`);
    }
  } finally {
    await sandbox.close();
    tmp.remove();
  }
}

await backfill(QUOTA);
await backfill(null);
