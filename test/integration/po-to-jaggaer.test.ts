import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { createLogger, logFile } from '../../electron/engine/log';
import { sandboxDir } from '../../electron/engine/paths';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { jaggaerCredentials } from '../../electron/engine/sandbox/jaggaer/index';
import { TEST_ORIGIN } from '../helpers/origin';
import { filesBelow, tempDir } from '../helpers/temp';

// The real engine, real encrypted SQLite in a temp folder, real HTTP against the sandbox on 127.0.0.1.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let engine: Engine;

// Planned POs wait; ordered ones go to JAGGAER; one closed before it was ever sent has nothing to cancel.
const orderedPos = (s: Sandbox) => s.runtime().ido.rows('SLPos').filter((p) => p.Stat === 'O').map((p) => p.PoNum!);
const jaggaerPos = (s: Sandbox) => s.runtime().jaggaer.purchaseOrders;
const dbFile = () => path.join(tmp.dir, 'profiles', 'default', 'ferry.db');

beforeEach(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: sandboxDir(tmp.dir), poCount: 30, seed: 7, tenants: ['FERRY_TST'], origin: TEST_ORIGIN });
  engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(tmp.dir, 'debug'), clock: () => sandbox.clock.now() });
  connectToSandbox(engine, sandbox);
});

afterEach(async () => {
  engine.close();
  await sandbox.close();
  tmp.remove();
});

describe('po-to-jaggaer against the sandbox', () => {
  it('moves every ordered PO to JAGGAER once, and a second run writes nothing', async () => {
    const ordered = orderedPos(sandbox);
    expect(ordered.length).toBeGreaterThan(20);

    const first = await engine.runFlow('po-to-jaggaer');
    expect(first.outcome).toBe('ok');
    expect(first.counts.created).toBe(ordered.length);
    expect(first.counts.failed).toBe(0);
    expect(first.counts.skipped).toBe(30 - ordered.length);
    expect(Object.keys(jaggaerPos(sandbox)).sort()).toEqual([...ordered].sort());
    // Reads go by page (POs and lines a page at a time, plus the six reference lists validation needs:
    // vendors and their addresses, chart, cost centers, projects, fiscal periods): well below one request per PO.
    expect(sandbox.stats.count({ system: 'ido' })).toBeLessThanOrEqual(Math.ceil(ordered.length / 2));

    const importsAfterFirst = sandbox.stats.count({ system: 'jaggaer', route: 'POXMLImport' });
    const second = await engine.runFlow('po-to-jaggaer');
    expect(second.counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(sandbox.stats.count({ system: 'jaggaer', route: 'POXMLImport' })).toBe(importsAfterFirst);

    // Every moved PO is in the audit trail with its JAGGAER reference.
    const audit = await engine.handlers.listAudit({ limit: 500 });
    const created = audit.events.filter((e) => e.action === 'create' && e.outcome === 'ok');
    expect(created.map((e) => e.sourceKey).sort()).toEqual([...ordered].sort());
    for (const e of created) expect(e.targetKey).toBe(jaggaerPos(sandbox)[e.sourceKey]!.documentId);
  });

  it('sends a changed PO as an update to the same JAGGAER document', async () => {
    await engine.runFlow('po-to-jaggaer');
    const po = orderedPos(sandbox)[0]!;
    const before = { ...jaggaerPos(sandbox)[po]! };
    const { ido } = sandbox.runtime();
    ido.update('SLPoItems', ido.find('SLPoItems', (l) => l.PoNum === po)!.RowPointer!, { ItemCost: '999.00000000' });
    ido.update('SLPos', ido.find('SLPos', (p) => p.PoNum === po)!.RowPointer!, {});
    const run = await engine.runFlow('po-to-jaggaer');
    expect(run.counts).toMatchObject({ created: 0, updated: 1, failed: 0 });
    const after = jaggaerPos(sandbox)[po]!;
    expect(after.documentId).toBe(before.documentId);
    expect(after.version).toBe(before.version + 1);
  });

  it('does not create a second JAGGAER PO when the link was lost after JAGGAER took the first (crash window)', async () => {
    await engine.runFlow('po-to-jaggaer');
    const po = orderedPos(sandbox)[1]!;
    const jaggaerCount = Object.keys(jaggaerPos(sandbox)).length;
    // As if Ferry died after JAGGAER accepted the PO but before the link was committed.
    engine.profile.db.prepare('DELETE FROM links WHERE source_id = ?').run(po);
    engine.profile.db.prepare('DELETE FROM cursors').run();
    const run = await engine.runFlow('po-to-jaggaer');
    expect(run.counts.created).toBe(0);
    expect(run.counts.updated).toBe(1);
    expect(Object.keys(jaggaerPos(sandbox)).length).toBe(jaggaerCount);
    const link = engine.profile.db.prepare('SELECT target_id FROM links WHERE source_id = ?').get(po) as { target_id: string };
    expect(link.target_id).toBe(jaggaerPos(sandbox)[po]!.documentId);
  });

  it('never makes a second JAGGAER PO when connections drop before and after JAGGAER applied a PO', async () => {
    // A quarter of the PO imports lose the connection before JAGGAER sees them, a quarter after JAGGAER
    // stored the PO (the answer is cut off).
    sandbox.faults.set({ seed: 3, rules: [{ system: 'jaggaer', path: 'POXMLImport', resetRate: 0.25, truncateRate: 0.25 }] });
    await engine.runFlow('po-to-jaggaer');
    sandbox.faults.clear();
    expect(sandbox.faults.injected.reset).toBeGreaterThan(0);
    expect(sandbox.faults.injected.truncate).toBeGreaterThan(0);
    const second = await engine.runFlow('po-to-jaggaer');
    expect(second.counts.failed).toBe(0);

    const ordered = orderedPos(sandbox);
    const docs = jaggaerPos(sandbox);
    expect(Object.keys(docs).sort()).toEqual([...ordered].sort());
    expect(new Set(Object.values(docs).map((d) => d.documentId)).size).toBe(ordered.length);
    const links = engine.profile.db.prepare('SELECT source_id, target_id FROM links').all() as { source_id: string; target_id: string }[];
    expect(links).toHaveLength(ordered.length);
    for (const l of links) expect(l.target_id).toBe(docs[l.source_id]!.documentId);
    // The cut-off answers were retried (the import is idempotent by PO number), so more imports than POs.
    expect(sandbox.stats.count({ system: 'jaggaer', route: 'POXMLImport' })).toBeGreaterThan(ordered.length);
  });

  it('keeps a PO it cannot map in the failures queue with the reason, and carries on with the rest', async () => {
    const po = orderedPos(sandbox)[2]!;
    const { ido } = sandbox.runtime();
    const header = ido.find('SLPos', (p) => p.PoNum === po)!;
    ido.update('SLPos', header.RowPointer!, { VendNum: 'V999999' });
    const run = await engine.runFlow('po-to-jaggaer');
    expect(run.outcome).toBe('partial');
    expect(run.counts.failed).toBe(1);
    expect(run.counts.created).toBe(orderedPos(sandbox).length - 1);
    expect(jaggaerPos(sandbox)[po]).toBeUndefined();
    const failure = engine.profile.db.prepare(`SELECT code, reason, state FROM failures WHERE source_key = ?`).get(po) as Record<string, string>;
    expect(failure).toMatchObject({ code: 'mapping', state: 'open' });
    expect(failure.reason).toContain('V999999');

    // Once the vendor is fixed in CloudSuite (the PO changes), the next run sends it and closes the failure.
    ido.update('SLPos', header.RowPointer!, { VendNum: ido.rows('SLVendors')[0]!.VendNum! });
    const again = await engine.runFlow('po-to-jaggaer');
    expect(again.counts).toMatchObject({ created: 1, failed: 0 });
    const resolved = engine.profile.db.prepare(`SELECT state FROM failures WHERE source_key = ?`).get(po) as { state: string };
    expect(resolved.state).toBe('resolved');
  });

  it('stops with a sentence, and moves no cursor, when CloudSuite refuses the sign-in', async () => {
    // The Infor admin rotates the service account's secret key.
    sandbox.runtime().config.apps[0]!.serviceAccountSecretKey = 'rotated-by-the-admin';
    const run = await engine.runFlow('po-to-jaggaer');
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatch(/CloudSuite .*refused Ferry's sign-in \(invalid_grant\)/);
    expect(run.error).toContain('.ionapi');
    expect(engine.profile.db.prepare('SELECT count(*) AS n FROM cursors').get()).toEqual({ n: 0 });
  });

  it('keeps the database unreadable without the key and no secret anywhere on disk or in the log', async () => {
    await engine.runFlow('po-to-jaggaer');
    engine.close();

    expect(() => new Database(dbFile()).prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    const wrongKey = new Database(dbFile());
    wrongKey.pragma(`cipher='sqlcipher'`);
    wrongKey.pragma(`key="x'${'00'.repeat(32)}'"`);
    expect(() => wrongKey.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow();
    wrongKey.close();

    const app = sandbox.runtime().config.apps[0]!;
    const jaggaer = jaggaerCredentials(sandbox.runtime().jaggaer);
    const secrets = [app.clientSecret, app.serviceAccountSecretKey!, app.serviceAccountAccessKey!, jaggaer.clientSecret, jaggaer.sharedSecret];
    // Everything Ferry itself wrote (the sandbox's own folder holds its fake credentials by design).
    const ferryFiles = filesBelow(tmp.dir).filter((f) => !f.startsWith(sandboxDir(tmp.dir)));
    expect(ferryFiles).toContain(logFile(tmp.dir));
    for (const file of ferryFiles) {
      const bytes = fs.readFileSync(file);
      for (const s of secrets) expect(bytes.includes(Buffer.from(s)), `${s.slice(0, 4)}… found in ${file}`).toBe(false);
    }

    // Even with the key, the decrypted tables hold the secrets only sealed.
    engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(null), clock: () => sandbox.clock.now() });
    const dump = JSON.stringify(
      ['connections', 'audit_events', 'links', 'runs', 'failures', 'cursors'].map((t) => engine.profile.db.prepare(`SELECT * FROM ${t}`).all()),
    );
    expect(dump).toContain('PurchaseOrderMessage');
    for (const s of secrets) expect(dump.includes(s)).toBe(false);
    // The audit trail keeps the exchange, with the XML credentials blanked out.
    const row = engine.profile.db.prepare(`SELECT capture FROM audit_events WHERE action = 'create' LIMIT 1`).get() as { capture: string };
    const capture = JSON.parse(row.capture) as { method: string; status: number; requestBody: string; responseBody: string };
    expect(capture).toMatchObject({ method: 'POST', status: 200 });
    expect(capture.requestBody).toContain('<SharedSecret>[redacted]</SharedSecret>');
    expect(capture.requestBody).toContain('<Identity>[redacted]</Identity>');
    expect(capture.responseBody).toContain('<DocumentId>');
  });
});
