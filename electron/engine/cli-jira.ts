import type { Command } from 'commander';
import { ExitError, json, out, positiveInt, readInputFile, withEngine, type Globals } from './cli-support';
import { previewJiraSelection } from './flows/jira-selection-preview';
import { jiraFlowSettings, setJiraFlowSettings, type JiraFlowSettings, type JiraFlowSettingsPatch } from './mapping/jira-settings';

// `ferry jira …`: the settings of the Jira flows (po-to-jira, worklog-to-gl). Exit codes as everywhere:
// 0 done, 1 could not run, 2 bad input (a settings file that is not JSON or holds a value that cannot be used;
// nothing is stored then).

/** A settings file is a few hundred bytes; anything near this is not one. */
const MAX_SETTINGS_BYTES = 256 * 1024;

const shownValue = (v: unknown): string => (v === null ? '(none)' : Array.isArray(v) ? (v.length === 0 ? '(any)' : v.join(', ')) : String(v));

function settingsLines(s: JiraFlowSettings): string {
  const lines = ['Jira flow settings:'];
  for (const [section, values] of Object.entries(s) as [keyof JiraFlowSettings, Record<string, unknown>][]) {
    lines.push(`  ${section}`);
    const entries = Object.entries(values);
    if (section === 'statusNotes' && entries.length === 0) lines.push('    (no notes)');
    for (const [name, value] of entries) lines.push(`    ${section === 'statusNotes' ? JSON.stringify(name) : name}: ${shownValue(value)}`);
  }
  return lines.join('\n');
}

function readPatch(file: string): unknown {
  const text = readInputFile(file, MAX_SETTINGS_BYTES, (size) => `${file} is ${Math.round(size / 1024)} KB, far more than a settings file; check that it is the right file.`);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new ExitError(2, `${file} is not valid JSON (${(err as Error).message}); nothing was changed.`);
  }
}

export function registerJiraCommands(program: Command, globals: () => Globals): void {
  // Other `ferry jira …` commands may hang on the same parent, whichever registers first.
  const jira = program.commands.find((c) => c.name() === 'jira') ?? program.command('jira').description('the Jira flows (po-to-jira, worklog-to-gl, jira-webhooks)');

  jira
    .command('settings')
    .description('show the Jira flow settings; with --set, change them from a JSON file first (only the settings it names)')
    .option('--set <file>', 'a JSON file with the settings to change, e.g. { "posting": { "accrualAccount": "210500" } }')
    .option('--json', 'print the settings as one JSON object')
    .action(async (o: { set?: string; json?: boolean }) => {
      const patch = o.set === undefined ? undefined : readPatch(o.set);
      await withEngine(globals(), async (engine) => {
        const db = engine.profile.db;
        // A bad value throws FerryError('invalid_input'): exit 2 with its sentence, nothing stored.
        const settings = patch === undefined ? jiraFlowSettings(db) : setJiraFlowSettings(db, patch as JiraFlowSettingsPatch);
        if (o.json) return json(settings);
        if (patch !== undefined) out(`Saved the settings from ${o.set}.`);
        out(settingsLines(settings));
      });
    });

  jira
    .command('preview')
    .description("which POs po-to-jira's selection rule picks (read from CloudSuite, nothing is written)")
    .option('--days <n>', 'POs changed in the last N days (default 90)', positiveInt(3660), 90)
    .option('--limit <n>', 'list at most N selected POs (default 50)', positiveInt(5000), 50)
    .option('--json', 'print the preview as one JSON object')
    .action(async (o: { days: number; limit: number; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const p = await previewJiraSelection(engine.profile, { days: o.days, limit: o.limit }, engine.clock());
        if (o.json) return json(p);
        out(`${p.read} POs changed since ${p.since.slice(0, 10)}: ${p.selected} selected for Jira${p.unmapped ? ` (${p.unmapped} with no Jira project mapped: they would wait in the failures queue)` : ''}.`);
        for (const [reason, n] of Object.entries(p.leftOut).sort((a, b) => b[1] - a[1])) out(`  left out ${n}: ${reason}`);
        for (const s of p.sample) {
          out(`  ${s.po}  project ${s.project ?? '-'}  type ${s.type ?? '-'}  ${s.status}  → ${s.jiraProject ? `${s.jiraProject} / ${s.issueType}` : 'no Jira project'}${s.jiraKey ? `  (already ${s.jiraKey})` : ''}`);
        }
        if (p.selected > p.sample.length) out(`  … and ${p.selected - p.sample.length} more`);
      });
    });
}
