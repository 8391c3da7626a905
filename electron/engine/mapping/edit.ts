import { FerryError } from '../../../shared/errors';
import type { Db } from '../store/db';
import { setMapping, type Mapping } from '../store/mappings';
import { DEFAULT_PROJECT_ISSUE_TYPE, glSegments, mappingLabels, parseMapping, requiredMappings, type MappingKind } from './kinds';
import { loadMappingContext, mappingKeyProblem, mappingKeyReference } from './validate';

// A person's single change to a mapping table (the UI's form, `ferry mappings set`): the same checks as a
// file import, against the kind's rules and the reference cache, then stored as one undoable change.

export function setMappingChecked<K extends MappingKind>(db: Db, kind: K, key: string, value: unknown, note?: string | null): Mapping<K> {
  const label = mappingLabels[kind];
  const parsed = parseMapping(kind, key, value, glSegments(db));
  if (!parsed.ok) throw new FerryError('invalid_input', `The ${label.kind} mapping for "${key}" is not valid: ${parsed.reason}.`);
  const lists = mappingKeyReference(kind, parsed.key);
  const problem = lists.length === 0 ? null : mappingKeyProblem(loadMappingContext(db, lists), kind, parsed.key);
  if (problem) throw new FerryError('invalid_input', `The ${label.kind} mapping for ${parsed.key} cannot be saved: ${problem}.`);
  return setMapping(db, kind, parsed.key, parsed.value, note);
}

/** The JAGGAER side of a mapping in a few words, for lists. */
export function describeMappingValue(m: Mapping): string {
  switch (m.kind) {
    case 'supplier': {
      const v = m.value as Mapping<'supplier'>['value'];
      return v.bravoId ? `${v.supplierNumber} (Bravo id ${v.bravoId})` : v.supplierNumber;
    }
    case 'gl-account':
      return Object.entries(m.value as Mapping<'gl-account'>['value']).map(([s, v]) => `${s}=${v}`).join(', ');
    case 'site': {
      const v = m.value as Mapping<'site'>['value'];
      return v.businessUnit ? `ship-to ${v.shipTo}, business unit ${v.businessUnit}` : `ship-to ${v.shipTo}`;
    }
    case 'jira-project': {
      const v = m.value as Mapping<'jira-project'>['value'];
      return `${v.project} · ${v.issueType} (project issues: ${v.projectIssueType ?? DEFAULT_PROJECT_ISSUE_TYPE})`;
    }
    case 'labour-rate':
      return `${(m.value as Mapping<'labour-rate'>['value']).rate} per hour`;
    case 'cost-center':
    case 'payment-terms':
    case 'jira-role':
      return m.value as string;
  }
}

/** What happens to a code of this kind that has no mapping, in this profile. */
export function unmappedRule(db: Db, kind: MappingKind): string {
  // The Jira kinds have no default to require away: an uncovered PO or hour is never guessed.
  const jira = kind === 'jira-project' || kind === 'labour-rate' || kind === 'jira-role';
  if (!jira && requiredMappings(db).has(kind)) return `An unmapped ${mappingLabels[kind].key} stops the record with a mapping error (this profile requires ${mappingLabels[kind].kind} mappings).`;
  const [accountSegment, costCenterSegment] = glSegments(db);
  const rules: Record<MappingKind, string> = {
    supplier: 'An unmapped vendor goes to JAGGAER as the supplier with the same number (ERP-fed JAGGAER suppliers carry the vendor number).',
    'gl-account': `An unmapped GL account goes to JAGGAER as segment ${accountSegment}${costCenterSegment ? `, with its cost center as segment ${costCenterSegment}` : ''}.`,
    'cost-center': 'An unmapped cost center goes to JAGGAER as the same code.',
    site: 'An unmapped site goes to JAGGAER as the ship-to with the same code.',
    'payment-terms': 'Unmapped payment terms go to JAGGAER as the terms code itself.',
    'jira-project':
      'A PO or project is matched by its project number, then by type:<PO type>, then by *; one that none of them covers cannot become a Jira issue.',
    'labour-rate':
      'Hours are costed at the rate of the user, else of their role (jira-role), else of the Jira project, else *; hours that no rate covers on their day cannot be costed.',
    'jira-role': 'A Jira user without a role is costed at their own rate, the Jira project\'s rate or the * rate.',
  };
  return rules[kind];
}
