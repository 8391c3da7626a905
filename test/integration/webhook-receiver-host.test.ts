import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowName } from '../../shared/api';
import { flushJiraDeliveries } from '../../electron/engine/sandbox/jira';
import { readCounters, setWebhookSettings } from '../../electron/engine/store/webhooks';
import { startReceiverForHost } from '../../electron/engine/sync/webhook-receiver-host';
import { closeWorld, openWorld, type World } from '../helpers/world';

// The receiver as `ferry sync` runs it: on the port of the address Jira was given, and a real signed
// delivery from the sandbox Jira (a worklog logged through its REST API) turns into one early run of
// worklog-to-gl, however many deliveries the burst holds.

let w: World;
beforeAll(async () => {
  w = await openWorld({ poCount: 20, seed: 5 });
}, 120_000);
afterAll(async () => closeWorld(w));

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

describe('the webhook receiver in a long-running host', () => {
  it('starts only when an address is set, and turns a burst of deliveries into one worklog-to-gl run', { timeout: 60_000 }, async () => {
    const nudges: FlowName[] = [];
    expect(await startReceiverForHost(w.engine, (f) => nudges.push(f))).toBeNull();

    const port = await freePort();
    setWebhookSettings(w.engine.profile.db, { receiverUrl: `http://127.0.0.1:${port}` });
    const kept = await w.engine.runFlow('jira-webhooks');
    expect(kept.counts.created).toBe(1);
    const receiver = (await startReceiverForHost(w.engine, (f) => nudges.push(f)))!;
    try {
      expect(receiver.url).toBe(`http://127.0.0.1:${port}`);
      const creds = JSON.parse(fs.readFileSync(w.sandbox.tenants[w.sandbox.tenant]!.files.jira, 'utf8')) as { baseUrl: string; email: string; apiToken: string };
      const jira = w.sandbox.runtime().jira;
      const project = jira.projects.find((p) => p.cloudSuiteProjNum)!;
      const issue = jira.issues.find((i) => i.projectId === project.id)!;
      for (const minutes of [30, 45]) {
        const res = await fetch(`${creds.baseUrl}/rest/api/3/issue/${issue.key}/worklog`, {
          method: 'POST',
          headers: { Authorization: `Basic ${Buffer.from(`${creds.email}:${creds.apiToken}`).toString('base64')}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ timeSpentSeconds: minutes * 60, started: w.sandbox.clock.date().toISOString().replace('Z', '+0000') }),
        });
        expect(res.status).toBe(201);
      }
      await flushJiraDeliveries(jira);
      expect(readCounters(w.engine.profile.db).accepted).toBeGreaterThanOrEqual(2);
      const until = Date.now() + 15_000;
      while (nudges.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(nudges).toEqual(['worklog-to-gl']);
    } finally {
      await receiver.close();
    }
  });
});
