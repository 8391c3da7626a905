import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { FailureInfo, RunSummary, Status } from '../../shared/api';
import { flowNames } from '../../shared/api';
import { ShellPreferencesPatch } from '../../shared/desktop';
import { buildCsp, rendererCsp, rendererCspHeader, rendererCspMeta } from '../../electron/csp';
import { isAllowedExternalLink } from '../../electron/external-links';
import { isAllowedRendererRequest, isRendererFile, isRendererPage } from '../../electron/renderer-urls';
import { notificationsFor, snapshotOf, statusLines } from '../../electron/shell-status';
import { trayIconPng } from '../../electron/tray-icon';
import { trayMenuTemplate, trayTone } from '../../electron/tray-menu';
import { restoreWindowState } from '../../electron/window-state';
import { repoRoot } from '../helpers/cli';

// The desktop shell's rules that run under plain Node: which links leave the app, the CSP, which requests
// the window may make, what the tray says and when Ferry notifies, the tray icon, where the window reopens,
// and the fuses in the packaging config.

describe('external links', () => {
  it.each([
    'https://id.atlassian.com/manage-profile/security/api-tokens',
    'https://acme.atlassian.net/browse/FIN-12',
    'https://docs.infor.com/inforos/2024.x/en-us/useradminlib/default.html',
    'https://support.atlassian.com/jira-software-cloud/',
    'HTTPS://ACME.ATLASSIAN.NET/',
  ])('opens %s', (url) => expect(isAllowedExternalLink(url)).toBe(true));

  it.each([
    'http://acme.atlassian.net/', // not https
    'https://atlassian.net/', // the bare domain is not a site
    'https://evilatlassian.net/',
    'https://acme.atlassian.net.evil.com/',
    'https://user:pw@acme.atlassian.net/',
    'https://acme.atlassian.net:8443/',
    'https://docs.infor.com.evil.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
    'https://example.com/',
  ])('refuses %s', (url) => expect(isAllowedExternalLink(url)).toBe(false));
});

describe('content security policy', () => {
  it('allows only Ferry’s own scripts and nothing from elsewhere', () => {
    expect(rendererCsp['default-src']).toEqual(["'none'"]);
    expect(rendererCsp['script-src']).toEqual(["'self'"]);
    expect(rendererCspHeader).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(rendererCspHeader).toContain("frame-ancestors 'none'");
    expect(rendererCspHeader).toContain("object-src 'none'");
  });

  it('leaves header-only directives out of the meta tag, which is otherwise the same policy', () => {
    expect(rendererCspMeta).toMatch(/^<meta http-equiv="Content-Security-Policy" content="[^"]+" \/>$/);
    expect(rendererCspMeta).not.toContain('frame-ancestors');
    const content = /content="([^"]+)"/.exec(rendererCspMeta)![1]!;
    expect(`${content}; frame-ancestors 'none'`).toBe(rendererCspHeader);
  });

  it('refuses directive names and sources that would break the policy apart', () => {
    expect(buildCsp({ 'img-src': ["'self'", 'data:'] })).toBe("img-src 'self' data:");
    expect(() => buildCsp({ 'img-src': ["'self'; script-src *"] })).toThrow(/not a CSP source/);
    expect(() => buildCsp({ 'img src': ["'self'"] })).toThrow(/not a CSP directive/);
  });

  it('is the policy renderer/index.html carries, when it carries one', () => {
    const html = fs.readFileSync(path.join(repoRoot, 'renderer/index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy"[^>]*>/.exec(html);
    if (meta) expect(meta[0]).toBe(rendererCspMeta);
  });
});

describe('the window’s own addresses', () => {
  const dir = path.resolve('/opt/Ferry/resources/app.asar/dist/renderer');
  const index = `file://${dir}/index.html`;

  it('knows its page with any route, and nothing else', () => {
    expect(isRendererPage(`${index}#/attention?flow=po-to-jaggaer`, index)).toBe(true);
    expect(isRendererPage(`${index}?x=1`, index)).toBe(true);
    expect(isRendererPage('file:///tmp/index.html', index)).toBe(false);
    expect(isRendererPage('https://acme.atlassian.net/', index)).toBe(false);
  });

  it('lets the window load its own files and in-memory data, never the network or other files', () => {
    expect(isRendererFile(`file://${dir}/assets/index-abc.js`, dir)).toBe(true);
    expect(isAllowedRendererRequest(`file://${dir}/index.html`, dir)).toBe(true);
    expect(isAllowedRendererRequest('data:image/png;base64,AAAA', dir)).toBe(true);
    expect(isAllowedRendererRequest(`file://${dir}/../../../../etc/passwd`, dir)).toBe(false);
    expect(isAllowedRendererRequest(`file://${dir}-evil/x.js`, dir)).toBe(false);
    expect(isAllowedRendererRequest('file:///etc/passwd', dir)).toBe(false);
    expect(isAllowedRendererRequest('https://acme.atlassian.net/rest/api/3/myself', dir)).toBe(false);
    expect(isAllowedRendererRequest('http://127.0.0.1:8080/api/status', dir)).toBe(false);
    expect(isAllowedRendererRequest('ws://127.0.0.1:9229/', dir)).toBe(false);
  });
});

const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
const run = (flow: RunSummary['flow'], startedAt: string, outcome: RunSummary['outcome'], runId = `${flow}-${startedAt}`, error: string | null = null): RunSummary => ({
  runId,
  flow,
  startedAt,
  finishedAt: startedAt,
  outcome,
  counts,
  requests: 1,
  waitedMs: 0,
  error,
});
const status = (runs: RunSummary[]): Status => ({
  profile: 'default',
  version: '0.1.0',
  connections: [],
  flows: flowNames.map((flow) => ({ flow, lastRun: runs.find((r) => r.flow === flow) ?? null })),
});
const failure = (id: number, state: FailureInfo['state']): FailureInfo => ({
  id,
  flow: 'po-to-jaggaer',
  recordType: 'po',
  sourceKey: `PO${id}`,
  code: 'unmapped',
  reason: 'no supplier mapping',
  attempts: 1,
  state,
  nextAttemptAt: null,
  replayOf: null,
  resolution: null,
  createdAt: '2026-11-21T10:00:00Z',
  updatedAt: '2026-11-21T10:00:00Z',
  payload: null,
});

describe('tray status and notifications', () => {
  const now = new Date('2026-11-21T15:00:00');
  const base = snapshotOf(status([run('po-to-jaggaer', '2026-11-21T14:00:00', 'ok'), run('supplier-sync', '2026-11-21T14:30:00', 'partial')]), [failure(1, 'open'), failure(2, 'retrying')], 1000);

  it('says how the newest run went and what waits', () => {
    expect(base.lastRun?.flow).toBe('supplier-sync');
    expect(statusLines({ engine: 'ready', engineMessage: null, snapshot: base }, now)).toEqual([
      expect.stringMatching(/^Last run: supplier-sync at .*, done, some records failed$/),
      '1 record needs attention',
      '1 record waiting to be retried',
    ]);
    expect(statusLines({ engine: 'restarting', engineMessage: null, snapshot: base }, now)).toEqual(['Ferry’s sync engine is restarting…']);
    expect(statusLines({ engine: 'failed', engineMessage: 'The key is wrong.', snapshot: null }, now)[0]).toContain('The key is wrong.');
  });

  it('notifies nothing on the first look, then only what got worse', () => {
    expect(notificationsFor(null, base)).toEqual([]);
    expect(notificationsFor(base, base)).toEqual([]);
    const more = snapshotOf(status([run('po-to-jaggaer', '2026-11-21T14:00:00', 'ok')]), [failure(1, 'open'), failure(3, 'open'), failure(4, 'open')], 1000);
    expect(notificationsFor(base, more)).toEqual([{ kind: 'failures', title: '2 records need attention', body: '3 records wait in Needs attention with the reason and what to fix.' }]);
    // Fewer records waiting (someone replayed them) is not news.
    expect(notificationsFor(more, base)).toEqual([]);
  });

  it('notifies once per run that could not run at all', () => {
    const broken = snapshotOf(status([run('po-to-jaggaer', '2026-11-21T14:45:00', 'failed', 'r9', 'CloudSuite did not answer (connection refused).')]), [], 1000);
    expect(notificationsFor(base, broken)).toEqual([{ kind: 'connection', title: 'po-to-jaggaer could not run', body: 'CloudSuite did not answer (connection refused).', runId: 'r9' }]);
    expect(notificationsFor(broken, broken)).toEqual([]);
    expect(trayTone({ engine: 'ready', engineMessage: null, snapshot: broken })).toBe('problem');
    expect(trayTone({ engine: 'ready', engineMessage: null, snapshot: base })).toBe('attention');
    expect(trayTone({ engine: 'starting', engineMessage: null, snapshot: null })).toBe('busy');
  });

  it('offers Run now for all flows and each one, only while the engine answers', () => {
    const actions = { open: () => undefined, runAll: () => undefined, runFlow: () => undefined, quit: () => undefined };
    const menu = trayMenuTemplate({ engine: 'ready', engineMessage: null, snapshot: base }, actions, new Set(['supplier-sync']), now);
    const runNow = menu.find((m) => m.label === 'Run now')!;
    expect(runNow.enabled).toBe(true);
    const items = runNow.submenu as { label?: string; enabled?: boolean }[];
    expect(items[0]).toMatchObject({ label: 'All flows', enabled: false });
    expect(items.find((i) => i.label === 'supplier-sync (running)')?.enabled).toBe(false);
    expect(items.find((i) => i.label === 'po-to-jaggaer')?.enabled).toBe(true);
    expect(menu.map((m) => m.label)).toEqual(expect.arrayContaining(['Open Ferry', 'Quit Ferry']));
    const down = trayMenuTemplate({ engine: 'restarting', engineMessage: null, snapshot: base }, actions, new Set(), now);
    expect(down.find((m) => m.label === 'Run now')?.enabled).toBe(false);
  });
});

describe('tray icon', () => {
  it('is a valid RGBA PNG: a coloured disc, transparent corners', () => {
    const png = trayIconPng('attention', 32);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(32);
    expect(png.readUInt32BE(20)).toBe(32);
    const idatLen = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    const raw = zlib.inflateSync(png.subarray(41, 41 + idatLen));
    const px = (x: number, y: number) => [...raw.subarray(y * 129 + 1 + x * 4, y * 129 + 1 + x * 4 + 4)];
    expect(px(0, 0)[3]).toBe(0);
    expect(px(16, 2)).toEqual([0xd9, 0x8e, 0x04, 255]);
    expect(trayIconPng('ok')).not.toEqual(trayIconPng('problem'));
  });
});

describe('window state', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1040 }];

  it('reopens where it was when that is on a screen', () => {
    expect(restoreWindowState({ x: 100, y: 80, width: 1300, height: 900, maximized: true }, screens)).toEqual({ x: 100, y: 80, width: 1300, height: 900, maximized: true });
  });

  it('keeps the size but centres the window when its place is off every screen (a monitor was unplugged)', () => {
    expect(restoreWindowState({ x: 2500, y: 100, width: 1300, height: 900, maximized: false }, screens)).toEqual({ width: 1300, height: 900, maximized: false });
    expect(restoreWindowState({ x: 100, y: -600, width: 1300, height: 900, maximized: false }, screens)).toEqual({ width: 1300, height: 900, maximized: false });
  });

  it('fits a window bigger than the screen, and falls back to the default for nonsense', () => {
    expect(restoreWindowState({ x: 0, y: 0, width: 4000, height: 3000, maximized: false }, screens)).toEqual({ x: 0, y: 0, width: 1920, height: 1040, maximized: false });
    expect(restoreWindowState({ width: 'wide' }, screens)).toEqual({ width: 1200, height: 800, maximized: false });
    expect(restoreWindowState(undefined, screens)).toEqual({ width: 1200, height: 800, maximized: false });
  });
});

describe('shell preferences', () => {
  it('accepts a change to some of them and refuses anything else', () => {
    expect(ShellPreferencesPatch.parse({ keepInTray: false })).toEqual({ keepInTray: false });
    expect(ShellPreferencesPatch.safeParse({ keepInTray: 'yes' }).success).toBe(false);
    expect(ShellPreferencesPatch.safeParse({ autoUpdate: true }).success).toBe(false);
  });
});

describe('packaging fuses', () => {
  it('turns off running as Node, NODE_OPTIONS and --inspect, and turns on cookie encryption and asar-only loading with integrity checks', () => {
    const config = parse(fs.readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> };
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('ships the engine host beside main and preload', () => {
    const build = fs.readFileSync(path.join(repoRoot, 'scripts/build-electron.mjs'), 'utf8');
    expect(build).toContain("outfile: 'dist/electron/engine-host.cjs'");
    expect(fs.readFileSync(path.join(repoRoot, 'electron/main.ts'), 'utf8')).toContain("'engine-host.cjs'");
  });
});
