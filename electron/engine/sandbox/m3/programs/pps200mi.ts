import { z } from 'zod';
import type { Row } from '../../ido-filter';
import type { IdoTables } from '../../ido-tables';
import { doesNotExist, opt, parse, req } from '../fields';
import { poHeadRecord, poLineRecord } from '../mapping';
import type { Program } from '../types';

// PPS200MI, purchase orders: GetHead, LstLine and UpdHead over SLPos/SLPoItems. UpdHead keeps what the shared
// world has a place for (buyer, payment terms, project); its other inputs are taken and not kept.

const byLine = (a: Row, b: Row) => Number(a.PoLine) - Number(b.PoLine) || Number(a.PoRelease) - Number(b.PoRelease);

function linesOf(ido: IdoTables, puno: string): Row[] {
  return ido.rows('SLPoItems').filter((l) => l.PoNum === puno).sort(byLine);
}

function head(ido: IdoTables, puno: string): Row {
  const po = ido.find('SLPos', (p) => p.PoNum === puno);
  if (!po) throw doesNotExist('PUNO', puno);
  return po;
}

const byPo = z.object({ PUNO: req(10) });
const updHead = z.object({ PUNO: req(10), BUYE: opt(10), TEPY: opt(4), PROJ: opt(7) });

export const PPS200MI: Program = {
  GetHead: (input, { ido }) => {
    const { PUNO } = parse(byPo, input);
    const po = head(ido, PUNO);
    return [poHeadRecord(po, linesOf(ido, PUNO), ido.find('SLVendors', (v) => v.VendNum === po.VendNum))];
  },

  /** Lines of one PO, by line and suffix. */
  LstLine: (input, { ido }) => {
    const { PUNO } = parse(byPo, input);
    const po = head(ido, PUNO);
    return linesOf(ido, PUNO).map((l) => poLineRecord(l, po));
  },

  UpdHead: (input, { ido }) => {
    const f = parse(updHead, input);
    const po = head(ido, f.PUNO);
    const change: Row = {};
    if (f.BUYE !== undefined) change.Buyer = f.BUYE;
    if (f.TEPY !== undefined) change.TermsCode = f.TEPY;
    if (f.PROJ !== undefined) change.Uf_ProjNum = f.PROJ;
    if (Object.keys(change).length > 0) ido.update('SLPos', po.RowPointer!, change);
    return [];
  },
};
