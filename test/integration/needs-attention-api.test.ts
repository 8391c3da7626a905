import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApVoucher } from '../../shared/domain';
import type { Engine } from '../../electron/engine/engine';
import type { Sandbox } from '../../electron/engine/sandbox';
import { getFailure, listFailures } from '../../electron/engine/store/failures';
import { listAudit } from '../../electron/engine/store/audit';
import type { tempDir } from '../helpers/temp';
import { closeWorld, openWorld } from '../helpers/world';

// The API behind "Needs attention" and "Mappings", against the sandbox: an invoice coded in JAGGAER to an
// account CloudSuite does not know is grouped with its fix, suggested on the Mappings screen, previewed
// without writing anything, and posted once after the mapping is added.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let engine: Engine;

beforeEach(async () => {
  ({ tmp, sandbox, engine } = await openWorld({ poCount: 12, seed: 9 }));
});

afterEach(() => closeWorld({ tmp, sandbox, engine }));

describe('needs attention API', () => {
  it('groups, suggests, previews and retries an invoice whose JAGGAER coding has no mapping', async () => {
    const { jaggaer } = sandbox.runtime();
    const invoice = jaggaer.invoices.find((i) => i.workflowStatus === 'Completed' && i.paymentStatus === 'Payable' && i.supplier.supplierNumber && i.lines.every((l) => l.gl.account));
    expect(invoice).toBeDefined();
    const account = invoice!.lines[0]!.gl.account!;
    // AP in JAGGAER codes with the customer's own chart: the account as JAGGAER names it.
    for (const l of invoice!.lines) if (l.gl.account === account) l.gl.account = `${account.slice(0, 4)}-OFFICE`;
    const jaggaerAccount = `${account.slice(0, 4)}-OFFICE`;

    await engine.runFlow('invoice-to-cloudsuite');
    const { groups, total } = await engine.handlers.listFailureGroups({ limit: 1000 });
    expect(total).toBe(listFailures(engine.profile.db).length);
    const group = groups.find((g) => g.rule === 'account exists')!;
    expect(group).toMatchObject({ flow: 'invoice-to-cloudsuite', code: 'validation_failed', title: "GL account … is not in CloudSuite's chart of accounts", count: 1 });
    const [failure] = group.failures;
    expect(failure!.sourceKey).toBe(`JAG-INV-${invoice!.invoiceId}`);
    expect(failure!.fix).toEqual({ kind: 'gl-account', key: null, value: { account: jaggaerAccount }, what: `Map JAGGAER account ${jaggaerAccount} to a CloudSuite GL account.` });

    const { suggestions } = await engine.handlers.mappingSuggestions({ kind: 'gl-account' });
    expect(suggestions).toContainEqual({ key: null, value: { account: jaggaerAccount }, source: 'failure', label: failure!.fix!.what, failures: 1 });

    // Before the fix, a preview says what would go wrong; nothing changes.
    const before = await engine.handlers.previewReplay({ id: failure!.id });
    expect(before).toMatchObject({ outcome: 'would-fail', action: 'preview-failed', sourceKey: failure!.sourceKey });
    expect(before.reason).toContain(jaggaerAccount);
    expect(getFailure(engine.profile.db, failure!.id)!.state).toBe('open');

    // The mapping needs the reference lists read first; the reference view says so, then lists the accounts.
    expect((await engine.handlers.mappingReference({ kind: 'gl-account' })).missing).toMatch(/refresh the reference data/);
    await engine.handlers.refreshReference({});
    const reference = await engine.handlers.mappingReference({ kind: 'gl-account' });
    expect(reference.missing).toBeNull();
    expect(reference.lists.map((l) => l.list)).toEqual(['gl-account', 'cost-center']);
    expect(reference.lists[0]!.items.map((i) => i.code)).toContain(account);
    await engine.handlers.setMapping({ kind: 'gl-account', key: `${account}|*`, value: { account: jaggaerAccount }, note: null });
    expect((await engine.handlers.mappingSuggestions({ kind: 'gl-account' })).suggestions.filter((s) => s.source === 'failure')).toEqual([]);

    // The preview now shows the voucher a retry would post — still without posting it.
    const after = await engine.handlers.previewReplay({ id: failure!.id });
    expect(after).toMatchObject({ outcome: 'would-send', action: 'preview-create', targetKey: null });
    const voucher = after.payload as ApVoucher;
    expect(voucher.reference).toBe(`FERRY:JAG-INV-${invoice!.invoiceId}`);
    expect(voucher.distributions.some((d) => d.account === account)).toBe(true);
    expect(getFailure(engine.profile.db, failure!.id)!.state).toBe('open');
    expect(listAudit(engine.profile.db, { limit: 50, search: failure!.sourceKey }).filter((e) => e.action === 'create')).toEqual([]);

    const replay = await engine.handlers.replayFailures({ ids: [failure!.id], all: false });
    expect(replay.runs[0]!.counts).toMatchObject({ created: 1, failed: 0 });
    const created = listAudit(engine.profile.db, { limit: 50, search: failure!.sourceKey }).find((e) => e.action === 'create')!;
    expect(created.targetKey).toBeTruthy();
    expect((await engine.handlers.listFailureGroups({ limit: 1000 })).groups.some((g) => g.rule === 'account exists')).toBe(false);
    await expect(engine.handlers.previewReplay({ id: failure!.id })).rejects.toThrow(/already replayed/);
  });
});

describe('sandbox control: AP approves a JAGGAER invoice', () => {
  it('completes the workflow of a pending invoice, so invoice-to-cloudsuite reads it; an unknown id is a 404', async () => {
    const { jaggaer } = sandbox.runtime();
    const pending = jaggaer.invoices.find((i) => i.workflowStatus === 'Pending')!;
    const post = (id: string) => fetch(`${sandbox.control.url}/control/tenants/FERRY_TST/jaggaer/invoices/${id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.control.token}` } });
    const res = await post(String(pending.invoiceId));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ invoiceId: pending.invoiceId, workflowStatus: 'Completed', paymentStatus: 'Payable' });
    expect(pending).toMatchObject({ workflowStatus: 'Completed', paymentStatus: 'Payable' });
    expect((await post('999999999')).status).toBe(404);
    expect((await post('abc')).status).toBe(404);
  });
});
