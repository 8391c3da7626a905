import crypto from 'node:crypto';
import { scaleSizes, type SandboxContext, type SandboxTenant } from '../context';
import { CF, CUSTOM_FIELDS, ISSUE_TYPES, STATUSES, TRANSITIONS } from './catalog';
import type { CustomValue, JiraIssue, JiraProject, JiraState, JiraUser, JiraWorklog, WorklogDeletion } from './model';
import { adfParagraph } from './adf';
import { formatJiraDate, offsetMinutes } from './time';

// The generated Jira site of one tenant: users spread over several time zones, one Jira project per
// CloudSuite project (SLProjs) or invented ones when there are none, issues, and months of worklogs.
// Deterministic for a seed: every draw comes from a named ctx.random stream, ids are sequential in creation
// order, and the history ends at the start of the current UTC day, so two generations on one day agree.
// Only the credentials are truly random (crypto), and they are persisted with the rest.

const DAY = 86_400_000;

/** Issues per project and mean worklogs per issue; large stays near 1,800 issues and 27,000 worklogs. */
const VOLUME = { small: { issues: 6, worklogs: 3 }, medium: { issues: 12, worklogs: 8 }, large: { issues: 6, worklogs: 15 } };

export const WORKER_ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney', 'America/Los_Angeles', 'Europe/London'];

const FIRST = ['Ava', 'Noah', 'Priya', 'Lukas', 'Mei', 'Omar', 'Sofia', 'Kenji', 'Amara', 'Diego', 'Hannah', 'Ravi', 'Chloe', 'Mateo', 'Ingrid', 'Tariq'];
const LAST = ['Martin', 'Schmidt', 'Iyer', 'Nguyen', 'Okafor', 'Rossi', 'Kowalski', 'Tanaka', 'Haddad', 'Jensen', 'Silva', 'Brennan', 'Sato', 'Mehta'];
const PROJECT_NAMES = ['Plant Expansion', 'ERP Upgrade', 'Warehouse Automation', 'Lab Refit', 'Fleet Renewal', 'Office Move', 'Solar Retrofit', 'Quality Audit'];
export const TASKS = [
  'Vendor onboarding', 'Site survey', 'Budget review', 'Equipment install', 'Safety inspection', 'Change order review',
  'Invoice reconciliation', 'Commissioning', 'Training session', 'Design sign-off', 'Permit application', 'Handover documentation',
];
const COST_CENTERS = ['CC100', 'CC200', 'CC300', 'CC410'];
const GL_ACCOUNTS = ['650300', '650100', '640100', '660100'];
export const SPENT = [1800, 3600, 5400, 7200, 10_800, 14_400, 28_800];

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const int = (rand: Rand, min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));

/** A deterministic Atlassian-style account id (712020:uuid). */
function accountId(rand: Rand): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `712020:${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const secret = (bytes: number): string => crypto.randomBytes(bytes).toString('base64url');

function makeUsers(ctx: SandboxContext, tenant: SandboxTenant): JiraUser[] {
  const rand = ctx.random('jira.users');
  const site = tenant.id.toLowerCase().replace(/[^a-z0-9]/g, '');
  // The integration user first: every credential acts as this Jira admin, who lives in UTC so that JQL
  // date literals and server dates agree.
  const users: JiraUser[] = [{ accountId: accountId(rand), displayName: 'Ferry Integration', emailAddress: `ferry.integration@${site}.example.com`, timeZone: 'UTC', active: true }];
  for (let i = 0; i < scaleSizes[ctx.scale].jiraUsers; i++) {
    const first = pick(rand, FIRST);
    const last = pick(rand, LAST);
    users.push({
      accountId: accountId(rand),
      displayName: `${first} ${last}`,
      emailAddress: `${first}.${last}.${i + 1}@${site}.example.com`.toLowerCase(),
      timeZone: WORKER_ZONES[i % WORKER_ZONES.length]!,
      active: true,
    });
  }
  return users;
}

/** A Jira key for a CloudSuite project number: upper-case letter first, letters and digits, at most 10. */
function projectKey(projNum: string, taken: Set<string>): string {
  let base = projNum.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (!/^[A-Z]/.test(base)) base = `P${base}`;
  base = base.slice(0, 10);
  if (base.length < 2) base = `${base}X`;
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base.slice(0, 10 - String(n).length)}${n}`;
  taken.add(key);
  return key;
}

interface ProjectSeed {
  project: JiraProject;
  costCenter: string;
}

function makeProjects(ctx: SandboxContext, tenant: SandboxTenant, workers: JiraUser[]): ProjectSeed[] {
  const rand = ctx.random('jira.projects');
  const taken = new Set<string>();
  const rows = tenant.ido.rows('SLProjs');
  const sources = rows.length
    ? rows.map((r) => ({ projNum: (r.ProjNum ?? '').trim(), name: (r.ProjDesc ?? '').trim(), costCenter: r.CostCenter ?? null }))
    : Array.from({ length: scaleSizes[ctx.scale].projects }, (_, i) => ({
        projNum: null,
        name: `${PROJECT_NAMES[i % PROJECT_NAMES.length]}${i >= PROJECT_NAMES.length ? ` ${Math.floor(i / PROJECT_NAMES.length) + 1}` : ''}`,
        costCenter: null,
      }));
  return sources.map((s, i) => {
    const name = s.name || s.projNum || `Project ${i + 1}`;
    const initials = name.split(/\s+/).map((w) => w[0] ?? '').join('') + (i >= PROJECT_NAMES.length ? String(Math.floor(i / PROJECT_NAMES.length) + 1) : '');
    return {
      project: {
        id: String(10000 + i),
        key: projectKey(s.projNum ?? initials, taken),
        name: name.slice(0, 80),
        description: s.projNum ? `CloudSuite project ${s.projNum}` : `${name} (sandbox)`,
        leadAccountId: pick(rand, workers).accountId,
        cloudSuiteProjNum: s.projNum,
        nextIssueNumber: 1,
      },
      costCenter: s.costCenter ?? pick(rand, COST_CENTERS),
    };
  });
}

/** Minutes east of UTC per zone and day; work happens mid-day, far from DST switches at night. */
function zoneOffsets(): (zone: string, day: number) => number {
  const cache = new Map<string, number>();
  return (zone, day) => {
    const k = `${zone}:${day}`;
    let off = cache.get(k);
    if (off === undefined) cache.set(k, (off = offsetMinutes(zone, day * DAY + DAY / 2)));
    return off;
  };
}

export function generateJira(ctx: SandboxContext, tenant: SandboxTenant): JiraState {
  // Generated history ends at midnight UTC of the world's origin, whatever the clock says now.
  const today = Math.floor(ctx.origin / DAY) * DAY;
  const volume = VOLUME[ctx.scale];
  const users = makeUsers(ctx, tenant);
  const admin = users[0]!;
  const workers = users.slice(1);
  const seeds = makeProjects(ctx, tenant, workers);

  const rand = ctx.random('jira.issues');
  const drafts: { seed: ProjectSeed; issue: Omit<JiraIssue, 'id' | 'key'> }[] = [];
  for (const seed of seeds) {
    const n = Math.floor(volume.issues / 2) + int(rand, 0, volume.issues);
    for (let i = 0; i < n; i++) {
      const epic = i === 0;
      const created = today - int(rand, 14, 120) * DAY + int(rand, 0, DAY - 1);
      const custom: Record<string, CustomValue> = {
        [CF.cloudSuitePo]: null,
        [CF.costCenter]: seed.costCenter,
        [CF.glAccount]: pick(rand, GL_ACCOUNTS),
        [CF.budget]: rand() < 0.5 ? int(rand, 5, 400) * 250 : null,
        [CF.cloudSuiteProject]: seed.project.cloudSuiteProjNum,
      };
      const summary = epic ? seed.project.name : `${pick(rand, TASKS)} – ${seed.project.name}`;
      const roll = rand();
      drafts.push({
        seed,
        issue: {
          projectId: seed.project.id,
          issueTypeId: epic ? '10000' : '10001',
          statusId: roll < 0.4 ? '10000' : roll < 0.8 ? '3' : '10001',
          summary,
          description: adfParagraph(`${summary}. Generated by the Ferry sandbox.`),
          labels: rand() < 0.3 ? [pick(rand, ['finance', 'capex', 'opex'])] : [],
          custom,
          reporterAccountId: rand() < 0.5 ? admin.accountId : pick(rand, workers).accountId,
          creatorAccountId: admin.accountId,
          assigneeAccountId: rand() < 0.8 ? pick(rand, workers).accountId : null,
          created,
          updated: created,
          properties: {},
        },
      });
    }
  }
  // Ids and keys in creation order, as Jira hands them out.
  drafts.sort((a, b) => a.issue.created - b.issue.created);
  const issues: JiraIssue[] = drafts.map(({ seed, issue }, i) => ({ id: String(10001 + i), key: `${seed.project.key}-${seed.project.nextIssueNumber++}`, ...issue }));

  const { worklogs, deleted } = makeWorklogs(ctx, issues, workers, today, volume.worklogs);
  const byId = new Map(issues.map((i) => [i.id, i]));
  for (const w of worklogs) {
    const issue = byId.get(w.issueId)!;
    issue.updated = Math.max(issue.updated, w.updated);
  }
  const lastChangeStamp = [...worklogs.map((w) => w.updated), ...deleted.map((d) => d.updatedTime)].reduce((a, b) => Math.max(a, b), 0);

  return {
    version: 1,
    cloudId: crypto.randomUUID(),
    siteName: `${tenant.id.toLowerCase().replace(/[^a-z0-9]/g, '-')}-sandbox`,
    credentials: {
      adminEmail: admin.emailAddress,
      apiToken: `ATATT3xFfGF0${secret(36)}`,
      personalAccessToken: secret(33),
      oauth: { clientId: secret(24), clientSecret: `ATOA${secret(48)}` },
    },
    oauth: { refreshToken: secret(48), accessTokens: {} },
    adminAccountId: admin.accountId,
    users,
    projects: seeds.map((s) => s.project),
    issueTypes: ISSUE_TYPES.map((t) => ({ ...t })),
    statuses: STATUSES.map((s) => ({ ...s })),
    transitions: TRANSITIONS.map((t) => ({ ...t })),
    fields: CUSTOM_FIELDS.map((f) => ({ ...f })),
    issues,
    worklogs,
    deletedWorklogs: deleted,
    dynamicWebhooks: [],
    adminWebhooks: [],
    deliveries: [],
    next: { issueId: 10001 + issues.length, worklogId: 10000 + worklogs.length + deleted.length, webhookId: 1, activity: 0 },
    lastChangeStamp,
    settings: { indexLagSeconds: 0, rateLimit: null, unavailable: null, delivery: { retries: 5, backoffMs: 1000, timeoutMs: 10_000 } },
  };
}

function makeWorklogs(ctx: SandboxContext, issues: JiraIssue[], workers: JiraUser[], today: number, mean: number): { worklogs: JiraWorklog[]; deleted: WorklogDeletion[] } {
  const rand = ctx.random('jira.worklogs');
  const offset = zoneOffsets();
  const drafts: Omit<JiraWorklog, 'id'>[] = [];
  for (const issue of issues) {
    const n = int(rand, 0, mean * 2);
    const firstDay = Math.ceil(issue.created / DAY);
    const lastDay = today / DAY - 1;
    if (firstDay > lastDay) continue;
    for (let i = 0; i < n; i++) {
      const author = issue.assigneeAccountId && rand() < 0.7 ? workers.find((u) => u.accountId === issue.assigneeAccountId)! : pick(rand, workers);
      const day = int(rand, firstDay, lastDay);
      const off = offset(author.timeZone, day);
      // A quarter-hour between 08:00 and 16:45 on the worker's own clock.
      const localMinutes = int(rand, 32, 67) * 15;
      const startedAt = day * DAY + localMinutes * 60_000 - off * 60_000;
      const spent = pick(rand, SPENT);
      const created = Math.min(startedAt + spent * 1000 + int(rand, 0, 4 * 3_600_000), today - 1);
      const updated = rand() < 0.1 ? Math.min(created + int(rand, 1, 72) * 3_600_000, today - 1) : created;
      drafts.push({
        issueId: issue.id,
        authorAccountId: author.accountId,
        updateAuthorAccountId: author.accountId,
        started: formatJiraDate(startedAt, off),
        timeSpentSeconds: spent,
        comment: rand() < 0.6 ? adfParagraph(`${pick(rand, ['Worked on', 'Followed up on', 'Reviewed'])} ${issue.summary}`) : null,
        created: created + int(rand, 0, 59_999),
        updated,
      });
    }
  }
  drafts.sort((a, b) => a.created - b.created);
  const all: JiraWorklog[] = drafts.map((w, i) => ({ id: String(10000 + i), ...w, updated: Math.max(w.updated, w.created) }));
  // Every change gets its own millisecond, so /worklog/updated's `since` cursor is exact.
  const byUpdate = [...all].sort((a, b) => a.updated - b.updated || Number(a.id) - Number(b.id));
  for (let i = 1; i < byUpdate.length; i++) byUpdate[i]!.updated = Math.max(byUpdate[i]!.updated, byUpdate[i - 1]!.updated + 1);
  // A few worklogs were deleted again: they show up only in /worklog/deleted.
  const worklogs: JiraWorklog[] = [];
  const deleted: WorklogDeletion[] = [];
  for (const w of all) {
    if (rand() < 0.02) deleted.push({ worklogId: Number(w.id), updatedTime: Math.min(w.updated + int(rand, 1, 48) * 3_600_000, today - 1) });
    else worklogs.push(w);
  }
  deleted.sort((a, b) => a.updatedTime - b.updatedTime || a.worklogId - b.worklogId);
  for (let i = 1; i < deleted.length; i++) deleted[i]!.updatedTime = Math.max(deleted[i]!.updatedTime, deleted[i - 1]!.updatedTime + 1);
  return { worklogs, deleted };
}
