import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvColumns, exportMappingsCsv, importMappingsCsv } from '../../electron/engine/mapping/csv';
import { mappingKinds, setGlSegments, type MappingKind } from '../../electron/engine/mapping/kinds';
import type { Db } from '../../electron/engine/store/db';
import { lastMappingChange, listMappings, setMapping, undoLastMappingChange } from '../../electron/engine/store/mappings';
import { mappingDb, type MappingDb } from '../helpers/mapping-db';

let env: MappingDb;
let db: Db;
beforeEach(async () => {
  env = await mappingDb({ reference: true });
  db = env.profile.db;
});
afterEach(() => env.close());

const contents = (kind: MappingKind) => listMappings(db, kind).map((m) => ({ key: m.key, value: m.value, note: m.note }));

/** A file per kind with awkward but valid content: quotes, commas, accents, empty optional cells. */
const goodFiles: Record<MappingKind, string> = {
  supplier: 'vendor_number,jaggaer_supplier_number,bravo_id,note\nV001000,S-77,B-123,"Margie’s, moved to ""EU"""\nV001010,V001010,,\n',
  'gl-account': 'account,cost_center,jaggaer_account,jaggaer_costCenter,note\n610100,*,6101-OFFICE,,any cost center\n610100,CC100,6101-OFFICE,100-SALES,\n650300,CC200,,200-OPS,\n',
  'cost-center': 'cost_center,jaggaer_value,note\nCC100,100-SALES,\nCC200,200 Operations,second line\n',
  site: 'site,ship_to,business_unit,note\nMAIN,HQ Dock 4,BU-US,\nEAST,DC-EAST,,\n',
  'payment-terms': 'terms_code,jaggaer_terms,note\nN30,Net 30,\n2N10,"2% 10, Net 30",\n',
  'jira-project': 'cloudsuite_key,jira_project,issue_type,project_issue_type,note\nPRJ00001,ENG,Purchase Order,Initiative,\ntype:R,OPS,"Purchase Order, regular",,\n*,FIN,Task,,everything else\n',
  'labour-rate': 'scope,effective_from,rate,note\nuser:712020:3f2a9c1e-77aa-4bd0-9e1d-0c5a1f0e2b11,2026-01-01,92.5,\nrole:Project manager,,110,\n*,,85,"default, all staff"\n',
  'jira-role': 'account_id,role,note\n712020:3f2a9c1e-77aa-4bd0-9e1d-0c5a1f0e2b11,Project manager,\n5b10ac8d82e05b22cc7d4ef5,Engineer,\n',
};

describe('CSV layouts', () => {
  it('one documented header per kind', () => {
    expect(csvColumns(db, 'supplier')).toEqual(['vendor_number', 'jaggaer_supplier_number', 'bravo_id', 'note']);
    expect(csvColumns(db, 'gl-account')).toEqual(['account', 'cost_center', 'jaggaer_account', 'jaggaer_costCenter', 'note']);
    expect(csvColumns(db, 'cost-center')).toEqual(['cost_center', 'jaggaer_value', 'note']);
    expect(csvColumns(db, 'site')).toEqual(['site', 'ship_to', 'business_unit', 'note']);
    expect(csvColumns(db, 'payment-terms')).toEqual(['terms_code', 'jaggaer_terms', 'note']);
    expect(csvColumns(db, 'jira-project')).toEqual(['cloudsuite_key', 'jira_project', 'issue_type', 'project_issue_type', 'note']);
    expect(csvColumns(db, 'labour-rate')).toEqual(['scope', 'effective_from', 'rate', 'note']);
    expect(csvColumns(db, 'jira-role')).toEqual(['account_id', 'role', 'note']);
    setGlSegments(db, ['GLAccount', 'Fund']);
    expect(csvColumns(db, 'gl-account')).toEqual(['account', 'cost_center', 'jaggaer_GLAccount', 'jaggaer_Fund', 'note']);
  });
});

describe('CSV round trip', () => {
  it.each(mappingKinds)('%s: import → export → import gives the same mappings and the same file', (kind) => {
    const first = importMappingsCsv(db, kind, goodFiles[kind]);
    expect(first.bad, JSON.stringify(first.rows)).toBe(0);
    expect(first.stored).toBeGreaterThan(0);
    const stored = contents(kind);
    const exported = exportMappingsCsv(db, kind);
    expect(exported.split('\n')[0]).toBe(csvColumns(db, kind).join(','));

    const other = importMappingsCsv(db, kind, exported);
    expect(other.bad).toBe(0);
    expect(contents(kind)).toEqual(stored);
    expect(exportMappingsCsv(db, kind)).toBe(exported);
    // With a byte-order mark (what the CLI writes for Excel) it reads the same.
    expect(importMappingsCsv(db, kind, exportMappingsCsv(db, kind, { bom: true })).bad).toBe(0);
    expect(contents(kind)).toEqual(stored);
  });

  it('exports what it imported, value for value', () => {
    importMappingsCsv(db, 'supplier', goodFiles.supplier);
    expect(contents('supplier')).toEqual([
      { key: 'V001000', value: { supplierNumber: 'S-77', bravoId: 'B-123' }, note: 'Margie’s, moved to "EU"' },
      { key: 'V001010', value: { supplierNumber: 'V001010' }, note: null },
    ]);
    importMappingsCsv(db, 'gl-account', goodFiles['gl-account']);
    expect(contents('gl-account')).toEqual([
      { key: '610100|*', value: { account: '6101-OFFICE' }, note: 'any cost center' },
      { key: '610100|CC100', value: { account: '6101-OFFICE', costCenter: '100-SALES' }, note: null },
      { key: '650300|CC200', value: { costCenter: '200-OPS' }, note: null },
    ]);
  });
});

describe('CSV import checks every row', () => {
  it('stores nothing when one row is bad, and says why for each row', () => {
    setMapping(db, 'supplier', 'V001000', { supplierNumber: 'KEEP' });
    const file = [
      'vendor_number,jaggaer_supplier_number,bravo_id,note',
      'V001010,S-10,,',
      'V999999,S-99,,',
      'V001020,S-20,,',
      ',S-30,,',
      'V001000,,,',
      'V001010,S-11,,',
      'V001000,S-1,,,extra',
    ].join('\n');
    const r = importMappingsCsv(db, 'supplier', file);
    expect(r).toMatchObject({ stored: 0, bad: 6, partial: false });
    expect(r.rows).toEqual([
      { row: 2, key: 'V001010', ok: true, reason: null },
      { row: 3, key: 'V999999', ok: false, reason: "Vendor V999999 is not in CloudSuite's vendor list." },
      { row: 4, key: 'V001020', ok: false, reason: 'Vendor V001020 is inactive in CloudSuite.' },
      { row: 5, key: null, ok: false, reason: 'The vendor_number cell is empty.' },
      { row: 6, key: null, ok: false, reason: 'The jaggaer_supplier_number cell is empty.' },
      { row: 7, key: 'V001010', ok: false, reason: 'It repeats vendor number V001010 from row 2.' },
      { row: 8, key: null, ok: false, reason: 'It has 5 cells, but the first row names 4 columns.' },
    ]);
    // Nothing already stored is damaged, nothing new is added, and there is nothing to undo.
    expect(contents('supplier')).toEqual([{ key: 'V001000', value: { supplierNumber: 'KEEP' }, note: null }]);
    expect(lastMappingChange(db, 'supplier')).toMatchObject({ action: 'set' });
  });

  it('with partial, stores only the good rows, as one undoable change', () => {
    setMapping(db, 'supplier', 'V001000', { supplierNumber: 'KEEP' });
    const file = 'vendor_number,jaggaer_supplier_number\nV001000,S-0\nV999999,S-99\nV001010,S-10\n';
    const r = importMappingsCsv(db, 'supplier', file, { partial: true });
    expect(r).toMatchObject({ stored: 2, bad: 1, partial: true });
    expect(r.rows.filter((x) => !x.ok)).toEqual([{ row: 3, key: 'V999999', ok: false, reason: "Vendor V999999 is not in CloudSuite's vendor list." }]);
    expect(contents('supplier').map((m) => [m.key, m.value])).toEqual([
      ['V001000', { supplierNumber: 'S-0' }],
      ['V001010', { supplierNumber: 'S-10' }],
    ]);
    expect(undoLastMappingChange(db, 'supplier')).toMatchObject({ action: 'import', count: 2 });
    expect(contents('supplier').map((m) => [m.key, m.value])).toEqual([['V001000', { supplierNumber: 'KEEP' }]]);
  });

  it('GL rows: account must exist and be open, cost center must exist and be active, a segment must be given', () => {
    const file = [
      'account,cost_center,jaggaer_account,jaggaer_costCenter,note',
      '690900,CC100,MISC,,',
      '999999,*,X,,',
      '610100,CC999,X,,',
      '610100,CC950,X,,',
      '610100,CC100,,,',
      '610100|CC1,,X,,',
      '610100,,6101,,',
    ].join('\r\n');
    const r = importMappingsCsv(db, 'gl-account', file);
    expect(r.rows.map((x) => [x.row, x.reason])).toEqual([
      [2, 'GL account 690900 is closed in CloudSuite.'],
      [3, "GL account 999999 is not in CloudSuite's chart of accounts."],
      [4, "Cost center CC999 is not in CloudSuite's cost center list."],
      [5, 'Cost center CC950 is inactive in CloudSuite.'],
      [6, 'The cost allocation gives no segment value; name at least one of account, costCenter.'],
      [7, 'The key must be an account and a cost center joined by "|", e.g. 610100|CC100 (or 610100|* for any cost center).'],
      [8, null],
    ]);
    expect(r.stored).toBe(0);
    expect(contents('gl-account')).toEqual([]);
  });

  it('reads a file saved by Excel: byte-order mark, CRLF, blank rows, headers in another case and order', () => {
    const file = '\uFEFFJAGGAER_Supplier_Number , Vendor_Number\r\nS-1,V001000\r\n\r\n,\r\nS-2,V001010\r\n';
    const r = importMappingsCsv(db, 'supplier', file);
    expect(r.rows).toEqual([
      { row: 2, key: 'V001000', ok: true, reason: null },
      { row: 5, key: 'V001010', ok: true, reason: null },
    ]);
    expect(r.stored).toBe(2);
    expect(contents('supplier').map((m) => m.value)).toEqual([{ supplierNumber: 'S-1' }, { supplierNumber: 'S-2' }]);
  });

  it('a BOM + CRLF file with one unknown vendor stores nothing and names the row', () => {
    const file = '\uFEFFvendor_number,jaggaer_supplier_number,bravo_id,note\r\nV001000,S-1,,\r\nV404404,S-2,,\r\n';
    const r = importMappingsCsv(db, 'supplier', file);
    expect(r.rows.filter((x) => !x.ok)).toEqual([{ row: 3, key: 'V404404', ok: false, reason: "Vendor V404404 is not in CloudSuite's vendor list." }]);
    expect(r.stored).toBe(0);
    expect(contents('supplier')).toEqual([]);
  });

  it('a wrong header is one sentence naming the expected columns', () => {
    expect(() => importMappingsCsv(db, 'supplier', 'vendor,supplier\nV001000,S-1\n')).toThrow(
      'The first row of a supplier mapping file must name its columns vendor_number, jaggaer_supplier_number, bravo_id, note (bravo_id and note may be left out); this file\'s first row is "vendor,supplier".',
    );
    expect(() => importMappingsCsv(db, 'gl-account', 'account,cost_center,account,note\n')).toThrow(
      'The first row of a GL account mapping file must name its columns account, cost_center, jaggaer_account, jaggaer_costCenter, note (cost_center and note may be left out); this file\'s first row is "account,cost_center,account,note".',
    );
    expect(() => importMappingsCsv(db, 'payment-terms', '')).toThrow(
      'The first row of a payment terms mapping file must name its columns terms_code, jaggaer_terms, note (note may be left out); this file is empty.',
    );
    expect(() => importMappingsCsv(db, 'site', 'site,ship_to\n"MAIN,HQ\n')).toThrow(/^This file is not a readable CSV file \(line \d+: .+\); save it from the spreadsheet as "CSV UTF-8" and try again\.$/);
  });

  it('payment terms: one JAGGAER text per code, in the file and against what is stored', () => {
    setMapping(db, 'payment-terms', 'N45', 'Net 45');
    const file = 'terms_code,jaggaer_terms\nN30,Net 30\nN30X,net 30\nN60,Net 45\nN45,Net 45 days\n';
    const r = importMappingsCsv(db, 'payment-terms', file);
    expect(r.rows.map((x) => [x.row, x.reason])).toEqual([
      [2, null],
      [3, 'JAGGAER terms "net 30" are already mapped from N30 (row 2); each JAGGAER text maps back to one terms code.'],
      [4, 'JAGGAER terms "Net 45" are already mapped from N45; each JAGGAER text maps back to one terms code.'],
      [5, null],
    ]);
  });

  it('needs the reference lists it checks against', async () => {
    const bare = await mappingDb();
    try {
      expect(() => importMappingsCsv(bare.profile.db, 'gl-account', goodFiles['gl-account'])).toThrow(
        'Ferry has not read the GL accounts and cost centers from CloudSuite yet, so it cannot check against them: refresh the reference data first ("ferry reference refresh").',
      );
      // Sites and payment terms have no CloudSuite list to check against.
      expect(importMappingsCsv(bare.profile.db, 'site', goodFiles.site).stored).toBe(2);
    } finally {
      bare.close();
    }
  });
});
