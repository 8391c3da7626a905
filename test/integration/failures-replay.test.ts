import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine';
import { saveNetworkSettings } from '../../electron/engine/http/network-settings';
import { createLogger } from '../../electron/engine/log';
import type { Sandbox } from '../../electron/engine/sandbox';
import { listAudit } from '../../electron/engine/store/audit';
import { getCursor } from '../../electron/engine/store/cursors';
import { getFailure, listFailures } from '../../electron/engine/store/failures';
import type { tempDir } from '../helpers/temp';
import { closeWorld, openWorld } from '../helpers/world';

// The failures queue as a person uses it, against the sandbox: what waits and why, replay through the
// current data, ignore with a reason, automatic retries of transient failures, and dry runs.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let engine: Engine;

beforeEach(async () => {
  ({ tmp, sandbox, engine } = await openWorld({ poCount: 12, seed: 9 }));
});

afterEach(() => closeWorld({ tmp, sandbox, engine }));

const ordered = () => sandbox.runtime().ido.rows('SLPos').filter((p) => p.Stat === 'O');
const jaggaerPos = () => sandbox.runtime().jaggaer.purchaseOrders;

describe('failures queue', () => {
  it('keeps a PO with an unknown vendor with its reason; a replay before the fix chains to it; after the fix it posts once', async () => {
    const { ido } = sandbox.runtime();
    const po = ordered()[0]!;
    ido.update('SLPos', po.RowPointer!, { VendNum: 'V777777' });
    await engine.runFlow('po-to-jaggaer');
    const [first] = listFailures(engine.profile.db, { flow: 'po-to-jaggaer' });
    expect(first).toMatchObject({ sourceKey: po.PoNum, state: 'open', code: 'mapping', attempts: 1, retryable: false });
    expect(first!.reason).toContain('V777777');
    expect(first!.payload).toBeNull();

    // Replayed before anything was fixed: fails again, and the new failure points back to the old one.
    const again = await engine.handlers.replayFailures({ ids: [first!.id], all: false });
    expect(again.replayed).toBe(1);
    expect(again.runs[0]!.counts.failed).toBe(1);
    expect(getFailure(engine.profile.db, first!.id)!.state).toBe('replayed');
    const [second] = listFailures(engine.profile.db, { flow: 'po-to-jaggaer' });
    expect(second!.replayOf).toBe(first!.id);

    // The vendor is set up in CloudSuite; replaying now posts the PO exactly once.
    ido.insert('SLVendors', { ...ido.rows('SLVendors')[0]!, RowPointer: null, VendNum: 'V777777', Name: 'Newly Set Up Vendor' });
    const fixed = await engine.handlers.replayFailures({ ids: [second!.id], all: false });
    expect(fixed.runs[0]!.counts).toMatchObject({ created: 1, failed: 0 });
    expect(Object.keys(jaggaerPos())).toContain(po.PoNum);
    expect(listFailures(engine.profile.db, { flow: 'po-to-jaggaer' })).toEqual([]);
    expect(getFailure(engine.profile.db, second!.id)!.state).toBe('replayed');
    const runs = (await engine.handlers.replayFailures({ all: true })).runs;
    expect(runs).toEqual([]);
  });

  it('ignores a failure with a reason kept in the audit trail, and refuses to ignore it twice', async () => {
    const { ido } = sandbox.runtime();
    ido.update('SLPos', ordered()[1]!.RowPointer!, { VendNum: 'V000000' });
    await engine.runFlow('po-to-jaggaer');
    const [f] = listFailures(engine.profile.db);
    const ignored = await engine.handlers.ignoreFailure({ id: f!.id, reason: 'Duplicate PO entered by mistake; cancelled in CloudSuite' });
    expect(ignored).toMatchObject({ state: 'ignored', resolution: 'Duplicate PO entered by mistake; cancelled in CloudSuite' });
    const event = listAudit(engine.profile.db, { limit: 1 })[0]!;
    expect(event).toMatchObject({ action: 'ignore', sourceKey: f!.sourceKey });
    expect(event.reason).toContain('Duplicate PO entered by mistake');
    await expect(engine.handlers.ignoreFailure({ id: f!.id, reason: 'again' })).rejects.toThrow(/already ignored/);
  });

  it('retries transient failures by itself when their time comes, and then sends them once', async () => {
    saveNetworkSettings(engine.profile.db, { maxAttempts: 1 });
    sandbox.faults.set({ rules: [{ system: 'jaggaer', path: 'POXMLImport', errorRate: { '503': 1 } }] });
    const first = await engine.runFlow('po-to-jaggaer');
    expect(first.counts.failed).toBe(ordered().length);
    const waiting = listFailures(engine.profile.db);
    expect(waiting.every((f) => f.state === 'retrying' && f.retryable && f.nextAttemptAt! > new Date().toISOString())).toBe(true);
    expect(waiting[0]!.reason).toMatch(/JAGGAER had a problem answering/);

    sandbox.faults.clear();
    // Not due yet: a run now leaves the queue alone. It re-reads only the overlap window behind the cursor
    // (the newest PO), so the older ones wait for their retry.
    const early = await engine.runFlow('po-to-jaggaer');
    expect(early.counts.created).toBeLessThan(ordered().length);
    expect(Object.keys(jaggaerPos())).toHaveLength(early.counts.created);

    // Their backoff has passed: the next run retries them before reading new changes.
    engine.profile.db.prepare(`UPDATE failures SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE state = 'retrying'`).run();
    const later = await engine.runFlow('po-to-jaggaer');
    expect(later.counts.created).toBe(ordered().length - early.counts.created);
    expect(Object.keys(jaggaerPos()).sort()).toEqual(ordered().map((p) => p.PoNum).sort());
    expect(listFailures(engine.profile.db)).toEqual([]);
  });

  it('previews a run without writing anything: no JAGGAER PO, no link, no cursor, the payloads in the audit trail', async () => {
    const preview = await engine.handlers.runFlowNow({ flow: 'po-to-jaggaer', dryRun: true });
    expect(preview.counts.created).toBe(ordered().length);
    expect(Object.keys(jaggaerPos())).toHaveLength(0);
    expect(sandbox.stats.count({ system: 'jaggaer', route: 'POXMLImport' })).toBe(0);
    expect(getCursor(engine.profile.db, 'po-to-jaggaer')).toBeNull();
    expect((engine.profile.db.prepare('SELECT count(*) AS n FROM links').get() as { n: number }).n).toBe(0);
    const row = engine.profile.db.prepare(`SELECT capture FROM audit_events WHERE action = 'preview-create' LIMIT 1`).get() as { capture: string };
    const capture = JSON.parse(row.capture) as { payload: { poNumber: string; lines: unknown[] } };
    expect(capture.payload.poNumber).toMatch(/^PO/);
    expect(capture.payload.lines.length).toBeGreaterThan(0);
    const real = await engine.runFlow('po-to-jaggaer');
    expect(real.counts.created).toBe(ordered().length);
  });
});

describe('failures and dry runs from the command line', () => {
  it('previews with sync --once --dry-run, lists failures, replays and ignores by number, with exit codes', async () => {
    const { runCli, lastJsonLine } = await import('../helpers/cli');
    const { ido } = sandbox.runtime();
    ido.update('SLPos', ordered()[0]!.RowPointer!, { VendNum: 'V555555' });
    ido.update('SLPos', ordered()[1]!.RowPointer!, { VendNum: 'V666666' });
    engine.close();
    const ferry = (args: string[]) => runCli([...args, '--data-dir', tmp.dir]);

    const preview = await ferry(['sync', '--once', '--flow', 'po-to-jaggaer', '--dry-run', '--json']);
    expect(preview.code, preview.stderr).toBe(0);
    const p = lastJsonLine(preview.stdout) as { dryRun: boolean; flows: Record<string, { created: number }> };
    expect(p.dryRun).toBe(true);
    expect(p.flows['po-to-jaggaer']!.created).toBe(ordered().length - 2);
    expect(Object.keys(jaggaerPos())).toHaveLength(0);
    expect((await ferry(['sync', '--dry-run'])).code).toBe(2);

    expect((await ferry(['sync', '--once', '--flow', 'po-to-jaggaer'])).code).toBe(0);
    const listed = lastJsonLine((await ferry(['failures', '--json'])).stdout) as { failures: { id: number; sourceKey: string; reason: string }[] };
    expect(listed.failures).toHaveLength(2);
    const human = await ferry(['failures']);
    expect(human.stdout).toMatch(/V555555/);

    const [a, b] = listed.failures;
    const ignored = await ferry(['ignore', String(a!.id), '--reason', 'Test PO, never to be sent']);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect((await ferry(['ignore', String(a!.id), '--reason', 'again'])).code).toBe(2);
    expect((await ferry(['ignore', String(b!.id), '--reason', 'x'])).code).toBe(2);
    expect((await ferry(['replay'])).code).toBe(2);
    expect((await ferry(['replay', '99999'])).code).toBe(2);

    ido.insert('SLVendors', { ...ido.rows('SLVendors')[0]!, RowPointer: null, VendNum: b!.sourceKey === ordered()[1]!.PoNum ? 'V666666' : 'V555555' });
    const replayed = await ferry(['replay', String(b!.id), '--json']);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect((lastJsonLine(replayed.stdout) as { replayed: number; runs: { counts: { created: number } }[] }).runs[0]!.counts.created).toBe(1);
    expect((lastJsonLine((await ferry(['failures', '--json'])).stdout) as { failures: unknown[] }).failures).toHaveLength(0);
    engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(null) });
  });
});
