import { toErrorInfo } from '../../../shared/errors';
import type { CloudSuiteAdapter } from '../connectors/cloudsuite/adapter';
import { connectCloudSuite } from '../connectors/connect';
import { loadNetworkSettings, toNetwork } from '../http/network-settings';
import { HttpPool } from '../http/pool';
import type { Logger } from '../log';
import type { Profile } from '../store/profile';
import { replaceReference, type ReferenceData, type ReferenceKind } from '../store/reference';

// Reads CloudSuite's reference lists into the cache: on demand (CLI, API) and on a schedule (the scheduler
// calls `refreshReferenceNow`). Each kind is read whole and then replaced in its own transaction, so a list
// that could not be read keeps its previous contents and the others are still brought up to date.

export interface ReferenceRefresh {
  refreshedAt: string;
  /** Items now cached, per kind that was read. */
  counts: Partial<Record<ReferenceKind, number>>;
  /** Kinds this CloudSuite product cannot list. */
  skipped: ReferenceKind[];
  /** Kinds that could not be read; their cached lists are unchanged. */
  failed: { kind: ReferenceKind; code: string; message: string }[];
}

export async function refreshReference(profile: Profile, adapter: CloudSuiteAdapter, now: () => Date = () => new Date()): Promise<ReferenceRefresh> {
  const result: ReferenceRefresh = { refreshedAt: now().toISOString(), counts: {}, skipped: [], failed: [] };
  const step = async <K extends ReferenceKind>(kind: K, read: (() => Promise<ReferenceData[K][]>) | null) => {
    if (!read) {
      result.skipped.push(kind);
      return;
    }
    try {
      const items = await read();
      result.counts[kind] = replaceReference(profile.db, kind, items, now());
    } catch (err) {
      const info = toErrorInfo(err);
      result.failed.push({ kind, code: info.code, message: info.message });
    }
  };
  // One list at a time: CloudSuite serves a session's requests one after another anyway.
  await step('vendor', () => adapter.listVendors());
  await step('gl-account', () => adapter.listGlAccounts());
  await step('cost-center', () => adapter.listCostCenters());
  await step('project', () => adapter.listProjects());
  return result;
}

/** Connects to the profile's CloudSuite and refreshes every list; what the CLI, the API and the scheduler call. */
export async function refreshReferenceNow(profile: Profile, log?: Logger): Promise<ReferenceRefresh & { requests: number }> {
  const pool = new HttpPool({ ...toNetwork(loadNetworkSettings(profile.db)) });
  const { adapter } = connectCloudSuite(profile, pool);
  const result = await refreshReference(profile, adapter);
  const requests = pool.totals().requests;
  log?.info({ counts: result.counts, failed: result.failed, requests }, 'reference data refreshed');
  return { ...result, requests };
}
