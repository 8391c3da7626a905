import type { FlowName } from '../../../shared/api';
import { startJiraReceiver, type JiraReceiver } from '../connectors/jira/receiver';
import type { Logger } from '../log';
import type { Profile } from '../store/profile';
import { webhookSettings } from '../store/webhooks';

// The webhook receiver inside a long-running host (`ferry sync` on a schedule): started when the profile
// names an address Jira can reach, and each delivery becomes a nudge to poll Jira now. Deliveries are hints,
// never data: the worklog feeds stay the source of truth, so a nudge simply runs worklog-to-gl early.

/** Deliveries come in bursts (one per worklog of a bulk edit): one run after the burst settles. */
const SETTLE_MS = 5_000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function startReceiverForHost(host: { profile: Profile; log: Logger }, nudge: (flow: FlowName) => void): Promise<JiraReceiver | null> {
  const { receiverUrl } = webhookSettings(host.profile.db);
  if (!receiverUrl) return null;
  const url = new URL(receiverUrl);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  let timer: NodeJS.Timeout | null = null;
  return startJiraReceiver({
    db: host.profile.db,
    sealKey: host.profile.sealKey,
    // Jira reaches a named host over the network; a loopback address only from this machine.
    host: LOOPBACK.has(url.hostname) ? '127.0.0.1' : '0.0.0.0',
    port,
    log: host.log,
    onChange: () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        nudge('worklog-to-gl');
      }, SETTLE_MS);
      timer.unref();
    },
  });
}
