import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  InlineDrawer,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { AuditEvent, AuditEventDetail, FerryApi } from '../../shared/api';
import { asCapture, prettyBody, type CaptureView } from '../audit-browse';
import { actionLabel, flowLabel, StatusBadge, timeText } from './ActivityTable';

// One event in full: what happened, where the record lives, the record's history across runs, and the exchange
// Ferry captured (secrets were removed before it was stored; nothing else is shown).

const useStyles = makeStyles({
  drawer: { width: '440px', maxWidth: '45vw', borderLeft: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1 },
  section: { margin: '14px 0 4px', fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 14px', margin: 0 },
  dt: { fontWeight: tokens.fontWeightSemibold },
  dd: { margin: 0, overflowWrap: 'anywhere' },
  timeline: { listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: '2px' },
  step: { display: 'grid', gridTemplateColumns: '1fr auto', gap: '2px 8px', padding: '6px 8px', borderRadius: tokens.borderRadiusMedium },
  stepCurrent: { backgroundColor: tokens.colorBrandBackground2 },
  stepButton: { textAlign: 'left', background: 'none', border: 'none', padding: 0, color: tokens.colorBrandForegroundLink, cursor: 'pointer', font: 'inherit', textDecoration: 'underline' },
  muted: { color: tokens.colorNeutralForeground3 },
  pre: {
    margin: '4px 0',
    padding: '8px',
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    maxHeight: '320px',
    overflow: 'auto',
  },
  links: { listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: '6px' },
});

export interface ActivityDetailProps {
  api: FerryApi;
  eventId: number;
  onClose(): void;
  /** Another event of the same record was chosen in the timeline. */
  onSelect(id: number): void;
}

export function ActivityDetail({ api, eventId, onClose, onSelect }: ActivityDetailProps) {
  const styles = useStyles();
  const [detail, setDetail] = useState<AuditEventDetail | null>(null);
  const [timeline, setTimeline] = useState<{ events: AuditEvent[]; total: number; nextBeforeId: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    void api.getAuditEvent({ id: eventId }).then(async (res) => {
      if (!live) return;
      if (!res.ok) {
        setError(res.error.message);
        return;
      }
      setDetail(res.value);
      const tl = await api.recordTimeline({ sourceSystem: res.value.sourceSystem, sourceKey: res.value.sourceKey, limit: 100 });
      if (!live) return;
      if (tl.ok) setTimeline(tl.value);
      else setError(`The history of this record could not be read: ${tl.error.message}`);
    });
    return () => {
      live = false;
    };
  }, [api, eventId]);

  const older = useCallback(async () => {
    if (!detail || !timeline?.nextBeforeId) return;
    const res = await api.recordTimeline({ sourceSystem: detail.sourceSystem, sourceKey: detail.sourceKey, limit: 100, beforeId: timeline.nextBeforeId });
    if (res.ok) setTimeline({ ...res.value, events: [...timeline.events, ...res.value.events] });
    else setError(`Older events of this record could not be read: ${res.error.message}`);
  }, [api, detail, timeline]);

  const shown = detail && detail.id === eventId ? detail : null;
  return (
    <InlineDrawer open position="end" separator className={styles.drawer} role="region" aria-label="Event details">
      <DrawerHeader>
        <DrawerHeaderTitle action={<Button appearance="subtle" aria-label="Close details" onClick={onClose}>Close</Button>}>
          {shown ? `${shown.recordType} ${shown.sourceKey}` : `Event #${eventId.toLocaleString()}`}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>{error} Close this panel and choose the event again; if it keeps failing, check that Ferry is still running.</MessageBarBody>
          </MessageBar>
        )}
        {!shown && !error && <Spinner size="small" label="Loading the event…" />}
        {shown && (
          <>
            <dl className={styles.facts}>
              <dt className={styles.dt}>When</dt>
              <dd className={styles.dd}>{timeText(shown.at)}</dd>
              <dt className={styles.dt}>Flow</dt>
              <dd className={styles.dd}>{flowLabel(shown.flow)}</dd>
              <dt className={styles.dt}>What Ferry did</dt>
              <dd className={styles.dd}>
                {actionLabel(shown.action)} <StatusBadge event={shown} />
              </dd>
              <dt className={styles.dt}>Source</dt>
              <dd className={styles.dd}>
                {systemName(shown.sourceSystem)} {shown.sourceKey}
              </dd>
              <dt className={styles.dt}>Target</dt>
              <dd className={styles.dd}>{shown.targetSystem ? `${systemName(shown.targetSystem)} ${shown.targetKey ?? '(no reference yet)'}` : '—'}</dd>
              {shown.reason && (
                <>
                  <dt className={styles.dt}>Why</dt>
                  <dd className={styles.dd}>{shown.reason}</dd>
                </>
              )}
              <dt className={styles.dt}>Run</dt>
              <dd className={styles.dd}>{shown.runId ?? 'not part of a run'}</dd>
              <dt className={styles.dt}>Audit event</dt>
              <dd className={styles.dd}>
                #{shown.id.toLocaleString()} · hash <code title={shown.hash}>{shown.hash.slice(0, 16)}…</code>
              </dd>
            </dl>

            <h3 className={styles.section}>Open the record</h3>
            <ul className={styles.links}>
              {shown.links.map((l) => (
                <li key={l.side}>
                  <Text weight="semibold">{l.side === 'source' ? 'Source' : 'Target'}: </Text>
                  {l.url ? (
                    <Link href={l.url} target="_blank" rel="noopener noreferrer">
                      {l.note}
                    </Link>
                  ) : (
                    <Text>{l.note}</Text>
                  )}
                </li>
              ))}
            </ul>

            <h3 className={styles.section}>This record across runs{timeline ? ` (${timeline.total.toLocaleString()} events)` : ''}</h3>
            {!timeline ? (
              <Spinner size="tiny" label="Loading its history…" />
            ) : (
              <>
                <ol className={styles.timeline} aria-label="Record timeline">
                  {timeline.events.map((e) => (
                    <li key={e.id} className={`${styles.step} ${e.id === shown.id ? styles.stepCurrent : ''}`} aria-current={e.id === shown.id ? 'true' : undefined}>
                      {e.id === shown.id ? (
                        <Text weight="semibold">{timeText(e.at)} (this event)</Text>
                      ) : (
                        <button type="button" className={styles.stepButton} onClick={() => onSelect(e.id)}>
                          {timeText(e.at)}
                        </button>
                      )}
                      <StatusBadge event={e} />
                      <Text size={200} className={styles.muted}>
                        {actionLabel(e.action)} · {flowLabel(e.flow)}
                        {e.targetKey ? ` · ${e.targetKey}` : ''}
                      </Text>
                    </li>
                  ))}
                </ol>
                {timeline.nextBeforeId !== null && (
                  <Button size="small" onClick={() => void older()}>
                    Show older events of this record
                  </Button>
                )}
              </>
            )}

            <h3 className={styles.section}>What was sent and received</h3>
            <Text size={200} className={styles.muted}>
              As Ferry stored it with the event: passwords, tokens and shared secrets were removed before it was written.
            </Text>
            <CaptureSection capture={shown.capture} />
          </>
        )}
      </DrawerBody>
    </InlineDrawer>
  );
}

const systemName = (s: string): string => ({ cloudsuite: 'CloudSuite', jaggaer: 'JAGGAER', jira: 'Jira', ferry: 'Ferry' })[s] ?? s;

function CaptureSection({ capture }: { capture: unknown }) {
  const styles = useStyles();
  if (capture === null || capture === undefined) {
    return <p className={styles.muted}>Nothing was captured with this event: Ferry sent nothing for it (for example, the record was unchanged or skipped).</p>;
  }
  const exchange: CaptureView | null = asCapture(capture);
  if (!exchange) {
    return (
      <pre className={styles.pre} role="group" aria-label="Captured data">
        {JSON.stringify(capture, null, 2)}
      </pre>
    );
  }
  return (
    <div role="group" aria-label="Captured exchange">
      <dl className={styles.facts}>
        <dt className={styles.dt}>Request</dt>
        <dd className={styles.dd}>
          <code>
            {exchange.method} {exchange.url}
          </code>
        </dd>
        <dt className={styles.dt}>Answer</dt>
        <dd className={styles.dd}>
          {exchange.status === null ? 'no answer' : `HTTP ${exchange.status}`}
          {exchange.ms !== null ? ` in ${exchange.ms.toLocaleString()} ms` : ''}
          {exchange.attempt !== null && exchange.attempt > 1 ? `, attempt ${exchange.attempt}` : ''}
        </dd>
        {exchange.error && (
          <>
            <dt className={styles.dt}>Error</dt>
            <dd className={styles.dd}>{exchange.error}</dd>
          </>
        )}
      </dl>
      {Object.keys(exchange.requestHeaders).length > 0 && (
        <>
          <Text weight="semibold">Request headers</Text>
          <pre className={styles.pre}>{Object.entries(exchange.requestHeaders).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
        </>
      )}
      <Text weight="semibold">Request body</Text>
      <pre className={styles.pre}>{exchange.requestBody === null ? '(empty)' : prettyBody(exchange.requestBody)}</pre>
      <Text weight="semibold">Response body</Text>
      <pre className={styles.pre}>{exchange.responseBody === null ? '(empty)' : prettyBody(exchange.responseBody)}</pre>
    </div>
  );
}
