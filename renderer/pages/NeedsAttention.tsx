import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { type AuditEvent, type FailureGroup, type FerryApi, type FlowName, type MappingFix, type ReplayPreview, type RunSummary } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { flowLabels } from '../flow-labels';
import { kindLabels } from '../mapping-fields';
import { pageLayout } from '../page-layout';
import { navigate, routeHref, useRoute } from '../route';
import { ConfirmActions } from './ConfirmActions';
import { PostInPeriodDialog } from './PostInPeriodDialog';

// Needs attention: records that could not move, grouped by what went wrong, with Retry (one, a selection, a
// whole group), a preview of what a retry would send, Ignore with a reason, "Fix mapping", which opens the
// Mappings page with the row prefilled and comes back here to retry, and "Post in 2026-12" for a record whose
// fiscal period is closed.

const useStyles = makeStyles({
  ...pageLayout,
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  group: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    boxShadow: tokens.shadow2,
  },
  groupHeader: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, justifyContent: 'space-between' },
  groupTitle: { margin: 0, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  meta: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  tableWrap: { overflowX: 'auto' },
  // Sized by content, so the reason gets the room and the checkbox column only what it needs.
  table: { tableLayout: 'auto' },
  checkCell: { width: '2.75rem' },
  recordCell: { whiteSpace: 'nowrap' },
  focused: { backgroundColor: tokens.colorPaletteYellowBackground1 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  reason: { minWidth: '18rem', maxWidth: '46rem' },
  results: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  payload: {
    maxHeight: '22rem',
    overflow: 'auto',
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalS,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
  },
});

type FailureRow = FailureGroup['failures'][number];

interface RetryResult {
  id: number;
  record: string;
  ok: boolean;
  text: string;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const when = (iso: string | null): string => (iso ? dateTime.format(new Date(iso)) : '—');
const count = new Intl.NumberFormat();
const flowLabel = (flow: string): string => flowLabels[flow as FlowName] ?? flow;
const records = (n: number): string => (n === 1 ? '1 record' : `${count.format(n)} records`);

/** What a record became on the other side, in the flow's words. */
const targetNoun: Record<string, string> = {
  'po-to-jaggaer': 'JAGGAER purchase order',
  'invoice-to-cloudsuite': 'CloudSuite voucher',
  'invoice-to-jaggaer': 'JAGGAER invoice',
  'supplier-sync': 'supplier',
  'po-to-jira': 'Jira issue',
  'worklog-to-gl': 'CloudSuite journal',
};

const actionWords: Record<string, string> = { create: 'created', update: 'updated', adopt: 'found already there and linked', cancel: 'cancelled', unchanged: 'already up to date' };

function resultOf(f: FailureRow, event: AuditEvent | undefined, runError: string | null): RetryResult {
  const record = `${f.recordType ?? 'Record'} ${f.sourceKey}`;
  if (runError) return { id: f.id, record, ok: false, text: `The retry could not run: ${runError}` };
  if (!event) return { id: f.id, record, ok: false, text: 'Nothing was sent: Ferry did not find the record where it reads it from any more.' };
  if (event.outcome === 'failed') return { id: f.id, record, ok: false, text: `Still waits here: ${event.reason ?? 'no reason given'}` };
  if (event.outcome === 'skipped' && event.action !== 'unchanged') return { id: f.id, record, ok: true, text: `Left alone: ${event.reason ?? ''}` };
  const noun = targetNoun[f.flow] ?? 'record';
  const done = actionWords[event.action] ?? event.action;
  return { id: f.id, record, ok: true, text: `${noun} ${event.targetKey ?? ''} ${done}${event.targetStatus ? ` (${event.targetStatus})` : ''}.`.replace(/\s+/g, ' ') };
}

function fixHref(f: FailureRow, fix: MappingFix): Record<string, string> {
  return {
    kind: fix.kind,
    ...(fix.key !== null ? { key: fix.key } : {}),
    ...(fix.value !== null && fix.value !== undefined ? { value: JSON.stringify(fix.value) } : {}),
    what: fix.what,
    returnTo: 'attention',
    failure: String(f.id),
  };
}

export function NeedsAttentionPage({ api }: { api: FerryApi }) {
  const styles = useStyles();
  const { params } = useRoute();
  const focusId = Number(params.get('focus') ?? '') || null;
  const [groups, setGroups] = useState<FailureGroup[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [retrying, setRetrying] = useState<{ count: number } | null>(null);
  const [results, setResults] = useState<RetryResult[] | null>(null);
  const [ignored, setIgnored] = useState<string | null>(null);
  // A dialog's content stays while it closes; `open` says whether it shows (unmounting an open modal would leave
  // the page hidden from assistive technology).
  const [ignoring, setIgnoring] = useState<FailureRow | null>(null);
  const [ignoreOpen, setIgnoreOpen] = useState(false);
  const [preview, setPreview] = useState<{ failure: FailureRow; result: ReplayPreview | null; error: string | null } | null>(null);
  const [previewOpen, setPreviewOpen] = useState(false);
  const [moving, setMoving] = useState<FailureRow | null>(null);
  const [moveOpen, setMoveOpen] = useState(false);
  const focusedRow = useRef<HTMLTableRowElement | null>(null);

  const load = useCallback(async () => {
    const res = await api.listFailureGroups({ limit: 1000 });
    if (!res.ok) {
      setError(res.error);
      return;
    }
    setError(null);
    setGroups(res.value.groups);
    setTotal(res.value.total);
    const open = new Set(res.value.groups.flatMap((g) => g.failures.map((f) => f.id)));
    setSelected((cur) => new Set([...cur].filter((id) => open.has(id))));
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (focusId && groups) focusedRow.current?.scrollIntoView({ block: 'center' });
  }, [focusId, groups]);

  const byId = useMemo(() => new Map((groups ?? []).flatMap((g) => g.failures.map((f) => [f.id, f] as const))), [groups]);

  const retry = async (ids: number[]) => {
    if (ids.length === 0 || retrying) return;
    setRetrying({ count: ids.length });
    setResults(null);
    setIgnored(null);
    const rows = ids.map((id) => byId.get(id)).filter((f): f is FailureRow => !!f);
    const res = await api.replayFailures({ ids, all: false });
    if (!res.ok) {
      setRetrying(null);
      setResults(rows.map((f) => ({ id: f.id, record: `${f.recordType ?? 'Record'} ${f.sourceKey}`, ok: false, text: `Not retried: ${res.error.message}` })));
      await load();
      return;
    }
    setResults(await outcomes(rows, res.value.runs));
    setRetrying(null);
    setSelected(new Set());
    await load();
  };

  /** Each record's last word in the runs that retried it. */
  const outcomes = async (rows: FailureRow[], runs: RunSummary[]): Promise<RetryResult[]> => {
    const out: RetryResult[] = [];
    for (const run of runs) {
      const events = await api.listAudit({ runId: run.runId, limit: 5000 });
      // Newest first: the record's last word in this run is its outcome.
      const last = new Map<string, AuditEvent>();
      for (const e of events.ok ? events.value.events : []) if (!last.has(e.sourceKey)) last.set(e.sourceKey, e);
      for (const f of rows.filter((r) => r.flow === run.flow)) out.push(resultOf(f, last.get(f.sourceKey), run.error));
    }
    return out;
  };

  const postInOpenPeriod = async (f: FailureRow) => {
    if (retrying) return;
    setRetrying({ count: 1 });
    setResults(null);
    setIgnored(null);
    const res = await api.postInOpenPeriod({ id: f.id });
    setMoveOpen(false);
    setResults(res.ok ? await outcomes([f], res.value.runs) : [{ id: f.id, record: `${f.recordType ?? 'Record'} ${f.sourceKey}`, ok: false, text: `Not posted: ${res.error.message}` }]);
    setRetrying(null);
    await load();
  };

  const openPreview = async (f: FailureRow) => {
    setPreview({ failure: f, result: null, error: null });
    setPreviewOpen(true);
    const res = await api.previewReplay({ id: f.id });
    setPreview((cur) => (cur && cur.failure.id === f.id ? { failure: f, result: res.ok ? res.value : null, error: res.ok ? null : res.error.message } : cur));
  };

  const toggle = (ids: number[], on: boolean) =>
    setSelected((cur) => {
      const next = new Set(cur);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const succeeded = results?.filter((r) => r.ok).length ?? 0;

  return (
    <section className={styles.page} aria-labelledby="attention-title">
      <header className={styles.header}>
        <div>
          <h1 id="attention-title">Needs attention</h1>
          {groups && groups.length > 0 && (
            <Text className={styles.muted}>
              {records(total)} could not move, in {groups.length === 1 ? '1 group' : `${count.format(groups.length)} groups`}. Fix the cause, then retry; or ignore a record with a reason.
            </Text>
          )}
        </div>
        <div className={styles.toolbar}>
          <Button appearance="primary" disabled={selected.size === 0 || retrying !== null} onClick={() => void retry([...selected])}>
            Retry selected ({count.format(selected.size)})
          </Button>
          <Button onClick={() => void load()} disabled={retrying !== null}>
            Refresh
          </Button>
        </div>
      </header>

      {retrying && (
        <MessageBar intent="info" role="status">
          <MessageBarBody>
            <MessageBarTitle>Retrying {records(retrying.count)}…</MessageBarTitle>
            Ferry sends them again through the current mappings and CloudSuite data. This can take a minute.
            <ProgressBar aria-label="Retry in progress" />
          </MessageBarBody>
        </MessageBar>
      )}

      {results && (
        <MessageBar intent={succeeded === results.length ? 'success' : succeeded === 0 ? 'error' : 'warning'} role="status">
          <MessageBarBody>
            <MessageBarTitle>
              {succeeded === results.length ? `Retried ${records(results.length)}: all went through` : `Retried ${records(results.length)}: ${count.format(succeeded)} went through, ${count.format(results.length - succeeded)} still wait here`}
            </MessageBarTitle>
            <ul className={styles.results}>
              {results.map((r) => (
                <li key={r.id}>
                  <Badge appearance="tint" color={r.ok ? 'success' : 'danger'}>
                    {r.ok ? 'Done' : 'Failed'}
                  </Badge>{' '}
                  <strong>{r.record}</strong>: {r.text}
                </li>
              ))}
            </ul>
          </MessageBarBody>
          <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss results" onClick={() => setResults(null)}>✕</Button>} />
        </MessageBar>
      )}

      {ignored && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{ignored}</MessageBarBody>
          <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss" onClick={() => setIgnored(null)}>✕</Button>} />
        </MessageBar>
      )}

      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>
            <MessageBarTitle>Could not read the failures queue</MessageBarTitle>
            {error.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void load()}>Try again</Button>
          </MessageBarActions>
        </MessageBar>
      )}

      {!groups ? (
        !error && <Spinner label="Reading the failures queue…" />
      ) : groups.length === 0 ? (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>Nothing needs attention</MessageBarTitle>
            Every record moved or is waiting for its next run. When one cannot move — an unmapped code, a closed period, a refusal by the other system — it waits
            here with the reason, so you can fix the cause and retry it. See what moved on <Link href={routeHref('activity')}>Activity</Link>.
          </MessageBarBody>
        </MessageBar>
      ) : (
        groups.map((g, gi) => {
          const ids = g.failures.map((f) => f.id);
          const allOn = ids.every((id) => selected.has(id));
          const someOn = ids.some((id) => selected.has(id));
          const titleId = `attention-group-${gi}`;
          return (
            <section key={g.id} className={styles.group} aria-labelledby={titleId}>
              <div className={styles.groupHeader}>
                <div>
                  <h2 id={titleId} className={styles.groupTitle}>
                    {g.title}
                  </h2>
                  <div className={styles.meta}>
                    <Badge appearance="filled" color="danger">
                      {records(g.count)}
                    </Badge>
                    <Text>{flowLabel(g.flow)}</Text>
                    {g.rule && (
                      <Badge appearance="outline" color="informative">
                        rule: {g.rule}
                      </Badge>
                    )}
                    <Text className={styles.muted}>latest {when(g.latestAt)}</Text>
                  </div>
                </div>
                <Button onClick={() => void retry(ids)} disabled={retrying !== null}>
                  {g.count === 1 ? 'Retry this record' : `Retry all ${count.format(g.count)}`}
                </Button>
              </div>
              <div className={styles.tableWrap}>
                <Table size="small" className={styles.table} aria-label={`${g.title} (${flowLabel(g.flow)})`}>
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell className={styles.checkCell}>
                        <Checkbox
                          aria-label={`Select all ${records(g.count)} of this group`}
                          checked={allOn ? true : someOn ? 'mixed' : false}
                          onChange={(_, d) => toggle(ids, d.checked === true)}
                        />
                      </TableHeaderCell>
                      <TableHeaderCell>Record</TableHeaderCell>
                      <TableHeaderCell>Reason</TableHeaderCell>
                      <TableHeaderCell>Waiting since</TableHeaderCell>
                      <TableHeaderCell>Attempts</TableHeaderCell>
                      <TableHeaderCell>Actions</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {g.failures.map((f) => (
                      <TableRow key={f.id} ref={f.id === focusId ? focusedRow : undefined} className={f.id === focusId ? styles.focused : undefined} aria-label={`${f.recordType ?? 'Record'} ${f.sourceKey}`}>
                        <TableCell className={styles.checkCell}>
                          <Checkbox aria-label={`Select ${f.sourceKey}`} checked={selected.has(f.id)} onChange={(_, d) => toggle([f.id], d.checked === true)} />
                        </TableCell>
                        <TableCell className={styles.recordCell}>
                          <Text weight="semibold" wrap={false}>{f.sourceKey}</Text>
                          <br />
                          <Text className={styles.muted}>{f.recordType ?? ''}</Text>
                        </TableCell>
                        <TableCell className={styles.reason}>
                          {f.reason}
                          {f.state === 'retrying' && f.nextAttemptAt && (
                            <>
                              <br />
                              <Text className={styles.muted}>Ferry retries it by itself at {when(f.nextAttemptAt)}.</Text>
                            </>
                          )}
                        </TableCell>
                        <TableCell>{when(f.createdAt)}</TableCell>
                        <TableCell>{count.format(f.attempts)}</TableCell>
                        <TableCell>
                          <div className={styles.actions}>
                            <Button size="small" appearance="primary" onClick={() => void retry([f.id])} disabled={retrying !== null} aria-label={`Retry ${f.sourceKey}`}>
                              Retry
                            </Button>
                            {f.periodFix && (
                              <Button
                                size="small"
                                onClick={() => {
                                  setMoving(f);
                                  setMoveOpen(true);
                                }}
                                disabled={retrying !== null}
                                title={f.periodFix.what}
                                aria-label={`Post ${f.sourceKey} in the open period ${f.periodFix.openPeriod}`}
                              >
                                Post in {f.periodFix.openPeriod}…
                              </Button>
                            )}
                            {f.fix && (
                              <Button size="small" onClick={() => navigate('mappings', fixHref(f, f.fix!))} title={f.fix.what} aria-label={`Fix mapping for ${f.sourceKey}: ${kindLabels[f.fix.kind].one}`}>
                                Fix mapping
                              </Button>
                            )}
                            <Button size="small" onClick={() => void openPreview(f)} disabled={retrying !== null} aria-label={`Preview a retry of ${f.sourceKey}`}>
                              Preview
                            </Button>
                            <Button size="small" onClick={() => {
                                setIgnoring(f);
                                setIgnoreOpen(true);
                              }} disabled={retrying !== null} aria-label={`Ignore ${f.sourceKey}`}>
                              Ignore…
                            </Button>
                          </div>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            </section>
          );
        })
      )}

      {ignoring && (
        <IgnoreDialog
          key={ignoring.id}
          api={api}
          open={ignoreOpen}
          failure={ignoring}
          onClose={async (done) => {
            setIgnoreOpen(false);
            if (done) {
              setResults(null);
              setIgnored(`${ignoring.recordType ?? 'Record'} ${ignoring.sourceKey} is ignored: Ferry will not retry it. The reason is in the audit trail.`);
              await load();
            }
          }}
        />
      )}

      {moving?.periodFix && (
        <PostInPeriodDialog key={moving.id} open={moveOpen} failure={moving} busy={retrying !== null} onConfirm={() => void postInOpenPeriod(moving)} onClose={() => setMoveOpen(false)} />
      )}

      {preview && <PreviewDialog open={previewOpen} preview={preview} onClose={() => setPreviewOpen(false)} />}
    </section>
  );
}

function IgnoreDialog({ api, open, failure, onClose }: { api: FerryApi; open: boolean; failure: FailureRow; onClose: (done: boolean) => void }) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    if (reason.trim().length < 3) {
      setProblem('Say why this record is ignored (at least 3 characters); the reason stays in the audit trail.');
      return;
    }
    setSaving(true);
    const res = await api.ignoreFailure({ id: failure.id, reason: reason.trim() });
    setSaving(false);
    if (res.ok) onClose(true);
    else setProblem(res.error.message);
  };
  return (
    <Dialog open={open} modalType="modal" onOpenChange={(_, d) => !d.open && onClose(false)}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Ignore {failure.sourceKey}?</DialogTitle>
          <DialogContent>
            <Text as="p" block>
              Ferry will not retry this {failure.recordType ?? 'record'} any more, by itself or with Retry all. Nothing is changed in {flowLabel(failure.flow)}; the reason you give stays in the
              audit trail.
            </Text>
            <Field label="Reason" required validationMessage={problem ?? undefined} validationState={problem ? 'error' : 'none'}>
              <Textarea value={reason} onChange={(_, d) => setReason(d.value)} placeholder="e.g. Duplicate invoice, credited by the supplier" resize="vertical" />
            </Field>
          </DialogContent>
          <ConfirmActions label="Ignore" onConfirm={() => void submit()} onCancel={() => onClose(false)} busy={saving} />
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

const outcomeWords: Record<ReplayPreview['outcome'], string> = {
  'would-send': 'A retry now would send this.',
  'would-fail': 'A retry now would fail again:',
  unchanged: 'A retry now would send nothing: the other system already holds this version.',
  skipped: 'A retry now would leave the record alone:',
  nothing: 'A retry now would send nothing:',
};

interface VoucherLike {
  amount?: unknown;
  currency?: unknown;
  vendorNumber?: unknown;
  invoiceNumber?: unknown;
  distributions?: { account?: unknown; costCenter?: unknown; amount?: unknown; description?: unknown }[];
}

function money(amount: unknown, currency: unknown): string {
  if (typeof amount !== 'number') return String(amount ?? '');
  try {
    return typeof currency === 'string' ? new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount) : new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${String(currency ?? '')}`;
  }
}

function PreviewDialog({ open, preview, onClose }: { open: boolean; preview: { failure: FailureRow; result: ReplayPreview | null; error: string | null }; onClose: () => void }) {
  const styles = useStyles();
  const { failure, result, error } = preview;
  const voucher = (result?.payload ?? null) as VoucherLike | null;
  return (
    <Dialog open={open} modalType="modal" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>What a retry of {failure.sourceKey} would send</DialogTitle>
          <DialogContent>
            {!result && !error && <Spinner label="Trying it as a dry run (nothing is written)…" />}
            {error && (
              <MessageBar intent="error" role="alert">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
            {result && (
              <>
                <Text as="p" block>
                  {outcomeWords[result.outcome]} {result.outcome !== 'would-send' && result.outcome !== 'unchanged' ? result.reason : ''}
                </Text>
                {voucher && Array.isArray(voucher.distributions) && typeof voucher.amount === 'number' && (
                  <>
                    <Text as="p" block>
                      Invoice {String(voucher.invoiceNumber ?? '')} of vendor {String(voucher.vendorNumber ?? '')}: {money(voucher.amount, voucher.currency)}
                    </Text>
                    <Table size="small" aria-label="Distributions">
                      <TableHeader>
                        <TableRow>
                          <TableHeaderCell>GL account</TableHeaderCell>
                          <TableHeaderCell>Cost center</TableHeaderCell>
                          <TableHeaderCell>Amount</TableHeaderCell>
                          <TableHeaderCell>Description</TableHeaderCell>
                        </TableRow>
                      </TableHeader>
                      <TableBody>
                        {voucher.distributions.map((d, i) => (
                          <TableRow key={i}>
                            <TableCell>{String(d.account ?? '')}</TableCell>
                            <TableCell>{String(d.costCenter ?? '—')}</TableCell>
                            <TableCell>{money(d.amount, voucher.currency)}</TableCell>
                            <TableCell>{String(d.description ?? '')}</TableCell>
                          </TableRow>
                        ))}
                      </TableBody>
                    </Table>
                  </>
                )}
                {result.payload !== null && result.payload !== undefined && (
                  <details>
                    <summary>The payload as Ferry would send it</summary>
                    <pre className={styles.payload} aria-label="Payload">
                      {JSON.stringify(result.payload, null, 2)}
                    </pre>
                  </details>
                )}
                <Text as="p" block className={styles.muted}>
                  Nothing was sent. This dry run is in the audit trail as run {result.runId}.
                </Text>
              </>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
