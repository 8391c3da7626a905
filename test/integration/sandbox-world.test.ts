import { describe, expect, it } from 'vitest';
import { FerryError } from '../../shared/errors';
import { startSandbox } from '../../electron/engine/sandbox';
import { generateWorld } from '../../electron/engine/sandbox/seed';
import { tempDir } from '../helpers/temp';

// The generated world: deterministic, sized by scale, and persistent across restarts.

describe('sandbox world', () => {
  it('is the same for the same seed and differs for another', () => {
    const origin = new Date('2026-11-01T00:00:00Z');
    const a = generateWorld({ seed: 11, scale: 'small', origin });
    expect(generateWorld({ seed: 11, scale: 'small', origin })).toEqual(a);
    expect(generateWorld({ seed: 12, scale: 'small', origin }).SLPos).not.toEqual(a.SLPos);
  });

  it('has the sizes the scale promises and a coherent chart, periods and projects', () => {
    const medium = generateWorld({ seed: 1, scale: 'medium', origin: new Date() });
    expect(medium.SLVendors).toHaveLength(200);
    expect(medium.SLPos).toHaveLength(2000);
    const vendors = new Set(medium.SLVendors!.map((v) => v.VendNum));
    expect(medium.SLPos!.every((p) => vendors.has(p.VendNum!))).toBe(true);
    const accounts = new Set(medium.SLCharts!.map((c) => c.Acct));
    expect(medium.SLPoItems!.every((l) => accounts.has(l.NonInvAcct!))).toBe(true);
    expect(medium.SLPeriods!.some((p) => p.Stat === 'C')).toBe(true);
    expect(medium.SLPeriods!.some((p) => p.Stat === 'O')).toBe(true);
    expect(medium.SLPos!.some((p) => p.Uf_ProjNum)).toBe(true);
    expect(medium.SLAptrxs!.length).toBeGreaterThan(0);
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
});
