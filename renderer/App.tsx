import { useEffect, useState } from 'react';
import type { FerryApi } from '../shared/api';
import { ActivityPage } from './pages/Activity';
import { ConnectionsPage } from './pages/Connections';

type Page = 'activity' | 'connections';

const pageFromHash = (): Page => (window.location.hash === '#/connections' ? 'connections' : 'activity');

export function App({ api }: { api: FerryApi }) {
  const [page, setPage] = useState<Page>(pageFromHash);

  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Ferry</div>
        <a href="#/activity" aria-current={page === 'activity' ? 'page' : undefined}>
          Activity
        </a>
        <a href="#/connections" aria-current={page === 'connections' ? 'page' : undefined}>
          Connections
        </a>
      </nav>
      <main className="content">{page === 'activity' ? <ActivityPage api={api} /> : <ConnectionsPage api={api} />}</main>
    </div>
  );
}
