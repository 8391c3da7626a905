import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement } from 'react';
import type { FerryApi } from '../shared/api';
import { ActivityPage } from './pages/Activity';
import { ConnectionsPage } from './pages/Connections';
import { DashboardPage } from './pages/Dashboard';
import { MappingsPage } from './pages/Mappings';
import { NeedsAttentionPage } from './pages/NeedsAttention';
import { SchedulesPage } from './pages/Schedules';
import { SettingsPage } from './pages/Settings';
import { SetupPage } from './pages/Setup';
import { PROFILE_OPENED, PROFILE_RENAMED, routeHref, useRoute, type PageName } from './route';

// The shell: a navigation column and the page the address names (#/dashboard, #/activity, …). Every page
// talks to the engine only through `api` (IPC in the desktop app, HTTP in the browser host).

const nav: { page: PageName; label: string }[] = [
  { page: 'dashboard', label: 'Dashboard' },
  { page: 'activity', label: 'Activity' },
  { page: 'attention', label: 'Needs attention' },
  { page: 'mappings', label: 'Mappings' },
  { page: 'schedules', label: 'Schedules' },
  { page: 'connections', label: 'Connections' },
  { page: 'settings', label: 'Settings' },
  { page: 'setup', label: 'Setup' },
];

export function App({ api }: { api: FerryApi }) {
  const { page } = useRoute();
  const [label, setLabel] = useState<string | null>(null);
  // Bumped when Settings opens another profile: every page mounts afresh and reads the new profile.
  const [opened, setOpened] = useState(0);
  // The profile's name: read at start and again when the Setup wizard or Settings renames it or opens another.
  useEffect(() => {
    const load = () => void api.getSettings({}).then((res) => res.ok && setLabel(res.value.profileLabel ?? res.value.profile));
    const reopen = () => {
      setOpened((n) => n + 1);
      load();
    };
    load();
    window.addEventListener(PROFILE_RENAMED, load);
    window.addEventListener(PROFILE_OPENED, reopen);
    return () => {
      window.removeEventListener(PROFILE_RENAMED, load);
      window.removeEventListener(PROFILE_OPENED, reopen);
    };
  }, [api]);
  const pages: Partial<Record<PageName, ReactElement>> = {
    dashboard: <DashboardPage api={api} />,
    activity: <ActivityPage api={api} />,
    attention: <NeedsAttentionPage api={api} />,
    mappings: <MappingsPage api={api} />,
    schedules: <SchedulesPage api={api} />,
    connections: <ConnectionsPage api={api} />,
    settings: <SettingsPage api={api} />,
    setup: <SetupPage api={api} />,
  };
  return (
    // The shell's layout class sits inside the provider: Fluent copies the provider's classes onto its portal
    // nodes (dialogs, dropdown lists), which must not become full-height flex boxes.
    <FluentProvider theme={webLightTheme}>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">Ferry</div>
          {label && (
            <div className="profile-label" aria-label="Profile">
              {label}
            </div>
          )}
          {nav.map((n) => (
            <a key={n.page} href={routeHref(n.page)} aria-current={page === n.page ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <main className="content" key={opened}>
          {pages[page] ?? pages.dashboard}
        </main>
      </div>
    </FluentProvider>
  );
}
