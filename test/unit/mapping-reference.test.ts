import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FerryError } from '../../shared/errors';
import type { CloudSuiteAdapter } from '../../electron/engine/connectors/cloudsuite/adapter';
import { refreshReference } from '../../electron/engine/mapping/reference-refresh';
import { getReference, lookup, referenceAge } from '../../electron/engine/store/reference';
import { fixture, mappingDb, vendor, type MappingDb } from '../helpers/mapping-db';

// refreshReference over an adapter stand-in: the lists it returns, the kinds it lacks, a list that fails.

let env: MappingDb;
beforeEach(async () => {
  env = await mappingDb();
});
afterEach(() => env.close());

function adapter(over: Partial<CloudSuiteAdapter> = {}): CloudSuiteAdapter {
  return {
    listVendors: async () => fixture.vendors,
    listGlAccounts: async () => fixture.accounts,
    listCostCenters: async () => fixture.costCenters,
    listProjects: async () => fixture.projects,
    ...over,
  } as unknown as CloudSuiteAdapter;
}

describe('refreshReference', () => {
  it('reads every list and records when (fiscal periods are not cached: flows ask CloudSuite per date)', async () => {
    const at = new Date('2026-03-05T08:00:00.000Z');
    const r = await refreshReference(env.profile, adapter(), () => at);
    expect(r).toEqual({ refreshedAt: at.toISOString(), counts: { vendor: 3, 'gl-account': 4, 'cost-center': 3, project: 2 }, skipped: [], failed: [] });
    expect(lookup(env.profile.db, 'gl-account', '690900')).toMatchObject({ active: false });
    expect(referenceAge(env.profile.db, 'gl-account')).toMatchObject({ refreshedAt: at.toISOString(), count: 4 });
  });

  it('a list that cannot be read keeps its previous contents; the others are still refreshed', async () => {
    await refreshReference(env.profile, adapter(), () => new Date('2026-03-05T08:00:00.000Z'));
    const failing = adapter({
      listVendors: async () => [vendor('V009000')],
      listGlAccounts: async () => {
        throw new FerryError('permission', 'The service account may not read SLCharts.');
      },
    });
    const r = await refreshReference(env.profile, failing, () => new Date('2026-03-06T08:00:00.000Z'));
    expect(r.failed).toEqual([{ kind: 'gl-account', code: 'permission', message: 'The service account may not read SLCharts.' }]);
    expect(r.counts).toEqual({ vendor: 1, 'cost-center': 3, project: 2 });
    expect(getReference(env.profile.db, 'vendor').map((v) => v.number)).toEqual(['V009000']);
    expect(getReference(env.profile.db, 'gl-account')).toEqual(fixture.accounts);
    expect(referenceAge(env.profile.db, 'gl-account')?.refreshedAt).toBe('2026-03-05T08:00:00.000Z');
    expect(referenceAge(env.profile.db, 'vendor')?.refreshedAt).toBe('2026-03-06T08:00:00.000Z');
  });
});
