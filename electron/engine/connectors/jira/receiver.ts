import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../../log';
import type { Db } from '../../store/db';
import { activeAdminSecrets, activeWebhookCount, bumpCounter, hookToken, pruneDeliveries, recordDelivery, type WebhookCounterName } from '../../store/webhooks';
import { verifyHubSignature } from './signature';

// Where Jira delivers webhooks: POST /hooks/jira/<hook token>. The token (random, sealed in the profile) is
// what proves a dynamic webhook's delivery came from the Jira Ferry registered with — Jira does not sign
// those. Admin webhooks carry a secret, so their deliveries must also carry a valid X-Hub-Signature over the
// exact bytes received. A delivery Jira retries (or someone replays) has the same
// X-Atlassian-Webhook-Identifier and is answered 200 but not processed again. Every outcome is counted
// (webhook_counters). Neither the token nor a secret ever reaches the log.

export const HOOK_PATH = '/hooks/jira/';
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** A delivery URL as a person may see it: the token is never shown. */
export function maskHookUrl(url: string): string {
  const at = url.indexOf(HOOK_PATH);
  return at < 0 ? url : `${url.slice(0, at + HOOK_PATH.length)}********`;
}

export interface JiraChange {
  /** webhookEvent: jira:issue_updated, worklog_created, … */
  event: string;
  issueKey: string | null;
  worklogId: string | null;
}

export interface JiraReceiverOptions {
  db: Db;
  sealKey: Buffer;
  /** 127.0.0.1 unless Jira must reach it from elsewhere (a Data Center on the LAN: 0.0.0.0). */
  host?: string;
  port?: number;
  /** Called once per new delivery, after it is recorded: a hint to poll Jira now, not the data itself. */
  onChange: (e: JiraChange) => void;
  log: Logger;
  bodyLimit?: number;
}

export interface JiraReceiver {
  /** Where the receiver listens, e.g. http://127.0.0.1:8799 (a wildcard host is shown as 127.0.0.1). */
  url: string;
  close(): Promise<void>;
}

const delivery = z.looseObject({
  webhookEvent: z.string().min(1).max(200),
  issue: z.looseObject({ key: z.string().max(100) }).optional(),
  worklog: z.looseObject({ id: z.union([z.string().max(100), z.number()]) }).optional(),
});

const IDENTIFIER = /^[\w.:-]{1,200}$/;
const PRUNE_EVERY_MS = 3_600_000;

/** Constant time whatever the lengths: both sides are hashed first. */
function sameToken(given: string, expected: string): boolean {
  const h = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();
  return crypto.timingSafeEqual(h(given), h(expected));
}

class TooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new TooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startJiraReceiver(o: JiraReceiverOptions): Promise<JiraReceiver> {
  const host = o.host ?? '127.0.0.1';
  const limit = o.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const log = o.log.child({ component: 'jira-receiver' });
  let prunedAt = 0;

  const answer = (res: http.ServerResponse, status: number, counter: WebhookCounterName | null, close = false): void => {
    if (counter) bumpCounter(o.db, counter);
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...(close ? { Connection: 'close' } : {}) });
    res.end(http.STATUS_CODES[status] ?? '');
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith(HOOK_PATH)) return answer(res, 404, null, true);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return answer(res, 405, null, true);
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, limit);
    } catch (err) {
      if (!(err instanceof TooLarge)) throw err;
      log.warn({ limit }, 'refused a webhook delivery larger than the body limit');
      return answer(res, 413, 'malformed', true);
    }

    const expected = hookToken(o.db, o.sealKey, { create: false });
    const given = path.slice(HOOK_PATH.length);
    if (!expected || !sameToken(given, expected) || activeWebhookCount(o.db) === 0) {
      log.warn({ remote: req.socket.remoteAddress }, 'refused a webhook delivery to an unknown hook address');
      return answer(res, 404, 'unknown_hook');
    }
    const secrets = activeAdminSecrets(o.db, o.sealKey);
    if (secrets.length > 0) {
      const signature = req.headers['x-hub-signature'];
      if (!secrets.some((s) => verifyHubSignature(s, raw, signature))) {
        log.warn({ remote: req.socket.remoteAddress, signed: signature !== undefined }, 'refused a webhook delivery without a valid signature');
        return answer(res, 401, 'bad_signature');
      }
    }
    let body: z.infer<typeof delivery>;
    try {
      const parsed = delivery.safeParse(JSON.parse(raw.toString('utf8')));
      if (!parsed.success) throw parsed.error;
      body = parsed.data;
    } catch {
      log.warn({ bytes: raw.length }, 'refused a webhook delivery that is not a Jira event');
      return answer(res, 400, 'malformed');
    }
    const header = req.headers['x-atlassian-webhook-identifier'];
    const identifier = typeof header === 'string' ? header.trim() : '';
    if (identifier && !IDENTIFIER.test(identifier)) return answer(res, 400, 'malformed');
    // Without Jira's identifier the exact bytes stand in for it: a replay of the same body is still caught.
    const deliveryId = identifier || `sha256:${crypto.createHash('sha256').update(raw).digest('hex')}`;
    const change: JiraChange = {
      event: body.webhookEvent,
      issueKey: body.issue?.key ?? null,
      worklogId: body.worklog ? String(body.worklog.id) : null,
    };
    const now = new Date();
    if (now.getTime() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = now.getTime();
      pruneDeliveries(o.db, now);
    }
    const fresh = recordDelivery(o.db, { deliveryId, ...change }, now);
    answer(res, 200, null);
    if (!fresh) {
      log.info({ event: change.event, deliveryId }, 'dropped a webhook delivery Ferry already took in');
      return;
    }
    log.info({ event: change.event, issueKey: change.issueKey, worklogId: change.worklogId, deliveryId }, 'webhook delivery accepted');
    try {
      o.onChange(change);
    } catch (err) {
      log.error({ err }, 'handling a webhook delivery failed');
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'webhook receiver failed on a delivery');
      if (!res.headersSent) answer(res, 500, null, true);
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err }, 'webhook receiver error'));
  const addr = server.address() as AddressInfo;
  const shown = addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  log.info({ host, port: addr.port }, 'Jira webhook receiver listening');
  return {
    url: `http://${shown}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
