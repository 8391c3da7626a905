import type { ApVoucher, CostCenter, GlAccount, GlJournal, Project, PurchaseOrder, Vendor } from '../../../shared/domain';
import { FerryError } from '../../../shared/errors';
import type { Db } from '../store/db';
import { listMappings } from '../store/mappings';
import { getReference, referenceLabels, referenceAge, type ReferenceKind } from '../store/reference';
import { closedPeriodAdvice, openPeriodFor, type PeriodBook } from './periods';
import { jiraProjectKeyKind, requiredMappings, splitGlAccountKey, type MappingKind } from './kinds';

// The rules every write passes before it is sent (DESIGN: "validated before anything is written"). Pure
// functions over reference data the caller already holds (usually the cache, via `loadValidationContext`),
// so a flow validates a whole page without a request per record. Each failure names the record, the field
// and the rule: "Invoice INV-77 line 2: GL account 690900 is closed (rule: account open)."

export const rules = {
  supplierExists: 'supplier exists',
  supplierMapped: 'supplier mapped',
  supplierActive: 'supplier active',
  accountExists: 'account exists',
  accountOpen: 'account open',
  costCenterRequired: 'cost center required',
  costCenterValid: 'cost center valid',
  projectValid: 'project valid',
  amountsBalance: 'amounts balance',
  currencyKnown: 'currency known',
  periodOpen: 'period open',
} as const;
export type ValidationRule = (typeof rules)[keyof typeof rules];

export class ValidationError extends FerryError {
  constructor(
    /** The record in finance words: "Invoice INV-77", "Journal FERRY:WL-9", "PO PO000123". */
    readonly record: string,
    /** Where in the record: "vendorNumber", "lines[2].account", "amount", … (lines counted from 1). */
    readonly field: string,
    readonly rule: ValidationRule,
    /** What is wrong, without the record or rule: "GL account 690900 is closed". */
    problem: string,
    where?: string,
    /** What a person can do about it, when there is more to say than "fix the cause and retry". */
    advice?: string,
  ) {
    super('validation_failed', `${record}${where ? ` ${where}` : ''}: ${problem} (rule: ${rule}).${advice ? ` ${advice}` : ''}`, { record, field, rule });
    this.name = 'ValidationError';
  }
}

/** Throws the first failure, if any; flows call it inside their mapping step so the record goes to failures. */
export function assertValid(errors: readonly ValidationError[]): void {
  if (errors.length > 0) throw errors[0]!;
}

export interface ValidationContext {
  vendors: ReadonlyMap<string, Vendor>;
  accounts: ReadonlyMap<string, GlAccount>;
  costCenters: ReadonlyMap<string, CostCenter>;
  projects: ReadonlyMap<string, Project>;
  /** CloudSuite's answers on posting dates (loaded for the dates about to be validated); null: the rule is skipped. */
  periods: PeriodBook | null;
  /** Today (the engine's clock, yyyy-mm-dd): which open period a record of a closed one could post in. */
  today: string | null;
  /** Vendors with an explicit supplier mapping; they matter only when supplier mappings are required. */
  mappedSuppliers: ReadonlySet<string>;
  supplierMappingRequired: boolean;
}

export interface ReferenceLists {
  vendors?: readonly Vendor[];
  accounts?: readonly GlAccount[];
  costCenters?: readonly CostCenter[];
  projects?: readonly Project[];
  periods?: PeriodBook | null;
  today?: string | null;
  mappedSuppliers?: Iterable<string>;
  supplierMappingRequired?: boolean;
}

/** A context from lists the caller holds (read live, or from the cache). Pure. */
export function validationContext(lists: ReferenceLists): ValidationContext {
  return {
    vendors: new Map((lists.vendors ?? []).map((v) => [v.number, v])),
    accounts: new Map((lists.accounts ?? []).map((a) => [a.number, a])),
    costCenters: new Map((lists.costCenters ?? []).map((c) => [c.code, c])),
    projects: new Map((lists.projects ?? []).map((p) => [p.number, p])),
    periods: lists.periods?.available ? lists.periods : null,
    today: lists.today ?? null,
    mappedSuppliers: new Set(lists.mappedSuppliers ?? []),
    supplierMappingRequired: lists.supplierMappingRequired ?? false,
  };
}

const listing = (items: string[]): string => (items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** Throws `reference_missing` (a sentence saying what to do) when a list was never read from CloudSuite. */
export function requireReference(db: Db, kinds: readonly ReferenceKind[]): void {
  const missing = kinds.filter((k) => referenceAge(db, k) === null);
  if (missing.length > 0) {
    throw new FerryError(
      'reference_missing',
      `Ferry has not read the ${listing(missing.map((k) => referenceLabels[k]))} from CloudSuite yet, so it cannot check against them: refresh the reference data first ("ferry reference refresh").`,
      { missing },
    );
  }
}

/**
 * The context from the reference cache and this profile's mappings and settings; `today` from the engine's
 * clock, `periods` CloudSuite's answers on posting dates (load the dates before validating them).
 */
export function loadValidationContext(db: Db, today: string | null = null, periods: PeriodBook | null = null): ValidationContext {
  requireReference(db, ['vendor', 'gl-account', 'cost-center']);
  return validationContext({
    vendors: getReference(db, 'vendor'),
    accounts: getReference(db, 'gl-account'),
    costCenters: getReference(db, 'cost-center'),
    projects: getReference(db, 'project'),
    periods,
    today,
    mappedSuppliers: listMappings(db, 'supplier').map((m) => m.key),
    supplierMappingRequired: requiredMappings(db).has('supplier'),
  });
}

// ── Single rules ────────────────────────────────────────────────────────────────────────────────────────────

export function validateSupplier(ctx: ValidationContext, record: string, vendorNumber: string): ValidationError[] {
  const vendor = ctx.vendors.get(vendorNumber);
  if (!vendor) return [new ValidationError(record, 'vendorNumber', rules.supplierExists, `vendor ${vendorNumber} is not in CloudSuite's vendor list`)];
  const errors: ValidationError[] = [];
  if (ctx.supplierMappingRequired && !ctx.mappedSuppliers.has(vendorNumber)) {
    errors.push(new ValidationError(record, 'vendorNumber', rules.supplierMapped, `vendor ${vendorNumber} has no JAGGAER supplier mapping`));
  }
  if (!vendor.active) errors.push(new ValidationError(record, 'vendorNumber', rules.supplierActive, `vendor ${vendorNumber} is inactive in CloudSuite`));
  return errors;
}

export interface LineCoding {
  account: string | null;
  costCenter: string | null;
  project?: string | null;
}

/** GL account exists and is open; cost center present when the account requires one, and valid when given. */
export function validateCoding(ctx: ValidationContext, record: string, line: number, coding: LineCoding, lines = 'lines'): ValidationError[] {
  const where = `line ${line}`;
  const field = (name: string) => `${lines}[${line}].${name}`;
  const errors: ValidationError[] = [];
  const account = coding.account?.trim() || null;
  const costCenter = coding.costCenter?.trim() || null;
  const glAccount = account ? ctx.accounts.get(account) : undefined;
  if (!account) errors.push(new ValidationError(record, field('account'), rules.accountExists, 'no GL account is given', where));
  else if (!glAccount) errors.push(new ValidationError(record, field('account'), rules.accountExists, `GL account ${account} is not in CloudSuite's chart of accounts`, where));
  else if (!glAccount.active) errors.push(new ValidationError(record, field('account'), rules.accountOpen, `GL account ${account} is closed`, where));
  if (!costCenter) {
    if (glAccount?.costCenterRequired) {
      errors.push(new ValidationError(record, field('costCenter'), rules.costCenterRequired, `GL account ${account} needs a cost center, and none is given`, where));
    }
  } else {
    const cc = ctx.costCenters.get(costCenter);
    if (!cc) errors.push(new ValidationError(record, field('costCenter'), rules.costCenterValid, `cost center ${costCenter} is not in CloudSuite's cost center list`, where));
    else if (!cc.active) errors.push(new ValidationError(record, field('costCenter'), rules.costCenterValid, `cost center ${costCenter} is inactive`, where));
  }
  const project = coding.project?.trim() || null;
  if (project) {
    const p = ctx.projects.get(project);
    if (!p) errors.push(new ValidationError(record, field('project'), rules.projectValid, `project ${project} is not in CloudSuite's project list`, where));
    else if (!p.active) errors.push(new ValidationError(record, field('project'), rules.projectValid, `project ${project} is closed`, where));
  }
  return errors;
}

let knownCurrencies: Set<string> | null = null;
/** ISO 4217 codes as this Node's ICU knows them (about 300, historic ones included). */
export function isKnownCurrency(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return /^[A-Z]{3}$/.test(code) && knownCurrencies.has(code);
}

/** A currency, when one is given, is a known ISO 4217 code. */
export function validateCurrency(record: string, currency: string | null, field = 'currency'): ValidationError[] {
  if (currency === null) return [];
  return isKnownCurrency(currency) ? [] : [new ValidationError(record, field, rules.currencyKnown, `currency "${currency}" is not a known ISO 4217 currency code`)];
}

/**
 * CloudSuite takes postings on the date; skipped where the product cannot say (M3) or the date was not
 * checked. A closed period says what a person can do: post it in the open period (which, when today was
 * checked too), or reopen its own.
 */
export function validatePeriod(ctx: ValidationContext, record: string, date: string, field = 'date'): ValidationError[] {
  const check = ctx.periods?.get(date);
  if (!check || check.open) return [];
  if (!check.period) {
    return [new ValidationError(record, field, rules.periodOpen, `no fiscal period covers ${date}`, undefined, 'Ask your CloudSuite administrator to set up that period, then retry.')];
  }
  const choice = ctx.today && ctx.periods!.get(ctx.today) ? openPeriodFor(ctx.periods!, date, ctx.today) : undefined;
  return [new ValidationError(record, field, rules.periodOpen, `fiscal period ${check.period} is closed for ${date}`, undefined, closedPeriodAdvice(check.period, choice))];
}

const cents = (amount: number): number => Math.round(amount * 100);
const money = (c: number): string => (c / 100).toFixed(2);

// ── Records ─────────────────────────────────────────────────────────────────────────────────────────────────

/** An AP voucher before it is entered: vendor, every distribution's coding, total to the cent, currency, period. */
export function validateVoucher(ctx: ValidationContext, voucher: ApVoucher): ValidationError[] {
  const record = `Invoice ${voucher.invoiceNumber}`;
  const errors = [...validateSupplier(ctx, record, voucher.vendorNumber)];
  voucher.distributions.forEach((d, i) => errors.push(...validateCoding(ctx, record, i + 1, d, 'distributions')));
  const total = voucher.distributions.reduce((s, d) => s + cents(d.amount), 0);
  if (voucher.distributions.length === 0 || !Number.isFinite(total) || total !== cents(voucher.amount)) {
    errors.push(new ValidationError(record, 'amount', rules.amountsBalance, `the distributions total ${money(total)}, but the invoice amount is ${money(cents(voucher.amount))}`));
  }
  errors.push(...validateCurrency(record, voucher.currency));
  // The period is the accounting date's: the invoice date unless a person chose to post it in an open period.
  errors.push(...(voucher.postingDate ? validatePeriod(ctx, record, voucher.postingDate, 'postingDate') : validatePeriod(ctx, record, voucher.invoiceDate, 'invoiceDate')));
  return errors;
}

/** A GL journal before it is posted: every line's coding, lines summing to zero, period. */
export function validateJournal(ctx: ValidationContext, journal: GlJournal): ValidationError[] {
  const record = `Journal ${journal.reference}`;
  const errors: ValidationError[] = [];
  journal.lines.forEach((l, i) => errors.push(...validateCoding(ctx, record, i + 1, l)));
  const sum = journal.lines.reduce((s, l) => s + cents(l.amount), 0);
  if (journal.lines.length === 0) errors.push(new ValidationError(record, 'lines', rules.amountsBalance, 'the journal has no lines'));
  else if (!Number.isFinite(sum) || sum !== 0) errors.push(new ValidationError(record, 'lines', rules.amountsBalance, `the lines sum to ${money(sum)}, not zero`));
  errors.push(...validatePeriod(ctx, record, journal.date));
  return errors;
}

/** A purchase order before it goes to JAGGAER: supplier, every line's coding (unit code 1 = cost center), currency. */
export function validatePurchaseOrder(ctx: ValidationContext, po: PurchaseOrder, currency: string | null = null): ValidationError[] {
  const record = `PO ${po.number}`;
  const errors = [...validateSupplier(ctx, record, po.vendorNumber)];
  for (const l of po.lines) errors.push(...validateCoding(ctx, record, l.line, { account: l.glAccount, costCenter: l.unitCodes[0] ?? null }));
  errors.push(...validateCurrency(record, currency));
  return errors;
}

/** The context a mapping of some kind is checked against: only the lists it needs must have been read. */
export function loadMappingContext(db: Db, kinds: readonly ReferenceKind[]): ValidationContext {
  requireReference(db, kinds);
  return validationContext({
    vendors: kinds.includes('vendor') ? getReference(db, 'vendor') : [],
    accounts: kinds.includes('gl-account') ? getReference(db, 'gl-account') : [],
    costCenters: kinds.includes('cost-center') ? getReference(db, 'cost-center') : [],
    projects: kinds.includes('project') ? getReference(db, 'project') : [],
  });
}

// ── Mapping rows ────────────────────────────────────────────────────────────────────────────────────────────

/** Which reference lists a mapping of each kind is checked against. */
export const mappingReference: Record<MappingKind, ReferenceKind[]> = {
  supplier: ['vendor'],
  'gl-account': ['gl-account', 'cost-center'],
  'cost-center': ['cost-center'],
  site: [],
  'payment-terms': [],
  // Only a key that names a CloudSuite project number (not type:<PO type> or *); see mappingKeyReference.
  'jira-project': ['project'],
  // Jira users, roles and projects are not CloudSuite reference data.
  'labour-rate': [],
  'jira-role': [],
};

/**
 * Which reference lists this one key is checked against: the kind's lists, except that a jira-project key
 * for a PO type or the default (*) is checked against none. A caller loads the context only when a key
 * needs it, so such keys can be kept before the project list was ever read from CloudSuite.
 */
export function mappingKeyReference(kind: MappingKind, key: string): ReferenceKind[] {
  if (kind === 'jira-project' && jiraProjectKeyKind(key) !== 'project') return [];
  return mappingReference[kind];
}

/**
 * Why a mapping's CloudSuite side cannot be used (unknown or inactive vendor, closed account, unknown cost
 * center), or null when it can. The reason is a phrase for a per-row report.
 */
export function mappingKeyProblem(ctx: ValidationContext, kind: MappingKind, key: string): string | null {
  switch (kind) {
    case 'supplier': {
      const vendor = ctx.vendors.get(key);
      if (!vendor) return `vendor ${key} is not in CloudSuite's vendor list`;
      return vendor.active ? null : `vendor ${key} is inactive in CloudSuite`;
    }
    case 'gl-account': {
      const { account, costCenter } = splitGlAccountKey(key);
      const glAccount = ctx.accounts.get(account);
      if (!glAccount) return `GL account ${account} is not in CloudSuite's chart of accounts`;
      if (!glAccount.active) return `GL account ${account} is closed in CloudSuite`;
      return costCenter ? costCenterProblem(ctx, costCenter) : null;
    }
    case 'cost-center':
      return costCenterProblem(ctx, key);
    case 'jira-project': {
      if (jiraProjectKeyKind(key) !== 'project') return null;
      const project = ctx.projects.get(key);
      if (!project) return `project ${key} is not in CloudSuite's project list`;
      return project.active ? null : `project ${key} is closed in CloudSuite`;
    }
    case 'site':
    case 'payment-terms':
    case 'labour-rate':
    case 'jira-role':
      return null;
  }
}

function costCenterProblem(ctx: ValidationContext, code: string): string | null {
  const cc = ctx.costCenters.get(code);
  if (!cc) return `cost center ${code} is not in CloudSuite's cost center list`;
  return cc.active ? null : `cost center ${code} is inactive in CloudSuite`;
}
