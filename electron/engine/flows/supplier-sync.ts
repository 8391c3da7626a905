import type { Vendor } from '../../../shared/domain';
import { FerryError } from '../../../shared/errors';
import type { CloudSuiteAdapter } from '../connectors/cloudsuite/adapter';
import { connectCloudSuite, connectJaggaer } from '../connectors/connect';
import type { CompanyProfileInput, JaggaerCompanies, JaggaerCompany } from '../connectors/jaggaer/companies';
import { ConnectorError } from '../http/errors';
import { MappingError } from '../mapping/kinds';
import {
  applyCompanyInput,
  assignedVendorNumber,
  changedFields,
  companyInput,
  fieldLabels,
  mergeSupplier,
  newVendor,
  sideNames,
  SupplierNumbers,
  SupplierSnapshot,
  supplierFields,
  supplierSyncSettings,
  vendorChanges,
  viewOfCompany,
  viewOfVendor,
  type FieldConflict,
  type SupplierField,
  type SupplierSyncConfig,
  type SupplierView,
} from '../mapping/supplier';
import { appendAudit, type AuditInput } from '../store/audit';
import { getCursor, setCursor } from '../store/cursors';
import { recordFailure, resolveFailure } from '../store/failures';
import { listLinks, saveLink, type Link } from '../store/links';
import type { FlowContext } from '../sync/flow-context';
import { contentHash } from '../sync/hash';
import type { FlowModule, ReplayItem } from '../sync/runner';

// CloudSuite vendors ⇄ JAGGAER suppliers, both ways.
// Read both sides' changes since their cursors → pair each record with its counterpart (link, else supplier
// number) → compare both with the snapshot of when they were last in step (mapping/supplier.ts) → write
// what changed on one side to the other, settle what changed on both by the field policy (a visible
// `conflict` event), create what exists on one side only → save the new snapshot. What Ferry wrote is in
// the snapshot, so reading it back next run finds nothing to do (no echo).

export const FLOW = 'supplier-sync' as const;
export const CURSOR_CLOUDSUITE = `${FLOW}:cloudsuite`;
export const CURSOR_JAGGAER = `${FLOW}:jaggaer`;
const CS = 'cloudsuite';
const JG = 'jaggaer';
const RECORD = 'supplier';
// The links table keys a link by (system, id, system) whatever the flow: these names keep a vendor number
// from ever meeting a PO number of the same spelling.
const LINK_CS = 'cloudsuite:vendor';
const LINK_JG = 'jaggaer:supplier';
/** Failures of a JAGGAER supplier that has no vendor number yet are keyed by its JAGGAER id. */
const BRAVO_KEY = 'bravo:';

export interface SupplierSyncDeps {
  cloudsuite: CloudSuiteAdapter;
  jaggaer: JaggaerCompanies;
  /** Reads start this far before each cursor (clock skew, saves that land while a page is read). */
  overlapMs: number;
  /** Beyond this many counterparts to look up one by one, one full read of JAGGAER's suppliers is cheaper. */
  lookupLimit: number;
}

interface Pair {
  vendorNumber: string;
  vendor: Vendor | null;
  company: JaggaerCompany | null;
  link: Link | null;
}

type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped';

/** One run's view of both sides: every vendor, the suppliers read so far, and every pair already linked. */
class Pairing {
  readonly companies = new Map<string, JaggaerCompany>();
  readonly linkByVendor = new Map<string, Link>();
  readonly linkByBravo = new Map<string, Link>();
  /** Records this run already took care of ("v:" vendor number, "b:" bravoId). */
  readonly done = new Set<string>();
  readonly numbers: SupplierNumbers;
  readonly cfg: SupplierSyncConfig;
  /** `companies` holds every JAGGAER supplier, so what is not there does not exist. */
  complete = false;

  constructor(
    readonly ctx: FlowContext,
    readonly deps: SupplierSyncDeps,
    readonly vendors: Map<string, Vendor>,
  ) {
    this.numbers = new SupplierNumbers(ctx.db);
    this.cfg = supplierSyncSettings(ctx.db);
    for (const l of listLinks(ctx.db, FLOW)) this.remember(l);
  }

  remember(link: Link): void {
    this.linkByVendor.set(link.sourceId, link);
    this.linkByBravo.set(link.targetId, link);
  }

  addCompanies(list: JaggaerCompany[]): void {
    for (const c of list) this.companies.set(c.bravoId, c);
  }

  async companyById(bravoId: string): Promise<JaggaerCompany | null> {
    const known = this.companies.get(bravoId);
    if (known || this.complete || !/^\d+$/.test(bravoId)) return known ?? null;
    const found = (await this.deps.jaggaer.page(`BRAVOID==${bravoId}`, 1)).items[0] ?? null;
    if (found) this.companies.set(found.bravoId, found);
    return found;
  }

  /** Identity before write: the JAGGAER supplier carrying this supplier number, searched in JAGGAER when not read yet. */
  async companyByExtCode(extCode: string): Promise<JaggaerCompany | null> {
    let found = [...this.companies.values()].filter((c) => c.extCode === extCode);
    if (found.length === 0 && !this.complete) {
      found = await this.deps.jaggaer.findByExtCode(extCode);
      this.addCompanies(found);
    }
    if (found.length > 1) {
      throw new FerryError('duplicate_supplier', `JAGGAER holds ${found.length} suppliers with supplier number ${extCode} (ids ${found.map((c) => c.bravoId).join(', ')}); keep one and clear the number on the others.`);
    }
    return found[0] ?? null;
  }

  /** Whether the counterpart of a vendor is already known without asking JAGGAER. */
  counterpartRead(v: Vendor): boolean {
    const link = this.linkByVendor.get(v.number);
    if (link) return this.companies.has(link.targetId);
    try {
      const target = this.numbers.target(v.number);
      return target.bravoId ? this.companies.has(target.bravoId) : [...this.companies.values()].some((c) => c.extCode === target.supplierNumber);
    } catch {
      return true;
    }
  }
}

// ── Pairing a record with its counterpart ───────────────────────────────────────────────────────────────────

async function pairOfVendorNumber(p: Pairing, vendorNumber: string): Promise<Pair> {
  const vendor = p.vendors.get(vendorNumber) ?? null;
  const link = p.linkByVendor.get(vendorNumber) ?? null;
  if (link) return { vendorNumber, vendor, company: await p.companyById(link.targetId), link };
  const target = p.numbers.target(vendorNumber);
  const company = target.bravoId ? await p.companyById(target.bravoId) : await p.companyByExtCode(target.supplierNumber);
  const other = company ? p.linkByBravo.get(company.bravoId) : undefined;
  if (company && other) {
    throw new FerryError('supplier_taken', `JAGGAER supplier ${company.companyName} (${company.bravoId}) carries the number of vendor ${vendorNumber} but is paired with vendor ${other.sourceId}; correct the supplier number in JAGGAER or the supplier mapping.`);
  }
  return { vendorNumber, vendor, company, link: null };
}

async function pairOfCompany(p: Pairing, c: JaggaerCompany): Promise<Pair> {
  const link = p.linkByBravo.get(c.bravoId) ?? null;
  if (link) return { vendorNumber: link.sourceId, vendor: p.vendors.get(link.sourceId) ?? null, company: c, link };
  const named = p.numbers.vendorOf(c);
  const vendorNumber = named ?? newVendorNumber(p, c);
  const other = p.linkByVendor.get(vendorNumber);
  if (other) {
    throw new FerryError('supplier_taken', `JAGGAER supplier ${c.companyName} (${c.bravoId}) carries the number of vendor ${vendorNumber}, which is already paired with JAGGAER supplier ${other.targetId}; two JAGGAER suppliers cannot share one vendor.`);
  }
  const vendor = p.vendors.get(vendorNumber) ?? null;
  if (!named && vendor && viewOfVendor(vendor).name?.toLowerCase() !== c.companyName.trim().toLowerCase()) {
    throw new FerryError('vendor_number_taken', `JAGGAER supplier ${c.companyName} (${c.bravoId}) would become vendor ${vendorNumber}, but CloudSuite already has ${vendor.name} under that number; give the supplier its ERP number in JAGGAER.`);
  }
  return { vendorNumber, vendor, company: c, link: null };
}

/** JAGGAER-only suppliers have no ERP number: one is assigned from the bravoId (setting), or a person gives one. */
function newVendorNumber(p: Pairing, c: JaggaerCompany): string {
  const assigned = p.cfg.newVendorNumbers === 'assign' ? assignedVendorNumber(p.cfg, c.bravoId) : null;
  if (assigned) return assigned;
  throw new FerryError(
    'no_vendor_number',
    p.cfg.newVendorNumbers === 'wait'
      ? `JAGGAER supplier ${c.companyName} (${c.bravoId}) has no ERP supplier number; enter the CloudSuite vendor number as its supplier number in JAGGAER (or add a supplier mapping), then retry.`
      : `JAGGAER supplier ${c.companyName} (${c.bravoId}) has no ERP supplier number and its id is too long for a CloudSuite vendor number; enter one in JAGGAER, then retry.`,
  );
}

// ── One pair ────────────────────────────────────────────────────────────────────────────────────────────────

/** JAGGAER's values of the fields CloudSuite does not hold. */
function notHeld(jg: SupplierView, fields: readonly SupplierField[] | undefined): Partial<SupplierView> {
  return Object.fromEntries((fields ?? []).map((f) => [f, jg[f]]));
}

/** Failures are keyed by the vendor number, or by the JAGGAER id while CloudSuite has no vendor for it. */
const pairKey = (pair: Pair): { system: string; key: string } =>
  pair.vendor || pair.link || !pair.company ? { system: CS, key: pair.vendorNumber } : { system: JG, key: BRAVO_KEY + pair.company.bravoId };

const fieldList = (fields: readonly SupplierField[]) => fields.map((f) => fieldLabels[f]).join(', ');
const quote = (v: string | null) => (v === null ? '(empty)' : `"${v}"`);

function conflictReason(c: FieldConflict): string {
  const loser = c.winner === 'cloudsuite' ? 'jaggaer' : 'cloudsuite';
  const before = c.was ? `since the last sync (then CloudSuite ${quote(c.was.cloudsuite)}, JAGGAER ${quote(c.was.jaggaer)})` : 'and they differed at their first sync';
  return `The ${fieldLabels[c.field]} changed in both systems ${before}: CloudSuite ${quote(c.cloudsuite)}, JAGGAER ${quote(c.jaggaer)}. ${sideNames[c.winner]} wins by the field policy, so ${sideNames[loser]} is set to ${quote(c[c.winner])}.`;
}

interface Plan {
  pair: Pair;
  conflicts: FieldConflict[];
  csFields: SupplierField[];
  jgFields: SupplierField[];
  csTarget: SupplierView | null;
  jgTarget: SupplierView | null;
  /** JAGGAER fields Ferry sets besides the common ones (the supplier number of a supplier that had none). */
  extCode: string | null;
}

class PairSync {
  private readonly events: AuditInput[] = [];

  constructor(
    private readonly p: Pairing,
    private readonly ctx: FlowContext,
    private readonly pair: Pair,
    private readonly replayOf: number | null,
  ) {}

  private get base() {
    return { runId: this.ctx.runId, flow: this.ctx.flow, recordType: RECORD };
  }

  private csToJg(): Pick<AuditInput, 'sourceSystem' | 'sourceKey' | 'targetSystem' | 'targetKey'> {
    return { sourceSystem: CS, sourceKey: this.pair.vendorNumber, targetSystem: JG, targetKey: this.pair.company?.bravoId ?? null };
  }

  private jgToCs(): Pick<AuditInput, 'sourceSystem' | 'sourceKey' | 'targetSystem' | 'targetKey'> {
    return { sourceSystem: JG, sourceKey: this.pair.company?.bravoId ?? '', targetSystem: CS, targetKey: this.pair.vendorNumber };
  }

  private markDone(): void {
    this.p.done.add(`v:${this.pair.vendorNumber}`);
    if (this.pair.company) this.p.done.add(`b:${this.pair.company.bravoId}`);
  }

  async run(): Promise<Outcome | 'failed'> {
    const { vendor, company, link } = this.pair;
    this.markDone();
    try {
      if (link && !vendor) throw new FerryError('vendor_missing', `CloudSuite vendor ${this.pair.vendorNumber} was paired with JAGGAER supplier ${link.targetId} but no longer exists; Ferry does not delete suppliers. Ignore this, or restore the vendor.`);
      if (link && !company) throw new FerryError('supplier_missing', `JAGGAER supplier ${link.targetId} was paired with vendor ${this.pair.vendorNumber} but no longer exists; Ferry does not delete vendors. Ignore this, or restore the supplier.`);
      if (vendor && !company && !vendor.active) return this.skip(`Vendor ${vendor.number} is not active in CloudSuite, so it is not created in JAGGAER.`);
      const plan = this.plan();
      if (this.ctx.dryRun) return this.preview(plan);
      return await this.write(plan);
    } catch (err) {
      if (!(err instanceof FerryError) && !(err instanceof MappingError)) throw err;
      return this.fail(err);
    }
  }

  private plan(): Plan {
    const { vendor, company, link } = this.pair;
    const jg = company ? viewOfCompany(this.ctx.db, company) : null;
    // A field CloudSuite keeps nowhere Ferry can reach (M3: contact name, e-mail) is JAGGAER's alone: seen from
    // CloudSuite it always agrees, so it is never written to CloudSuite nor cleared in JAGGAER.
    const cs = vendor ? { ...viewOfVendor(vendor), ...(jg ? notHeld(jg, this.p.deps.cloudsuite.supports.vendorFieldsNotHeld) : {}) } : null;
    const wantedExtCode = this.p.numbers.target(this.pair.vendorNumber).supplierNumber;
    const extCode = company && !company.extCode ? wantedExtCode : null;
    if (cs && jg) {
      const parsed = link && link.targetId === company!.bravoId ? SupplierSnapshot.safeParse(link.snapshot) : null;
      const merge = mergeSupplier(cs, jg, parsed?.success ? parsed.data : null, this.p.cfg.policy);
      return {
        pair: this.pair,
        conflicts: merge.conflicts,
        csFields: changedFields(merge.toCloudSuite),
        jgFields: changedFields(merge.toJaggaer),
        csTarget: { ...cs, ...merge.toCloudSuite },
        jgTarget: { ...jg, ...merge.toJaggaer },
        extCode,
      };
    }
    // One side only: the other is created from it, every field.
    const view = (cs ?? jg)!;
    return { pair: this.pair, conflicts: [], csFields: cs ? [] : [...supplierFields], jgFields: jg ? [] : [...supplierFields], csTarget: view, jgTarget: view, extCode: jg ? extCode : wantedExtCode };
  }

  private jaggaerInput(plan: Plan): CompanyProfileInput {
    const company = this.pair.company;
    const name = company && !plan.jgFields.includes('name') ? company.companyName : plan.jgTarget?.name;
    if (!name) throw new FerryError('missing_name', `Vendor ${this.pair.vendorNumber} has no name, so it cannot be a JAGGAER supplier.`);
    return { companyName: name, ...companyInput(this.ctx.db, plan.jgTarget!, plan.jgFields), ...(plan.extCode ? { extCode: plan.extCode } : {}) };
  }

  private preview(plan: Plan): Outcome {
    const dry = { outcome: 'skipped' as const, reason: 'Dry run: this is what Ferry would send.' };
    for (const c of plan.conflicts) appendAudit(this.ctx.db, { ...this.base, ...this.conflictSides(c), action: 'preview-conflict', outcome: 'skipped', reason: `Dry run. ${conflictReason(c)}`, capture: c });
    const csCreate = !this.pair.vendor;
    const jgCreate = !this.pair.company;
    if (plan.csFields.length > 0) {
      const payload = csCreate ? newVendor(this.pair.vendorNumber, plan.csTarget!, this.p.cfg.currency) : vendorChanges(this.pair.vendorNumber, plan.csTarget!, plan.csFields);
      appendAudit(this.ctx.db, { ...this.base, ...this.jgToCs(), action: csCreate ? 'preview-create' : 'preview-update', ...dry, capture: { payload } });
    }
    if (plan.jgFields.length > 0 || plan.extCode) {
      appendAudit(this.ctx.db, { ...this.base, ...this.csToJg(), action: jgCreate ? 'preview-create' : 'preview-update', ...dry, capture: { payload: this.jaggaerInput(plan) } });
    }
    const outcome: Outcome = csCreate || jgCreate ? 'created' : plan.csFields.length + plan.jgFields.length > 0 || plan.extCode ? 'updated' : 'unchanged';
    if (outcome === 'unchanged') appendAudit(this.ctx.db, { ...this.base, ...this.csToJg(), action: 'unchanged', outcome: 'skipped', reason: 'Dry run: nothing to send, both systems agree.' });
    this.ctx.counts[outcome]++;
    return outcome;
  }

  private conflictSides(c: FieldConflict) {
    return c.winner === 'cloudsuite' ? this.csToJg() : this.jgToCs();
  }

  private async write(plan: Plan): Promise<Outcome> {
    const { company } = this.pair;
    let vendor = this.pair.vendor;
    let created = false;
    const jgWrite = plan.jgFields.length > 0 || plan.extCode !== null;
    const csWrite = plan.csFields.length > 0;
    const hadSnapshot = this.pair.link !== null && SupplierSnapshot.safeParse(this.pair.link.snapshot).success;
    if (!csWrite && !jgWrite && hadSnapshot) {
      this.ctx.counts.unchanged++;
      appendAudit(this.ctx.db, { ...this.base, ...this.csToJg(), action: 'unchanged', outcome: 'skipped', reason: 'No change since the last sync.' });
      this.closeFailures();
      return 'unchanged';
    }
    // CloudSuite first: M3 refuses to clear a field before sending anything, so a refusal leaves both sides untouched.
    if (csWrite) {
      const why = this.reasonFor(plan, plan.csFields, 'jaggaer');
      if (!vendor) {
        const input = newVendor(this.pair.vendorNumber, plan.csTarget!, this.p.cfg.currency);
        vendor = await this.p.deps.cloudsuite.createVendor(input);
        created = true;
        this.p.vendors.set(vendor.number, vendor);
        this.events.push({ ...this.base, ...this.jgToCs(), action: 'create', outcome: 'ok', reason: `New in JAGGAER: created as vendor ${vendor.number}.`, capture: { payload: input } });
      } else {
        const changes = vendorChanges(this.pair.vendorNumber, plan.csTarget!, plan.csFields);
        vendor = await this.p.deps.cloudsuite.updateVendor(this.pair.vendorNumber, changes);
        this.events.push({ ...this.base, ...this.jgToCs(), action: 'update', outcome: 'ok', reason: why, capture: { payload: changes } });
      }
    }
    let saved = company;
    if (jgWrite) {
      const input = this.jaggaerInput(plan);
      if (!company) {
        const bravoId = await this.p.deps.jaggaer.create({ ...input, extCode: input.extCode! });
        created = true;
        saved = applyCompanyInput(blankCompany(bravoId), input);
        this.pair.company = saved;
        this.events.push({ ...this.base, ...this.csToJg(), action: 'create', outcome: 'ok', reason: `New in CloudSuite: created as JAGGAER supplier ${bravoId}.`, capture: { payload: input } });
      } else {
        await this.p.deps.jaggaer.update(company.bravoId, input);
        saved = applyCompanyInput(company, input);
        const why = plan.jgFields.length > 0 ? this.reasonFor(plan, plan.jgFields, 'cloudsuite') : '';
        const ext = plan.extCode ? ` Supplier number set to ${plan.extCode}.` : '';
        this.events.push({ ...this.base, ...this.csToJg(), action: 'update', outcome: 'ok', reason: `${why}${ext}`.trim(), capture: { payload: input } });
      }
      this.p.companies.set(saved.bravoId, saved);
    }
    if (!csWrite && !jgWrite) {
      this.events.push({ ...this.base, ...this.csToJg(), action: 'link', outcome: 'ok', reason: 'Already in step in both systems: paired, nothing to send.' });
    }
    this.commit(vendor!, saved!, plan.conflicts);
    const outcome: Outcome = created ? 'created' : csWrite || jgWrite ? 'updated' : 'unchanged';
    this.ctx.counts[outcome]++;
    return outcome;
  }

  private reasonFor(plan: Plan, fields: SupplierField[], from: 'cloudsuite' | 'jaggaer'): string {
    const byPolicy = new Set(plan.conflicts.filter((c) => c.winner === from).map((c) => c.field));
    const changed = fields.filter((f) => !byPolicy.has(f));
    const parts = [];
    if (changed.length > 0) parts.push(`Changed in ${sideNames[from]}: ${fieldList(changed)}.`);
    if (byPolicy.size > 0) parts.push(`${sideNames[from]} wins the conflict on: ${fieldList([...byPolicy])}.`);
    return parts.join(' ');
  }

  /** The new snapshot is what each side holds now (CloudSuite as it answered the write), in one transaction with the audit. */
  private commit(vendor: Vendor, company: JaggaerCompany, conflicts: FieldConflict[]): void {
    const snapshot: SupplierSnapshot = { cloudsuite: viewOfVendor(vendor), jaggaer: viewOfCompany(this.ctx.db, company) };
    const link: Omit<Link, 'lastSyncedAt'> = {
      flow: FLOW,
      sourceSystem: LINK_CS,
      sourceId: vendor.number,
      targetSystem: LINK_JG,
      targetId: company.bravoId,
      targetStatus: null,
      contentHash: contentHash(snapshot),
      lastRunId: this.ctx.runId,
      snapshot,
    };
    this.ctx.db.transaction(() => {
      saveLink(this.ctx.db, link);
      for (const c of conflicts) appendAudit(this.ctx.db, { ...this.base, ...this.conflictSides(c), action: 'conflict', outcome: 'ok', reason: conflictReason(c), capture: c });
      for (const e of this.events) appendAudit(this.ctx.db, e);
      this.closeFailures();
    })();
    this.p.remember({ ...link, lastSyncedAt: new Date().toISOString() });
  }

  private closeFailures(): void {
    if (this.ctx.dryRun) return;
    resolveFailure(this.ctx.db, FLOW, CS, this.pair.vendorNumber, this.ctx.runId);
    if (this.pair.company) resolveFailure(this.ctx.db, FLOW, JG, BRAVO_KEY + this.pair.company.bravoId, this.ctx.runId);
  }

  private skip(reason: string): Outcome {
    this.ctx.counts.skipped++;
    appendAudit(this.ctx.db, { ...this.base, ...this.csToJg(), action: 'skip', outcome: 'skipped', reason });
    return 'skipped';
  }

  fail(err: FerryError | MappingError): 'failed' {
    this.markDone();
    this.ctx.counts.failed++;
    const { system, key } = pairKey(this.pair);
    const reason = err.message;
    const target = system === CS ? JG : CS;
    const writes = this.events.filter((e) => e.outcome === 'ok');
    const sides = system === CS ? this.csToJg() : this.jgToCs();
    if (this.ctx.dryRun) {
      appendAudit(this.ctx.db, { ...this.base, ...sides, action: 'preview-failed', outcome: 'failed', reason });
      return 'failed';
    }
    this.ctx.db.transaction(() => {
      // A write that landed before the failure is part of the story: it stays in the trail (the snapshot does not move).
      for (const e of writes) appendAudit(this.ctx.db, e);
      const failure = recordFailure(this.ctx.db, {
        flow: FLOW,
        sourceSystem: system,
        sourceKey: key,
        targetSystem: target,
        recordType: RECORD,
        runId: this.ctx.runId,
        code: err instanceof FerryError ? err.code : 'mapping',
        reason,
        payload: { vendorNumber: this.pair.vendorNumber, bravoId: this.pair.company?.bravoId ?? null },
        retryable: err instanceof ConnectorError && err.retryable,
        replayOf: this.replayOf,
      });
      appendAudit(this.ctx.db, {
        ...this.base,
        ...sides,
        sourceKey: key,
        action: 'send',
        outcome: 'failed',
        reason: failure.state === 'retrying' ? `${reason} Ferry retries it automatically (attempt ${failure.attempts} of 5).` : reason,
        capture: err instanceof ConnectorError ? (err.capture ?? undefined) : undefined,
      });
    })();
    this.ctx.log.info({ record: key, code: err instanceof FerryError ? err.code : 'mapping' }, 'supplier waits in the failures queue');
    return 'failed';
  }
}

function blankCompany(bravoId: string): JaggaerCompany {
  return {
    bravoId, companyName: '', extCode: null, extUniqueCode: null, type: null, bizEmail: null, bizPhone: null, webSite: null, address: null, zip: null, city: null,
    province: null, isoCountry: null, paymentTerms: null, userName: null, userSurName: null, userEmail: null, userPhone: null, lastModTime: null,
  };
}

/** Pairs a record (finding its counterpart may itself fail: that is the record's failure) and syncs it. */
async function syncResolved(p: Pairing, resolve: () => Promise<Pair>, unpaired: Pair, replayOf: number | null): Promise<void> {
  let pair: Pair;
  try {
    pair = await resolve();
  } catch (err) {
    if (!(err instanceof FerryError) && !(err instanceof MappingError)) throw err;
    new PairSync(p, p.ctx, unpaired, replayOf).fail(err);
    return;
  }
  await new PairSync(p, p.ctx, pair, replayOf).run();
}

const syncCompany = (p: Pairing, c: JaggaerCompany, replayOf: number | null = null) =>
  p.done.has(`b:${c.bravoId}`)
    ? Promise.resolve()
    : syncResolved(p, () => pairOfCompany(p, c), { vendorNumber: c.extCode ?? '', vendor: null, company: c, link: null }, replayOf);

const syncVendorNumber = (p: Pairing, vendorNumber: string, replayOf: number | null = null) =>
  p.done.has(`v:${vendorNumber}`)
    ? Promise.resolve()
    : syncResolved(p, () => pairOfVendorNumber(p, vendorNumber), { vendorNumber, vendor: p.vendors.get(vendorNumber) ?? null, company: null, link: null }, replayOf);

const latest = (times: (string | null)[]): string | null => {
  let best: number | null = null;
  for (const t of times) {
    const ms = t ? Date.parse(t) : NaN;
    if (!Number.isNaN(ms) && (best === null || ms > best)) best = ms;
  }
  return best === null ? null : new Date(best).toISOString();
};

export const supplierSync: FlowModule<SupplierSyncDeps> = {
  connect(profile, pool) {
    return { cloudsuite: connectCloudSuite(profile, pool).adapter, jaggaer: connectJaggaer(profile, pool).client.companies, overlapMs: 5 * 60_000, lookupLimit: 25 };
  },

  async run(ctx, deps) {
    const csCursor = getCursor(ctx.db, CURSOR_CLOUDSUITE);
    const jgCursor = getCursor(ctx.db, CURSOR_JAGGAER);
    // CloudSuite's vendor list is one read of every vendor; its change times pick what changed since the cursor.
    const vendors = await deps.cloudsuite.listVendors();
    const csSince = csCursor ? Date.parse(csCursor) - deps.overlapMs : null;
    const csChanged = vendors.filter((v) => csSince === null || !v.modifiedAt || Date.parse(v.modifiedAt) >= csSince);
    const p = new Pairing(ctx, deps, new Map(vendors.map((v) => [v.number, v])));

    // JAGGAER pages by supplier id, not by time, so its cursor can only move once every page is recorded.
    const pages: JaggaerCompany[][] = [];
    const reads = jgCursor ? deps.jaggaer.changedSince(new Date(Date.parse(jgCursor) - deps.overlapMs)) : deps.jaggaer.pages(null);
    for await (const page of reads) {
      pages.push(page);
      p.addCompanies(page);
    }
    p.complete = jgCursor === null;
    const jgLatest = latest(pages.flat().map((c) => c.lastModTime));
    if (!p.complete && csChanged.filter((v) => !p.counterpartRead(v)).length > deps.lookupLimit) {
      for await (const page of deps.jaggaer.pages(null)) p.addCompanies(page);
      p.complete = true;
    }

    let processed = 0;
    for (const [i, page] of pages.entries()) {
      for (const c of page) {
        await syncCompany(p, c);
        ctx.progress({ page: i + 1, processed: ++processed });
      }
    }
    for (const v of csChanged) {
      await syncVendorNumber(p, v.number);
      ctx.progress({ page: pages.length + 1, processed: ++processed });
    }
    if (ctx.dryRun) return;
    // Every record read is now recorded as done or as a failure: both cursors may move.
    ctx.db.transaction(() => {
      const csLatest = latest(vendors.map((v) => v.modifiedAt));
      if (csLatest && (!csCursor || csLatest > csCursor)) setCursor(ctx.db, CURSOR_CLOUDSUITE, csLatest);
      if (jgLatest && (!jgCursor || jgLatest > jgCursor)) setCursor(ctx.db, CURSOR_JAGGAER, jgLatest);
    })();
  },

  /** Keys are vendor numbers, or "bravo:<id>" for a JAGGAER supplier CloudSuite has no vendor for yet. */
  async replay(ctx, deps, items: ReplayItem[]) {
    const vendors = await deps.cloudsuite.listVendors();
    const p = new Pairing(ctx, deps, new Map(vendors.map((v) => [v.number, v])));
    let processed = 0;
    for (const item of items) {
      if (item.key.startsWith(BRAVO_KEY)) {
        const company = await p.companyById(item.key.slice(BRAVO_KEY.length));
        if (company) await syncCompany(p, company, item.failureId);
        else ctx.log.warn({ supplier: item.key }, 'JAGGAER supplier to replay no longer exists');
      } else {
        await syncVendorNumber(p, item.key, item.failureId);
      }
      ctx.progress({ page: 0, processed: ++processed });
    }
  },
};
