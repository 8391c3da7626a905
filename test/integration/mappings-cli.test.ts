import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { sandboxDir } from '../../electron/engine/paths';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { lastJsonLine, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// `ferry reference …` and `ferry mappings …` as a person runs them, on a data folder made by
// `ferry demo --once`; the demo's sandbox is started again (same world) so that the refresh has a CloudSuite.

let tmp: ReturnType<typeof tempDir>;
let dataDir: string;
let sandbox: Sandbox;

const ferry = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);
const file = (name: string, content: string) => {
  const p = path.join(tmp.dir, name);
  fs.writeFileSync(p, content);
  return p;
};

beforeAll(async () => {
  tmp = tempDir();
  dataDir = path.join(tmp.dir, 'data');
  const demo = await runCli(['demo', '--once', '--json', '--data-dir', dataDir]);
  expect(demo.code, demo.stderr).toBe(0);
  sandbox = await startSandbox({ dir: sandboxDir(dataDir) });
  const engine = await Engine.open({ dataDir, log: createLogger(dataDir) });
  try {
    connectToSandbox(engine, sandbox);
  } finally {
    engine.close();
  }
});

afterAll(async () => {
  await sandbox?.close();
  tmp.remove();
});

const vendors = () => sandbox.runtime().ido.rows('SLVendors');
const activeVendors = () => vendors().filter((v) => v.Stat === 'A').map((v) => v.VendNum!);

describe('ferry reference', () => {
  it('refresh prints the counts per kind (exit 0), status shows them', async () => {
    const r = await ferry('reference', 'refresh', '--json');
    expect(r.code, r.stderr).toBe(0);
    const ido = sandbox.runtime().ido;
    expect(lastJsonLine(r.stdout)).toMatchObject({
      counts: {
        vendor: vendors().length,
        'gl-account': ido.rows('SLCharts').length,
        'cost-center': ido.rows('SLUnitcd1s').length,
        project: ido.rows('SLProjs').length,
      },
      skipped: [],
      failed: [],
    });
    const text = await ferry('reference', 'refresh');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`vendors         ${vendors().length}`);
    // Fiscal periods are not cached: Ferry asks CloudSuite about each posting date instead.
    expect(text.stdout).not.toMatch(/period/i);

    const status = await ferry('reference', 'status', '--json');
    const kinds = (lastJsonLine(status.stdout) as { kinds: { kind: string; count: number; refreshedAt: string | null }[] }).kinds;
    expect(kinds.find((k) => k.kind === 'vendor')).toMatchObject({ count: vendors().length });
    expect(kinds.map((k) => k.kind).sort()).toEqual(['cost-center', 'gl-account', 'project', 'vendor']);
  });
});

describe('ferry mappings', () => {
  it('import: bad rows → exit 2 with row numbers and reasons, nothing stored; --partial stores the good ones', async () => {
    const [a, b] = activeVendors();
    const csv = file('suppliers.csv', `\uFEFFvendor_number,jaggaer_supplier_number,bravo_id,note\r\n${a},S-A,,\r\nV404404,S-X,,\r\n${b},S-B,B-2,second\r\n`);

    const refused = await ferry('mappings', 'import', 'supplier', csv);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('Nothing was stored: 1 of 3 row(s) cannot be used.');
    expect(refused.stdout).toContain("  row 3: Vendor V404404 is not in CloudSuite's vendor list.");
    expect(refused.stderr).toContain(`Nothing from ${csv} was stored: 1 row(s) cannot be used.`);
    const empty = await ferry('mappings', 'list', 'supplier', '--json');
    expect(lastJsonLine(empty.stdout)).toEqual({ kind: 'supplier', mappings: [] });

    const partial = await ferry('mappings', 'import', 'supplier', csv, '--partial', '--json');
    expect(partial.code).toBe(2);
    expect(lastJsonLine(partial.stdout)).toMatchObject({ stored: 2, bad: 1, partial: true, rows: [{ row: 2, ok: true }, { row: 3, ok: false }, { row: 4, ok: true }] });
    const listed = await ferry('mappings', 'list', 'supplier', '--json');
    expect((lastJsonLine(listed.stdout) as { mappings: { key: string; value: unknown }[] }).mappings.map((m) => [m.key, m.value])).toEqual([
      [a, { supplierNumber: 'S-A' }],
      [b, { supplierNumber: 'S-B', bravoId: 'B-2' }],
    ]);
    const table = await ferry('mappings', 'list', 'supplier');
    expect(table.stdout).toContain('S-B (Bravo id B-2)');
    expect(table.stdout).toContain('An unmapped vendor goes to JAGGAER as the supplier with the same number');
  });

  it('export → import round trip; export refuses to overwrite without --force', async () => {
    const out = path.join(tmp.dir, 'export.csv');
    const first = await ferry('mappings', 'export', 'supplier', out);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Wrote 2 supplier mapping(s)');
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFFvendor_number,jaggaer_supplier_number,bravo_id,note\n')).toBe(true);

    const again = await ferry('mappings', 'export', 'supplier', out);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; use --force to replace it.');
    expect((await ferry('mappings', 'export', 'supplier', out, '--force')).code).toBe(0);

    const back = await ferry('mappings', 'import', 'supplier', out);
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(back.stdout).toContain('Stored 2 supplier mapping(s).');
    expect((await ferry('mappings', 'export', 'supplier', out, '--force')).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(text);
  });

  it('set and undo', async () => {
    const a = activeVendors()[0]!;
    const set = await ferry('mappings', 'set', 'supplier', a, 'supplierNumber=S-NEW', '--note', 'renamed', '--json');
    expect(set.code, set.stderr).toBe(0);
    expect(lastJsonLine(set.stdout)).toMatchObject({ key: a, value: { supplierNumber: 'S-NEW' }, note: 'renamed' });
    const terms = await ferry('mappings', 'set', 'payment-terms', 'N30', 'Net 30');
    expect(terms.code, terms.stderr).toBe(0);

    const undo = await ferry('mappings', 'undo', 'supplier');
    expect(undo.code).toBe(0);
    expect(undo.stdout).toMatch(/^Undid the set of 1 supplier mapping\(s\) made at /);
    const listed = await ferry('mappings', 'list', 'supplier', '--json');
    expect((lastJsonLine(listed.stdout) as { mappings: { key: string; value: unknown }[] }).mappings[0]).toMatchObject({ key: a, value: { supplierNumber: 'S-A' } });
    const nothing = await ferry('mappings', 'undo', 'supplier');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('There is no change to the supplier mappings to undo.');
  });

  it('bad input exits 2 with a sentence', async () => {
    const unknown = await ferry('mappings', 'set', 'supplier', 'V404404', 'supplierNumber=S-1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("The supplier mapping for V404404 cannot be saved: vendor V404404 is not in CloudSuite's vendor list.");
    const notPair = await ferry('mappings', 'set', 'site', 'MAIN', 'HQ');
    expect(notPair.code).toBe(2);
    expect(notPair.stderr).toContain('"HQ" is not a name=value pair; a site mapping takes shipTo=… [businessUnit=…].');
    expect((await ferry('mappings', 'delete', 'site', 'MAIN')).code).toBe(2);

    const kind = await ferry('mappings', 'list', 'colour');
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('there is no mapping kind "colour"; the kinds are: supplier, gl-account, cost-center, site, payment-terms, jira-project, labour-rate, jira-role.');
    const header = await ferry('mappings', 'import', 'cost-center', file('cc.csv', 'code,value\nCC100,X\n'));
    expect(header.code).toBe(2);
    expect(header.stderr).toContain('The first row of a cost center mapping file must name its columns cost_center, jaggaer_value, note (note may be left out); this file\'s first row is "code,value".');
    const missing = await ferry('mappings', 'import', 'cost-center', path.join(tmp.dir, 'nope.csv'));
    expect(missing.code).toBe(2);
  });
});
