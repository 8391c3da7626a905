import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { defaultRangeExtractor, useVirtualizer, type Range, type Rect, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { AuditEvent } from '../../shared/api';
import { scrollScale } from '../audit-browse';
import { flowLabels } from '../flow-labels';

// The audit trail as one table, however long: only the rows in view (and a few around them) are in the page.
// A list taller than a browser can lay out (a million rows) keeps a scrollbar of a fixed height that stands for
// the whole list; wheel, keyboard and scrollbar move a position Ferry keeps itself, and the rows are drawn
// from it in a layer that stays put while the scrollable area moves underneath (audit-browse.ts, scrollScale).

export const ROW_HEIGHT = 40;
const HEADER_HEIGHT = 40;
const OVERSCAN = 20;

const actionLabels: Record<string, string> = {
  create: 'Created',
  update: 'Updated',
  unchanged: 'Unchanged',
  skip: 'Skipped',
  send: 'Not sent',
  adopt: 'Linked to existing',
  cancel: 'Cancelled',
  conflict: 'Conflict',
  retention: 'Removed old events',
  ignore: 'Ignored',
  'preview-create': 'Dry run: would create',
  'preview-update': 'Dry run: would update',
  'preview-failed': 'Dry run: would fail',
};
export const actionLabel = (action: string): string => actionLabels[action] ?? action.replace(/-/g, ' ');
export const flowLabel = (flow: string): string => (flowLabels as Record<string, string>)[flow] ?? flow;
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
export const timeText = (iso: string): string => timeFormat.format(new Date(iso));

export function StatusBadge({ event }: { event: Pick<AuditEvent, 'outcome' | 'targetStatus'> }) {
  if (event.outcome === 'failed') return <Badge appearance="tint" color="danger">Failed</Badge>;
  if (event.outcome === 'skipped') return <Badge appearance="tint" color="informative">{event.targetStatus ? `Skipped · ${event.targetStatus}` : 'Skipped'}</Badge>;
  return <Badge appearance="tint" color="success">{event.targetStatus ?? 'Done'}</Badge>;
}

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, AuditEvent>();
const columns = helper.columns([
  helper.accessor('at', { header: 'Time', cell: (c) => timeText(c.getValue()) }),
  helper.accessor('flow', { header: 'Flow', cell: (c) => flowLabel(c.getValue()) }),
  helper.accessor((e) => `${e.sourceKey} · ${e.recordType}`, { id: 'record', header: 'Record', cell: (c) => c.getValue() }),
  helper.accessor('action', { header: 'Action', cell: (c) => actionLabel(c.getValue()) }),
  helper.accessor('outcome', { header: 'Status', cell: (c) => <StatusBadge event={c.row.original} /> }),
  helper.accessor('targetKey', { header: 'Target reference', cell: (c) => c.getValue() ?? '—' }),
  helper.accessor('reason', { header: 'Details', cell: (c) => c.getValue() ?? '' }),
]);
const GRID_COLUMNS = 'minmax(170px, 0.9fr) minmax(170px, 1fr) minmax(170px, 1.2fr) minmax(100px, 0.6fr) minmax(100px, 0.6fr) minmax(120px, 0.7fr) minmax(160px, 1.6fr)';

const useStyles = makeStyles({
  scroller: { flex: '1 1 auto', minHeight: '240px', overflow: 'auto', position: 'relative', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium, boxShadow: tokens.shadow2, overscrollBehavior: 'contain' },
  table: { display: 'block', position: 'relative', minWidth: '1000px', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase300 },
  thead: { display: 'block', position: 'sticky', top: 0, zIndex: 2, backgroundColor: tokens.colorNeutralBackground3 },
  tbody: { display: 'block', position: 'sticky', top: `${HEADER_HEIGHT}px`, overflow: 'hidden' },
  row: { display: 'grid', gridTemplateColumns: GRID_COLUMNS, alignItems: 'center', height: `${ROW_HEIGHT}px`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, boxSizing: 'border-box' },
  bodyRow: {
    position: 'absolute',
    left: 0,
    right: 0,
    top: 0,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  selected: { backgroundColor: tokens.colorBrandBackground2, ':hover': { backgroundColor: tokens.colorBrandBackground2Hover } },
  cell: { padding: '0 10px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', textAlign: 'left' },
  head: { fontWeight: tokens.fontWeightSemibold },
  placeholder: { color: tokens.colorNeutralForeground3, fontStyle: 'italic' },
});

export interface ActivityTableProps {
  /** Changes with each new list (other filters, reloaded): the table starts again at its top. */
  listKey: string;
  total: number;
  /** The event at a row, or undefined while its page loads. */
  rowAt(index: number): AuditEvent | undefined;
  /** Called with the rows to have ready (the ones in view and around them). */
  onRange(first: number, last: number): void;
  selectedId: number | null;
  onOpen(event: AuditEvent): void;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

export function ActivityTable({ listKey, total, rowAt, onRange, selectedId, onOpen }: ActivityTableProps) {
  const styles = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [viewport, setViewport] = useState(0);
  const [active, setActive] = useState(0);
  const activeRef = useRef(0);
  activeRef.current = Math.min(active, Math.max(0, total - 1));

  const scale = scrollScale(total * ROW_HEIGHT, viewport);
  const scaleRef = useRef(scale);
  scaleRef.current = scale;
  // The content offset (px from the first row) Ferry keeps; the scrollbar shows it divided by scale.ratio.
  const offsetRef = useRef(0);
  const written = useRef<number | null>(null);
  const notify = useRef<((offset: number) => void) | null>(null);

  const moveTo = useCallback((offset: number) => {
    const s = scaleRef.current;
    const next = clamp(offset, 0, s.maxOffset);
    offsetRef.current = next;
    const el = scrollRef.current;
    if (el) {
      written.current = next / s.ratio;
      el.scrollTop = written.current;
    }
    notify.current?.(next);
  }, []);

  const virtualizer: Virtualizer<HTMLDivElement, HTMLTableRowElement> = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    initialRect: { width: 0, height: 0 },
    observeElementRect: (_instance, cb: (rect: Rect) => void) => {
      const el = scrollRef.current;
      if (!el) return;
      const report = () => {
        const height = Math.max(0, el.clientHeight - HEADER_HEIGHT);
        setViewport(height);
        cb({ width: el.clientWidth, height });
      };
      report();
      const observer = new ResizeObserver(report);
      observer.observe(el);
      return () => observer.disconnect();
    },
    observeElementOffset: (_instance, cb) => {
      notify.current = (offset) => cb(offset, false);
      cb(offsetRef.current, false);
      return () => {
        notify.current = null;
      };
    },
    scrollToFn: (offset) => moveTo(offset),
    // The current row stays in the page while scrolled away, so keyboard focus is never lost.
    rangeExtractor: (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      const current = activeRef.current;
      if (range.count > 0 && !indexes.includes(current)) indexes.push(current);
      return indexes.sort((a, b) => a - b);
    },
  });

  // The scrollbar (dragged, clicked) and the wheel. The wheel moves the rows by exactly its distance, however
  // long the list, instead of by the scrollbar's scale.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onScroll = () => {
      if (written.current !== null && Math.abs(el.scrollTop - written.current) < 1.5) return;
      written.current = null;
      const s = scaleRef.current;
      offsetRef.current = clamp(el.scrollTop * s.ratio, 0, s.maxOffset);
      notify.current?.(offsetRef.current);
    };
    const onWheel = (e: WheelEvent) => {
      if (e.ctrlKey || e.deltaY === 0) return;
      e.preventDefault();
      const unit = e.deltaMode === 1 ? ROW_HEIGHT : e.deltaMode === 2 ? Math.max(ROW_HEIGHT, el.clientHeight - HEADER_HEIGHT) : 1;
      moveTo(offsetRef.current + e.deltaY * unit);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      el.removeEventListener('scroll', onScroll);
      el.removeEventListener('wheel', onWheel);
    };
  }, [moveTo]);

  // A new list (other filters) starts at its top.
  useEffect(() => {
    setActive(0);
    moveTo(0);
  }, [listKey, moveTo]);

  const items = virtualizer.getVirtualItems();
  // The rows in view and the overscan around them (not the current row kept in the page for focus).
  const range = virtualizer.range;
  const first = range ? Math.max(0, range.startIndex - OVERSCAN) : 0;
  const last = range ? Math.min(total - 1, range.endIndex + OVERSCAN) : -1;
  useEffect(() => {
    if (last >= first) onRange(first, last);
  }, [first, last, onRange]);

  const rowsPerView = Math.max(1, Math.floor(viewport / ROW_HEIGHT));
  const show = useCallback(
    (index: number, focus: boolean) => {
      const i = clamp(index, 0, Math.max(0, total - 1));
      setActive(i);
      activeRef.current = i;
      const top = i * ROW_HEIGHT;
      const view = Math.max(ROW_HEIGHT, viewport);
      if (top < offsetRef.current) moveTo(top);
      else if (top + ROW_HEIGHT > offsetRef.current + view) moveTo(top + ROW_HEIGHT - view);
      if (focus) requestAnimationFrame(() => bodyRef.current?.querySelector<HTMLElement>(`tr[data-index="${i}"]`)?.focus({ preventScroll: true }));
    },
    [total, viewport, moveTo],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const moves: Record<string, number> = {
      ArrowDown: activeRef.current + 1,
      ArrowUp: activeRef.current - 1,
      PageDown: activeRef.current + rowsPerView - 1,
      PageUp: activeRef.current - rowsPerView + 1,
      Home: 0,
      End: total - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      show(moves[e.key]!, true);
    } else if (e.key === 'Enter' || e.key === ' ') {
      const event = rowAt(activeRef.current);
      if (event) {
        e.preventDefault();
        onOpen(event);
      }
    }
  };

  // The table model covers the rows in the page; rows still loading are drawn as placeholders.
  const loaded = items.map((item) => rowAt(item.index)).filter((e): e is AuditEvent => e !== undefined);
  const table = useTable({ features, columns, data: loaded, getRowId: (e) => String(e.id) });
  const rowsById = new Map(table.getRowModel().rows.map((r) => [r.original.id, r]));
  const offset = virtualizer.scrollOffset ?? 0;

  return (
    <div ref={scrollRef} className={styles.scroller}>
      <table role="table" aria-label="Activity" aria-rowcount={total + 1} className={styles.table} style={{ height: scale.physical + HEADER_HEIGHT }}>
        <thead role="rowgroup" className={styles.thead}>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} role="row" aria-rowindex={1} className={styles.row}>
              {group.headers.map((header) => (
                <th key={header.id} role="columnheader" scope="col" className={`${styles.cell} ${styles.head}`}>
                  <table.FlexRender header={header} />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody ref={bodyRef} role="rowgroup" className={styles.tbody} style={{ height: Math.min(viewport, total * ROW_HEIGHT) }} onKeyDown={onKeyDown}>
          {items.map((item) => {
            const event = rowAt(item.index);
            const row = event ? rowsById.get(event.id) : undefined;
            const current = item.index === activeRef.current;
            return (
              <tr
                key={item.key}
                data-index={item.index}
                role="row"
                aria-rowindex={item.index + 2}
                aria-current={event && event.id === selectedId ? 'true' : undefined}
                tabIndex={current ? 0 : -1}
                className={`${styles.row} ${styles.bodyRow} ${event && event.id === selectedId ? styles.selected : ''}`}
                style={{ transform: `translateY(${item.start - offset}px)` }}
                onClick={() => {
                  setActive(item.index);
                  if (event) onOpen(event);
                }}
              >
                {row ? (
                  row.getAllCells().map((cell) => (
                    <td key={cell.id} role="cell" className={styles.cell} title={cell.column.id === 'reason' || cell.column.id === 'record' ? String(cell.getValue() ?? '') : undefined}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))
                ) : (
                  <td role="cell" className={`${styles.cell} ${styles.placeholder}`} style={{ gridColumn: '1 / -1' }}>
                    Loading event {(item.index + 1).toLocaleString()}…
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
