import type { z } from 'zod';
import { FerryError } from '../../../../shared/errors';
import { changedWorklogs, pageOfWorklogs, worklogList } from './schemas';
import type { JiraTransport } from './transport';
import type { JiraWorklog, WorklogChangePage } from './types';

// Worklogs. Time sync polls the change feeds (/worklog/updated, /worklog/deleted: oldest first, 1,000 a
// page, and the last minute left out — the caller overlaps its cursor), then loads details by id in chunks
// Jira accepts (at most 1,000 ids per /worklog/list).

export const WORKLOG_LIST_MAX = 1000;
const ISSUE_PAGE = 1000;

function toWorklog(w: z.infer<typeof worklogList>[number]): JiraWorklog {
  return {
    id: w.id,
    issueId: w.issueId,
    authorAccountId: w.author.accountId,
    authorName: w.author.displayName ?? null,
    started: w.started,
    timeSpentSeconds: w.timeSpentSeconds,
    created: w.created ?? null,
    updated: w.updated,
    comment: w.comment ?? null,
  };
}

/** The `since` of the next page: from nextPage's query when present (that is Jira's word), else `until`. */
function nextSince(nextPage: string | undefined, until: number): number {
  if (nextPage) {
    try {
      const since = new URL(nextPage).searchParams.get('since');
      if (since && /^\d+$/.test(since)) return Number(since);
    } catch {
      // not a URL: fall back to `until`
    }
  }
  return until;
}

export class JiraWorklogs {
  constructor(private readonly t: JiraTransport) {}

  /** One page of the change feed after `since` (epoch ms). */
  async changesPage(kind: 'updated' | 'deleted', since: number): Promise<WorklogChangePage> {
    const page = await this.t.call({
      method: 'GET',
      path: `/rest/api/3/worklog/${kind}`,
      params: { since: String(Math.max(0, Math.floor(since))) },
      schema: changedWorklogs,
      what: kind === 'updated' ? 'listing changed worklogs' : 'listing deleted worklogs',
    });
    return {
      changes: page.values.map((v) => ({ worklogId: v.worklogId, updatedTime: v.updatedTime })),
      since: page.since,
      until: page.until,
      lastPage: page.lastPage,
      nextSince: page.lastPage ? null : nextSince(page.nextPage, page.until),
    };
  }

  /** Every page of the feed after `since`; the flow records each page, then moves its cursor to `until`. */
  async *changes(kind: 'updated' | 'deleted', since: number): AsyncGenerator<WorklogChangePage> {
    let from = since;
    for (;;) {
      const page = await this.changesPage(kind, from);
      yield page;
      if (page.nextSince === null) return;
      if (page.nextSince <= from) throw new FerryError('jira_paging', `Jira's list of ${kind} worklogs did not move past ${from}; Ferry stopped rather than loop.`);
      from = page.nextSince;
    }
  }

  /** Worklog details by id, in chunks of at most 1,000; unknown and deleted ids are simply absent. */
  async byIds(ids: readonly (string | number)[]): Promise<JiraWorklog[]> {
    const numbers = [...new Set(ids.map(String))].map((id) => {
      if (!/^\d+$/.test(id)) throw new FerryError('invalid_input', `"${id}" is not a Jira worklog id.`);
      return Number(id);
    });
    const out: JiraWorklog[] = [];
    for (let i = 0; i < numbers.length; i += WORKLOG_LIST_MAX) {
      const chunk = numbers.slice(i, i + WORKLOG_LIST_MAX);
      // A read, though a POST: safe to repeat.
      const list = await this.t.call({ method: 'POST', path: '/rest/api/3/worklog/list', body: { ids: chunk }, schema: worklogList, what: `loading ${chunk.length} worklogs`, idempotent: true });
      out.push(...list.map(toWorklog));
    }
    return out;
  }

  /** All worklogs of one issue, optionally only those started in [startedAfter, startedBefore] (epoch ms). */
  async ofIssue(idOrKey: string, opts: { startedAfter?: number; startedBefore?: number; pageSize?: number } = {}): Promise<JiraWorklog[]> {
    const out: JiraWorklog[] = [];
    const pageSize = opts.pageSize ?? ISSUE_PAGE;
    for (let startAt = 0; ; ) {
      const params: Record<string, string> = { startAt: String(startAt), maxResults: String(pageSize) };
      if (opts.startedAfter !== undefined) params.startedAfter = String(opts.startedAfter);
      if (opts.startedBefore !== undefined) params.startedBefore = String(opts.startedBefore);
      const page = await this.t.call({ method: 'GET', path: `/rest/api/3/issue/${encodeURIComponent(idOrKey)}/worklog`, params, schema: pageOfWorklogs, what: `loading the worklogs of ${idOrKey}` });
      out.push(...page.worklogs.map(toWorklog));
      startAt += page.worklogs.length;
      if (page.worklogs.length === 0 || startAt >= page.total) return out;
    }
  }
}
