import { useEffect, useState } from 'react';
import type { FerryApi, WebhookReport } from '../../shared/api';

// Whether Jira's changes reach Ferry by webhook or by polling, each registration's expiry, and what the
// receiver did with deliveries. The delivery address is shown masked: the hook token never reaches the UI.

const modeText = { dynamic: 'Receiving Jira webhooks (OAuth 2.0 app)', admin: 'Receiving Jira webhooks (admin webhook)', polling: 'Polling Jira' } as const;
const counterText = { accepted: 'accepted', duplicate: 'duplicates dropped', bad_signature: 'bad signature', unknown_hook: 'unknown address', malformed: 'not a Jira event' } as const;

export function JiraWebhooks({ api }: { api: FerryApi }) {
  const [report, setReport] = useState<WebhookReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api.webhookStatus({}).then((res) => (res.ok ? setReport(res.value) : setError(res.error.message)));
  }, [api]);

  if (error) return <p className="error" role="alert">{error}</p>;
  if (!report) return null;
  return (
    <section aria-label="Jira webhooks" className="webhooks">
      <h2>Jira: {modeText[report.mode]}</h2>
      <p>{report.message}</p>
      {report.webhooks.length > 0 && (
        <table aria-label="Jira webhook registrations">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Delivers to</th>
              <th>Watches</th>
              <th>Expires</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {report.webhooks.map((w) => (
              <tr key={`${w.kind}-${w.id}`}>
                <td>{w.kind === 'dynamic' ? 'Dynamic (30 days, refreshed ahead)' : 'Admin (signed)'}</td>
                <td>{w.url}</td>
                <td>{w.jql}</td>
                <td>{w.expiresAt ? `${new Date(w.expiresAt).toLocaleDateString()} (${w.daysLeft} days left)` : 'never'}</td>
                <td>
                  {w.state}
                  {w.lastError && <div className="fix">{w.lastError}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted" aria-label="Webhook deliveries">
        Deliveries: {(Object.keys(counterText) as (keyof typeof counterText)[]).map((k) => `${report.counters[k]} ${counterText[k]}`).join(' · ')}
      </p>
    </section>
  );
}
