import type { MappingReference, MappingSuggestion, ReferenceChoice } from '../../../shared/api';
import { FerryError } from '../../../shared/errors';
import type { Db } from '../store/db';
import { listFailures } from '../store/failures';
import { listMappings, type Mapping } from '../store/mappings';
import { getReference, referenceAge, referenceLabels } from '../store/reference';
import { mappingFixFor } from '../sync/failure-triage';
import { ANY_COST_CENTER, glAccountKey, glSegments, requiredMappings, splitGlAccountKey, type MappingKind } from './kinds';
import { loadMappingContext, mappingKeyProblem, mappingKeyReference, mappingReference as referenceOfKind, requireReference } from './validate';

// What the Mappings screen offers beside the table: codes waiting for a mapping (seen in the failures queue,
// or CloudSuite codes without one where the profile requires mappings of the kind), the CloudSuite codes a key
// may name, and the stored rows that no longer pass the check against them.

const MAX_REFERENCE_SUGGESTIONS = 25;

const same = (a: unknown, b: unknown): boolean => typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();

/** A stored mapping already says what the suggestion asks: the same key, or a value holding every part it names. */
function covered(mappings: readonly Mapping[], key: string | null, value: unknown): boolean {
  if (key !== null) return mappings.some((m) => m.key === key);
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return mappings.some((m) => same(m.value, value));
  const parts = Object.entries(value as Record<string, unknown>);
  return mappings.some((m) => typeof m.value === 'object' && m.value !== null && parts.every(([k, v]) => same((m.value as Record<string, unknown>)[k], v)));
}

export function mappingSuggestions(db: Db, kind: MappingKind): MappingSuggestion[] {
  const segments = glSegments(db);
  const mappings = listMappings(db, kind);
  const seen = new Map<string, MappingSuggestion>();
  for (const f of listFailures(db, { limit: 5000 })) {
    const fix = mappingFixFor(f, segments);
    if (!fix || fix.kind !== kind || covered(mappings, fix.key, fix.value)) continue;
    const id = JSON.stringify([fix.key, fix.value]);
    const known = seen.get(id);
    if (known) known.failures++;
    else seen.set(id, { key: fix.key, value: fix.value, source: 'failure', label: fix.what, failures: 1 });
  }
  const suggestions = [...seen.values()].sort((a, b) => b.failures - a.failures || a.label.localeCompare(b.label));
  return [...suggestions, ...referenceSuggestions(db, kind, mappings)];
}

/** CloudSuite codes with no mapping, where an unmapped code stops a record (a required kind, or Jira projects). */
function referenceSuggestions(db: Db, kind: MappingKind, mappings: readonly Mapping[]): MappingSuggestion[] {
  const required = requiredMappings(db).has(kind);
  const keys = new Set(mappings.map((m) => m.key));
  const out: MappingSuggestion[] = [];
  const add = (key: string, label: string) => {
    if (!keys.has(key) && out.length < MAX_REFERENCE_SUGGESTIONS) out.push({ key, value: null, source: 'reference', label, failures: 0 });
  };
  if (kind === 'supplier' && required) for (const v of getReference(db, 'vendor')) if (v.active) add(v.number, `Vendor ${v.number} (${v.name}) has no supplier mapping.`);
  if (kind === 'cost-center' && required) for (const c of getReference(db, 'cost-center')) if (c.active) add(c.code, `Cost center ${c.code} (${c.description}) has no mapping.`);
  if (kind === 'gl-account' && required) {
    const accounts = new Set(mappings.map((m) => splitGlAccountKey(m.key).account));
    for (const a of getReference(db, 'gl-account')) if (a.active && !accounts.has(a.number)) add(glAccountKey(a.number, ANY_COST_CENTER), `GL account ${a.number} (${a.description}) has no mapping.`);
  }
  if (kind === 'jira-project') for (const p of getReference(db, 'project')) if (p.active) add(p.number, `Project ${p.number} (${p.description}) has no Jira project.`);
  return out;
}

type KeyList = MappingReference['lists'][number]['list'];

function choices(db: Db, list: KeyList): ReferenceChoice[] {
  switch (list) {
    case 'vendor':
      return getReference(db, 'vendor').map((v) => ({ code: v.number, name: v.name, active: v.active }));
    case 'gl-account':
      return getReference(db, 'gl-account').map((a) => ({ code: a.number, name: a.description, active: a.active }));
    case 'cost-center':
      return getReference(db, 'cost-center').map((c) => ({ code: c.code, name: c.description, active: c.active }));
    case 'project':
      return getReference(db, 'project').map((p) => ({ code: p.number, name: p.description, active: p.active }));
  }
}


export function mappingReference(db: Db, kind: MappingKind): MappingReference {
  const lists: KeyList[] = [...referenceOfKind[kind]];
  let missing: string | null = null;
  try {
    requireReference(db, lists);
  } catch (err) {
    if (!(err instanceof FerryError)) throw err;
    missing = err.message;
  }
  const problems: MappingReference['problems'] = [];
  if (!missing) {
    // One context for the kind's lists, read once; keys that need none (jira-project's type: and *) are skipped.
    const ctx = lists.length > 0 ? loadMappingContext(db, lists) : null;
    for (const m of listMappings(db, kind)) {
      if (!ctx || mappingKeyReference(kind, m.key).length === 0) continue;
      const problem = mappingKeyProblem(ctx, kind, m.key);
      if (problem) problems.push({ key: m.key, problem });
    }
  }
  return {
    kind,
    lists: lists.map((list) => ({ list, label: referenceLabels[list], readAt: referenceAge(db, list)?.refreshedAt ?? null, items: choices(db, list) })),
    missing,
    problems,
  };
}
