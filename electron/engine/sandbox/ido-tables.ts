import crypto from 'node:crypto';
import type { Clock } from './context';
import type { Row } from './ido-filter';
import { idoDate } from './ido-schema';

/** What changed since the world was generated, per IDO and RowPointer (null = deleted). Persisted. */
export type IdoOverlay = Record<string, Record<string, Row | null>>;

/**
 * The CloudSuite data of one tenant, as IDO rows (Industrial's names; the M3 programs read the same rows
 * under M3 names). The generated base is never saved — it is re-created from the seed — so only the changes
 * are persisted, which keeps a 300,000-row world cheap to save after every write.
 */
export class IdoTables {
  private tables = new Map<string, Row[]>();
  private index = new Map<string, Map<string, Row>>();

  constructor(
    base: Record<string, Row[]>,
    readonly overlay: IdoOverlay,
    private readonly clock: Clock,
    private readonly changed: () => void,
  ) {
    for (const [ido, rows] of Object.entries(base)) {
      const changes = overlay[ido] ?? {};
      const merged: Row[] = [];
      const seen = new Set<string>();
      for (const row of rows) {
        const rp = row.RowPointer!;
        seen.add(rp);
        if (rp in changes) {
          const replacement = changes[rp];
          if (replacement) merged.push(replacement);
        } else merged.push(row);
      }
      for (const [rp, row] of Object.entries(changes)) if (row && !seen.has(rp)) merged.push(row);
      this.tables.set(ido, merged);
      this.index.set(ido, new Map(merged.map((r) => [r.RowPointer!, r])));
    }
    for (const ido of Object.keys(overlay)) if (!this.tables.has(ido)) this.adopt(ido);
  }

  idos(): string[] {
    return [...this.tables.keys()];
  }

  /** The live rows of one IDO (do not mutate them directly: use update, so the change is persisted). */
  rows(ido: string): readonly Row[] {
    return this.tables.get(ido) ?? [];
  }

  get(ido: string, rowPointer: string): Row | undefined {
    return this.index.get(ido)?.get(rowPointer);
  }

  find(ido: string, match: (r: Row) => boolean): Row | undefined {
    return this.rows(ido).find(match);
  }

  /** Adds a row, stamping RowPointer (if absent) and RecordDate, as CloudSuite does on every change. */
  insert(ido: string, row: Row): Row {
    this.adopt(ido);
    const stored: Row = { ...row, RowPointer: row.RowPointer ?? newRowPointer(), RecordDate: idoDate(this.clock.date('ido')) };
    this.tables.get(ido)!.push(stored);
    this.index.get(ido)!.set(stored.RowPointer!, stored);
    this.record(ido, stored);
    return stored;
  }

  update(ido: string, rowPointer: string, props: Row): Row {
    const row = this.get(ido, rowPointer);
    if (!row) throw new Error(`${ido} has no row ${rowPointer}`);
    Object.assign(row, props, { RecordDate: idoDate(this.clock.date('ido')) });
    this.record(ido, row);
    return row;
  }

  delete(ido: string, rowPointer: string): boolean {
    const rows = this.tables.get(ido);
    const row = this.get(ido, rowPointer);
    if (!rows || !row) return false;
    rows.splice(rows.indexOf(row), 1);
    this.index.get(ido)!.delete(rowPointer);
    (this.overlay[ido] ??= {})[rowPointer] = null;
    this.changed();
    return true;
  }

  private adopt(ido: string): void {
    if (this.tables.has(ido)) return;
    const rows = Object.values(this.overlay[ido] ?? {}).filter((r): r is Row => r !== null);
    this.tables.set(ido, rows);
    this.index.set(ido, new Map(rows.map((r) => [r.RowPointer!, r])));
  }

  private record(ido: string, row: Row): void {
    (this.overlay[ido] ??= {})[row.RowPointer!] = row;
    this.changed();
  }
}

export function newRowPointer(): string {
  return crypto.randomUUID().toUpperCase();
}
