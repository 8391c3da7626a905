import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codingForSplit, vendorForSupplier, type InvoiceMappings } from '../../electron/engine/mapping/invoice';
import { MappingError, setRequiredMappings } from '../../electron/engine/mapping/kinds';
import { termsFromJaggaerText } from '../../electron/engine/mapping/supplier';
import { loadValidationContext, validateCoding, validateSupplier, ValidationError } from '../../electron/engine/mapping/validate';
import type { Failure } from '../../electron/engine/store/failures';
import { resolveCostAllocation, resolveCostCenter, resolveSite, resolveSupplier, resolveTerms } from '../../electron/engine/store/mappings';
import { groupFailures, mappingFixFor, maskReason, ruleOf } from '../../electron/engine/sync/failure-triage';
import { mappingDb, type MappingDb } from '../helpers/mapping-db';

// Needs attention reads the mapping that would fix a failure back from the reason Ferry wrote. These sentences
// are made by the real resolvers and rules, so a change of wording there shows up here.

const segments = ['account', 'costCenter'];
const tables = (parts: Partial<InvoiceMappings> = {}): InvoiceMappings => ({ segments, required: new Set(), suppliers: [], glAccounts: [], costCenters: [], ...parts });

function messageOf(fn: () => unknown): string {
  try {
    const out = fn();
    if (out instanceof Error) return out.message;
  } catch (err) {
    if (err instanceof MappingError || err instanceof ValidationError) return err.message;
    throw err;
  }
  throw new Error('expected a mapping or validation error');
}

const fixOf = (flow: string, code: string, reason: string) => mappingFixFor({ flow, code, reason }, segments);

describe('the mapping that fixes a failure', () => {
  let m: MappingDb;
  beforeEach(async () => {
    m = await mappingDb({ reference: true });
  });
  afterEach(() => m.close());

  it('an invoice coded to a JAGGAER account CloudSuite does not know: map that JAGGAER value to a CloudSuite account', () => {
    const ctx = loadValidationContext(m.profile.db);
    const [err] = validateCoding(ctx, 'Invoice INV-2601', 1, { account: '6101-OFFICE', costCenter: 'CC100' }, 'distributions');
    expect(fixOf('invoice-to-cloudsuite', err!.code, err!.message)).toEqual({
      kind: 'gl-account',
      key: null,
      value: { account: '6101-OFFICE' },
      what: 'Map JAGGAER account 6101-OFFICE to a CloudSuite GL account.',
    });
    // Going out of CloudSuite, an unknown account is CloudSuite's own data: no mapping fixes it.
    expect(fixOf('po-to-jaggaer', err!.code, err!.message)).toBeNull();

    const [cc] = validateCoding(ctx, 'Invoice INV-2601', 1, { account: '610100', costCenter: 'SALES' }, 'distributions');
    expect(fixOf('invoice-to-cloudsuite', cc!.code, cc!.message)).toMatchObject({ kind: 'cost-center', key: null, value: 'SALES' });
    const [vendor] = validateSupplier(ctx, 'Invoice INV-2601', 'S-77');
    expect(fixOf('invoice-to-cloudsuite', vendor!.code, vendor!.message)).toMatchObject({ kind: 'supplier', key: null, value: { supplierNumber: 'S-77' } });
  });

  it('a coding with no GL mapping where the profile requires one: the coding and the account it names', () => {
    const reason = messageOf(() => codingForSplit(tables({ required: new Set(['gl-account']) }), { account: '610100', costCenter: 'CC100' }, 'Invoice I00101 (INV-1) line 2'));
    expect(fixOf('invoice-to-cloudsuite', 'mapping', reason)).toMatchObject({ kind: 'gl-account', key: '610100|CC100', value: { account: '610100', costCenter: 'CC100' } });
    const cc = messageOf(() => codingForSplit(tables({ required: new Set(['cost-center']) }), { account: '610100', costCenter: 'SALES' }, 'Invoice I00101 line 1'));
    expect(fixOf('invoice-to-cloudsuite', 'mapping', cc)).toMatchObject({ kind: 'cost-center', key: 'SALES', value: 'SALES' });
  });

  it('JAGGAER suppliers that name no CloudSuite vendor', () => {
    const noErp = messageOf(() => vendorForSupplier(tables(), { id: '1003837008', number: null, name: 'Globex Research Supply' }));
    expect(fixOf('invoice-to-cloudsuite', 'mapping', noErp)).toMatchObject({ kind: 'supplier', key: null, value: { supplierNumber: '1003837008' } });
    const required = messageOf(() => vendorForSupplier(tables({ required: new Set(['supplier']) }), { id: '1', number: 'V001000', name: 'Acme' }));
    expect(fixOf('invoice-to-cloudsuite', 'mapping', required)).toMatchObject({ kind: 'supplier', key: 'V001000', value: { supplierNumber: 'V001000' } });
    setRequiredMappings(m.profile.db, ['payment-terms']);
    const terms = messageOf(() => termsFromJaggaerText(m.profile.db, '2% 10 Net 30'));
    expect(fixOf('supplier-sync', 'mapping', terms)).toMatchObject({ kind: 'payment-terms', key: null, value: '2% 10 Net 30' });
  });

  it('CloudSuite codes going out without the mapping the profile requires: the code is the key', () => {
    const db = m.profile.db;
    setRequiredMappings(db, ['supplier', 'gl-account', 'cost-center', 'site', 'payment-terms']);
    expect(fixOf('po-to-jaggaer', 'mapping', messageOf(() => resolveSupplier(db, 'V001000')))).toMatchObject({ kind: 'supplier', key: 'V001000', value: null });
    expect(fixOf('po-to-jaggaer', 'mapping', messageOf(() => resolveCostAllocation(db, '610100', 'CC100')))).toMatchObject({ kind: 'gl-account', key: '610100|CC100' });
    expect(fixOf('po-to-jaggaer', 'mapping', messageOf(() => resolveCostAllocation(db, '610100', null)))).toMatchObject({ kind: 'gl-account', key: '610100|*' });
    expect(fixOf('po-to-jaggaer', 'mapping', messageOf(() => resolveCostCenter(db, 'CC100')))).toMatchObject({ kind: 'cost-center', key: 'CC100' });
    expect(fixOf('po-to-jaggaer', 'mapping', messageOf(() => resolveSite(db, 'MAIN')))).toMatchObject({ kind: 'site', key: 'MAIN' });
    expect(fixOf('po-to-jaggaer', 'mapping', messageOf(() => resolveTerms(db, 'N30')))).toMatchObject({ kind: 'payment-terms', key: 'N30' });
    const ctx = { ...loadValidationContext(db), supplierMappingRequired: true };
    const [mapped] = validateSupplier(ctx, 'PO PO00010001', 'V001000');
    expect(fixOf('po-to-jaggaer', mapped!.code, mapped!.message)).toMatchObject({ kind: 'supplier', key: 'V001000' });
  });

  it('Jira flows: the project, PO type or user that no mapping covers', () => {
    expect(fixOf('po-to-jira', 'mapping', 'Project PRJ1001 has no Jira project: add it (or a "*" row) to the Jira projects mapping.')).toMatchObject({ kind: 'jira-project', key: 'PRJ1001' });
    expect(fixOf('po-to-jira', 'mapping', 'PO PO00010001 (project PRJ1001) has no Jira project: add its project, its PO type (type:R) or "*" to the Jira projects mapping.')).toMatchObject({ kind: 'jira-project', key: 'PRJ1001' });
    expect(fixOf('po-to-jira', 'mapping', 'PO PO00010001 has no Jira project: add its project, its PO type (type:R) or "*" to the Jira projects mapping.')).toMatchObject({ kind: 'jira-project', key: 'type:R' });
    expect(
      fixOf('worklog-to-gl', 'rate_missing', 'No labour rate for Ana Ruiz (712020:3f2a) on 2026-11-03 (issue ENG-1, 2026-W45). Add a row to the labour rate table (Mappings → labour rates), then Retry.'),
    ).toMatchObject({ kind: 'labour-rate', key: 'user:712020:3f2a' });
  });

  it('no mapping fixes a price off its PO or a closed period', () => {
    expect(fixOf('invoice-to-cloudsuite', 'validation_failed', 'Invoice I00101 line 1: it bills 107.01, but PO PO00010001 line 1 prices it at 100.00 (rule: PO match).')).toBeNull();
    expect(fixOf('invoice-to-cloudsuite', 'validation_failed', 'Invoice INV-1: fiscal period 2026-02 is closed for 2026-02-03 (rule: period open).')).toBeNull();
  });
});

describe('groups', () => {
  const failure = (id: number, reason: string, code = 'validation_failed', flow = 'invoice-to-cloudsuite'): Failure => ({
    id, flow, sourceSystem: 'jaggaer', sourceKey: `JAG-INV-${id}`, targetSystem: 'cloudsuite', recordType: 'supplier invoice', code, reason, payload: null,
    attempts: 1, state: 'open', retryable: false, nextAttemptAt: null, replayOf: null, resolution: null, firstRunId: 'r', lastRunId: 'r',
    createdAt: `2026-11-2${id}T10:00:00.000Z`, updatedAt: `2026-11-2${id}T10:00:00.000Z`,
  });

  it('masks what names one record, keeping the words and the rule', () => {
    const reason = "Invoice INV-2612345 line 1: GL account 6101-OFFICE is not in CloudSuite's chart of accounts (rule: account exists).";
    expect(maskReason(reason)).toBe("Invoice … line …: GL account … is not in CloudSuite's chart of accounts (rule: account exists).");
    expect(ruleOf(reason)).toBe('account exists');
    expect(maskReason('JAGGAER supplier "Globex Research Supply" (supplier id 1003837008) has no ERP supplier number.')).toBe('JAGGAER supplier "…" (supplier id …) has no ERP supplier number.');
  });

  it('puts failures that went wrong the same way together, the largest group first, each failure with its fix', () => {
    const groups = groupFailures(
      [
        failure(1, "Invoice INV-1 line 1: GL account 6101-OFFICE is not in CloudSuite's chart of accounts (rule: account exists)."),
        failure(2, 'JAGGAER supplier "Globex" (supplier id 1003837008) has no ERP supplier number, so Ferry cannot tell which CloudSuite vendor sent this invoice.', 'mapping'),
        failure(3, "Invoice INV-77 line 2: GL account 6200-LAB is not in CloudSuite's chart of accounts (rule: account exists)."),
      ],
      segments,
    );
    expect(groups.map((g) => [g.title, g.count, g.rule])).toEqual([
      ["GL account … is not in CloudSuite's chart of accounts", 2, 'account exists'],
      ['JAGGAER supplier "…" (supplier id …) has no ERP supplier number, so Ferry cannot tell which CloudSuite vendor sent this invoice.', 1, null],
    ]);
    expect(groups[0]!.failures.map((f) => f.fix?.value)).toEqual([{ account: '6101-OFFICE' }, { account: '6200-LAB' }]);
    expect(groups[0]!.latestAt).toBe('2026-11-23T10:00:00.000Z');
  });
});
