import { FerryError } from '../../../../shared/errors';

// Building JQL from values Ferry did not write itself (PO numbers, project keys): every value goes into a
// quoted literal, so it can never end the literal early or add a clause.

export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** cf[10050] for customfield_10050: the clause name that works whatever the field is called on the site. */
export function customFieldClause(fieldId: string): string {
  const m = /^customfield_(\d+)$/.exec(fieldId);
  if (!m) throw new FerryError('invalid_input', `"${fieldId}" is not a Jira custom field id; they look like customfield_10050.`);
  return `cf[${m[1]}]`;
}

/**
 * The words of a value for a text search (~). Jira's ~ is a word search with Lucene syntax, where + - & | !
 * ( ) { } [ ] ^ ~ * ? \ : / are operators; dropping them leaves words every exact match also contains, so
 * the search finds a superset and the caller filters exactly.
 */
export function searchWords(value: string): string {
  return value
    .replace(/[+\-&|!(){}[\]^~*?\\:"/']/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}
