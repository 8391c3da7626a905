import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { mappingKindNames, type FerryApi, type MappingEntry, type MappingImportRow, type MappingKindName, type MappingReference, type MappingSuggestion, type MethodOutput, type ReferenceChoice } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { fieldProblems, fieldsOf, fromFields, kindLabels, matchesSearch, parseRouteValue, toFields, type RefList } from '../mapping-fields';
import { pageLayout } from '../page-layout';
import { navigate, useRoute } from '../route';
import { MappingsTable, when, type Editor, type EditorActions } from './MappingsTable';

// One editable table per mapping kind (README "Mappings"): search, add, change and delete rows in place, each
// checked against CloudSuite's lists before it is saved; codes waiting for a mapping; CSV import and export;
// Undo of the last change. "Fix mapping" on Needs attention lands here with the row prefilled and a way back.
// The rows themselves (however many) are drawn by MappingsTable.tsx.

const useStyles = makeStyles({
  ...pageLayout,
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  tabs: { flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  suggestions: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, margin: 0, padding: 0, listStyleType: 'none' },
  suggestion: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  hiddenInput: { display: 'none' },
});

type ListResult = MethodOutput<'listMappings'>;
type ImportResult = MethodOutput<'importMappings'>;

interface Notice {
  intent: 'success' | 'error' | 'info' | 'warning';
  title?: string;
  text: string;
  undo?: boolean;
}

const count = new Intl.NumberFormat();

const isKind = (k: string | null): k is MappingKindName => k !== null && (mappingKindNames as readonly string[]).includes(k);

export function MappingsPage({ api }: { api: FerryApi }) {
  const styles = useStyles();
  const { params } = useRoute();
  const routeKind = params.get('kind');
  const returnTo = params.get('returnTo');
  const failureId = params.get('failure');
  const [kind, setKind] = useState<MappingKindName>(isKind(routeKind) ? routeKind : 'supplier');
  const [data, setData] = useState<ListResult | null>(null);
  const [reference, setReference] = useState<MappingReference | null>(null);
  const [suggestions, setSuggestions] = useState<MappingSuggestion[]>([]);
  const [loadError, setLoadError] = useState<ErrorInfo | null>(null);
  const [search, setSearch] = useState('');
  const [editor, setEditor] = useState<Editor | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [fixHint, setFixHint] = useState<{ kind: MappingKindName; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [importReport, setImportReport] = useState<{ result: ImportResult; csv: string; fileName: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const pendingPrefill = useRef<{ kind: MappingKindName; key: string | null; value: unknown } | null>(null);
  // A link followed while this kind is already shown loads nothing new: this tells the prefill to apply anyway.
  const [prefills, setPrefills] = useState(0);
  const [focusTick, setFocusTick] = useState(0);

  const load = useCallback(
    async (k: MappingKindName) => {
      const [list, ref, sugg] = await Promise.all([api.listMappings({ kind: k }), api.mappingReference({ kind: k }), api.mappingSuggestions({ kind: k })]);
      if (!list.ok) {
        setLoadError(list.error);
        return;
      }
      setLoadError(ref.ok ? (sugg.ok ? null : sugg.error) : ref.error);
      setData(list.value);
      setReference(ref.ok ? ref.value : null);
      setSuggestions(sugg.ok ? sugg.value.suggestions : []);
    },
    [api],
  );

  // "Fix mapping" (or any link with kind/key/value): show that kind with the row prefilled once it has loaded.
  const routeKey = params.get('key');
  const routeValue = params.get('value');
  const routeWhat = params.get('what');
  useEffect(() => {
    if (!isKind(routeKind)) return;
    setKind(routeKind);
    if (routeKey !== null || routeValue !== null) {
      pendingPrefill.current = { kind: routeKind, key: routeKey, value: parseRouteValue(routeValue) };
      setPrefills((n) => n + 1);
      setFixHint(routeWhat ? { kind: routeKind, text: routeWhat } : null);
    }
  }, [routeKind, routeKey, routeValue, routeWhat]);

  useEffect(() => {
    setData(null);
    setReference(null);
    setSuggestions([]);
    setEditor(null);
    setImportReport(null);
    void load(kind);
  }, [kind, load]);

  const segments = useMemo(() => data?.segments ?? [], [data]);
  const fields = useMemo(() => fieldsOf(kind, segments), [kind, segments]);
  const lists = useMemo(() => {
    const out: Partial<Record<RefList, ReferenceChoice[]>> = {};
    for (const l of reference?.lists ?? []) out[l.list] = l.items;
    return out;
  }, [reference]);
  const problems = useMemo(() => new Map((reference?.problems ?? []).map((p) => [p.key, p.problem])), [reference]);

  const openEditor = useCallback(
    (mode: Editor['mode'], key: string | null, value: unknown, note: string | null = null) => {
      setEditor({ mode, key: mode === 'edit' ? key : null, values: toFields(kind, key, value, segments), note: note ?? '', problems: {}, error: null, saving: false });
      setFocusTick((n) => n + 1);
    },
    [kind, segments],
  );

  // Apply a pending prefill once the kind's table (and its GL segments) is there.
  useEffect(() => {
    const p = pendingPrefill.current;
    if (!p || !data || data.kind !== p.kind) return;
    pendingPrefill.current = null;
    const existing = p.key !== null ? data.mappings.find((m) => m.key === p.key) : undefined;
    if (existing) openEditor('edit', existing.key, existing.value, existing.note);
    else openEditor('add', p.key, p.value);
  }, [data, openEditor, prefills]);

  const backToAttention = () => navigate('attention', failureId ? { focus: failureId } : {});

  const save = async () => {
    if (!editor) return;
    const found = fieldProblems(kind, fields, editor.values, lists);
    if (Object.keys(found).length > 0) {
      setEditor({ ...editor, problems: found, error: 'Check the highlighted fields, then save again.' });
      return;
    }
    const { key, value } = fromFields(kind, editor.values, segments);
    setEditor({ ...editor, problems: {}, error: null, saving: true });
    const res = await api.setMapping({ kind, key, value, note: editor.note.trim() || null });
    if (!res.ok) {
      setEditor({ ...editor, problems: {}, saving: false, error: res.error.message });
      return;
    }
    setEditor(null);
    setFixHint(null);
    setNotice({
      intent: 'success',
      title: 'Saved',
      text: `The ${kindLabels[kind].one} ${res.value.key} is saved.${returnTo === 'attention' ? ' Go back to Needs attention and retry the record.' : ''}`,
      undo: true,
    });
    await load(kind);
  };

  const remove = async (entry: MappingEntry) => {
    setBusy(`delete:${entry.key}`);
    const res = await api.deleteMapping({ kind, key: entry.key });
    setBusy(null);
    if (!res.ok) setNotice({ intent: 'error', title: 'Not deleted', text: res.error.message });
    else setNotice({ intent: 'success', title: 'Deleted', text: `The ${kindLabels[kind].one} ${entry.key} is deleted. ${data?.unmapped ?? ''}`, undo: true });
    await load(kind);
  };

  const undo = async () => {
    setBusy('undo');
    const res = await api.undoMapping({ kind });
    setBusy(null);
    if (!res.ok) setNotice({ intent: 'error', title: 'Nothing undone', text: res.error.message });
    else if (!res.value.undone) setNotice({ intent: 'info', text: `There is no change to ${kindLabels[kind].lower} left to undo.` });
    else setNotice({ intent: 'success', title: 'Undone', text: `Took back the last change: ${changeWords(res.value.undone)}.` });
    await load(kind);
  };

  const refreshReference = async () => {
    setBusy('reference');
    const res = await api.refreshReference({});
    setBusy(null);
    if (!res.ok) setNotice({ intent: 'error', title: 'CloudSuite lists not read', text: `${res.error.message} Check the CloudSuite connection on the Connections page, then try again.` });
    else if (res.value.failed.length > 0) setNotice({ intent: 'warning', title: 'Some lists were not read', text: res.value.failed.map((f) => `${f.kind}: ${f.message}`).join(' ') });
    else setNotice({ intent: 'success', text: `Read ${Object.entries(res.value.counts).map(([k, n]) => `${count.format(n)} ${k}`).join(', ')} from CloudSuite.` });
    await load(kind);
  };

  const runImport = async (csv: string, fileName: string, partial: boolean) => {
    setBusy('import');
    const res = await api.importMappings({ kind, csv, partial });
    setBusy(null);
    if (!res.ok) {
      setImportReport(null);
      setNotice({ intent: 'error', title: `${fileName} was not imported`, text: res.error.message });
      return;
    }
    const r = res.value;
    if (r.bad > 0) {
      setImportReport({ result: r, csv, fileName });
      setNotice(
        r.stored > 0
          ? { intent: 'warning', title: 'Imported in part', text: `${count.format(r.stored)} good rows of ${fileName} are stored; the ${count.format(r.bad)} listed below are not.`, undo: true }
          : { intent: 'error', title: `${fileName} was not imported`, text: `${count.format(r.bad)} of ${count.format(r.rows.length)} rows are not right, so nothing was stored. Fix them in the file and import it again, or store the good rows only.` },
      );
    } else {
      setImportReport(null);
      setNotice({ intent: 'success', title: 'Imported', text: `${count.format(r.stored)} rows of ${fileName} are stored.`, undo: true });
    }
    await load(kind);
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    await runImport(text, file.name, false);
    if (fileInput.current) fileInput.current.value = '';
  };

  const exportCsv = async () => {
    setBusy('export');
    const res = await api.exportMappings({ kind });
    setBusy(null);
    if (!res.ok) {
      setNotice({ intent: 'error', title: 'Not exported', text: res.error.message });
      return;
    }
    const url = URL.createObjectURL(new Blob([res.value.csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `ferry-${kind}-mappings.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  };

  // A kind may hold tens of thousands of rows: split into fields once per load, filtered per search, and the
  // search box stays responsive while a long list is filtered (deferred).
  const allRows = useMemo(() => (data?.mappings ?? []).map((m) => ({ entry: m, values: toFields(kind, m.key, m.value, segments) })), [data, kind, segments]);
  const deferredSearch = useDeferredValue(search);
  const rows = useMemo(() => allRows.filter((r) => matchesSearch(r.values, r.entry.note, deferredSearch)), [allRows, deferredSearch]);
  const label = kindLabels[kind];

  const editorActions: EditorActions = {
    set: (id, text) => setEditor((cur) => (cur ? { ...cur, values: { ...cur.values, [id]: text }, problems: { ...cur.problems, [id]: '' } } : cur)),
    setNote: (text) => setEditor((cur) => (cur ? { ...cur, note: text } : cur)),
    save: () => void save(),
    cancel: () => setEditor(null),
  };

  return (
    <section className={styles.page} aria-labelledby="mappings-title">
      <header className={styles.header}>
        <h1 id="mappings-title">Mappings</h1>
        {returnTo === 'attention' && (
          <Button appearance="primary" onClick={backToAttention}>
            Back to Needs attention
          </Button>
        )}
      </header>

      <TabList className={styles.tabs} selectedValue={kind} onTabSelect={(_, d) => setKind(d.value as MappingKindName)} aria-label="Mapping tables">
        {mappingKindNames.map((k) => (
          <Tab key={k} value={k}>
            {kindLabels[k].title}
          </Tab>
        ))}
      </TabList>

      <div>
        <Text as="p" block>
          {label.description}
        </Text>
        {data && (
          <Text as="p" block className={styles.muted}>
            {data.unmapped}
          </Text>
        )}
      </div>

      {fixHint && fixHint.kind === kind && (
        <MessageBar intent="info">
          <MessageBarBody>
            <MessageBarTitle>Fix for Needs attention</MessageBarTitle>
            {fixHint.text} Fill in the highlighted row, then Save.
          </MessageBarBody>
        </MessageBar>
      )}

      {notice && (
        <MessageBar intent={notice.intent} role={notice.intent === 'error' ? 'alert' : 'status'}>
          <MessageBarBody>
            {notice.title && <MessageBarTitle>{notice.title}</MessageBarTitle>}
            {notice.text}
          </MessageBarBody>
          <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss" onClick={() => setNotice(null)}>✕</Button>}>
            {notice.undo && (
              <Button onClick={() => void undo()} disabled={busy !== null}>
                Undo
              </Button>
            )}
            {notice.intent === 'success' && returnTo === 'attention' && <Button onClick={backToAttention}>Back to Needs attention</Button>}
          </MessageBarActions>
        </MessageBar>
      )}

      {loadError && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>
            <MessageBarTitle>Could not load {label.lower}</MessageBarTitle>
            {loadError.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void load(kind)}>Try again</Button>
          </MessageBarActions>
        </MessageBar>
      )}

      {reference?.missing ? (
        <MessageBar intent="warning">
          <MessageBarBody>
            <MessageBarTitle>CloudSuite lists not read yet</MessageBarTitle>
            {reference.missing.replace(/: refresh the reference data first.*$/, '.')} Until then, {label.lower} cannot be saved or checked.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void refreshReference()} disabled={busy !== null} icon={busy === 'reference' ? <Spinner size="tiny" /> : undefined}>
              Read CloudSuite lists now
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : reference && reference.lists.length > 0 ? (
        <Text className={styles.muted}>
          Checked against CloudSuite&apos;s {reference.lists.map((l) => `${l.label} (read ${when(l.readAt)})`).join(' and ')}.{' '}
          <Link as="button" onClick={() => void refreshReference()} disabled={busy !== null}>
            Read them again
          </Link>
          {reference.problems.length > 0 && (
            <>
              {' '}
              <Badge color="danger" appearance="tint">
                {reference.problems.length === 1 ? '1 row to check' : `${count.format(reference.problems.length)} rows to check`}
              </Badge>
            </>
          )}
        </Text>
      ) : null}

      {suggestions.length > 0 && (
        <section aria-labelledby="mapping-suggestions">
          <h2 id="mapping-suggestions">Waiting for a mapping</h2>
          <ul className={styles.suggestions}>
            {suggestions.map((s) => (
              <li key={JSON.stringify([s.key, s.value, s.label])} className={styles.suggestion}>
                <Text>{s.label}</Text>
                {s.failures > 0 && (
                  <Badge appearance="tint" color="warning">
                    {s.failures === 1 ? '1 record waits' : `${count.format(s.failures)} records wait`}
                  </Badge>
                )}
                <Button size="small" onClick={() => openEditor('add', s.key, s.value)} disabled={editor !== null}>
                  Add this mapping
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className={styles.toolbar}>
        <Field label={`Search ${label.lower}`}>
          <Input value={search} onChange={(_, d) => setSearch(d.value)} placeholder="Code, value or note" type="search" />
        </Field>
        <Button appearance="primary" onClick={() => openEditor('add', null, null)} disabled={editor !== null || !data}>
          Add mapping
        </Button>
        <Button onClick={() => fileInput.current?.click()} disabled={busy !== null || !data} icon={busy === 'import' ? <Spinner size="tiny" /> : undefined}>
          Import CSV…
        </Button>
        <input ref={fileInput} className={styles.hiddenInput} type="file" accept=".csv,text/csv" aria-label="CSV file to import" onChange={(e) => void onFile(e.target.files?.[0])} />
        <Button onClick={() => void exportCsv()} disabled={busy !== null || !data}>
          Export CSV
        </Button>
        <Button onClick={() => void undo()} disabled={busy !== null || !data?.lastChange} title={data?.lastChange ? `Takes back ${changeWords(data.lastChange)}` : 'Nothing to undo'}>
          Undo last change
        </Button>
        {data?.lastChange && <Text className={styles.muted}>Last change: {changeWords(data.lastChange)}</Text>}
      </div>

      {/* The CloudSuite codes a key may name, offered as the person types (native suggestions, keyboard included). */}
      {Object.entries(lists).map(([list, items]) => (
        <datalist key={list} id={`choices-${list}`}>
          {items.map((c) => (
            <option key={c.code} value={c.code}>{`${c.name}${c.active ? '' : ' (inactive)'}`}</option>
          ))}
        </datalist>
      ))}

      {importReport && <ImportReport report={importReport} onPartial={() => void runImport(importReport.csv, importReport.fileName, true)} busy={busy !== null} onClose={() => setImportReport(null)} />}

      {!data ? (
        !loadError && <Spinner label={`Loading ${label.lower}…`} />
      ) : (
        <div>
          <MappingsTable
            kind={kind}
            fields={fields}
            rows={rows}
            problems={problems}
            lists={lists}
            editor={editor}
            actions={editorActions}
            revealTick={focusTick}
            busy={busy !== null}
            onChange={(entry) => openEditor('edit', entry.key, entry.value, entry.note)}
            onDelete={(entry) => void remove(entry)}
          />
          {data.mappings.length === 0 && !editor && (
            <Text as="p" block className={styles.muted}>
              No {label.lower} mapped yet. {data.unmapped} Add a mapping, or import a CSV file (Export CSV gives the layout).
            </Text>
          )}
          {data.mappings.length > 0 && rows.length === 0 && (
            <Text as="p" block className={styles.muted}>
              No {label.lower} match &ldquo;{deferredSearch}&rdquo;. Clear the search to see all {count.format(data.mappings.length)}.
            </Text>
          )}
        </div>
      )}
    </section>
  );
}

function changeWords(c: NonNullable<ListResult['lastChange']>): string {
  const what = c.action === 'import' ? `the import of ${count.format(c.count)} rows` : c.action === 'set' ? (c.count === 1 ? 'a change of 1 mapping' : `a change of ${count.format(c.count)} mappings`) : 'a deletion';
  return `${what} on ${when(c.at)}`;
}

function ImportReport({ report, onPartial, onClose, busy }: { report: { result: ImportResult; fileName: string }; onPartial: () => void; onClose: () => void; busy: boolean }) {
  const bad = report.result.rows.filter((r: MappingImportRow) => !r.ok);
  const good = report.result.rows.length - bad.length;
  return (
    <section aria-label={`Rows of ${report.fileName} that are not right`}>
      <h2>Rows of {report.fileName} that are not right</h2>
      <Table size="small" aria-label="Import problems">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Row</TableHeaderCell>
            <TableHeaderCell>Key</TableHeaderCell>
            <TableHeaderCell>What is wrong</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {bad.map((r) => (
            <TableRow key={r.row}>
              <TableCell>{r.row}</TableCell>
              <TableCell>{r.key ?? '—'}</TableCell>
              <TableCell>{r.reason}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <div style={{ display: 'flex', gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalS }}>
        {!report.result.partial && good > 0 && (
          <Button onClick={onPartial} disabled={busy}>
            Store the {good === 1 ? '1 good row' : `${count.format(good)} good rows`} only
          </Button>
        )}
        <Button onClick={onClose}>Close</Button>
      </div>
    </section>
  );
}
