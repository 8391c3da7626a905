import { describe, expect, it } from 'vitest';
import { FerryError } from '../../shared/errors';
import { startSandbox } from '../../electron/engine/sandbox';
import { generateWorld } from '../../electron/engine/sandbox/seed';
import { Clock, createContext } from '../../electron/engine/sandbox/context';
import { IdoTables } from '../../electron/engine/sandbox/ido-tables';
import { generateJaggaer } from '../../electron/engine/sandbox/jaggaer/index';
import { generateJira } from '../../electron/engine/sandbox/jira/index';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// The generated world: deterministic, sized by scale, hung off its own origin, and persistent across restarts.

describe('sandbox world', () => {
  it('is the same for the same seed and differs for another', () => {
    const origin = new Date('2026-11-01T00:00:00Z');
    const a = generateWorld({ seed: 11, scale: 'small', origin });
    expect(generateWorld({ seed: 11, scale: 'small', origin })).toEqual(a);
    expect(generateWorld({ seed: 12, scale: 'small', origin }).SLPos).not.toEqual(a.SLPos);
  });

  it('has the sizes the scale promises and a coherent chart, periods and projects', () => {
    const medium = generateWorld({ seed: 1, scale: 'medium', origin: TEST_ORIGIN });
    expect(medium.SLVendors).toHaveLength(200);
    expect(medium.SLPos).toHaveLength(2000);
    const vendors = new Set(medium.SLVendors!.map((v) => v.VendNum));
    expect(medium.SLPos!.every((p) => vendors.has(p.VendNum!))).toBe(true);
    const accounts = new Set(medium.SLCharts!.map((c) => c.Acct));
    expect(medium.SLPoItems!.every((l) => accounts.has(l.NonInvAcct!))).toBe(true);
    expect(medium.SLPeriods!.some((p) => p.Stat === 'C')).toBe(true);
    expect(medium.SLPeriods!.some((p) => p.Stat === 'O')).toBe(true);
    expect(medium.SLPos!.some((p) => p.Uf_ProjNum)).toBe(true);
    // History: posted vouchers with their ledger lines, which balance per voucher.
    expect(medium.SLAptrxps!.length).toBeGreaterThan(0);
    const sums = new Map<string, number>();
    for (const l of medium.SLLedgers!.filter((x) => x.Voucher)) sums.set(`${l.VendNum}|${l.Voucher}`, (sums.get(`${l.VendNum}|${l.Voucher}`) ?? 0) + Math.round(Number(l.DomAmount) * 100));
    expect(sums.size).toBe(medium.SLAptrxps!.length);
    expect([...sums.values()].every((c) => c === 0)).toBe(true);
    expect(new Set(medium.SLPos!.map((p) => p.Whse)).size).toBe(4);
  });

  it('continues where it left off after a restart, changes included', async () => {
    const tmp = tempDir();
    try {
      const first = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST'], seed: 5 });
      const secret = first.runtime().config.apps[0]!.clientSecret;
      const created = first.addActivity('FERRY_TST', { newPos: 2, changedPos: 1 }) as { cloudsuite: { created: string[]; changed: string[] } };
      const changedPo = created.cloudsuite.changed[0]!;
      const changedDate = first.runtime().ido.find('SLPos', (p) => p.PoNum === changedPo)!.RecordDate;
      const count = first.runtime().ido.rows('SLPos').length;
      await first.close();

      const second = await startSandbox({ dir: tmp.dir });
      expect(second.seed).toBe(5);
      expect(second.runtime().config.apps[0]!.clientSecret).toBe(secret);
      expect(second.runtime().ido.rows('SLPos')).toHaveLength(count);
      for (const po of created.cloudsuite.created) expect(second.runtime().ido.find('SLPos', (p) => p.PoNum === po)).toBeDefined();
      expect(second.runtime().ido.find('SLPos', (p) => p.PoNum === changedPo)!.RecordDate).toBe(changedDate);
      await second.close();

      await expect(startSandbox({ dir: tmp.dir, seed: 6 })).rejects.toSatisfy(
        (e: unknown) => e instanceof FerryError && e.code === 'sandbox_world_mismatch' && /seed 5/.test(e.message),
      );
    } finally {
      tmp.remove();
    }
  });

  it('hangs every generated date off its origin, not off the clock: the same seed and origin give the same world on any day', () => {
    const origin = TEST_ORIGIN.getTime();
    const at = (offsetMs: number) => {
      const clock = new Clock(offsetMs);
      const ctx = createContext({ seed: 3, scale: 'small', origin, clock });
      const tenant = { id: 'FERRY_TST', ido: new IdoTables(generateWorld({ seed: 3, scale: 'small', origin: TEST_ORIGIN }), {}, clock, () => undefined) };
      return { jaggaer: generateJaggaer(ctx, tenant), jira: generateJira(ctx, tenant) };
    };
    // Generated today, and as if generated 400 days later with the same origin.
    const today = at(0);
    const later = at(400 * 86_400_000);
    expect(later.jaggaer.invoices).toEqual(today.jaggaer.invoices);
    expect(later.jaggaer.suppliers).toEqual(today.jaggaer.suppliers);
    expect(later.jira.issues).toEqual(today.jira.issues);
    expect(later.jira.worklogs).toEqual(today.jira.worklogs);
    // Nothing generated lies after the origin.
    expect(today.jaggaer.invoices.every((i) => Date.parse(i.lastUpdate) < origin)).toBe(true);
    expect(today.jira.worklogs.every((w) => w.updated < origin)).toBe(true);
  });

  it('keeps its origin and its clock across restarts, and refuses to start another origin in the same folder', async () => {
    const tmp = tempDir();
    try {
      const first = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST'], seed: 5, origin: TEST_ORIGIN });
      expect(first.origin).toEqual(TEST_ORIGIN);
      expect(Math.abs(first.clock.now() - TEST_ORIGIN.getTime())).toBeLessThan(60_000);
      first.clock.advance(3 * 86_400_000);
      await first.close();

      const second = await startSandbox({ dir: tmp.dir });
      expect(second.origin).toEqual(TEST_ORIGIN);
      // The world's time ran on from where it was (three days on, plus the seconds this test took).
      expect(second.clock.now() - TEST_ORIGIN.getTime()).toBeGreaterThanOrEqual(3 * 86_400_000);
      expect(second.clock.now() - TEST_ORIGIN.getTime()).toBeLessThan(3 * 86_400_000 + 60_000);
      await second.close();

      await expect(startSandbox({ dir: tmp.dir, origin: new Date('2027-02-28T00:00:00Z') })).rejects.toSatisfy(
        (e: unknown) => e instanceof FerryError && e.code === 'sandbox_world_mismatch' && e.message.includes(TEST_ORIGIN.toISOString()),
      );
    } finally {
      tmp.remove();
    }
  });
});
