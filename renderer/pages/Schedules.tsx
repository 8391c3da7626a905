import { Badge, Button, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, ProgressBar, Spinner, Text } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { schedulePresets, type FerryApi, type FlowName, type RunSummary, type Schedule } from '../../shared/api';
import { flowLabels, numberText, whenText } from '../flow-labels';

// When each flow runs by itself: presets for the procurement cycle, a schedule of one's own explained in
// words before it is saved, pause and resume, and "Run now" with progress while it runs.

const presetText: Record<(typeof schedulePresets)[number], string> = {
  'business-hours': 'Business hours — every 15 min, Mon–Fri 07:00–18:59',
  hourly: 'Every hour',
  nightly: 'Every night at 02:00',
};
const CUSTOM = 'custom';

interface Progress {
  processed: number;
  waiting: string | null;
}

function ScheduleRow({ api, s, onChanged }: { api: FerryApi; s: Schedule; onChanged: () => void }) {
  const [choice, setChoice] = useState<string>(s.preset ?? (s.spec ? CUSTOM : 'business-hours'));
  const [custom, setCustom] = useState(s.preset ? '' : (s.spec ?? ''));
  const [explained, setExplained] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<RunSummary | null>(null);

  // Explain what is chosen before it is saved (and refuse what cannot be kept, with the engine's sentence).
  useEffect(() => {
    const input = choice === CUSTOM ? { spec: custom } : { preset: choice as (typeof schedulePresets)[number] };
    if (choice === CUSTOM && !custom.trim()) {
      setExplained(null);
      setProblem(null);
      return;
    }
    const t = setTimeout(() => {
      void api.explainSchedule(input).then((res) => {
        if (res.ok) {
          setExplained(`${res.value.description}: ${res.value.nextRun}`);
          setProblem(null);
        } else {
          setExplained(null);
          setProblem(res.error.message);
        }
      });
    }, 250);
    return () => clearTimeout(t);
  }, [api, choice, custom]);

  const save = async () => {
    setBusy(true);
    const res = await api.setSchedule(choice === CUSTOM ? { flow: s.flow, spec: custom } : { flow: s.flow, preset: choice as (typeof schedulePresets)[number] });
    setBusy(false);
    if (res.ok) onChanged();
    else setProblem(res.error.message);
  };

  const pause = async (paused: boolean) => {
    const res = await api.setSchedule({ flow: s.flow, paused });
    if (res.ok) onChanged();
    else setProblem(res.error.message);
  };

  const runNow = async () => {
    setResult(null);
    setProgress({ processed: 0, waiting: null });
    // The run answers when it is done; meanwhile its progress is read every half second.
    const timer = setInterval(() => {
      void api.runProgress({}).then((res) => {
        if (!res.ok) return;
        const mine = res.value.running.find((r) => r.flow === s.flow);
        if (mine) setProgress({ processed: mine.processed, waiting: mine.waiting ? `waiting ${Math.ceil(mine.waiting.ms / 1000)} s for ${mine.waiting.system} (${mine.waiting.reason === 'rate-limit' ? 'request budget' : 'retry'})` : null });
      });
    }, 500);
    const res = await api.runFlowNow({ flow: s.flow });
    clearInterval(timer);
    setProgress(null);
    if (res.ok) setResult(res.value);
    else setProblem(res.error.message);
    onChanged();
  };

  return (
    <li className="schedule" aria-label={flowLabels[s.flow]}>
      <div className="schedule-head">
        <Text weight="semibold">{flowLabels[s.flow]}</Text>
        {s.paused ? <Badge color="warning">Paused</Badge> : s.scheduled ? <Badge color="success">Scheduled</Badge> : <Badge color="informative">Runs only by hand</Badge>}
      </div>
      <Text size={200}>
        Now: {s.description}; {s.nextRun}. Last run {whenText(s.lastRunAt)}.
      </Text>
      <div className="schedule-edit">
        <Field label="When">
          <Dropdown
            aria-label={`Schedule of ${s.flow}`}
            value={choice === CUSTOM ? 'My own schedule…' : presetText[choice as keyof typeof presetText]}
            selectedOptions={[choice]}
            onOptionSelect={(_e, d) => setChoice(d.optionValue ?? 'business-hours')}
          >
            {schedulePresets.map((p) => (
              <Option key={p} value={p}>
                {presetText[p]}
              </Option>
            ))}
            <Option value={CUSTOM}>My own schedule…</Option>
          </Dropdown>
        </Field>
        {choice === CUSTOM && (
          <Field label="Schedule (every 15m, every 2h, or cron: minute hour day month weekday)" validationState={problem ? 'error' : 'none'} validationMessage={problem ?? undefined}>
            <Input value={custom} onChange={(_e, d) => setCustom(d.value)} placeholder="0 7 * * 1-5" aria-label={`Own schedule of ${s.flow}`} />
          </Field>
        )}
        <Button appearance="primary" onClick={() => void save()} disabled={busy || !!problem || (choice === CUSTOM && !custom.trim())}>
          Save schedule
        </Button>
        {s.scheduled && (
          <Button onClick={() => void pause(!s.paused)}>{s.paused ? 'Resume' : 'Pause'}</Button>
        )}
        <Button onClick={() => void runNow()} disabled={progress !== null}>
          Run now
        </Button>
      </div>
      {explained && <Text className="muted">{explained}</Text>}
      {problem && choice !== CUSTOM && (
        <MessageBar intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
      {progress && (
        <div aria-label={`Progress of ${s.flow}`}>
          <ProgressBar />
          <Text size={200}>
            {numberText(progress.processed)} records so far{progress.waiting ? ` — ${progress.waiting}` : ''}
          </Text>
        </div>
      )}
      {result && (
        <MessageBar intent={result.outcome === 'failed' ? 'error' : result.outcome === 'partial' ? 'warning' : 'success'}>
          <MessageBarBody>
            {result.outcome === 'failed'
              ? `Could not run: ${result.error ?? 'see the log'}`
              : `Done: ${numberText(result.counts.created)} created, ${numberText(result.counts.updated)} updated, ${numberText(result.counts.unchanged)} unchanged, ${numberText(result.counts.failed)} waiting in Needs attention.`}
          </MessageBarBody>
        </MessageBar>
      )}
    </li>
  );
}

export function SchedulesPage({ api }: { api: FerryApi }) {
  const [schedules, setSchedules] = useState<Schedule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const res = await api.listSchedules({});
    if (res.ok) setSchedules(res.value.schedules);
    else setError(res.error.message);
  }, [api]);
  useEffect(() => void load(), [load]);

  if (error) return <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!schedules) return <Spinner label="Loading schedules…" />;
  return (
    <section aria-label="Schedules">
      <h1>Schedules</h1>
      <p className="muted">
        Ferry runs a flow by itself while it is open (or in the tray). Times are this computer&apos;s unless a schedule names a time zone.
      </p>
      <ul className="schedules">
        {schedules.map((s) => (
          <ScheduleRow key={s.flow as FlowName} api={api} s={s} onChanged={() => void load()} />
        ))}
      </ul>
    </section>
  );
}
