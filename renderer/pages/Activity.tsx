import {
  Button,
  Field,
  Input,
  makeStyles,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  SearchBox,
  Select,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AuditEvent, FerryApi, FlowName } from '../../shared/api';
import { flowNames } from '../../shared/api';
import { auditDownloadLimits } from '../../shared/audit';
import { base64Bytes, definedOnly, isFiltered, localDayInstant, PAGE_SIZE, pageRequest, pagesFor, type AuditView } from '../audit-browse';
import { flowLabels } from '../flow-labels';
import { routeHref, useRoute } from '../route';
import { ActivityDetail } from './ActivityDetail';
import { ActivityTable } from './ActivityTable';
import { ActivityVerification, type VerificationState } from './ActivityVerification';

// The audit browser: every event Ferry recorded, newest first, however many there are. Filters by flow,
// status, dates and record key; the table pages through the engine as it scrolls (never the whole trail);
// the panel on the right shows one event in full. The trail's hash chain is checked on arrival (ActivityVerification).

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', height: 'calc(100vh - 48px)', minHeight: '520px', gap: '10px' },
  header: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', flexWrap: 'wrap' },
  title: { margin: 0 },
  filters: { display: 'flex', gap: '10px 14px', alignItems: 'flex-end', flexWrap: 'wrap' },
  search: { minWidth: '200px' },
  flow: { width: '230px' },
  body: { display: 'flex', flex: '1 1 auto', minHeight: 0, gap: '0' },
  list: { display: 'flex', flexDirection: 'column', flex: '1 1 auto', minWidth: 0, gap: '6px' },
  summary: { color: tokens.colorNeutralForeground2 },
  empty: { padding: '24px', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium, display: 'grid', gap: '8px', justifyItems: 'start' },
});

const outcomeOptions: { value: AuditEvent['outcome']; label: string }[] = [
  { value: 'ok', label: 'Done' },
  { value: 'failed', label: 'Failed' },
  { value: 'skipped', label: 'Skipped' },
];

interface ListState {
  /** Identifies this list: the view and the moment it was loaded. */
  key: string;
  view: AuditView;
  upToId: number | null;
  total: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
}

const isFlow = (v: string | null): v is FlowName => v !== null && (flowNames as readonly string[]).includes(v);
const isOutcome = (v: string | null): v is AuditEvent['outcome'] => v === 'ok' || v === 'failed' || v === 'skipped';

export function ActivityPage({ api }: { api: FerryApi }) {
  const styles = useStyles();
  const { params } = useRoute();
  // Another screen may link here with filters (#/activity?status=failed&search=PO123).
  const [flow, setFlow] = useState<FlowName | ''>(() => (isFlow(params.get('flow')) ? (params.get('flow') as FlowName) : ''));
  const [outcome, setOutcome] = useState<AuditEvent['outcome'] | ''>(() => (isOutcome(params.get('status')) ? (params.get('status') as AuditEvent['outcome']) : ''));
  const [fromDay, setFromDay] = useState(params.get('from') ?? '');
  const [toDay, setToDay] = useState(params.get('to') ?? '');
  const [searchText, setSearchText] = useState(params.get('search') ?? '');
  const [search, setSearch] = useState(searchText.trim());
  const [searchMode, setSearchMode] = useState<'contains' | 'prefix'>(params.get('match') === 'prefix' ? 'prefix' : 'contains');
  const [selectedId, setSelectedId] = useState<number | null>(() => (Number(params.get('event')) > 0 ? Number(params.get('event')) : null));
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const t = window.setTimeout(() => setSearch(searchText.trim()), 300);
    return () => window.clearTimeout(t);
  }, [searchText]);

  const datesBackwards = fromDay !== '' && toDay !== '' && fromDay > toDay;
  const view = useMemo<AuditView>(
    () => ({
      flow: flow || undefined,
      outcome: outcome || undefined,
      since: fromDay ? localDayInstant(fromDay, 'start') : undefined,
      until: toDay ? localDayInstant(toDay, 'end') : undefined,
      search: search.length > 0 ? search.slice(0, 200) : undefined,
      searchMode: search.length > 0 && searchMode === 'prefix' ? 'prefix' : undefined,
    }),
    [flow, outcome, fromDay, toDay, search, searchMode],
  );
  const viewKey = `${JSON.stringify(definedOnly(view))}#${reloads}`;

  // The list: its first page and size, then pages on demand as the table scrolls.
  const [list, setList] = useState<ListState>({ key: '', view, upToId: null, total: 0, status: 'loading', error: null });
  const pages = useRef(new Map<number, AuditEvent[]>());
  const pending = useRef(new Set<number>());
  const [, setPagesVersion] = useState(0);
  const generation = useRef(0);
  const listRef = useRef(list);
  listRef.current = list;

  useEffect(() => {
    if (datesBackwards) return;
    const gen = ++generation.current;
    pages.current = new Map();
    pending.current = new Set();
    setList((l) => ({ ...l, status: 'loading', error: null }));
    void api.listAudit({ ...definedOnly(view), limit: PAGE_SIZE, withTotal: true }).then((res) => {
      if (gen !== generation.current) return;
      if (!res.ok) {
        setList({ key: viewKey, view, upToId: null, total: 0, status: 'error', error: res.error.message });
        return;
      }
      pages.current.set(0, res.value.events);
      setList({ key: viewKey, view, upToId: res.value.upToId, total: res.value.total ?? res.value.events.length, status: 'ready', error: null });
    });
  }, [api, view, viewKey, datesBackwards]);

  const wanted = useRef<[number, number]>([0, 0]);
  const loadTimer = useRef<number | undefined>(undefined);
  const loadWanted = useCallback(async () => {
    const current = listRef.current;
    if (current.status !== 'ready' || current.upToId === null) return;
    const gen = generation.current;
    const [first, last] = wanted.current;
    const needed = pagesFor(first, last);
    // Only pages near the view are kept: memory stays flat however far a person scrolls.
    for (const p of pages.current.keys()) if (p < needed[0]! - 10 || p > needed[needed.length - 1]! + 10) pages.current.delete(p);
    for (const p of needed) {
      if (pages.current.has(p) || pending.current.has(p)) continue;
      pending.current.add(p);
      const res = await api.listAudit(pageRequest(current.view, current.upToId, p, pages.current));
      if (gen !== generation.current) return;
      pending.current.delete(p);
      if (!res.ok) {
        setList((l) => ({ ...l, error: res.error.message }));
        return;
      }
      pages.current.set(p, res.value.events);
      setPagesVersion((v) => v + 1);
      // The person scrolled on meanwhile: fetch what is in view now, not the rest of the old range.
      const [f, l] = wanted.current;
      if (f !== first || l !== last) {
        void loadWanted();
        return;
      }
    }
  }, [api]);
  const onRange = useCallback(
    (first: number, last: number) => {
      wanted.current = [first, last];
      window.clearTimeout(loadTimer.current);
      // Dragging the scrollbar across a million rows asks only for where it stops.
      loadTimer.current = window.setTimeout(() => void loadWanted(), 40);
    },
    [loadWanted],
  );
  useEffect(() => {
    if (list.status === 'ready') void loadWanted();
  }, [list.status, list.key, loadWanted]);
  useEffect(() => () => window.clearTimeout(loadTimer.current), []);

  const rowAt = useCallback((index: number) => pages.current.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], []);

  // New events since this list was loaded (a flow ran): offered, never pushed under the reader's eyes.
  const [newer, setNewer] = useState(false);
  useEffect(() => {
    setNewer(false);
    const timer = window.setInterval(() => {
      const upTo = listRef.current.upToId;
      if (listRef.current.status !== 'ready') return;
      void api.listAudit({ limit: 1 }).then((res) => {
        if (!res.ok) return;
        const newest = res.value.events[0]?.id ?? null;
        if (newest !== null && (upTo === null || newest > upTo)) {
          if (upTo === null && !isFiltered(listRef.current.view)) setReloads((r) => r + 1);
          else setNewer(true);
        }
      });
    }, 15_000);
    return () => window.clearInterval(timer);
  }, [api, list.key]);

  // On arrival the check resumes from where the last one got to; the whole trail is hashed again on request.
  const [verification, setVerification] = useState<VerificationState>({ checking: 'resume' });
  const verify = useCallback(
    (full: boolean) => {
      setVerification({ checking: full ? 'full' : 'resume' });
      void api.verifyAudit(full ? { full } : {}).then((res) => setVerification(res.ok ? res.value : { error: res.error.message }));
    },
    [api],
  );
  useEffect(() => verify(false), [verify]);

  const [exporting, setExporting] = useState<'csv' | 'xlsx' | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const download = async (format: 'csv' | 'xlsx') => {
    setExporting(format);
    setExportError(null);
    setExported(null);
    const res = await api.exportAudit({ format, ...definedOnly(list.view), ...(list.upToId !== null && { upToId: list.upToId }) });
    setExporting(null);
    if (!res.ok) {
      setExportError(res.error.message);
      return;
    }
    const url = URL.createObjectURL(new Blob([base64Bytes(res.value.base64)], { type: res.value.mimeType }));
    const a = document.createElement('a');
    a.href = url;
    a.download = res.value.fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setExported(`Downloaded ${res.value.fileName}: ${res.value.rows.toLocaleString()} events.`);
  };

  const clearFilters = () => {
    setFlow('');
    setOutcome('');
    setFromDay('');
    setToDay('');
    setSearchText('');
    setSearch('');
  };
  const filtered = isFiltered(list.view);
  const ready = list.status === 'ready' && list.key === viewKey;

  return (
    <section className={styles.page} aria-labelledby="activity-title">
      <header className={styles.header}>
        <h1 id="activity-title" className={styles.title}>
          Activity
        </h1>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button
              disabled={exporting !== null || !ready || list.total === 0}
              icon={exporting ? <Spinner size="tiny" /> : undefined}
              title={`The events the filters select, up to ${auditDownloadLimits.rows.toLocaleString()} at a time (the ferry audit export command has no limit).`}
            >
              {exporting ? 'Preparing the file…' : 'Export these events'}
            </Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem onClick={() => void download('xlsx')}>Excel workbook (.xlsx)</MenuItem>
              <MenuItem onClick={() => void download('csv')}>CSV file (.csv)</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </header>

      <ActivityVerification state={verification} onCheck={verify} onShow={(id) => setSelectedId(id)} />

      <div className={styles.filters} role="search" aria-label="Filter activity">
        <Field label="Flow">
          <Select className={styles.flow} value={flow} onChange={(_e, d) => setFlow(d.value as FlowName | '')}>
            <option value="">All flows</option>
            {flowNames.map((f) => (
              <option key={f} value={f}>
                {flowLabels[f]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Status">
          <Select value={outcome} onChange={(_e, d) => setOutcome(d.value as AuditEvent['outcome'] | '')}>
            <option value="">Any status</option>
            {outcomeOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="From" validationMessage={datesBackwards ? 'The first day must not be after the last day.' : undefined}>
          <Input type="date" value={fromDay} onChange={(_e, d) => setFromDay(d.value)} />
        </Field>
        <Field label="To (including)">
          <Input type="date" value={toDay} onChange={(_e, d) => setToDay(d.value)} />
        </Field>
        <Field label="Record key (PO, invoice, vendor or reference)">
          <SearchBox className={styles.search} value={searchText} maxLength={200} placeholder="e.g. PO00010024" onChange={(_e, d) => setSearchText(d.value)} />
        </Field>
        <Field label="Match">
          <Select value={searchMode} onChange={(_e, d) => setSearchMode(d.value === 'prefix' ? 'prefix' : 'contains')}>
            <option value="contains">anywhere in the key</option>
            <option value="prefix">at its start (fastest)</option>
          </Select>
        </Field>
        {isFiltered(view) && <Button onClick={clearFilters}>Clear filters</Button>}
      </div>

      {exportError && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>The export did not run.</MessageBarTitle>
            {exportError}
          </MessageBarBody>
        </MessageBar>
      )}
      {exported && (
        <MessageBar intent="success">
          <MessageBarBody>{exported}</MessageBarBody>
        </MessageBar>
      )}
      {newer && (
        <MessageBar intent="info">
          <MessageBarBody>Ferry has recorded new events since this list was loaded.</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setReloads((r) => r + 1)}>Show the newest</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {list.error && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>Ferry could not read the audit trail.</MessageBarTitle>
            {list.error} Check that Ferry is still running, then try again.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setReloads((r) => r + 1)}>Try again</Button>
          </MessageBarActions>
        </MessageBar>
      )}

      <div className={styles.body}>
        <div className={styles.list}>
          {!ready ? (
            list.status !== 'error' && <Spinner label={list.key === '' ? 'Loading activity…' : 'Filtering…'} labelPosition="after" size="small" />
          ) : list.total === 0 ? (
            <div className={styles.empty}>
              {filtered ? (
                <>
                  <Text weight="semibold">No events match these filters.</Text>
                  <Text>Clear a filter, widen the dates, or search for a shorter part of the record key.</Text>
                  <Button onClick={clearFilters}>Clear filters</Button>
                </>
              ) : (
                <>
                  <Text weight="semibold">Nothing has moved yet.</Text>
                  <Text>
                    Once a flow runs, every record it touches appears here. Connect the systems in <a href={routeHref('setup')}>Setup</a>, then run a flow from{' '}
                    <a href={routeHref('schedules')}>Schedules</a>.
                  </Text>
                </>
              )}
            </div>
          ) : (
            <>
              <Text className={styles.summary} role="status" aria-live="polite">
                {filtered ? `${list.total.toLocaleString()} matching events` : `${list.total.toLocaleString()} events`}, newest first. Use the arrow keys, Page Up/Down, Home and End to move, Enter to open one.
              </Text>
              <ActivityTable
                listKey={list.key}
                total={list.total}
                rowAt={rowAt}
                onRange={onRange}
                selectedId={selectedId}
                onOpen={(e) => setSelectedId(e.id)}
              />
            </>
          )}
        </div>
        {selectedId !== null && <ActivityDetail api={api} eventId={selectedId} onClose={() => setSelectedId(null)} onSelect={setSelectedId} />}
      </div>
    </section>
  );
}
