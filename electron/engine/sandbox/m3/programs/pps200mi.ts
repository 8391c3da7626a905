import { z } from 'zod';
import type { Row } from '../../ido-filter';
import type { IdoTables } from '../../ido-tables';
import { doesNotExist, integer, optInteger, parse, req } from '../fields';
import { poHeadRecord, poLineRecord } from '../mapping';
import { compileSearch } from '../search-query';
import type { M3Record, Program } from '../types';

// PPS200MI, purchase orders (read side): GetHead, GetLine, LstLine, SearchHead over SLPos/SLPoItems.

const SEARCH_FIELDS = ['PUNO', 'SUNO', 'PUDT', 'PUSL', 'PUST', 'ORTY', 'FACI', 'WHLO', 'BUYE', 'CUCD', 'TEPY', 'PROJ', 'DWDT', 'LMDT'];

const byLine = (a: Row, b: Row) => Number(a.PoLine) - Number(b.PoLine) || Number(a.PoRelease) - Number(b.PoRelease);

function linesOf(ido: IdoTables, puno: string): Row[] {
  return ido.rows('SLPoItems').filter((l) => l.PoNum === puno).sort(byLine);
}

function head(ido: IdoTables, puno: string): Row {
  const po = ido.find('SLPos', (p) => p.PoNum === puno);
  if (!po) throw doesNotExist('PUNO', puno);
  return po;
}

const getHead = z.object({ PUNO: req(10) });
const lstLine = z.object({ PUNO: req(10), PNLI: optInteger(5) });
const getLine = z.object({ PUNO: req(10), PNLI: integer(5), PNLS: optInteger(3) });
const searchHead = z.object({ SQRY: req(1024) });

export const PPS200MI: Program = {
  GetHead: (input, { ido }) => {
    const { PUNO } = parse(getHead, input);
    return [poHeadRecord(head(ido, PUNO), linesOf(ido, PUNO))];
  },

  /** Lines of one PO, by line and suffix, from PNLI on when given. */
  LstLine: (input, { ido }) => {
    const { PUNO, PNLI } = parse(lstLine, input);
    const po = head(ido, PUNO);
    return linesOf(ido, PUNO)
      .filter((l) => PNLI === undefined || Number(l.PoLine) >= PNLI)
      .map((l) => poLineRecord(l, po));
  },

  GetLine: (input, { ido }) => {
    const { PUNO, PNLI, PNLS = 0 } = parse(getLine, input);
    const po = head(ido, PUNO);
    const line = linesOf(ido, PUNO).find((l) => Number(l.PoLine) === PNLI && Number(l.PoRelease) === PNLS);
    if (!line) throw doesNotExist('PNLI', `${PUNO}/${String(PNLI)}/${PNLS}`, 'Purchase order line');
    return [poLineRecord(line, po)];
  },

  /** Heads matching SQRY (see search-query.ts), by PO number. */
  SearchHead: (input, { ido }) => {
    const { SQRY } = parse(searchHead, input);
    const test = compileSearch(SQRY, SEARCH_FIELDS, ['PUNO', 'SUNO']);
    const lines = new Map<string, Row[]>();
    for (const l of ido.rows('SLPoItems')) {
      const list = lines.get(l.PoNum ?? '');
      if (list) list.push(l);
      else lines.set(l.PoNum ?? '', [l]);
    }
    const out: M3Record[] = [];
    for (const po of ido.rows('SLPos')) {
      const rec = poHeadRecord(po, lines.get(po.PoNum ?? '') ?? []);
      if (test(rec)) out.push(rec);
    }
    return out.sort((a, b) => (a.PUNO! < b.PUNO! ? -1 : a.PUNO! > b.PUNO! ? 1 : 0));
  },
};
