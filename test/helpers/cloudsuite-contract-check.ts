import fs from 'node:fs';
import path from 'node:path';
import type { RecordedRequest } from './recording-gateway';

// Checks requests recorded on the wire against the CloudSuite contract files — the JSON with the public
// source of every name — read here on their own, not through Ferry's typed module or the sandbox's schemas,
// so neither side's beliefs can vouch for themselves. Returns one sentence per name the contract lacks.

const dir = path.resolve(__dirname, '../../electron/engine/contracts');
const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

interface IdoJson {
  properties: Record<string, { readOnly?: boolean }>;
  methods?: Record<string, { parameters: { name: string }[] }>;
  userFields?: { pattern: string };
}
interface IndustrialJson {
  rest: { load: { parameters: string[] } };
  idos: Record<string, IdoJson>;
}
interface M3Json {
  endpoint: Record<string, { fact: string }>;
  programs: Record<string, { transactions: Record<string, { inputs: Record<string, { required: boolean }>; outputs: Record<string, unknown> }> }>;
}

const industrial = read('cloudsuite-industrial.json') as IndustrialJson;
const m3 = read('cloudsuite-m3.json') as M3Json;
/** The endpoint options the contract records as matrix parameters (maxrecs, returncols, …). */
const matrixNames = new Set(Object.entries(m3.endpoint).filter(([, v]) => /matrix parameter/i.test(v.fact)).map(([k]) => k.toLowerCase()));

/** What was sent, as "IDO.Property" / "PROGRAM/TRANSACTION FIELD", for the coverage report. */
export interface ContractUse {
  names: Set<string>;
  problems: string[];
}

function propertyOk(ido: IdoJson, name: string): boolean {
  if (name in ido.properties) return true;
  // Mongoose matches names without regard to case.
  if (Object.keys(ido.properties).some((p) => p.toLowerCase() === name.toLowerCase())) return true;
  return !!ido.userFields && new RegExp(ido.userFields.pattern).test(name);
}

/** Property names a filter or orderby mentions: identifiers outside string literals, before an operator or alone. */
function namesIn(expr: string): string[] {
  const noStrings = expr.replace(/N?'(?:[^']|'')*'/g, "''");
  const out: string[] = [];
  for (const m of noStrings.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|<>|!=|<=|>=|<|>|\bLIKE\b|\bIN\b|\bIS\b|\bBETWEEN\b)/gi)) out.push(m[1]!);
  return out;
}

function checkIdo(r: RecordedRequest, rest: string, q: URLSearchParams, use: ContractUse): void {
  const problem = (s: string): void => void use.problems.push(`${r.method} ${rest}: ${s}`);
  const m = /^\/(load|info|update|invoke)\/([^/?]+)$/.exec(rest);
  if (rest === '/configurations') return;
  if (!m) return problem('not an IDO REST endpoint the contract records');
  const [, verb, idoName] = m as unknown as [string, string, string];
  const ido = industrial.idos[decodeURIComponent(idoName)];
  if (!ido) return problem(`IDO ${idoName} is not in the contract`);
  use.names.add(idoName);
  if (verb === 'load') {
    for (const k of q.keys()) if (!industrial.rest.load.parameters.includes(k)) problem(`load parameter "${k}" is not one Infor documents`);
    const props = (q.get('properties') ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    const mentioned = [...props, ...namesIn(q.get('filter') ?? ''), ...(q.get('orderby') ?? '').split(',').map((s) => s.trim().split(/\s+/)[0]!).filter(Boolean)];
    for (const p of mentioned) {
      if (propertyOk(ido, p)) use.names.add(`${idoName}.${p}`);
      else problem(`property ${idoName}.${p} is not in the contract`);
    }
  } else if (verb === 'update') {
    const body = JSON.parse(r.body) as { Changes?: { Properties?: { Name: string; Modified?: boolean }[] }[] };
    for (const c of body.Changes ?? []) {
      for (const p of c.Properties ?? []) {
        if (!propertyOk(ido, p.Name)) problem(`property ${idoName}.${p.Name} is not in the contract`);
        else if (p.Modified && ido.properties[p.Name]?.readOnly) problem(`property ${idoName}.${p.Name} is read-only`);
        else use.names.add(`${idoName}.${p.Name}`);
      }
    }
  } else if (verb === 'invoke') {
    const method = q.get('method') ?? '';
    const contract = ido.methods?.[method];
    if (!contract) return problem(`method ${idoName}.${method} is not in the contract`);
    const params = JSON.parse(r.body) as unknown[];
    if (!Array.isArray(params) || params.length !== contract.parameters.length) problem(`${idoName}.${method} takes ${contract.parameters.length} parameters, not ${Array.isArray(params) ? params.length : 'a non-array'}`);
    use.names.add(`${idoName}.${method}()`);
  }
}

function checkM3(r: RecordedRequest, rest: string, q: URLSearchParams, use: ContractUse): void {
  const problem = (s: string): void => void use.problems.push(`${r.method} ${rest}: ${s}`);
  const m = /^\/([^/;?]+)\/([^/;?]+)((?:;[^/?]*)*)$/.exec(rest);
  if (!m) return problem('not an m3api-rest execute path the contract records (…/execute/PROGRAM/TRANSACTION)');
  const [, program, transaction, matrix] = m as unknown as [string, string, string, string];
  const t = m3.programs[program]?.transactions[transaction];
  if (!t) return problem(`${program}/${transaction} is not in the contract`);
  use.names.add(`${program}/${transaction}`);
  const options = new Map(matrix.split(';').filter(Boolean).map((kv) => [kv.split('=')[0]!.toLowerCase(), decodeURIComponent(kv.split('=').slice(1).join('='))]));
  for (const k of options.keys()) if (!matrixNames.has(k)) problem(`matrix parameter ;${k} is not one the contract records`);
  if (!options.has('maxrecs')) problem('no ;maxrecs matrix parameter (the server default is not published, so Ferry always sends it)');
  for (const col of (options.get('returncols') ?? '').split(',').filter(Boolean)) if (!(col in t.outputs)) problem(`returncols names ${col}, not an output of ${program}/${transaction}`);
  for (const k of q.keys()) {
    if (!(k in t.inputs)) problem(`input ${k} is not an input of ${program}/${transaction}`);
    else use.names.add(`${program}/${transaction} ${k}`);
  }
  for (const [k, f] of Object.entries(t.inputs)) if (f.required && !q.get(k)) problem(`mandatory input ${k} is missing`);
}

/** Checks every recorded CloudSuite request (IDO REST and m3api-rest); other paths (sign-in) are not CloudSuite's. */
export function checkCloudSuiteRequests(requests: readonly RecordedRequest[]): ContractUse {
  const use: ContractUse = { names: new Set(), problems: [] };
  for (const r of requests) {
    const u = new URL(r.url, 'http://x');
    const path_ = decodeURIComponent(u.pathname);
    const ido = /\/CSI\/IDORequestService\/ido(\/.*)$/.exec(path_);
    const mi = /\/M3\/m3api-rest\/v2\/execute(\/.*)?$/.exec(path_);
    if (ido) checkIdo(r, ido[1]!, u.searchParams, use);
    else if (mi) {
      if (!mi[1]) use.problems.push(`${r.method} ${path_}: the bulk execute request is not one the contract records`);
      else checkM3(r, mi[1], u.searchParams, use);
    }
  }
  return use;
}
