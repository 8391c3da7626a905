import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/api';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { loadValidationContext, validatePurchaseOrder } from '../../electron/engine/mapping/validate';
import { connectCloudSuite } from '../../electron/engine/connectors/connect';
import { HttpPool } from '../../electron/engine/http/pool';
import { sandboxDir } from '../../electron/engine/paths';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { getReference, referenceAge } from '../../electron/engine/store/reference';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// Reference refresh and the mapping API against the sandbox: the real engine, real encrypted SQLite, real
// HTTP to the simulated ION gateway.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let engine: Engine;

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: sandboxDir(tmp.dir), poCount: 30, seed: 11, tenants: ['FERRY_TST'], origin: TEST_ORIGIN });
  // The small world has no inactive vendor; make the last one inactive, as CloudSuite would show it.
  const { ido } = sandbox.runtime();
  ido.update('SLVendors', ido.rows('SLVendors').at(-1)!.RowPointer!, { Stat: 'I' });
  engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(tmp.dir, 'debug'), clock: () => sandbox.clock.now() });
  connectToSandbox(engine, sandbox);
});

afterAll(async () => {
  engine.close();
  await sandbox.close();
  tmp.remove();
});

const rows = (ido: string) => sandbox.runtime().ido.rows(ido);

describe('reference refresh against the sandbox', () => {
  it('caches exactly the rows CloudSuite has, per kind', async () => {
    const r = await engine.handlers.refreshReference({});
    expect(r.failed).toEqual([]);
    expect(r.skipped).toEqual([]);
    expect(r.counts).toEqual({
      vendor: rows('SLVendors').length,
      'gl-account': rows('SLCharts').length,
      'cost-center': rows('SLUnitcd1s').length,
      project: rows('SLProjs').length,
    });
    expect(r.requests).toBeGreaterThan(0);
    const db = engine.profile.db;
    expect(getReference(db, 'vendor').map((v) => v.number).sort()).toEqual(rows('SLVendors').map((v) => v.VendNum).sort());
    const inactive = rows('SLVendors').filter((v) => v.Stat === 'I').map((v) => v.VendNum);
    expect(inactive).toHaveLength(1);
    expect(getReference(db, 'vendor').filter((v) => !v.active).map((v) => v.number).sort()).toEqual(inactive.sort());
    expect(getReference(db, 'gl-account').find((a) => a.number === '690900')).toMatchObject({ active: false, costCenterRequired: true });
    expect(referenceAge(db, 'project')?.count).toBe(rows('SLProjs').length);
  });

  it('replaces a list whole: a change in CloudSuite shows after the refresh, a list that cannot be read stays as it was', async () => {
    const db = engine.profile.db;
    const { ido } = sandbox.runtime();
    const added = ido.rows('SLVendors')[0]!;
    const projectsBefore = getReference(db, 'project');
    const projectsReadAt = referenceAge(db, 'project')!.refreshedAt;
    // One vendor becomes inactive in CloudSuite, and reading projects is refused.
    ido.update('SLVendors', added.RowPointer!, { Stat: 'I' });
    sandbox.faults.set({ rules: [{ system: 'ido', path: 'SLProjs', errorRate: { '403': 1 } }] });
    try {
      const r = await engine.handlers.refreshReference({});
      expect(r.failed.map((f) => f.kind)).toEqual(['project']);
      expect(r.counts.vendor).toBe(rows('SLVendors').length);
    } finally {
      sandbox.faults.clear();
    }
    expect(getReference(db, 'vendor').find((v) => v.number === added.VendNum)).toMatchObject({ active: false });
    expect(getReference(db, 'project')).toEqual(projectsBefore);
    expect(referenceAge(db, 'project')!.refreshedAt).toBe(projectsReadAt);
    ido.update('SLVendors', added.RowPointer!, { Stat: 'A' });
    await engine.handlers.refreshReference({});
  });

  it('the sandbox\'s purchase orders pass the validation rules against the cache', async () => {
    const ctx = loadValidationContext(engine.profile.db);
    const pool = new HttpPool();
    const { adapter } = connectCloudSuite(engine.profile, pool);
    let checked = 0;
    for await (const page of adapter.purchaseOrdersChangedSince(new Date(0), 50)) {
      for (const po of page.orders) {
        const vendor = ctx.vendors.get(po.vendorNumber);
        const errors = validatePurchaseOrder(ctx, po, vendor?.currency ?? null).filter((e) => e.rule !== 'supplier active');
        expect(errors.map((e) => e.message)).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBe(30);
  });
});

describe('mapping API against the cached reference data', () => {
  it('imports with per-row results, exports the same text, lists, sets, deletes and undoes', async () => {
    const vendors = rows('SLVendors');
    const active = vendors.filter((v) => v.Stat === 'A').slice(0, 3).map((v) => v.VendNum!);
    const inactive = vendors.find((v) => v.Stat === 'I')!.VendNum!;
    const csv = ['vendor_number,jaggaer_supplier_number,bravo_id,note', ...active.map((v, i) => `${v},S-${i},,`), `${inactive},S-9,,`, 'V404404,S-4,,'].join('\r\n');

    const refused = await dispatch(engine.handlers, 'importMappings', { kind: 'supplier', csv });
    expect(refused.ok).toBe(true);
    const result = (refused as { value: { stored: number; bad: number; rows: { row: number; ok: boolean; reason: string | null }[] } }).value;
    expect(result.stored).toBe(0);
    expect(result.rows.filter((r) => !r.ok).map((r) => r.reason)).toEqual([
      `Vendor ${inactive} is inactive in CloudSuite.`,
      "Vendor V404404 is not in CloudSuite's vendor list.",
    ]);
    expect((await engine.handlers.listMappings({ kind: 'supplier' })).mappings).toEqual([]);

    const partial = await engine.handlers.importMappings({ kind: 'supplier', csv, partial: true });
    expect(partial.stored).toBe(3);
    const listed = await engine.handlers.listMappings({ kind: 'supplier' });
    expect(listed.mappings.map((m) => m.key)).toEqual([...active].sort());
    expect(listed.lastChange).toMatchObject({ action: 'import', count: 3 });
    expect(listed.unmapped).toMatch(/same number/);

    const { csv: exported } = await engine.handlers.exportMappings({ kind: 'supplier' });
    expect(exported.split('\n').slice(1, -1)).toEqual([...active].sort().map((v) => `${v},S-${active.indexOf(v)},,`));

    const set = await dispatch(engine.handlers, 'setMapping', { kind: 'supplier', key: active[0]!, value: { supplierNumber: 'S-NEW' }, note: 'renamed' });
    expect(set).toMatchObject({ ok: true, value: { key: active[0], value: { supplierNumber: 'S-NEW' }, note: 'renamed' } });
    const unknown = await dispatch(engine.handlers, 'setMapping', { kind: 'supplier', key: 'V404404', value: { supplierNumber: 'S-1' } });
    expect(unknown).toEqual({ ok: false, error: { code: 'invalid_input', message: "The supplier mapping for V404404 cannot be saved: vendor V404404 is not in CloudSuite's vendor list." } });
    const badKind = await dispatch(engine.handlers, 'listMappings', { kind: 'colour' });
    expect(badKind.ok).toBe(false);

    expect(await engine.handlers.undoMapping({ kind: 'supplier' })).toMatchObject({ undone: { action: 'set', count: 1 } });
    expect((await engine.handlers.exportMappings({ kind: 'supplier' })).csv).toBe(exported);
    expect(await engine.handlers.deleteMapping({ kind: 'supplier', key: active[1]! })).toEqual({ deleted: true });
    expect(await engine.handlers.undoMapping({ kind: 'supplier' })).toMatchObject({ undone: { action: 'delete' } });
    expect(await engine.handlers.undoMapping({ kind: 'supplier' })).toEqual({ undone: null });
    expect((await engine.handlers.exportMappings({ kind: 'supplier' })).csv).toBe(exported);
  });
});
