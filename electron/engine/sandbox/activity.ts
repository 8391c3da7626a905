import type { SandboxContext, SandboxTenant } from './context';
import { idoDate, idoDecimal } from './ido-schema';
import { COST_CENTERS, ITEMS } from './seed';

// Ongoing CloudSuite activity on demand, so a polling demo (or a test) has new and changed POs to pick up.
// Changes go through IdoTables, so RecordDate moves and the change is persisted like any other.

export function addCloudSuiteActivity(ctx: SandboxContext, tenant: SandboxTenant, what: { newPos?: number; changedPos?: number }): { created: string[]; changed: string[] } {
  const { ido } = tenant;
  const pos = ido.rows('SLPos');
  const rand = ctx.random(`activity.cloudsuite.${pos.length}.${ido.overlay.SLPos ? Object.keys(ido.overlay.SLPos).length : 0}`);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const vendors = ido.rows('SLVendors').filter((v) => v.Stat === 'A');
  const created: string[] = [];
  const changed: string[] = [];
  let next = pos.reduce((max, p) => Math.max(max, Number(p.PoNum?.slice(2)) || 0), 10000) + 1;

  for (let i = 0; i < (what.newPos ?? 0) && vendors.length > 0; i++) {
    const vendor = pick(vendors);
    const poNum = `PO${String(next++).padStart(8, '0')}`;
    const now = ctx.clock.date('ido');
    const whse = pick(['MAIN', 'EAST', 'WEST', 'SOUTH']);
    ido.insert('SLPos', {
      PoNum: poNum, VendNum: vendor.VendNum!, OrderDate: idoDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))),
      Stat: 'O', Type: 'R', Whse: whse, Buyer: pick(['jlopez', 'mchen', 'aokafor']), TermsCode: vendor.TermsCode ?? 'N30',
      Uf_JiraKey: null, Uf_JiraNote: null, Uf_ProjNum: null, CreateDate: idoDate(now),
    });
    const lines = 1 + Math.floor(rand() * 3);
    for (let l = 1; l <= lines; l++) {
      const [item, description, um, price, account] = pick(ITEMS);
      ido.insert('SLPoItems', {
        PoNum: poNum, PoLine: String(l), PoRelease: '0', Item: item, Description: description, QtyOrdered: idoDecimal(1 + Math.floor(rand() * 20)),
        ItemCost: idoDecimal(price), UM: um, DueDate: idoDate(new Date(now.getTime() + 21 * 86_400_000)), Stat: 'O', Whse: whse,
        NonInvAcct: account, NonInvAcctUnit1: pick(COST_CENTERS)[0], NonInvAcctUnit2: null, NonInvAcctUnit3: null, NonInvAcctUnit4: null, CreateDate: idoDate(now),
      });
    }
    created.push(poNum);
  }

  const open = pos.filter((p) => p.Stat === 'O' && !created.includes(p.PoNum!));
  for (let i = 0; i < (what.changedPos ?? 0) && open.length > 0; i++) {
    const po = open.splice(Math.floor(rand() * open.length), 1)[0]!;
    const line = ido.find('SLPoItems', (l) => l.PoNum === po.PoNum);
    if (line) ido.update('SLPoItems', line.RowPointer!, { QtyOrdered: idoDecimal(Number(line.QtyOrdered) + 1) });
    ido.update('SLPos', po.RowPointer!, {});
    changed.push(po.PoNum!);
  }
  return { created, changed };
}
