import { useCallback, useEffect, useState } from 'react';
import type { AuditEvent, FerryApi, RunSummary } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';

const actionLabel: Record<string, string> = {
  create: 'Created',
  update: 'Updated',
  unchanged: 'Unchanged',
  skip: 'Skipped',
  send: 'Send',
};

const time = (iso: string) => new Date(iso).toLocaleString();

export function ActivityPage({ api }: { api: FerryApi }) {
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [lastRun, setLastRun] = useState<RunSummary | null>(null);
  const [running, setRunning] = useState(false);

  const load = useCallback(async () => {
    const res = await api.listAudit({ limit: 500 });
    if (res.ok) {
      setEvents(res.value.events);
      setError(null);
    } else setError(res.error);
  }, [api]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), 10_000);
    return () => window.clearInterval(timer);
  }, [load]);

  const runNow = async () => {
    setRunning(true);
    const res = await api.runFlowNow({ flow: 'po-to-jaggaer' });
    setRunning(false);
    if (res.ok) setLastRun(res.value);
    else setError(res.error);
    await load();
  };

  return (
    <section>
      <header className="page-header">
        <h1>Activity</h1>
        <button type="button" onClick={runNow} disabled={running}>
          {running ? 'Sending purchase orders…' : 'Send purchase orders now'}
        </button>
      </header>
      {lastRun && (
        <p className="notice" role="status">
          Purchase orders to JAGGAER: {lastRun.counts.created} created, {lastRun.counts.updated} updated, {lastRun.counts.unchanged} unchanged,{' '}
          {lastRun.counts.skipped} skipped, {lastRun.counts.failed} failed{lastRun.error ? ` — ${lastRun.error}` : '.'}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {events === null ? (
        <p>Loading…</p>
      ) : events.length === 0 ? (
        <p className="empty">Nothing has moved yet. Connect CloudSuite and JAGGAER, then send purchase orders.</p>
      ) : (
        <table className="grid" aria-label="Activity">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Flow</th>
              <th scope="col">Record</th>
              <th scope="col">Action</th>
              <th scope="col">Status</th>
              <th scope="col">JAGGAER reference</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} className={`outcome-${e.outcome}`}>
                <td>{time(e.at)}</td>
                <td>{e.flow}</td>
                <td>
                  {e.recordType} {e.sourceKey}
                </td>
                <td>{actionLabel[e.action] ?? e.action}</td>
                <td>
                  <span className={`badge badge-${e.outcome}`}>{e.outcome === 'ok' ? (e.targetStatus ?? 'Done') : e.outcome === 'failed' ? 'Failed' : 'Skipped'}</span>
                </td>
                <td>{e.targetKey ?? '—'}</td>
                <td className="reason">{e.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
