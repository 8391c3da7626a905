import { z } from 'zod';
import type { JiraAccess, JiraAuthKind } from '../../auth/jira';
import type { Http } from '../../http/client';
import { JiraAdminWebhooks } from './admin-webhooks';
import { JiraIssues } from './issues';
import { JiraTransport } from './transport';
import { JiraDynamicWebhooks } from './webhooks';
import { JiraWorklogs } from './worklogs';

// Jira Cloud REST v3 (Data Center is close enough for the same calls), grouped the way flows use it.

export interface JiraClientOptions {
  /** Issues per search page; Jira loads at most 100 issues with fields per page. */
  searchPageSize?: number;
  /** How long to let Jira's search index catch up before proving a create did not happen. */
  verifyDelayMs?: number;
}

export class JiraClient {
  readonly issues: JiraIssues;
  readonly worklogs: JiraWorklogs;
  readonly webhooks: JiraDynamicWebhooks;
  readonly adminWebhooks: JiraAdminWebhooks;
  private readonly access: JiraAccess;
  private readonly transport: JiraTransport;

  constructor(http: Http, access: JiraAccess, opts: JiraClientOptions = {}) {
    const t = new JiraTransport(http, access);
    this.transport = t;
    this.access = access;
    this.issues = new JiraIssues(t, { searchPageSize: Math.max(1, Math.min(opts.searchPageSize ?? 100, 100)), verifyDelayMs: opts.verifyDelayMs ?? 5_000 });
    this.worklogs = new JiraWorklogs(t);
    this.webhooks = new JiraDynamicWebhooks(t);
    this.adminWebhooks = new JiraAdminWebhooks(t);
  }

  get authKind(): JiraAuthKind {
    return this.access.kind;
  }

  /** The account Ferry acts as: the cheapest authorized read, used by the connection test. */
  myself(): Promise<{ accountId: string; displayName: string }> {
    return this.transport.call({
      method: 'GET',
      path: '/rest/api/3/myself',
      schema: z.looseObject({ accountId: z.string(), displayName: z.string().default('') }),
      what: 'reading the signed-in account',
    });
  }

  /** The projects this account can see (first page): whether Ferry will be able to create issues at all. */
  async visibleProjects(): Promise<{ keys: string[]; more: boolean }> {
    const page = await this.transport.call({
      method: 'GET',
      path: '/rest/api/3/project/search',
      params: { maxResults: '50' },
      schema: z.looseObject({ values: z.array(z.looseObject({ key: z.string() })), isLast: z.boolean().optional() }),
      what: 'listing visible projects',
    });
    return { keys: page.values.map((p) => p.key), more: page.isLast === false };
  }

  /** The base URL REST calls go to (for OAuth this resolves the cloud id on first use). */
  baseUrl(): Promise<string> {
    return this.access.baseUrl();
  }
}
