import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setJiraFlowSettings } from '../../electron/engine/mapping/jira-settings';
import { prng } from '../../electron/engine/sandbox/context';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { listLabourJournals } from '../../electron/engine/store/labour';
import { verifyAudit } from '../../electron/engine/store/audit-verify';
import { repoRoot } from '../helpers/cli';
import { closeWorld, openWorld, type World } from '../helpers/world';

// kill -9 while worklog-to-gl posts labour journals (each is several CloudSuite writes: its lines, then the
// posting), again and again, then let it finish: every journal is in CloudSuite exactly once, with exactly the
// lines Ferry's ledger says, and the audit trail is intact.

let w: World;
beforeAll(async () => {
  // The flow runs in `ferry` child processes, whose engines follow the wall clock: the world starts now too.
  w = await openWorld({ poCount: 30, seed: 23, origin: 'now' });
  const d = w.sandbox.clock.date();
  const startDate = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
  // Daily journals: many of them, so the kills land between journals and inside them.
  setJiraFlowSettings(w.engine.profile.db, { posting: { startDate, period: 'day' } });
  w.engine.close();
}, 120_000);
afterAll(async () => {
  // The world's engine was closed above so that only the child processes hold the database.
  w.engine.close = () => undefined;
  await closeWorld(w);
});

const writes = () => w.sandbox.stats.count({ system: 'ido', method: 'POST' });

function syncProcess(killAfterWrites: number | null): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'ferry.mjs'), 'sync', '--once', '--flow', 'worklog-to-gl', '--data-dir', w.tmp.dir], {
      cwd: repoRoot,
      env: { ...process.env, FERRY_PARENT_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const start = writes();
    const timer =
      killAfterWrites === null
        ? null
        : setInterval(() => {
            if (writes() - start >= killAfterWrites) child.kill('SIGKILL');
          }, 2);
    child.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout });
    });
  });
}

describe('SIGKILL while labour journals are posted', () => {
  it('never posts a journal twice, and ends with the ledger and CloudSuite in agreement', { timeout: 300_000 }, async () => {
    const random = prng(99);
    let killed = 0;
    for (let round = 0; round < 6; round++) {
      const r = await syncProcess(1 + Math.floor(random() * 9));
      if (r.signal === 'SIGKILL') killed++;
    }
    expect(killed).toBeGreaterThanOrEqual(4);
    const last = await syncProcess(null);
    // Hours on closed CloudSuite projects wait in the failures queue, so the last run may end "partial" (exit 0).
    expect(last.code, last.stdout).toBe(0);

    const engine = await Engine.open({ dataDir: w.tmp.dir, log: createLogger(null) });
    try {
      const journals = listLabourJournals(engine.profile.db);
      expect(journals.filter((j) => j.state === 'pending')).toEqual([]);
      const posted = journals.filter((j) => j.state === 'posted' && j.kind !== 'netted');
      expect(posted.length).toBeGreaterThanOrEqual(8);
      // Posted lines are in the ledger under Ferry's journal; none may be left entered.
      const lines = w.sandbox.runtime().ido.rows('SLLedgers').filter((l) => (l.Ref ?? '').startsWith('FL-') && l.FromId === 'FERRY');
      expect(w.sandbox.runtime().ido.rows('SLJournals').filter((l) => (l.Ref ?? '').startsWith('FL-'))).toEqual([]);
      const byRef = new Map<string, typeof lines>();
      for (const l of lines) byRef.set(l.Ref!, [...(byRef.get(l.Ref!) ?? []), l]);
      // Exactly the journals of the ledger, each with exactly its lines and amounts, each posted once.
      expect([...byRef.keys()].sort()).toEqual(posted.map((j) => j.reference).sort());
      for (const j of posted) {
        const got = byRef.get(j.reference)!;
        expect(got.map((l) => `${l.Acct} ${Number(l.DomAmount).toFixed(2)}`), j.reference).toEqual(j.journal.lines.map((l) => `${l.account} ${l.amount.toFixed(2)}`));
      }
      expect(verifyAudit(engine.profile.db).ok).toBe(true);
      console.log(`worklog chaos: ${killed} kills, ${posted.length} journals, ${lines.length} lines`);
    } finally {
      engine.close();
    }
  });
});
