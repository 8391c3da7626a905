import { z } from 'zod';
import { FerryError } from '../../../shared/errors';
import {
  ANY_COST_CENTER,
  glAccountKey,
  glSegments,
  MappingError,
  mappingLabels,
  parseMapping,
  requiredMappings,
  type CostAllocation,
  type MappingKind,
  type MappingValues,
  type SiteTarget,
  type SupplierTarget,
} from '../mapping/kinds';
import type { Db } from './db';
import { getSetting, setSetting } from './settings';

// The mapping tables (table mappings): one row per CloudSuite code and kind. Every change is checked against
// the kind's schema first and made in one transaction together with what undoes it, so the UI can offer
// "Undo" for the last change of each kind (a single set or delete, or a whole import).

export interface Mapping<K extends MappingKind = MappingKind> {
  kind: K;
  key: string;
  value: MappingValues[K];
  note: string | null;
  updatedAt: string;
}

export interface MappingInput {
  key: string;
  value: unknown;
  note?: string | null;
}

interface Row {
  key: string;
  value: string;
  note: string | null;
  updatedAt: string;
}

const SELECT = 'SELECT source_key AS key, value, note, updated_at AS updatedAt FROM mappings';
const toMapping = <K extends MappingKind>(kind: K, r: Row): Mapping<K> => ({ kind, key: r.key, value: JSON.parse(r.value) as MappingValues[K], note: r.note, updatedAt: r.updatedAt });

export function getMapping<K extends MappingKind>(db: Db, kind: K, key: string): Mapping<K> | null {
  const row = db.prepare(`${SELECT} WHERE kind = ? AND source_key = ?`).get(kind, key) as Row | undefined;
  return row ? toMapping(kind, row) : null;
}

export function listMappings<K extends MappingKind>(db: Db, kind: K): Mapping<K>[] {
  return (db.prepare(`${SELECT} WHERE kind = ? ORDER BY source_key`).all(kind) as Row[]).map((r) => toMapping(kind, r));
}

export function countMappings(db: Db, kind: MappingKind): number {
  return (db.prepare('SELECT count(*) AS n FROM mappings WHERE kind = ?').get(kind) as { n: number }).n;
}

// ── Changes and undo ────────────────────────────────────────────────────────────────────────────────────────

const UNDO_SETTING = 'mappings_undo';
const Previous = z.object({ value: z.unknown(), note: z.string().nullable(), updatedAt: z.string() }).nullable();
const UndoEntry = z.object({
  action: z.enum(['set', 'delete', 'import']),
  at: z.string(),
  changes: z.array(z.object({ key: z.string(), previous: Previous })),
});
type UndoEntry = z.infer<typeof UndoEntry>;
const UndoLog = z.partialRecord(z.string(), UndoEntry);

export interface MappingChange {
  kind: MappingKind;
  action: UndoEntry['action'];
  at: string;
  /** How many mappings the change touched. */
  count: number;
}

function snapshot(db: Db, kind: MappingKind, key: string): z.infer<typeof Previous> {
  const row = db.prepare(`${SELECT} WHERE kind = ? AND source_key = ?`).get(kind, key) as Row | undefined;
  return row ? { value: JSON.parse(row.value) as unknown, note: row.note, updatedAt: row.updatedAt } : null;
}

function remember(db: Db, kind: MappingKind, entry: UndoEntry): void {
  const log = getSetting(db, UNDO_SETTING, UndoLog, {});
  setSetting(db, UNDO_SETTING, UndoLog, { ...log, [kind]: entry });
}

function write(db: Db, kind: MappingKind, key: string, value: unknown, note: string | null, at: string): void {
  db.prepare(
    `INSERT INTO mappings (kind, source_key, value, note, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (kind, source_key) DO UPDATE SET value = excluded.value, note = excluded.note, updated_at = excluded.updated_at`,
  ).run(kind, key, JSON.stringify(value), note, at);
}

const cleanNote = (note: string | null | undefined): string | null => {
  const n = note?.trim() ?? '';
  if (n.length > 500) throw new FerryError('invalid_input', 'A mapping note may be at most 500 characters long.');
  return n === '' ? null : n;
};

/** Checks a batch of mappings of one kind; throws one sentence for the first that is not valid. */
function parseAll<K extends MappingKind>(db: Db, kind: K, inputs: MappingInput[]): { key: string; value: MappingValues[K]; note: string | null }[] {
  const segments = glSegments(db);
  const parsed = inputs.map((input) => {
    const p = parseMapping(kind, input.key, input.value, segments);
    if (!p.ok) throw new FerryError('invalid_input', `The ${mappingLabels[kind].kind} mapping for "${String(input.key)}" is not valid: ${p.reason}.`);
    return { key: p.key, value: p.value, note: cleanNote(input.note) };
  });
  if (kind === 'payment-terms') checkTermsUnique(db, parsed as { key: string; value: string }[]);
  return parsed;
}

/**
 * Payment terms are mapped both ways, so one JAGGAER text may come from one CloudSuite code only; otherwise
 * an invoice's terms could not be read back.
 */
function checkTermsUnique(db: Db, changes: { key: string; value: string }[]): void {
  const changed = new Set(changes.map((c) => c.key));
  const owner = new Map<string, string>();
  for (const m of listMappings(db, 'payment-terms')) if (!changed.has(m.key)) owner.set(m.value.toLowerCase(), m.key);
  for (const c of changes) {
    const other = owner.get(c.value.toLowerCase());
    if (other !== undefined && other !== c.key) {
      throw new FerryError('invalid_input', `JAGGAER payment terms "${c.value}" are already mapped from ${other}; each JAGGAER text can map back to one CloudSuite terms code only.`);
    }
    owner.set(c.value.toLowerCase(), c.key);
  }
}

/** Adds or changes one mapping (checked against the kind's schema); undoable. */
export function setMapping<K extends MappingKind>(db: Db, kind: K, key: string, value: unknown, note?: string | null): Mapping<K> {
  return setMappings(db, kind, [{ key, value, note }], 'set')[0]!;
}

/**
 * Adds or changes many mappings of one kind in one transaction (an import); undone as one change. Mappings
 * not named are left as they are.
 */
export function setMappings<K extends MappingKind>(db: Db, kind: K, inputs: MappingInput[], action: 'set' | 'import' = 'import'): Mapping<K>[] {
  const parsed = parseAll(db, kind, inputs);
  const at = new Date().toISOString();
  return db.transaction(() => {
    const seen = new Set<string>();
    const changes: UndoEntry['changes'] = [];
    for (const p of parsed) {
      // The first state of a key is what undo goes back to, even when a batch names it twice.
      if (!seen.has(p.key)) changes.push({ key: p.key, previous: snapshot(db, kind, p.key) });
      seen.add(p.key);
      write(db, kind, p.key, p.value, p.note, at);
    }
    if (changes.length > 0) remember(db, kind, { action, at, changes });
    return [...seen].map((key) => getMapping(db, kind, key)!);
  })();
}

/** Removes one mapping; the kind's default applies again. Undoable. Returns false when there was none. */
export function deleteMapping(db: Db, kind: MappingKind, key: string): boolean {
  return db.transaction(() => {
    const previous = snapshot(db, kind, key);
    if (!previous) return false;
    db.prepare('DELETE FROM mappings WHERE kind = ? AND source_key = ?').run(kind, key);
    remember(db, kind, { action: 'delete', at: new Date().toISOString(), changes: [{ key, previous }] });
    return true;
  })();
}

/** The change "Undo" would take back for this kind, or null when there is none. */
export function lastMappingChange(db: Db, kind: MappingKind): MappingChange | null {
  const entry = getSetting(db, UNDO_SETTING, UndoLog, {})[kind];
  return entry ? { kind, action: entry.action, at: entry.at, count: entry.changes.length } : null;
}

/**
 * Puts back what the last change of this kind replaced (a set, a delete, or a whole import), in one
 * transaction, and forgets that change. Returns what was undone, or null when there was nothing to undo.
 */
export function undoLastMappingChange(db: Db, kind: MappingKind): MappingChange | null {
  return db.transaction(() => {
    const log = getSetting(db, UNDO_SETTING, UndoLog, {});
    const entry = log[kind];
    if (!entry) return null;
    for (const { key, previous } of entry.changes) {
      if (previous) write(db, kind, key, previous.value, previous.note, previous.updatedAt);
      else db.prepare('DELETE FROM mappings WHERE kind = ? AND source_key = ?').run(kind, key);
    }
    const { [kind]: _undone, ...rest } = log;
    setSetting(db, UNDO_SETTING, UndoLog, rest);
    return { kind, action: entry.action, at: entry.at, count: entry.changes.length };
  })();
}

// ── Resolvers: what flows call ──────────────────────────────────────────────────────────────────────────────
// Each returns the JAGGAER-side value, or a MappingError naming the field. A kind without a mapping for the
// code falls back to its default (the same code: ERP-fed JAGGAER master data carries the ERP codes), unless
// the profile lists the kind in the setting mappings.requireMapping.

function valueOf<K extends MappingKind>(db: Db, kind: K, key: string): MappingValues[K] | null {
  const row = db.prepare('SELECT value FROM mappings WHERE kind = ? AND source_key = ?').get(kind, key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as MappingValues[K]) : null;
}

const blank = (s: string | null | undefined): s is null | undefined | '' => s === null || s === undefined || s.trim() === '';

function unmapped(db: Db, kind: MappingKind, field: string, message: string): MappingError | null {
  return requiredMappings(db).has(kind) ? new MappingError(field, message) : null;
}

/**
 * CloudSuite vendor → JAGGAER supplier. Default when unmapped: JAGGAER supplier number = the vendor number,
 * as JAGGAER's ERP-fed suppliers carry the ERP vendor code. A supplier mapping overrides it.
 */
export function resolveSupplier(db: Db, vendorNumber: string): SupplierTarget | MappingError {
  if (blank(vendorNumber)) return new MappingError('vendorNumber', 'The record names no vendor, so Ferry cannot name the JAGGAER supplier.');
  const key = vendorNumber.trim();
  const mapped = valueOf(db, 'supplier', key);
  if (mapped) return mapped;
  return unmapped(db, 'supplier', 'vendorNumber', `Vendor ${key} has no JAGGAER supplier mapping; add it in Mappings → Suppliers.`) ?? { supplierNumber: key };
}

/** CloudSuite unit code 1 → JAGGAER cost-center value. Default when unmapped: the same code. */
export function resolveCostCenter(db: Db, unit1: string): string | MappingError {
  if (blank(unit1)) return new MappingError('costCenter', 'No cost center is given, so Ferry cannot code it for JAGGAER.');
  const key = unit1.trim();
  return valueOf(db, 'cost-center', key) ?? unmapped(db, 'cost-center', 'costCenter', `Cost center ${key} has no JAGGAER mapping; add it in Mappings → Cost centers.`) ?? key;
}

/**
 * CloudSuite account + unit code 1 → JAGGAER cost allocation (segment name → value). The mapping for the
 * account and this cost center wins over the account's "any cost center" (`account|*`) mapping. Segments a
 * mapping leaves out take their defaults: the first configured segment the account number, the second the
 * cost center (through the cost-center mapping). Without any mapping for the account the allocation is
 * those defaults, unless gl-account mappings are required.
 */
export function resolveCostAllocation(db: Db, account: string, unit1: string | null): CostAllocation | MappingError {
  if (blank(account)) return new MappingError('glAccount', 'No GL account is given, so Ferry cannot allocate the cost in JAGGAER.');
  const acct = account.trim();
  const cc = blank(unit1) ? null : unit1.trim();
  const mapped = (cc ? valueOf(db, 'gl-account', glAccountKey(acct, cc)) : null) ?? valueOf(db, 'gl-account', glAccountKey(acct, ANY_COST_CENTER));
  if (!mapped) {
    const where = cc ? `${glAccountKey(acct, cc)} or ${glAccountKey(acct, null)}` : glAccountKey(acct, null);
    const refused = unmapped(db, 'gl-account', 'glAccount', `GL account ${acct}${cc ? ` with cost center ${cc}` : ''} has no JAGGAER cost allocation; add a GL account mapping for ${where}.`);
    if (refused) return refused;
  }
  const segments = glSegments(db);
  const [accountSegment, costCenterSegment] = segments;
  const allocation: CostAllocation = { ...mapped };
  if (accountSegment && !(accountSegment in allocation)) allocation[accountSegment] = acct;
  if (costCenterSegment && cc && !(costCenterSegment in allocation)) {
    const value = resolveCostCenter(db, cc);
    if (value instanceof MappingError) return value;
    allocation[costCenterSegment] = value;
  }
  // Chart order, so the same allocation always has the same JSON (and content hash).
  const rank = (name: string) => (segments.includes(name) ? segments.indexOf(name) : segments.length);
  return Object.fromEntries(Object.entries(allocation).sort(([a], [b]) => rank(a) - rank(b)));
}

/** CloudSuite site (warehouse) → JAGGAER ship-to and business unit. Default when unmapped: ship-to = the site code. */
export function resolveSite(db: Db, site: string): SiteTarget | MappingError {
  if (blank(site)) return new MappingError('site', 'No site (warehouse) is given, so Ferry cannot name the JAGGAER ship-to.');
  const key = site.trim();
  return valueOf(db, 'site', key) ?? unmapped(db, 'site', 'site', `Site ${key} has no JAGGAER ship-to mapping; add it in Mappings → Sites.`) ?? { shipTo: key };
}

/** CloudSuite terms code → JAGGAER payment-terms text ("N30" → "Net 30"). Default when unmapped: the code itself. */
export function resolveTerms(db: Db, code: string): string | MappingError {
  if (blank(code)) return new MappingError('paymentTerms', 'No payment terms are given.');
  const key = code.trim();
  return valueOf(db, 'payment-terms', key) ?? unmapped(db, 'payment-terms', 'paymentTerms', `Payment terms ${key} have no JAGGAER mapping; add them in Mappings → Payment terms.`) ?? key;
}

/**
 * JAGGAER payment-terms text → CloudSuite terms code ("Net 30" → "N30"), matched without regard to case or
 * surrounding spaces. Default when unmapped: the text itself when it has the shape of a code (no spaces), as
 * an unmapped code travelled to JAGGAER as itself; a text such as "Net 90" with no mapping is a MappingError.
 */
export function termsFromJaggaer(db: Db, text: string): string | MappingError {
  if (blank(text)) return new MappingError('paymentTerms', 'The JAGGAER record names no payment terms.');
  const wanted = text.trim();
  const rows = db.prepare(`SELECT source_key AS key, value FROM mappings WHERE kind = 'payment-terms'`).all() as { key: string; value: string }[];
  const match = rows.find((r) => (JSON.parse(r.value) as string).toLowerCase() === wanted.toLowerCase());
  if (match) return match.key;
  const refusal = `JAGGAER payment terms "${wanted}" are not mapped to a CloudSuite terms code; add them in Mappings → Payment terms.`;
  if (requiredMappings(db).has('payment-terms')) return new MappingError('paymentTerms', refusal);
  // Without a mapping the code travelled as itself; a text with spaces was never a CloudSuite code.
  return /^[^\s|*]{1,64}$/.test(wanted) ? wanted : new MappingError('paymentTerms', refusal);
}
