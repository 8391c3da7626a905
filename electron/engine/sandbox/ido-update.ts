import { z } from 'zod';
import { compare, toTime, type PropertyType, type Row } from './ido-filter';
import { isReadOnly, itemIdOf, lengthOf, parseItemId, propertyTypes, requiredOf, withJoined } from './ido-info';
import { applyInsertDefaults, blank, checkWrite, type WriteAction } from './ido-rules';
import { idoDate, idoDecimal, idoKeys } from './ido-schema';
import type { IdoTables } from './ido-tables';

// POST /update/{ido}: Mongoose's UpdateCollection. One change per request (see below), located by the
// RowPointer inside ItemId (or by the key properties when ItemId is empty, without locking, as Infor
// documents), optimistic locking on the RecordDate inside ItemId, business rules from ido-rules.ts, and every
// write through IdoTables so RecordDate moves and the change is persisted.

const Value = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const UpdateProperty = z.object({ Name: z.string().min(1), Value: Value.optional(), Modified: z.boolean().optional(), IsNull: z.boolean().optional() });
const Change = z.object({
  Action: z.number().int(),
  ItemId: z.string().nullable().optional(),
  UpdateLocking: z.number().int().optional(),
  Properties: z.array(UpdateProperty).nullable().optional(),
});
export const UpdateBody = z.object({ IDOName: z.string().nullable().optional(), RefreshAfterSave: z.boolean().optional(), Changes: z.array(Change) });
type ChangeT = z.infer<typeof Change>;

const ACTIONS: Record<number, WriteAction> = { 1: 'insert', 2: 'update', 4: 'delete' };

export interface RefreshItem {
  Action: number;
  ItemId: string;
  ItemNo: number;
  UpdateLocking: number;
  Properties: { Name: string; Value: string | null; Modified: false; IsNull: boolean }[];
}

export interface UpdateOutcome {
  /** 400 only for a body that is not an UpdateCollection request at all; product errors are 200. */
  status: 200 | 400;
  body: { Success: boolean; Message: string | null; RefreshItems: RefreshItem[] | null };
}

const refused = (Message: string, status: 200 | 400 = 200): UpdateOutcome => ({ status, body: { Success: false, Message, RefreshItems: null } });

class Refusal extends Error {}

/** A request value as the stored string of its type; a value SQL Server could not convert is refused. */
function convert(ido: string, name: string, value: z.infer<typeof Value> | undefined, isNull: boolean, type: PropertyType): string | null {
  if (isNull || value === null || value === undefined) return null;
  const s = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  const bad = () => new Refusal(`Conversion failed for property '${name}': '${s}' is not a valid ${type} value.`);
  switch (type) {
    case 'int':
      if (!/^\s*-?\d+\s*$/.test(s)) throw bad();
      return String(Number(s));
    case 'decimal': {
      const n = Number(s);
      if (s.trim() === '' || !Number.isFinite(n)) throw bad();
      return idoDecimal(n);
    }
    case 'date': {
      const t = toTime(s);
      if (Number.isNaN(t)) throw bad();
      return idoDate(new Date(t));
    }
    default:
      if (s.length > lengthOf(ido, name, type)) throw new Refusal(`String or binary data would be truncated: property '${name}' allows ${lengthOf(ido, name, type)} characters, '${s}' has ${s.length}.`);
      return s;
  }
}

/** Parses the request's properties into canonical names; unknown names refuse the request. */
function readProperties(ido: string, types: Record<string, PropertyType>, change: ChangeT): { all: Row; modified: Row } {
  const all: Row = {};
  const modified: Row = {};
  const canonical = new Map(Object.keys(types).map((k) => [k.toLowerCase(), k]));
  for (const p of change.Properties ?? []) {
    const name = canonical.get(p.Name.toLowerCase());
    if (!name) throw new Refusal(`Property '${p.Name}' was not found on IDO '${ido}'.`);
    const value = convert(ido, name, p.Value, p.IsNull === true, types[name]!);
    all[name] = value;
    // Mongoose writes only properties flagged Modified (an omitted flag is false); read-only system columns
    // and joined properties are dropped without a word, as field experience reports.
    if (p.Modified === true && !isReadOnly(ido, name)) modified[name] = value;
  }
  return { all, modified };
}

function sameKey(ido: string, types: Record<string, PropertyType>, a: Row, b: Row): boolean {
  return (idoKeys[ido] ?? []).every((k) => a[k] !== null && a[k] !== undefined && b[k] !== null && b[k] !== undefined && compare(a[k]!, b[k]!, types[k]!) === 0);
}

function locate(tables: IdoTables, ido: string, types: Record<string, PropertyType>, change: ChangeT, all: Row): { row: Row; dt: string | null } {
  const { dt, id } = parseItemId(change.ItemId ?? '');
  if (id) {
    const row = tables.get(ido, id);
    if (!row) throw new Refusal(`The ${ido} row ${id} no longer exists: it was deleted by another user.`);
    return { row, dt };
  }
  const keys = idoKeys[ido] ?? [];
  const missing = keys.find((k) => blank(all[k]));
  if (missing) throw new Refusal(`No ItemId was given, so every key property is needed to find the row; '${missing}' is missing.`);
  const row = tables.find(ido, (r) => sameKey(ido, types, r, all));
  if (!row) throw new Refusal(`No ${ido} row has ${keys.map((k) => `${k}=${all[k]}`).join(', ')}.`);
  return { row, dt: null };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * RecordDate has millisecond resolution; two writes in the same millisecond would leave it unchanged and an
 * old ItemId would still pass the lock check. The sandbox re-stamps until it differs, so locking is exact.
 */
async function distinctStamp(tables: IdoTables, ido: string, row: Row, previous: string | null | undefined): Promise<void> {
  for (let i = 0; i < 20 && row.RecordDate === previous; i++) {
    await sleep(1);
    tables.update(ido, row.RowPointer!, {});
  }
}

function refreshItem(tables: IdoTables, ido: string, action: number, row: Row): RefreshItem {
  const types = propertyTypes(ido)!;
  const full = withJoined(tables, ido, [row], Object.keys(types))[0]!;
  return {
    Action: action,
    ItemId: itemIdOf(ido, full),
    ItemNo: 0,
    UpdateLocking: 1,
    Properties: Object.keys(types).map((Name) => ({ Name, Value: full[Name] ?? null, Modified: false, IsNull: full[Name] === null || full[Name] === undefined })),
  };
}

export async function update(tables: IdoTables, ido: string, rawBody: unknown, refreshQuery: boolean): Promise<UpdateOutcome> {
  const types = propertyTypes(ido);
  if (!types) return refused(`The IDO '${ido}' could not be found.`);
  const parsed = UpdateBody.safeParse(rawBody);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refused(`The request body is not a valid update request (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}).`, 400);
  }
  const body = parsed.data;
  if (body.IDOName && body.IDOName.toLowerCase() !== ido.toLowerCase()) return refused(`IDOName '${body.IDOName}' does not match the IDO in the URL ('${ido}').`);
  if (body.Changes.length === 0) return { status: 200, body: { Success: true, Message: null, RefreshItems: [] } };
  // Real Mongoose takes many changes in one request, but partial failures and their rollback are poorly
  // defined; field experience is to send one at a time. The sandbox enforces it so Ferry cannot drift.
  if (body.Changes.length > 1) {
    return refused(`The Ferry sandbox accepts one change per update request; this one has ${body.Changes.length}. Send each insert, update or delete on its own.`);
  }
  const change = body.Changes[0]!;
  const action = ACTIONS[change.Action];
  if (!action) return refused(`Action ${change.Action} is not valid: use 1 (insert), 2 (update) or 4 (delete).`);
  const refresh = refreshQuery || body.RefreshAfterSave === true;

  try {
    const { all, modified } = readProperties(ido, types, change);
    if (action === 'insert') return { status: 200, body: await insert(tables, ido, types, modified, refresh) };

    const { row, dt } = locate(tables, ido, types, change, all);
    if (change.UpdateLocking === 1 && dt !== null && toTime(dt) !== toTime(row.RecordDate ?? '')) {
      throw new Refusal(`The ${ido} row was changed by another user since it was read (at ${row.RecordDate}, read at ${dt}). Load it again and reapply the change.`);
    }
    const before: Row = { ...row };
    if (action === 'delete') {
      const problem = checkWrite({ tables, ido, action, before, after: before, modified: new Set() });
      if (problem) throw new Refusal(problem);
      tables.delete(ido, row.RowPointer!);
      return { status: 200, body: { Success: true, Message: null, RefreshItems: refresh ? [] : null } };
    }

    const changed = Object.keys(modified);
    if (changed.length > 0) {
      const after: Row = { ...before, ...modified };
      const nulled = requiredOf(ido).find((p) => changed.includes(p) && blank(after[p]));
      if (nulled) throw new Refusal(`Property '${nulled}' of IDO '${ido}' requires a value.`);
      if ((idoKeys[ido] ?? []).some((k) => changed.includes(k))) duplicateCheck(tables, ido, types, after);
      const problem = checkWrite({ tables, ido, action, before, after, modified: new Set(changed) });
      if (problem) throw new Refusal(problem);
      tables.update(ido, row.RowPointer!, modified);
      await distinctStamp(tables, ido, row, before.RecordDate);
    }
    return { status: 200, body: { Success: true, Message: null, RefreshItems: refresh ? [refreshItem(tables, ido, 2, row)] : null } };
  } catch (err) {
    if (err instanceof Refusal) return refused(err.message);
    throw err;
  }
}

function duplicateCheck(tables: IdoTables, ido: string, types: Record<string, PropertyType>, row: Row): void {
  const dup = tables.find(ido, (r) => r.RowPointer !== row.RowPointer && sameKey(ido, types, r, row));
  if (dup) {
    const value = (idoKeys[ido] ?? []).map((k) => row[k]).join(', ');
    throw new Refusal(`Violation of PRIMARY KEY constraint on ${ido}: a row with key (${value}) already exists.`);
  }
}

async function insert(tables: IdoTables, ido: string, types: Record<string, PropertyType>, values: Row, refresh: boolean): Promise<UpdateOutcome['body']> {
  const row: Row = { ...values };
  applyInsertDefaults(tables, ido, row);
  const missing = requiredOf(ido).find((p) => blank(row[p]));
  if (missing) throw new Refusal(`Property '${missing}' of IDO '${ido}' requires a value.`);
  duplicateCheck(tables, ido, types, row);
  const problem = checkWrite({ tables, ido, action: 'insert', before: null, after: row, modified: new Set(Object.keys(row)) });
  if (problem) throw new Refusal(problem);
  // Every stored property is present on a row (null when unset), as on the generated rows.
  const full: Row = Object.fromEntries(Object.entries(types).filter(([name]) => !isReadOnly(ido, name)).map(([name]) => [name, row[name] ?? null]));
  const stored = tables.insert(ido, full);
  // IdoTables stamps RecordDate on the sandbox clock; CreateDate is the same moment.
  tables.update(ido, stored.RowPointer!, { CreateDate: stored.RecordDate ?? null });
  return { Success: true, Message: null, RefreshItems: refresh ? [refreshItem(tables, ido, 1, stored)] : null };
}
