import type { FailureGroup, FailureInfo, MappingFix, MappingKindName, PeriodFix } from '../../../shared/api';
import { glAccountKey } from '../mapping/kinds';
import type { Failure } from '../store/failures';

// What "Needs attention" shows: failures grouped by what went wrong (the reason with the record's own values
// masked, so forty invoices on one unmapped account read as one problem), and for each failure a mapping
// that would fix it, when the reason says so. A failure keeps its code and reason, not the error's fields,
// so the mapping is read back from the sentences Ferry itself wrote (mapping/invoice.ts, store/mappings.ts,
// mapping/validate.ts, mapping/supplier.ts, flows/po-to-jira.ts, flows/labour-posting.ts);
// test/unit/failure-triage.test.ts builds those sentences with the real functions, so they cannot drift apart.

const MASK = '…';

/**
 * The reason with everything that names one record masked: quoted names, and any word holding a digit
 * (invoice, PO and voucher numbers, accounts, cost centers, dates, amounts). A sentence's full stop stays.
 */
export function maskReason(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, `"${MASK}"`)
    .replace(/[\w\-/:|@.]*\d[\w\-/:|@.]*/g, (word) => MASK + (/[.:]+$/.exec(word)?.[0] ?? ''))
    .replace(/…(?:[\s,;]*…)+/g, MASK)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The validation rule a reason names ("… (rule: account exists)." — advice may follow it), or null. */
export function ruleOf(reason: string): string | null {
  return /\(rule: ([^)]+)\)\./.exec(reason.trim())?.[1] ?? /\(rule: ([^)]+)\)$/.exec(reason.trim())?.[1] ?? null;
}

/** "account=6101-OFFICE, costCenter=CC100" (mapping/invoice.ts describeSplit) → segment → value. */
function parseSplit(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(', ')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

const fix = (kind: MappingKindName, key: string | null, value: unknown, what: string): MappingFix => ({ kind, key, value: value ?? null, what });

/**
 * The mapping that would let this failure through, or null when no mapping can (a closed period, a price
 * that does not match its PO, a refusal by the other system). `segments` are the profile's JAGGAER GL
 * segment names in chart order. The key is the CloudSuite side where the reason names it; the value is the
 * JAGGAER (or Jira) side where the reason names that instead, which is how records coming into CloudSuite fail.
 */
export function mappingFixFor(f: Pick<Failure, 'flow' | 'code' | 'reason'>, segments: readonly string[]): MappingFix | null {
  const r = f.reason;
  const [accountSegment = 'account', costCenterSegment] = segments;
  let m: RegExpExecArray | null;

  if (f.code === 'validation_failed' && f.flow === 'invoice-to-cloudsuite') {
    // The voucher took the JAGGAER code as it is (no mapping matched), and CloudSuite does not know it.
    if ((m = /GL account (\S+) is not in CloudSuite's chart of accounts \(rule: account exists\)/.exec(r))) {
      return fix('gl-account', null, { [accountSegment]: m[1]! }, `Map JAGGAER ${accountSegment} ${m[1]} to a CloudSuite GL account.`);
    }
    if ((m = /cost center (\S+) is not in CloudSuite's cost center list \(rule: cost center valid\)/.exec(r))) {
      return fix('cost-center', null, m[1]!, `Map JAGGAER cost center ${m[1]} to a CloudSuite cost center.`);
    }
    if ((m = /vendor (\S+) is not in CloudSuite's vendor list \(rule: supplier exists\)/.exec(r))) {
      return fix('supplier', null, { supplierNumber: m[1]! }, `Map JAGGAER supplier number ${m[1]} to a CloudSuite vendor.`);
    }
  }
  if ((m = /vendor (\S+) has no JAGGAER supplier mapping \(rule: supplier mapped\)/.exec(r))) {
    return fix('supplier', m[1]!, null, `Map vendor ${m[1]} to its JAGGAER supplier.`);
  }
  if (f.code !== 'mapping' && f.code !== 'rate_missing') return null;

  // Coming into CloudSuite (invoice-to-cloudsuite, supplier-sync): the JAGGAER side is what is known.
  if ((m = /JAGGAER coding (.+?) has no GL account mapping/.exec(r))) {
    const split = parseSplit(m[1]!);
    const account = split[accountSegment];
    const key = account ? glAccountKey(account, (costCenterSegment && split[costCenterSegment]) || null) : null;
    return fix('gl-account', key, split, `Map JAGGAER coding ${m[1]} to a CloudSuite GL account.`);
  }
  if ((m = /JAGGAER cost center (\S+) has no cost-center mapping/.exec(r))) {
    return fix('cost-center', m[1]!, m[1]!, `Map JAGGAER cost center ${m[1]} to a CloudSuite cost center.`);
  }
  if ((m = /\(supplier number ([^)\s]+)\) has no supplier mapping/.exec(r))) {
    return fix('supplier', m[1]!, { supplierNumber: m[1]! }, `Map JAGGAER supplier number ${m[1]} to a CloudSuite vendor.`);
  }
  if ((m = /\(supplier id ([^)\s]+)\) has no ERP supplier number/.exec(r))) {
    return fix('supplier', null, { supplierNumber: m[1]! }, `Map JAGGAER supplier ${m[1]} to the CloudSuite vendor that sent the invoice.`);
  }
  if ((m = /JAGGAER supplier number (\S+) is not mapped to a CloudSuite vendor/.exec(r))) {
    return fix('supplier', m[1]!, { supplierNumber: m[1]! }, `Map JAGGAER supplier number ${m[1]} to a CloudSuite vendor.`);
  }
  if ((m = /JAGGAER payment terms "(.+)" are not mapped to a CloudSuite terms code/.exec(r))) {
    return fix('payment-terms', null, m[1]!, `Map JAGGAER payment terms "${m[1]}" to a CloudSuite terms code.`);
  }

  // Going out of CloudSuite (po-to-jaggaer and the resolvers): the CloudSuite code is the key.
  if ((m = /^Vendor (\S+) has no JAGGAER supplier mapping/.exec(r))) return fix('supplier', m[1]!, null, `Map vendor ${m[1]} to its JAGGAER supplier.`);
  if ((m = /^Cost center (\S+) has no JAGGAER mapping/.exec(r))) return fix('cost-center', m[1]!, null, `Map cost center ${m[1]} to its JAGGAER value.`);
  if ((m = /GL account (\S+?)(?: with cost center (\S+))? has no JAGGAER cost allocation/.exec(r))) {
    return fix('gl-account', glAccountKey(m[1]!, m[2] ?? null), null, `Map GL account ${m[1]}${m[2] ? ` with cost center ${m[2]}` : ''} to its JAGGAER cost allocation.`);
  }
  if ((m = /^Site (\S+) has no JAGGAER ship-to mapping/.exec(r))) return fix('site', m[1]!, null, `Map site ${m[1]} to its JAGGAER ship-to.`);
  if ((m = /^Payment terms (\S+) have no JAGGAER mapping/.exec(r))) return fix('payment-terms', m[1]!, null, `Map payment terms ${m[1]} to their JAGGAER text.`);

  // Jira flows: no defaults, so the key is always what is missing.
  if ((m = /^Project (\S+) has no Jira project/.exec(r))) return fix('jira-project', m[1]!, null, `Choose the Jira project for CloudSuite project ${m[1]}.`);
  if ((m = /^PO \S+ \(project (\S+)\) has no Jira project/.exec(r))) return fix('jira-project', m[1]!, null, `Choose the Jira project for CloudSuite project ${m[1]}.`);
  if ((m = /^PO \S+ has no Jira project: add its project, its PO type \((type:[^)\s]+)\)/.exec(r))) {
    return fix('jira-project', m[1]!, null, `Choose the Jira project for POs of ${m[1]}.`);
  }
  if ((m = /^No labour rate for .*?\(([^()\s]+)\) on /.exec(r))) return fix('labour-rate', `user:${m[1]}`, null, `Set a labour rate for Jira user ${m[1]} (or for their role or project).`);
  return null;
}

export function toFailureInfo(f: Failure): FailureInfo {
  return {
    id: f.id,
    flow: f.flow,
    recordType: f.recordType,
    sourceKey: f.sourceKey,
    code: f.code,
    reason: f.reason,
    attempts: f.attempts,
    state: f.state,
    nextAttemptAt: f.nextAttemptAt,
    replayOf: f.replayOf,
    resolution: f.resolution,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    payload: f.payload,
  };
}

/** The title of a group: the masked reason, without the record it starts with (nor the advice after it) when a rule is named. */
function groupTitle(masked: string, rule: string | null): string {
  if (!rule) return masked;
  const colon = masked.indexOf(': ');
  const problem = (colon >= 0 ? masked.slice(colon + 2) : masked).replace(/\s*\(rule: [^)]+\)[\s\S]*$/, '');
  return problem.charAt(0).toUpperCase() + problem.slice(1);
}

/** Flows whose records carry an accounting date a person may move to an open period. */
const DATED_FLOWS = new Set(['invoice-to-cloudsuite', 'worklog-to-gl']);

/**
 * "Post in 2026-12": for a record Ferry refused because its fiscal period is closed, the open period the
 * refusal named (mapping/validate.ts validatePeriod wrote the sentence: CloudSuite took postings today in
 * that period) and the date it would carry now: today. Null when the reason is another, or named no open
 * period. The flow checks the date with CloudSuite again when the record is retried.
 */
export function periodFixFor(f: Pick<Failure, 'flow' | 'code' | 'reason'>, today: string): PeriodFix | null {
  if (f.code !== 'validation_failed' || !DATED_FLOWS.has(f.flow) || !/^\d{4}-\d{2}-\d{2}$/.test(today)) return null;
  const m = /fiscal period (\S+) is closed for (\d{4}-\d{2}-\d{2}) \(rule: period open\)\. Post it in the open period (\S+) instead/.exec(f.reason);
  if (!m || today <= m[2]!) return null;
  const [, closedPeriod, recordDate, openPeriod] = m as unknown as [string, string, string, string];
  return {
    closedPeriod,
    recordDate,
    openPeriod,
    postingDate: today,
    what: `Post it in the open period ${openPeriod}, dated ${today}; the record keeps its own date ${recordDate}.`,
  };
}

/** Open failures in groups of one flow, code and masked reason; the largest group first, then the newest. */
export function groupFailures(failures: readonly Failure[], segments: readonly string[], today = ''): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const f of failures) {
    const masked = maskReason(f.reason);
    const rule = ruleOf(f.reason);
    const id = `${f.flow}\u0000${f.code}\u0000${masked}`;
    let g = groups.get(id);
    if (!g) {
      g = { id, flow: f.flow, code: f.code, rule, title: groupTitle(masked, rule), count: 0, latestAt: f.updatedAt, failures: [] };
      groups.set(id, g);
    }
    g.count++;
    if (f.updatedAt > g.latestAt) g.latestAt = f.updatedAt;
    g.failures.push({ ...toFailureInfo(f), fix: mappingFixFor(f, segments), periodFix: periodFixFor(f, today) });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.latestAt.localeCompare(a.latestAt) || a.id.localeCompare(b.id));
}
