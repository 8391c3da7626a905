import { M3Error } from './types';

// The sandbox tenant's layout of GLS840MI AddBatchLine's PARM for interface FERRY: fixed positions, as the
// example in docs/m3-gl-parm.md (a typical layout, not Infor's: each tenant defines its own).
//   1–8 accounting date yyyyMMdd · 9–78 accounting dimensions 1–7, 10 each (account, cost center, project, 4–7)
//   79–95 amount, right-aligned, debit positive, credit negative, a point before the decimals · 96–135 line text
// Trailing blanks may be missing (M3 trims its fields). Ferry is told the same layout as a template:
//   {date:8}{account:10}{costCenter:10}{project:10}{blank:40}{amount:17}{text:40}

export const SANDBOX_GL_INTERFACE = 'FERRY';

const FIELDS = [
  { name: 'ACDT', from: 1, length: 8 },
  ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({ name: `AIT${n}`, from: 9 + (n - 1) * 10, length: 10 })),
  { name: 'CUAM', from: 79, length: 17 },
  { name: 'VTXT', from: 96, length: 40 },
] as const;
const LENGTH = 135;

export interface ParmLine {
  ACDT: string;
  ait: [string, string, string, string, string, string, string];
  cuam: string;
  VTXT: string;
}

const refuse = (why: string) => new M3Error(`Parameter value (PARM) does not fit interface ${SANDBOX_GL_INTERFACE}: ${why}`, 'PARM', 'WPA0204');

export function parseParm(parm: string): ParmLine {
  if (parm.length > LENGTH) throw refuse(`it is ${parm.length} characters, the layout has ${LENGTH}`);
  const padded = parm.padEnd(LENGTH);
  const at = (name: string) => {
    const f = FIELDS.find((x) => x.name === name)!;
    return padded.slice(f.from - 1, f.from - 1 + f.length).trim();
  };
  const ACDT = at('ACDT');
  if (!/^\d{8}$/.test(ACDT)) throw refuse(`positions 1–8 hold "${ACDT}", not a date yyyyMMdd`);
  const cuam = at('CUAM');
  if (!/^-?\d{1,14}(\.\d{1,2})?$/.test(cuam)) throw refuse(`positions 79–95 hold "${cuam}", not an amount such as -1200.50`);
  const ait = [1, 2, 3, 4, 5, 6, 7].map((n) => at(`AIT${n}`)) as ParmLine['ait'];
  if (!ait[0]) throw refuse('positions 9–18 (the account) are blank');
  return { ACDT, ait, cuam, VTXT: at('VTXT') };
}
