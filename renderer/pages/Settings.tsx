import { Button, Checkbox, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Spinner, Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppSettings, AppSettingsChange, FerryApi } from '../../shared/api';
import { desktopBridge, type ShellPreferencesView } from '../../shared/desktop';
import type { JiraFlowSettings } from '../../shared/jira-settings';
import { PROFILE_RENAMED } from '../route';
import { ProfilesSection } from './SettingsProfiles';

// Settings of the open profile: profiles and data folder, network (proxy, company CA certificate), CloudSuite's
// request budget, audit retention, and the Jira posting and webhook settings. Each section saves on its own
// and shows the engine's sentence when a value cannot be used (nothing is stored then).

type Saver = (change: AppSettingsChange) => Promise<boolean>;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="settings-section" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function NetworkSection({ s, save }: { s: AppSettings; save: Saver }) {
  const [proxy, setProxy] = useState(s.network.proxyUrl ?? '');
  const [useEnv, setUseEnv] = useState(s.network.proxyUrl === null);
  const [noProxy, setNoProxy] = useState(s.network.noProxy ?? '');
  const [connect, setConnect] = useState(String(s.network.connectTimeoutSeconds));
  const [request, setRequest] = useState(String(s.network.requestTimeoutSeconds));
  const file = useRef<HTMLInputElement>(null);
  return (
    <Section title="Network">
      <Field label="Proxy">
        <Dropdown aria-label="Proxy source" value={useEnv ? 'As the computer is set up (HTTPS_PROXY)' : 'This proxy'} selectedOptions={[useEnv ? 'env' : 'own']} onOptionSelect={(_e, d) => setUseEnv(d.optionValue === 'env')}>
          <Option value="env">As the computer is set up (HTTPS_PROXY)</Option>
          <Option value="own">This proxy</Option>
        </Dropdown>
      </Field>
      {!useEnv && (
        <Field label="Proxy address (empty: no proxy at all)">
          <Input value={proxy} onChange={(_e, d) => setProxy(d.value)} placeholder="http://proxy.example.com:3128" aria-label="Proxy address" />
        </Field>
      )}
      <Field label="Addresses that bypass the proxy (comma-separated)">
        <Input value={noProxy} onChange={(_e, d) => setNoProxy(d.value)} placeholder=".corp.example.com, 10.0.0.0/8" aria-label="No proxy" />
      </Field>
      <div className="row">
        <Field label="Connect timeout (s)">
          <Input type="number" value={connect} onChange={(_e, d) => setConnect(d.value)} aria-label="Connect timeout" />
        </Field>
        <Field label="Request timeout (s)">
          <Input type="number" value={request} onChange={(_e, d) => setRequest(d.value)} aria-label="Request timeout" />
        </Field>
      </div>
      <Button
        appearance="primary"
        onClick={() =>
          void save({ network: { proxyUrl: useEnv ? null : proxy.trim(), noProxy: noProxy.trim() || null, connectTimeoutSeconds: Number(connect), requestTimeoutSeconds: Number(request) } })
        }
      >
        Save network settings
      </Button>
      <h3>Company CA certificate</h3>
      <Text>
        {s.network.caCertificate ? `In use: ${s.network.caCertificate}. ` : 'None: only the public certificate authorities are trusted. '}
        Needed when your company inspects HTTPS traffic (ask your IT for the certificate as a Base-64 / PEM file).
      </Text>
      <div className="row">
        <Button onClick={() => file.current?.click()}>Choose certificate file…</Button>
        {s.network.caCertificate && <Button onClick={() => void save({ network: { caCertificatePem: null } })}>Remove</Button>}
        <input
          ref={file}
          type="file"
          hidden
          accept=".pem,.crt,.cer"
          aria-label="CA certificate file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void f.text().then((pem) => save({ network: { caCertificatePem: pem } }));
          }}
        />
      </div>
    </Section>
  );
}

function JiraSection({ api, s, save }: { api: FerryApi; s: AppSettings; save: Saver }) {
  const [jira, setJira] = useState<JiraFlowSettings | null>(null);
  const [accrual, setAccrual] = useState('');
  const [period, setPeriod] = useState<'day' | 'week'>('week');
  const [receiver, setReceiver] = useState(s.jiraReceiverUrl ?? '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    void api.getJiraSettings({}).then((res) => {
      if (!res.ok) return;
      setJira(res.value);
      setAccrual(res.value.posting.accrualAccount ?? '');
      setPeriod(res.value.posting.period);
    });
  }, [api]);
  if (!jira) return null;
  const saveJira = async () => {
    const res = await api.setJiraSettings({ posting: { accrualAccount: accrual.trim() || null, period } });
    setMessage(res.ok ? { ok: true, text: 'Saved the Jira posting settings.' } : { ok: false, text: res.error.message });
  };
  return (
    <Section title="Jira">
      <Text>
        Labour journals: each worklog is costed to the cent (hours × rate, half a cent rounded away from zero); a journal per issue and {period} debits the PO&apos;s account
        and cost center and credits the accrual account below.
      </Text>
      <div className="row">
        <Field label="Accrual (labour clearing) account">
          <Input value={accrual} onChange={(_e, d) => setAccrual(d.value)} placeholder="215000" aria-label="Accrual account" />
        </Field>
        <Field label="One journal per">
          <Dropdown aria-label="Posting period" value={period === 'week' ? 'week (Monday–Sunday)' : 'day'} selectedOptions={[period]} onOptionSelect={(_e, d) => setPeriod(d.optionValue === 'day' ? 'day' : 'week')}>
            <Option value="week">week (Monday–Sunday)</Option>
            <Option value="day">day</Option>
          </Dropdown>
        </Field>
      </div>
      <Button appearance="primary" onClick={() => void saveJira()}>
        Save Jira posting settings
      </Button>
      {message && (
        <MessageBar intent={message.ok ? 'success' : 'error'}>
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}
      <Field label="Address Jira can reach Ferry at, for webhooks (empty: Ferry polls)">
        <Input value={receiver} onChange={(_e, d) => setReceiver(d.value)} placeholder="http://ferry-host:8799" aria-label="Webhook receiver address" />
      </Field>
      <Button onClick={() => void save({ jiraReceiverUrl: receiver.trim() || null })}>Save webhook address</Button>
    </Section>
  );
}

/** Start at login, the tray and notifications: only in the desktop app (the browser host has no such shell). */
function DesktopSection() {
  const bridge = desktopBridge();
  const [prefs, setPrefs] = useState<ShellPreferencesView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void bridge?.getPreferences().then((res) => (res.ok ? setPrefs(res.value) : setProblem(res.error.message)));
  }, [bridge]);
  if (!bridge) return null;
  const toggle = async (key: 'openAtLogin' | 'keepInTray' | 'notifications', value: boolean) => {
    const res = await bridge.setPreferences({ [key]: value });
    if (res.ok) setPrefs(res.value);
    else setProblem(res.error.message);
  };
  return (
    <Section title="This computer">
      {problem && (
        <MessageBar intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
      {prefs && (
        <>
          <Checkbox label="Start Ferry when I sign in to this computer" checked={prefs.openAtLogin} disabled={!prefs.supported.openAtLogin} onChange={(_e, d) => void toggle('openAtLogin', d.checked === true)} />
          <Checkbox label="Keep Ferry running in the tray when the window is closed (schedules keep running)" checked={prefs.keepInTray} disabled={!prefs.supported.tray} onChange={(_e, d) => void toggle('keepInTray', d.checked === true)} />
          <Checkbox label="Notify me of new failures and connection problems" checked={prefs.notifications} disabled={!prefs.supported.notifications} onChange={(_e, d) => void toggle('notifications', d.checked === true)} />
        </>
      )}
    </Section>
  );
}

export function SettingsPage({ api }: { api: FerryApi }) {
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [budget, setBudget] = useState('');
  const [retention, setRetention] = useState('');
  const [label, setLabel] = useState('');

  const load = useCallback(async () => {
    const res = await api.getSettings({});
    if (res.ok) {
      setSettings(res.value);
      setBudget(res.value.cloudSuiteRateLimitPerMinute === null ? '' : String(res.value.cloudSuiteRateLimitPerMinute));
      setRetention(String(res.value.auditRetentionDays));
      setLabel(res.value.profileLabel ?? '');
    } else setResult({ ok: false, text: res.error.message });
  }, [api]);
  useEffect(() => void load(), [load]);

  const save: Saver = async (change) => {
    const res = await api.setSettings(change);
    if (res.ok) {
      setSettings(res.value);
      setResult({ ok: true, text: 'Saved.' });
      return true;
    }
    setResult({ ok: false, text: res.error.message });
    return false;
  };

  if (!settings) return result ? <MessageBar intent="error"><MessageBarBody>{result.text}</MessageBarBody></MessageBar> : <Spinner label="Loading settings…" />;
  return (
    <section aria-label="Settings">
      <h1>Settings</h1>
      {result && (
        <MessageBar intent={result.ok ? 'success' : 'error'} className="banner">
          <MessageBarBody>{result.text}</MessageBarBody>
        </MessageBar>
      )}
      <Section title="This profile">
        <div className="row">
          <Field label="Profile name (shown in the window)">
            <Input value={label} onChange={(_e, d) => setLabel(d.value)} placeholder="Production" aria-label="Profile name" />
          </Field>
          <Button
            onClick={() =>
              void save({ profileLabel: label.trim() || null }).then((ok) => {
                if (ok) window.dispatchEvent(new Event(PROFILE_RENAMED));
              })
            }
          >
            Save name
          </Button>
        </div>
        <Text className="muted">The name people know this profile by ({settings.profile}); it is shown in the window and in the list below.</Text>
      </Section>
      <ProfilesSection api={api} s={settings} onMoved={() => void load()} />
      <NetworkSection s={settings} save={save} />
      <Section title="CloudSuite request budget">
        {settings.cloudSuiteConnected ? (
          <>
            <Field label="Requests per minute your ION API tenant allows (empty: learn it from CloudSuite's answers)">
              <Input type="number" value={budget} onChange={(_e, d) => setBudget(d.value)} aria-label="CloudSuite requests per minute" />
            </Field>
            <Button onClick={() => void save({ cloudSuiteRateLimitPerMinute: budget.trim() ? Number(budget) : null })}>Save budget</Button>
          </>
        ) : (
          <Text>Connect CloudSuite first (Connections); the budget belongs to its connection.</Text>
        )}
      </Section>
      <Section title="Audit trail">
        <Field label="Keep audit events for (days; at least 30, 2555 ≈ 7 years by default)">
          <Input type="number" value={retention} onChange={(_e, d) => setRetention(d.value)} aria-label="Audit retention days" />
        </Field>
        <Button onClick={() => void save({ auditRetentionDays: Number(retention) })}>Save retention</Button>
      </Section>
      <JiraSection api={api} s={settings} save={save} />
      <DesktopSection />
    </section>
  );
}
