import { type Command, InvalidArgumentError } from 'commander';
import type { WebhookReport } from '../../shared/api';
import { runLine } from './cli-output';
import { ExitError, json, out, withEngine, type Globals } from './cli-support';
import { setWebhookSettings, webhookSettings, type JiraWebhookSettings } from './store/webhooks';

// `ferry webhooks status|refresh|set`: whether Jira tells Ferry about changes or Ferry polls, what is
// registered, and how deliveries fared.

function statusLines(r: WebhookReport): string {
  const how =
    r.mode === 'polling'
      ? 'Ferry polls Jira: no webhook delivers changes.'
      : `Ferry receives Jira changes through ${r.mode === 'dynamic' ? 'a dynamic webhook (OAuth 2.0)' : 'an admin webhook'}, and polls as well.`;
  const lines = [how, r.message];
  if (r.webhooks.length > 0) {
    lines.push('Webhooks:');
    for (const w of r.webhooks) {
      const expiry = w.expiresAt ? `expires ${w.expiresAt.slice(0, 10)} (in ${w.daysLeft} day${w.daysLeft === 1 ? '' : 's'})` : 'does not expire';
      lines.push(`  ${w.kind} ${w.id}  ${w.state}  ${expiry}`);
      lines.push(`    ${w.url}  ${w.jql}  [${w.events.join(', ')}]`);
      if (w.lastError) lines.push(`    last problem: ${w.lastError}`);
    }
  }
  const c = r.counters;
  lines.push(`Deliveries: ${c.accepted} accepted, ${c.duplicate} duplicate, ${c.bad_signature} with a bad signature, ${c.unknown_hook} to an unknown address, ${c.malformed} malformed.`);
  return lines.join('\n');
}

const receiverUrl = (v: string): string | null => {
  if (v === 'none') return null;
  try {
    const u = new URL(v);
    if (u.protocol === 'http:' || u.protocol === 'https:') return v.replace(/\/+$/, '');
  } catch {
    // falls through to the sentence
  }
  throw new InvalidArgumentError('use the address Jira can reach Ferry at, such as http://ferry-host:8799, or "none".');
};

const aheadDays = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 29) throw new InvalidArgumentError('use a whole number of days from 1 to 29 (dynamic webhooks live 30 days).');
  return n;
};

export function registerWebhookCommands(program: Command, globals: () => Globals): void {
  const webhooks = program.command('webhooks').description('Jira webhooks: whether Jira tells Ferry about changes or Ferry polls');

  webhooks
    .command('status')
    .description('what is registered in Jira, how deliveries fared, and whether Ferry receives or polls (does not contact Jira)')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const report = await engine.handlers.webhookStatus({});
        if (o.json) json(report);
        else out(statusLines(report));
      });
    });

  webhooks
    .command('refresh')
    .description('check the webhook in Jira now: register, refresh or re-register it as needed (runs the jira-webhooks flow)')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const run = await engine.runFlow('jira-webhooks', { trigger: 'cli' });
        const report = await engine.handlers.webhookStatus({});
        if (o.json) json({ run, ...report });
        else out(`${runLine(run)}\n${statusLines(report)}`);
        if (run.outcome === 'failed') throw new ExitError(1, `jira-webhooks could not run: ${run.error}`);
      });
    });

  webhooks
    .command('set')
    .description('where Jira can reach Ferry, and whether to use an admin webhook')
    .option('--receiver-url <url>', 'the address Jira can reach Ferry\'s receiver at (e.g. http://ferry-host:8799), or "none" to poll only', receiverUrl)
    .option('--admin', 'with an API token or PAT: register an admin webhook (needs a Jira administrator)')
    .option('--no-admin', 'never register an admin webhook')
    .option('--refresh-ahead-days <n>', 'refresh a dynamic webhook this many days before it expires (default 7)', aheadDays)
    .option('--json', 'print the settings as JSON')
    .action(async (o: { receiverUrl?: string | null; admin?: boolean; refreshAheadDays?: number; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const change: Partial<JiraWebhookSettings> = {};
        if (o.receiverUrl !== undefined) change.receiverUrl = o.receiverUrl;
        if (o.admin !== undefined) change.admin = o.admin;
        if (o.refreshAheadDays !== undefined) change.refreshAheadDays = o.refreshAheadDays;
        const settings = Object.keys(change).length ? setWebhookSettings(engine.profile.db, change) : webhookSettings(engine.profile.db);
        if (o.json) json(settings);
        else {
          out(`Receiver address: ${settings.receiverUrl ?? 'none (Ferry polls Jira)'}`);
          out(`Admin webhook: ${settings.admin ? 'yes, when the account is a Jira administrator' : 'no'}`);
          out(`Refresh dynamic webhooks ${settings.refreshAheadDays} days before they expire.`);
          if (Object.keys(change).length) out('Run "ferry webhooks refresh" to apply this now (or wait for the jira-webhooks schedule).');
        }
      });
    });
}
