import { Button, Field, Input, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { Fragment, useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type FocusEvent, type KeyboardEvent } from 'react';
import type { MappingEntry, MappingKindName, ReferenceChoice } from '../../shared/api';
import { displayText, kindLabels, type Field as MappingField, type FieldValues, type RefList } from '../mapping-fields';

// The rows of one mapping kind, with the row being added or changed in place. A supplier table can hold tens of
// thousands of rows: above VIRTUAL_FROM only the rows in view (and OVERSCAN around them) are in the page, drawn by
// TanStack Virtual at their measured heights (a row with a problem or the editor is taller), as on Activity.
// Keys: Tab into the rows, ↑ ↓, Page Up/Down, Home, End; Enter changes the row; Tab reaches its buttons.

export const VIRTUAL_FROM = 200;
const OVERSCAN = 15;
const ROW_ESTIMATE = 41;

export interface MappingRow {
  entry: MappingEntry;
  values: FieldValues;
}

export interface Editor {
  mode: 'add' | 'edit';
  /** The stored key of the row being changed (edit), else null. */
  key: string | null;
  values: FieldValues;
  note: string;
  /** Problems per field id, shown under the field. */
  problems: Record<string, string>;
  error: string | null;
  saving: boolean;
}

export interface EditorActions {
  set(id: string, text: string): void;
  setNote(text: string): void;
  save(): void;
  cancel(): void;
}

interface Props {
  kind: MappingKindName;
  fields: MappingField[];
  /** The rows that match the search, in order. */
  rows: MappingRow[];
  /** Stored rows whose CloudSuite side no longer passes, with the reason. */
  problems: Map<string, string>;
  lists: Partial<Record<RefList, ReferenceChoice[]>>;
  editor: Editor | null;
  actions: EditorActions;
  /** Goes up each time an editor opens: its row is brought into view and its first empty field focused. */
  revealTick: number;
  busy: boolean;
  onChange(entry: MappingEntry): void;
  onDelete(entry: MappingEntry): void;
}

const useStyles = makeStyles({
  table: { tableLayout: 'auto' },
  tableWrap: { overflowX: 'auto', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
  scroller: { maxHeight: '70vh', minHeight: '240px', overflow: 'auto', position: 'relative', overscrollBehavior: 'contain', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
  virtualTable: { minWidth: '900px' },
  stickyHead: { position: 'sticky', top: 0, zIndex: 2, backgroundColor: tokens.colorNeutralBackground1 },
  virtualRow: { position: 'absolute', top: 0, left: 0, width: '100%' },
  row: { ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' } },
  // Column widths when rows are laid out one by one (virtual): the same in the header and in every row.
  note: { flex: '1 1 0px' },
  status: { flex: '1.4 1 0px' },
  actionsCol: { flex: '0 0 190px' },
  problemRow: { backgroundColor: tokens.colorPaletteRedBackground1 },
  editRow: { backgroundColor: tokens.colorPaletteYellowBackground1 },
  problemText: { color: tokens.colorPaletteRedForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
  cellInput: { minWidth: '6.5rem', width: '100%' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  editActions: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const when = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
const rateFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 4 });
const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

function cellText(kind: MappingKindName, field: MappingField, text: string): string {
  if (kind === 'labour-rate' && field.id === 'rate' && text !== '' && Number.isFinite(Number(text))) return rateFormat.format(Number(text));
  return displayText(field, text);
}

/** Focuses what `find` returns once it is in the page: a row scrolled to is drawn a frame or two later. */
function focusSoon(find: () => HTMLElement | null | undefined, preventScroll = false): () => void {
  let frame = 0;
  let tries = 0;
  const attempt = () => {
    const el = find();
    if (el?.isConnected) el.focus({ preventScroll });
    else if (tries++ < 30) frame = requestAnimationFrame(attempt);
  };
  attempt();
  return () => cancelAnimationFrame(frame);
}

export function MappingsTable({ kind, fields, rows, problems, lists, editor, actions, revealTick, busy, onChange, onDelete }: Props) {
  const styles = useStyles();
  const label = kindLabels[kind];
  const virtual = rows.length > VIRTUAL_FROM;
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement & HTMLTableSectionElement>(null);
  const headRef = useRef<HTMLDivElement & HTMLTableSectionElement>(null);
  const firstEditField = useRef<HTMLInputElement | null>(null);
  const [headHeight, setHeadHeight] = useState(0);

  // Slots: the new row (when adding) first, then the rows; the row being changed is drawn as the editor.
  const adding = editor?.mode === 'add';
  const count = rows.length + (adding ? 1 : 0);
  const rowAt = useCallback((slot: number): MappingRow | null => (adding ? (slot === 0 ? null : rows[slot - 1]!) : rows[slot]!), [adding, rows]);
  const editorSlot = editor === null ? -1 : adding ? 0 : rows.findIndex((r) => r.entry.key === editor.key);

  const [active, setActive] = useState(0);
  const activeSlot = clamp(active, 0, Math.max(0, count - 1));
  const keep = useRef({ active: activeSlot, editor: editorSlot });
  keep.current = { active: activeSlot, editor: editorSlot };

  useLayoutEffect(() => setHeadHeight(headRef.current?.offsetHeight ?? 0), [virtual, fields]);

  const virtualizer = useVirtualizer({
    count,
    enabled: virtual,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: OVERSCAN,
    // The rows start below the sticky header, and a row scrolled to must not end up under it.
    scrollMargin: headHeight,
    scrollPaddingStart: headHeight,
    getItemKey: (slot) => {
      const row = rowAt(slot);
      return row ? row.entry.key : '\u0000new';
    },
    // The current row and the editor stay in the page while scrolled away, so focus and typing are never lost.
    rangeExtractor: (range: Range) => {
      const slots = new Set(defaultRangeExtractor(range));
      for (const s of [keep.current.active, keep.current.editor]) if (s >= 0 && s < range.count) slots.add(s);
      return [...slots].sort((a, b) => a - b);
    },
  });

  // An editor that opens (Add, Change, "Fix mapping" from Needs attention) is brought into view and focused;
  // only when one opens (revealTick), not at every change of the rows under it.
  useEffect(() => {
    if (revealTick === 0 || keep.current.editor < 0) return;
    if (virtual) virtualizer.scrollToIndex(keep.current.editor, { align: 'center' });
    return focusSoon(() => firstEditField.current);
  }, [revealTick]);

  const stopFocus = useRef<() => void>(() => undefined);
  useEffect(() => () => stopFocus.current(), []);
  const show = (slot: number) => {
    const s = clamp(slot, 0, Math.max(0, count - 1));
    setActive(s);
    keep.current.active = s;
    if (virtual) virtualizer.scrollToIndex(s, { align: 'auto' });
    stopFocus.current();
    stopFocus.current = focusSoon(() => bodyRef.current?.querySelector<HTMLElement>(`[data-index="${s}"]`), virtual);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    // Only on a row itself: inside the editor the keys belong to its fields (and their suggestions).
    const target = e.target as HTMLElement;
    if (target.dataset.index === undefined) return;
    const slot = Number(target.dataset.index);
    // A page is what the box shows (virtual) or the window (the page itself scrolls).
    const view = virtual ? (scrollRef.current?.clientHeight ?? 0) - headHeight : window.innerHeight;
    const rowsPerView = Math.max(1, Math.floor(view / ROW_ESTIMATE));
    const moves: Record<string, number> = { ArrowDown: slot + 1, ArrowUp: slot - 1, PageDown: slot + rowsPerView - 1, PageUp: slot - rowsPerView + 1, Home: 0, End: count - 1 };
    if (e.key in moves) {
      e.preventDefault();
      show(moves[e.key]!);
    } else if (e.key === 'Enter' && editor === null) {
      const row = rowAt(slot);
      if (row) {
        e.preventDefault();
        onChange(row.entry);
      }
    }
  };

  const col = { note: styles.note, status: styles.status, actions: styles.actionsCol };
  const editorRow = (ed: Editor, rowProps: RowProps) => {
    const firstEmpty = fields.find((f) => !(ed.mode === 'edit' && f.side === 'key') && !(ed.values[f.id] ?? '').trim())?.id ?? fields.find((f) => !(ed.mode === 'edit' && f.side === 'key'))?.id;
    const onEnter = (e: KeyboardEvent) => e.key === 'Enter' && actions.save();
    return (
      <TableRow {...rowProps} className={mergeClasses(rowProps.className, styles.editRow)} aria-label={ed.mode === 'add' ? `New ${label.one}` : `Changing ${ed.key}`}>
        {fields.map((f) => {
          const readOnly = ed.mode === 'edit' && f.side === 'key';
          const problem = ed.problems[f.id] || undefined;
          const choices = f.ref ? (lists[f.ref] ?? []) : [];
          return (
            <TableCell key={f.id}>
              <Field validationMessage={problem} validationState={problem ? 'error' : 'none'} hint={f.any ? `${f.any} = any` : undefined}>
                <Input
                  className={styles.cellInput}
                  aria-label={f.label}
                  ref={f.id === firstEmpty ? firstEditField : undefined}
                  value={ed.values[f.id] ?? ''}
                  readOnly={readOnly}
                  placeholder={f.placeholder}
                  list={f.ref && choices.length > 0 && !readOnly ? `choices-${f.ref}` : undefined}
                  onChange={(_, d) => actions.set(f.id, d.value)}
                  onKeyDown={onEnter}
                />
              </Field>
            </TableCell>
          );
        })}
        <TableCell className={col.note}>
          <Input className={styles.cellInput} aria-label="Note" value={ed.note} onChange={(_, d) => actions.setNote(d.value)} onKeyDown={onEnter} />
        </TableCell>
        <TableCell className={col.status}>{ed.error ? <Text className={styles.problemText} role="alert">{ed.error}</Text> : ed.mode === 'add' ? 'New' : 'Changing'}</TableCell>
        <TableCell className={col.actions}>
          <div className={styles.editActions}>
            <Button appearance="primary" onClick={actions.save} disabled={ed.saving} icon={ed.saving ? <Spinner size="tiny" /> : undefined}>
              Save
            </Button>
            <Button onClick={actions.cancel} disabled={ed.saving}>
              Cancel
            </Button>
          </div>
        </TableCell>
      </TableRow>
    );
  };

  const dataRow = ({ entry, values }: MappingRow, rowProps: RowProps) => {
    const problem = problems.get(entry.key);
    return (
      <TableRow {...rowProps} className={mergeClasses(rowProps.className, problem !== undefined && styles.problemRow)}>
        {fields.map((f) => (
          <TableCell key={f.id}>{cellText(kind, f, values[f.id] ?? '')}</TableCell>
        ))}
        <TableCell className={col.note}>{entry.note ?? ''}</TableCell>
        <TableCell className={col.status}>
          {problem !== undefined ? <Text className={styles.problemText}>{capitalise(problem)}: change the row or delete it.</Text> : <Text className={styles.muted}>Changed {when(entry.updatedAt)}</Text>}
        </TableCell>
        <TableCell className={col.actions}>
          <div className={styles.actions}>
            <Button size="small" onClick={() => onChange(entry)} disabled={editor !== null} aria-label={`Change ${entry.key}`}>
              Change
            </Button>
            <Button size="small" onClick={() => onDelete(entry)} disabled={editor !== null || busy} aria-label={`Delete ${entry.key}`}>
              Delete
            </Button>
          </div>
        </TableCell>
      </TableRow>
    );
  };

  const slot = (index: number, style?: CSSProperties) => {
    const row = rowAt(index);
    const isEditor = index === editorSlot && editor !== null;
    const rowProps: RowProps = {
      'data-index': index,
      'aria-rowindex': index + 2,
      tabIndex: isEditor ? undefined : index === activeSlot ? 0 : -1,
      className: mergeClasses(styles.row, virtual && styles.virtualRow),
      style,
      ref: virtual ? virtualizer.measureElement : undefined,
      onFocus: (e) => {
        if (e.target === e.currentTarget) setActive(index);
      },
    };
    // Keyed by the mapping, so a row keeps its element (and measured height) as the search narrows the list.
    return <Fragment key={row ? row.entry.key : '\u0000new'}>{isEditor ? editorRow(editor, rowProps) : row ? dataRow(row, rowProps) : null}</Fragment>;
  };

  const items = virtual ? virtualizer.getVirtualItems() : [];
  return (
    <div ref={scrollRef} className={virtual ? styles.scroller : styles.tableWrap}>
      <Table aria-label={label.title} aria-rowcount={count + 1} size="small" noNativeElements={virtual} className={virtual ? styles.virtualTable : styles.table}>
        <TableHeader ref={headRef} className={virtual ? styles.stickyHead : undefined}>
          <TableRow aria-rowindex={1}>
            {fields.map((f) => (
              <TableHeaderCell key={f.id}>{f.label}</TableHeaderCell>
            ))}
            <TableHeaderCell className={col.note}>Note</TableHeaderCell>
            <TableHeaderCell className={col.status}>Status</TableHeaderCell>
            <TableHeaderCell className={col.actions}>Actions</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody ref={bodyRef} onKeyDown={onKeyDown} style={virtual ? { position: 'relative', height: virtualizer.getTotalSize() } : undefined}>
          {virtual
            ? items.map((item) => slot(item.index, { transform: `translateY(${item.start - headHeight}px)` }))
            : Array.from({ length: count }, (_, index) => slot(index))}
        </TableBody>
      </Table>
    </div>
  );
}

interface RowProps {
  'data-index': number;
  'aria-rowindex': number;
  tabIndex: number | undefined;
  className: string;
  style: CSSProperties | undefined;
  ref: ((node: Element | null) => void) | undefined;
  onFocus(e: FocusEvent<HTMLElement>): void;
}
