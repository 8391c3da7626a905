import { Badge, Button, Card, CardHeader, MessageBar, MessageBarBody, Spinner, Text } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { Dashboard, FerryApi } from '../../shared/api';
import { flowLabels, numberText, whenText } from '../flow-labels';
import { routeHref } from '../route';
import { ActivityChart } from './ActivityChart';

// At a glance: is everything flowing? Per flow the last run, the next one, what moved and what waits; 30
// days of records moved and failures; webhook health; and a banner for anything a person must act on.

const outcomeBadge = { ok: ['success', 'Done'], partial: ['warning', 'Done, some wait'], failed: ['danger', 'Could not run'], running: ['informative', 'Running'] } as const;

export function DashboardPage({ api }: { api: FerryApi }) {
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const res = await api.dashboard({});
    if (res.ok) setData(res.value);
    else setError(res.error.message);
  }, [api]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 15_000);
    return () => clearInterval(timer);
  }, [load]);

  if (error) return <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!data) return <Spinner label="Loading the dashboard…" />;
  const everRan = data.flows.some((f) => f.lastRun);
  return (
    <section aria-label="Dashboard">
      <header className="page-header">
        <h1>Dashboard</h1>
        <Button onClick={() => void load()}>Refresh</Button>
      </header>
      {data.banners.map((b, i) => (
        <MessageBar key={i} intent={b.level} className="banner">
          <MessageBarBody>{b.message}</MessageBarBody>
        </MessageBar>
      ))}
      {!everRan && (
        <MessageBar intent="info" className="banner">
          <MessageBarBody>
            Nothing has run yet. Set up the connections (<a href={routeHref('setup')}>start the setup</a>), then run a flow from{' '}
            <a href={routeHref('schedules')}>Schedules</a>.
          </MessageBarBody>
        </MessageBar>
      )}
      <div className="flow-cards" role="list" aria-label="Flows">
        {data.flows.map((f) => {
          const r = f.lastRun;
          const badge = r ? outcomeBadge[r.outcome] : null;
          return (
            <Card key={f.flow} role="listitem" aria-label={flowLabels[f.flow]} className="flow-card">
              <CardHeader header={<Text weight="semibold">{flowLabels[f.flow]}</Text>} description={<Text size={200}>{f.flow}</Text>} />
              {f.notReady ? (
                <Text className="muted">Not set up: {f.notReady}</Text>
              ) : (
                <dl className="facts">
                  <dt>Last run</dt>
                  <dd>
                    {r ? (
                      <>
                        {whenText(r.startedAt)} {badge && <Badge appearance="tint" color={badge[0]}>{badge[1]}</Badge>}
                      </>
                    ) : (
                      'never'
                    )}
                  </dd>
                  {r && (
                    <>
                      <dt>Moved</dt>
                      <dd>
                        {numberText(r.counts.created)} created, {numberText(r.counts.updated)} updated, {numberText(r.counts.unchanged)} unchanged
                      </dd>
                    </>
                  )}
                  <dt>Next run</dt>
                  <dd>{f.nextRunAt ? whenText(f.nextRunAt) : f.schedule}</dd>
                  <dt>Waiting</dt>
                  <dd>{f.failuresWaiting > 0 ? <a href={routeHref('attention', { flow: f.flow })}>{numberText(f.failuresWaiting)} need attention</a> : 'nothing'}</dd>
                  {r && r.requests > 0 && (
                    <>
                      <dt>Requests</dt>
                      <dd>
                        {numberText(r.requests)} in the last run
                        {r.waitedMs > 0 ? `, ${Math.round(r.waitedMs / 1000)} s waiting for the request budget` : ''}
                        {data.cloudSuiteBudgetPerMinute ? ` (CloudSuite allows ${numberText(data.cloudSuiteBudgetPerMinute)}/min)` : ''}
                      </dd>
                    </>
                  )}
                  {r?.error && (
                    <>
                      <dt>Why</dt>
                      <dd className="reason">{r.error}</dd>
                    </>
                  )}
                </dl>
              )}
            </Card>
          );
        })}
      </div>
      <h2>The last 30 days</h2>
      <ActivityChart days={data.days} />
      <h2>Jira webhooks</h2>
      <p>
        {data.webhooks.mode === 'polling' ? 'Ferry polls Jira. ' : `Receiving Jira webhooks (${data.webhooks.active} active). `}
        {data.webhooks.message}
      </p>
    </section>
  );
}
