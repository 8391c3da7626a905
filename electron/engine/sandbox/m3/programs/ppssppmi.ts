import { z } from 'zod';
import type { Row } from '../../ido-filter';
import { opt, parse } from '../fields';
import { poHeadRecord } from '../mapping';
import type { M3Record, Program } from '../types';

// PPSSPPMI LstSupHead: purchase order heads, of one supplier when SUNO is given, by supplier and PO number,
// each with its change stamp LMTS. SLFR/SLTO limit the lowest status (PUSL) to a range. The LMTS input is
// published without a word on what it does; the sandbox takes it and lists every head anyway.

const lstSupHead = z.object({ SUNO: opt(10), SLFR: opt(2), SLTO: opt(2) });

export const PPSSPPMI: Program = {
  LstSupHead: (input, { ido }) => {
    const f = parse(lstSupHead, input);
    const lines = new Map<string, Row[]>();
    for (const l of ido.rows('SLPoItems')) {
      const list = lines.get(l.PoNum ?? '');
      if (list) list.push(l);
      else lines.set(l.PoNum ?? '', [l]);
    }
    const vendors = new Map(ido.rows('SLVendors').map((v) => [v.VendNum ?? '', v]));
    const out: M3Record[] = [];
    for (const po of ido.rows('SLPos')) {
      if (f.SUNO && po.VendNum !== f.SUNO) continue;
      const rec = poHeadRecord(po, lines.get(po.PoNum ?? '') ?? [], vendors.get(po.VendNum ?? ''));
      if ((f.SLFR && rec.PUSL! < f.SLFR) || (f.SLTO && rec.PUSL! > f.SLTO)) continue;
      out.push(rec);
    }
    return out.sort((a, b) => (a.SUNO! < b.SUNO! ? -1 : a.SUNO! > b.SUNO! ? 1 : a.PUNO! < b.PUNO! ? -1 : a.PUNO! > b.PUNO! ? 1 : 0));
  },
};
