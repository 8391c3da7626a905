import type { AuditEvent, FlowCounts, RunSummary } from '../../shared/api';
import type { IonapiSummary } from '../../shared/api';
import type { FlowProgress } from './sync/flow-context';

// How the `ferry` command talks to a person: short lines, finance words, and with --json exactly one JSON
// object as the last line of stdout for scripts.

export function countsLine(c: FlowCounts): string {
  return `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed`;
}

export function runLine(r: RunSummary): string {
  const secs = r.finishedAt ? ((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1) : '?';
  const head = `${r.flow}: ${countsLine(r.counts)} (${r.requests} requests, ${secs} s)`;
  if (r.outcome === 'failed') return `${head}\n  The run stopped: ${r.error ?? 'unknown reason'}`;
  if (r.counts.failed > 0) return `${head}\n  ${r.counts.failed} record(s) wait in the failures queue with the reason; fix the cause and replay them.`;
  return head;
}

export function flowsJson(runs: RunSummary[]): Record<string, FlowCounts & { outcome: string; runId: string; requests: number; error: string | null }> {
  return Object.fromEntries(runs.map((r) => [r.flow, { ...r.counts, outcome: r.outcome, runId: r.runId, requests: r.requests, error: r.error }]));
}

export function ionapiLines(s: IonapiSummary): string {
  const present = (b: boolean) => (b ? 'present' : 'missing');
  const kind = s.kind === 'backend-service' ? 'Backend Service (password grant with a service account)' : 'Backend (client-credentials grant)';
  return [
    `Tenant:       ${s.tenant}`,
    `App name:     ${s.appName}`,
    `Kind:         ${kind}`,
    `Grant type:   ${s.grantType}`,
    `Token URL:    ${s.tokenUrl}`,
    `API base:     ${s.apiBase}`,
    `Environment:  ${s.environment ?? '(not given)'}`,
    `Secrets:      client secret ${present(s.secretsPresent.clientSecret)}` +
      (s.grantType === 'password'
        ? `, service-account access key ${present(s.secretsPresent.serviceAccountAccessKey)}, service-account secret key ${present(s.secretsPresent.serviceAccountSecretKey)}`
        : ''),
  ].join('\n');
}

export function auditTable(events: AuditEvent[]): string {
  if (events.length === 0) return 'No activity yet.';
  const rows = events.map((e) => [String(e.id), e.at.replace('T', ' ').slice(0, 19), e.flow, e.sourceKey, e.action, e.outcome, e.targetKey ?? '', e.reason ?? '']);
  const head = ['#', 'Time (UTC)', 'Flow', 'Record', 'Action', 'Status', 'Target ref', 'Reason'];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]) => r.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n');
}

/** A one-line progress indicator on stderr, only when a person is watching a terminal. */
export function progressPrinter(stream: NodeJS.WriteStream): { update(p: FlowProgress): void; done(): void } {
  let shown = false;
  return {
    update(p) {
      if (!stream.isTTY) return;
      shown = true;
      stream.write(`\r${p.flow}: page ${p.page}, ${p.processed} records… (${countsLine(p.counts)})`.padEnd(100).slice(0, 100));
    },
    done() {
      if (shown) stream.write('\r'.padEnd(101) + '\r');
    },
  };
}
