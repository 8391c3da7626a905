import type { MenuItemConstructorOptions } from 'electron';
import { flowNames, type FlowName } from '../shared/api';
import { statusLines, type ShellStatus } from './shell-status';
import type { TrayTone } from './tray-icon';

// The tray's menu as data (Electron builds it with Menu.buildFromTemplate): the status on top, "Run now" for all
// flows or one, "Open Ferry" and "Quit Ferry".

export interface TrayActions {
  open(): void;
  runAll(): void;
  runFlow(flow: FlowName): void;
  quit(): void;
}

export function trayMenuTemplate(status: ShellStatus, actions: TrayActions, running: ReadonlySet<FlowName>, now = new Date()): MenuItemConstructorOptions[] {
  const ready = status.engine === 'ready';
  return [
    ...statusLines(status, now).map((label): MenuItemConstructorOptions => ({ label, enabled: false })),
    { type: 'separator' },
    {
      label: 'Run now',
      enabled: ready,
      submenu: [
        { label: 'All flows', enabled: running.size === 0, click: () => actions.runAll() },
        { type: 'separator' },
        ...flowNames.map((flow): MenuItemConstructorOptions => ({
          label: running.has(flow) ? `${flow} (running)` : flow,
          enabled: !running.has(flow),
          click: () => actions.runFlow(flow),
        })),
      ],
    },
    { label: 'Open Ferry', click: () => actions.open() },
    { type: 'separator' },
    { label: 'Quit Ferry', click: () => actions.quit() },
  ];
}

export function trayTone(status: ShellStatus): TrayTone {
  if (status.engine === 'failed') return 'problem';
  if (status.engine !== 'ready' || !status.snapshot) return 'busy';
  if (status.snapshot.failedRuns.length > 0) return 'problem';
  return status.snapshot.needsAttention > 0 ? 'attention' : 'ok';
}
