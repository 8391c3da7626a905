import type { AuditEventDetail } from '../../shared/api';
import type { AuditExportFile, RecordLink } from '../../shared/audit';
import { FerryError } from '../../shared/errors';
import { getAuditEvent, type AuditFilters } from './store/audit';
import { exportAuditBytes, type AuditExportFormat } from './store/audit-export';
import { connectionConfig } from './store/connections';
import type { Db } from './store/db';

// The Activity screen's view of the audit trail beyond listing it: one event in full with where its records
// live, and the current filter as a file to download.

export function auditEventDetail(db: Db, id: number): AuditEventDetail {
  const event = getAuditEvent(db, id);
  if (!event) {
    throw new FerryError('not_found', `Event #${id} is not in the audit trail any more (retention may have removed it). Reload the Activity list.`);
  }
  const links = [recordLink(db, 'source', event.sourceSystem, event.sourceKey)];
  if (event.targetSystem && event.targetKey) links.push(recordLink(db, 'target', event.targetSystem, event.targetKey));
  return { ...event, links };
}

const systemNames: Record<string, string> = { cloudsuite: 'CloudSuite', jaggaer: 'JAGGAER', jira: 'Jira', ferry: 'Ferry' };
const JIRA_ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

/**
 * A web address for the record where one can be built from what the profile knows for certain: a Jira issue's
 * page is <site>/browse/<key> on Cloud and Data Center alike. CloudSuite and JAGGAER connections hold API
 * addresses only, and their page addresses differ per tenant, so Ferry says how to find the record instead of
 * guessing an address.
 */
export function recordLink(db: Db, side: RecordLink['side'], system: string, key: string): RecordLink {
  const name = systemNames[system] ?? system;
  const none = (note: string): RecordLink => ({ side, system, key, url: null, note });
  if (system === 'jira') {
    const site = jiraSite(db);
    if (!site) return none(`Jira is not connected in this profile, so Ferry has no address for ${key}; look it up in Jira.`);
    if (!JIRA_ISSUE_KEY.test(key)) return none(`${key} is not a Jira issue key, so there is no issue page to open; look it up in Jira.`);
    return { side, system, key, url: `${site}/browse/${encodeURIComponent(key)}`, note: `Open ${key} in Jira` };
  }
  if (system === 'ferry') return none('Ferry itself: there is nothing to open.');
  return none(`Ferry cannot build a web address for a ${name} record (the connection holds only the API address): search for ${key} in ${name}.`);
}

function jiraSite(db: Db): string | null {
  const base = (connectionConfig(db, 'jira')?.config as { baseUrl?: unknown } | undefined)?.baseUrl;
  if (typeof base !== 'string') return null;
  try {
    const url = new URL(base);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

const mimeTypes: Record<AuditExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export async function exportAuditFile(db: Db, input: AuditFilters & { format: AuditExportFormat }, now = new Date()): Promise<AuditExportFile> {
  const { format, ...filters } = input;
  const { bytes, rows } = await exportAuditBytes(db, filters, format);
  const stamp = now.toISOString().slice(0, 16).replace('T', '-').replace(':', '');
  return { fileName: `ferry-audit-${stamp}.${format}`, mimeType: mimeTypes[format], base64: bytes.toString('base64'), rows, bytes: bytes.length };
}
