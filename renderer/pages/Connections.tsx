import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { ConnectionDiagnosis, FerryApi, IonapiSummary, Status } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { DiagnosisView, systemName } from './DiagnosisView';
import { JiraWebhooks } from './JiraWebhooks';

const MAX_FILE_BYTES = 256 * 1024;

export function ConnectionsPage({ api }: { api: FerryApi }) {
  const [status, setStatus] = useState<Status | null>(null);
  const [result, setResult] = useState<{ fileName: string; summary: IonapiSummary } | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [dragging, setDragging] = useState(false);
  const [diagnosis, setDiagnosis] = useState<ConnectionDiagnosis[] | null>(null);
  const [testing, setTesting] = useState(false);

  const testAll = async () => {
    setTesting(true);
    const res = await api.testConnections({});
    setTesting(false);
    if (res.ok) setDiagnosis(res.value.connections);
    else setError(res.error);
  };
  const input = useRef<HTMLInputElement>(null);

  const loadStatus = useCallback(async () => {
    const res = await api.status({});
    if (res.ok) setStatus(res.value);
  }, [api]);

  useEffect(() => void loadStatus(), [loadStatus]);

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setResult(null);
    setError(null);
    if (file.size > MAX_FILE_BYTES) {
      setError({ code: 'ionapi_invalid', message: `This file is ${Math.round(file.size / 1024)} KB, far too large to be an .ionapi file (about 1 KB).` });
      return;
    }
    const res = await api.importIonapi({ fileName: file.name, content: await file.text() });
    if (res.ok) {
      setResult({ fileName: file.name, summary: res.value });
      await loadStatus();
    } else setError(res.error);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void importFile(e.dataTransfer.files[0]);
  };

  return (
    <section>
      <header className="page-header">
        <h1>Connections</h1>
      </header>
      {status && (
        <ul className="connections">
          {status.connections.map((c) => (
            <li key={c.system}>
              <strong>{systemName[c.system]}</strong>
              <span>{c.configured ? c.label : 'Not set up yet'}</span>
              <span className="muted">Secrets: {c.secrets}</span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={testAll} disabled={testing}>
        {testing ? 'Testing connections…' : 'Test connections'}
      </button>
      {diagnosis && <DiagnosisView result={diagnosis} />}
      <JiraWebhooks api={api} />
      <h2>CloudSuite: import your .ionapi file</h2>
      <p className="muted">Your Infor admin downloads it from ION API → Authorized Apps (a "Backend Service" app with a service account).</p>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        data-testid="ionapi-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop the .ionapi file here</p>
        <button type="button" onClick={() => input.current?.click()}>
          Choose file…
        </button>
        <input ref={input} type="file" accept=".ionapi,application/json" hidden onChange={(e) => void importFile(e.target.files?.[0])} aria-label=".ionapi file" />
      </div>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {result && (
        <div className="notice" role="status">
          <p>
            Imported <strong>{result.fileName}</strong>.
          </p>
          <dl className="facts">
            <dt>Tenant</dt>
            <dd>{result.summary.tenant}</dd>
            <dt>App name</dt>
            <dd>{result.summary.appName}</dd>
            <dt>Kind</dt>
            <dd>{result.summary.kind === 'backend-service' ? 'Backend Service (service account)' : 'Backend (client credentials)'}</dd>
            <dt>Token URL</dt>
            <dd>{result.summary.tokenUrl}</dd>
            <dt>API base</dt>
            <dd>{result.summary.apiBase}</dd>
            <dt>Secrets</dt>
            <dd>
              client secret {result.summary.secretsPresent.clientSecret ? 'set' : 'missing'}
              {result.summary.grantType === 'password' &&
                `, service account ${result.summary.secretsPresent.serviceAccountAccessKey && result.summary.secretsPresent.serviceAccountSecretKey ? 'set' : 'missing'}`}
            </dd>
          </dl>
        </div>
      )}
    </section>
  );
}
