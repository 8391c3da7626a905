import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { saveCloudSuiteConnection, saveJaggaerConnection } from '../../electron/engine/connectors/connect';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { prng } from '../../electron/engine/sandbox/context';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import type { JaggaerCredentialsFile } from '../../electron/engine/sandbox/files';
import { listAudit } from '../../electron/engine/store/audit';
import { verifyAudit } from '../../electron/engine/store/audit-verify';
import { repoRoot } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// kill -9 in the middle of a backfill, again and again, then let it finish: every CloudSuite PO must end up
// in JAGGAER exactly once, linked, and accounted for in an intact audit trail. Ferry runs as a separate
// process (the one being killed); the sandbox lives in this test process and sees every request.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let dataDir: string;
const POS = 400;

beforeAll(async () => {
  tmp = tempDir('ferry-chaos-');
  sandbox = await startSandbox({ dir: path.join(tmp.dir, 'sandbox'), poCount: POS, seed: 31, tenants: ['FERRY_TST'] });
  dataDir = path.join(tmp.dir, 'ferry');
  const engine = await Engine.open({ dataDir, log: createLogger(null) });
  const info = sandbox.tenants.FERRY_TST!;
  // The sandbox has no ION quota; the connection says so, or runs would wait for the default 300/min budget.
  saveCloudSuiteConnection(engine.profile, parseIonapi(fs.readFileSync(info.files.ionapi, 'utf8')), info.mongooseConfig, { rateLimitPerMinute: 10_000 });
  const j = JSON.parse(fs.readFileSync(info.files.jaggaer, 'utf8')) as JaggaerCredentialsFile;
  saveJaggaerConnection(engine.profile, { baseUrl: j.baseUrl, poImportPath: j.poImportPath, clientId: j.clientId }, { clientSecret: j.clientSecret, identity: j.identity, sharedSecret: j.sharedSecret });
  engine.close();
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

const imports = () => sandbox.stats.count({ system: 'jaggaer', route: 'POXMLImport' });

/**
 * One `ferry sync --once` in its own process: killed with SIGKILL once it has sent `killAfterImports` more
 * POs (watched at the sandbox, so the kill lands inside the backfill, not during start-up), or left to finish.
 */
function syncProcess(
  killAfterImports: number | null,
  flow = 'po-to-jaggaer',
  counter: () => number = imports,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'ferry.mjs'), 'sync', '--once', '--flow', flow, '--data-dir', dataDir], {
      cwd: repoRoot,
      env: { ...process.env, FERRY_PARENT_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const start = counter();
    const timer =
      killAfterImports === null
        ? null
        : setInterval(() => {
            if (counter() - start >= killAfterImports) child.kill('SIGKILL');
          }, 2);
    child.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout });
    });
  });
}

describe('SIGKILL during a backfill', () => {
  it('ends with exactly one JAGGAER PO per CloudSuite PO after repeated kills, and an audit trail that accounts for each', async () => {
    const random = prng(2026);
    const sent: number[] = [];
    let killed = 0;
    for (let round = 0; round < 8; round++) {
      // Somewhere in the backfill: after 1 to 40 more POs went out.
      const before = imports();
      const r = await syncProcess(1 + Math.floor(random() * 40));
      sent.push(imports() - before);
      if (r.signal === 'SIGKILL') killed++;
    }
    expect(killed).toBe(8);
    expect(sent.every((n) => n > 0)).toBe(true);

    const last = await syncProcess(null);
    expect(last.code, last.stdout).toBe(0);
    expect(last.stdout).toMatch(/0 failed/);

    const ordered = sandbox.runtime().ido.rows('SLPos').filter((p) => p.Stat === 'O').map((p) => p.PoNum!).sort();
    const docs = sandbox.runtime().jaggaer.purchaseOrders;
    expect(Object.keys(docs).sort()).toEqual(ordered);
    expect(new Set(Object.values(docs).map((d) => d.documentId)).size).toBe(ordered.length);

    const engine = await Engine.open({ dataDir, log: createLogger(null) });
    try {
      const links = engine.profile.db.prepare(`SELECT source_id, target_id FROM links WHERE flow = 'po-to-jaggaer'`).all() as { source_id: string; target_id: string }[];
      expect(links.map((l) => l.source_id).sort()).toEqual(ordered);
      for (const l of links) expect(l.target_id).toBe(docs[l.source_id]!.documentId);
      // Every PO has an event saying it reached JAGGAER, with that document; the chain is intact after the kills.
      const events = listAudit(engine.profile.db, { limit: 100_000 });
      const delivered = new Map<string, string | null>();
      for (const e of events) if (e.outcome === 'ok' && (e.action === 'create' || e.action === 'adopt' || e.action === 'update')) delivered.set(e.sourceKey, e.targetKey);
      for (const po of ordered) expect(delivered.get(po), po).toBe(docs[po]!.documentId);
      expect(verifyAudit(engine.profile.db).ok).toBe(true);
      // Runs that were killed are left "running" in the store: the record of the crash is kept, not hidden.
      const crashed = (engine.profile.db.prepare(`SELECT count(*) AS n FROM runs WHERE outcome = 'running'`).get() as { n: number }).n;
      expect(crashed).toBe(killed);
    } finally {
      engine.close();
    }
    console.log(`chaos: ${killed} kills, imports per killed run ${sent.join(', ')}, ${ordered.length} POs, ${Object.keys(docs).length} JAGGAER POs`);
  });

  it('ends with exactly one posted voucher per approved JAGGAER invoice after kills between a voucher’s steps', { timeout: 300_000 }, async () => {
    // Each voucher is several CloudSuite writes (header, distributions, posting): kills land between them.
    const writes = () => sandbox.stats.count({ system: 'ido', method: 'POST' });
    const random = prng(7);
    let killed = 0;
    for (let round = 0; round < 6; round++) {
      const r = await syncProcess(1 + Math.floor(random() * 12), 'invoice-to-cloudsuite', writes);
      if (r.signal === 'SIGKILL') killed++;
    }
    expect(killed).toBeGreaterThanOrEqual(4);
    const last = await syncProcess(null, 'invoice-to-cloudsuite', writes);
    expect(last.code, last.stdout).toBe(0);

    // Every voucher Ferry entered is posted (SLAptrxps), once; none is left entered (SLAptrxs).
    const vouchers = sandbox.runtime().ido.rows('SLAptrxps').filter((v) => v.Ref?.startsWith('FERRY:JAG-INV-'));
    const refs = vouchers.map((v) => v.Ref!);
    expect(new Set(refs).size).toBe(refs.length);
    expect(sandbox.runtime().ido.rows('SLAptrxs').filter((v) => v.Ref?.startsWith('FERRY:JAG-INV-'))).toEqual([]);
    const engine = await Engine.open({ dataDir, log: createLogger(null) });
    try {
      const links = engine.profile.db.prepare(`SELECT source_id FROM links WHERE flow = 'invoice-to-cloudsuite'`).all() as { source_id: string }[];
      expect(links.length).toBeGreaterThan(10);
      expect(links.map((l) => `FERRY:${l.source_id}`).sort()).toEqual([...refs].sort());
      expect(verifyAudit(engine.profile.db).ok).toBe(true);
    } finally {
      engine.close();
    }
    console.log(`chaos (vouchers): ${killed} kills, ${vouchers.length} vouchers, each posted once`);
  });
});
