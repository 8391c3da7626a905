import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectJiraClient, type JiraClient, type JiraConfig, type JiraSecrets } from '../../electron/engine/connectors/jira';
import type { Wait } from '../../electron/engine/http/client';
import { HttpPool } from '../../electron/engine/http/pool';
import { jiraCredentials } from '../../electron/engine/sandbox/jira';
import type { JiraSandbox } from './sandbox-jira-harness';

// Shared by the jira-client*.test.ts files: Ferry's Jira client connected to a sandbox Jira the way the
// engine connects it (connectJiraClient, an HttpPool), a webhook receiver, and a forwarding proxy that can
// lose answers or rewrite them — all real HTTP on 127.0.0.1.

export type ClientAuth = 'basic' | 'pat' | 'oauth';
export const AUTH_KINDS: ClientAuth[] = ['basic', 'pat', 'oauth'];

export interface Connected {
  client: JiraClient;
  /** Refresh tokens handed to saveRefreshToken, in order. */
  saved: string[];
  waits: Wait[];
}

export interface ConnectOptions {
  /** Where the site (Basic/PAT) or api.atlassian.com (OAuth) is reached: a proxy in front of the sandbox. */
  via?: string;
  save?: (token: string) => Promise<void> | void;
  searchPageSize?: number;
  /** For OAuth: the refresh token to start from (default: the sandbox's one valid token). */
  refreshToken?: string;
}

export function connect(jira: JiraSandbox, auth: ClientAuth, o: ConnectOptions = {}): Connected {
  const c = jiraCredentials(jira.state);
  const saved: string[] = [];
  const waits: Wait[] = [];
  // A short total retry time keeps a failing test fast; the budget is high so it never slows the tests.
  const pool = new HttpPool({ retry: { maxTotalMs: 15_000 }, onWait: (w) => waits.push(w) });
  let config: JiraConfig;
  let secrets: JiraSecrets;
  if (auth === 'basic') {
    config = { auth, baseUrl: o.via ?? jira.base, email: c.email };
    secrets = { apiToken: c.apiToken };
  } else if (auth === 'pat') {
    config = { auth, baseUrl: o.via ?? jira.base };
    secrets = { personalAccessToken: c.personalAccessToken };
  } else {
    config = { auth, baseUrl: jira.base, clientId: c.oauth.clientId, tokenUrl: `${jira.base}/oauth/token`, apiUrl: o.via ?? jira.base };
    secrets = { clientSecret: c.oauth.clientSecret, refreshToken: o.refreshToken ?? c.oauth.refreshToken };
  }
  const client = connectJiraClient({
    config,
    secrets,
    pool,
    saveRefreshToken: async (t) => {
      await o.save?.(t);
      saved.push(t);
    },
    rateLimitPerMinute: 100_000,
    searchPageSize: o.searchPageSize,
    verifyDelayMs: 0,
  });
  return { client, saved, waits };
}

export interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
}

/** A webhook receiver on 127.0.0.1 that keeps the raw body of each delivery. */
export async function startReceiver(): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (b: Buffer) => chunks.push(b));
    req.on('end', () => {
      got.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jira-events`, got, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What the proxy does with one request: pass it on, cut the connection before or after Jira handled it, or rewrite the answer. */
export type ProxyAction = 'forward' | 'drop-before' | 'drop-after' | { rewrite: (body: string) => string };

/** A forwarding proxy; `decide` picks an action per request (method and path as received). */
export async function startProxy(target: string, decide: (method: string, url: string) => ProxyAction): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (b: Buffer) => chunks.push(b));
    req.on('end', () => {
      const action = decide(req.method ?? 'GET', req.url ?? '/');
      if (action === 'drop-before') {
        req.socket.destroy();
        return;
      }
      const headers = { ...req.headers, host: new URL(target).host };
      const up = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers }, (upRes) => {
        const body: Buffer[] = [];
        upRes.on('data', (b: Buffer) => body.push(b));
        upRes.on('end', () => {
          if (action === 'drop-after') {
            req.socket.destroy();
            return;
          }
          let out = Buffer.concat(body);
          const h = { ...upRes.headers };
          if (typeof action === 'object') {
            out = Buffer.from(action.rewrite(out.toString('utf8')), 'utf8');
            h['content-length'] = String(out.length);
          }
          res.writeHead(upRes.statusCode ?? 502, h).end(out);
        });
      });
      up.on('error', () => req.socket.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
