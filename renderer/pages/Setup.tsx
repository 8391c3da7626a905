import { Button, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Radio, RadioGroup, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { ConnectionDiagnosis, FerryApi, IonapiSummary, ReferenceRefreshResult, RunSummary, Status } from '../../shared/api';
import { navigate, PROFILE_RENAMED } from '../route';
import { DiagnosisView } from './DiagnosisView';

// The first-run wizard: CloudSuite from the .ionapi file (or the sandbox's sample data), the product and
// configuration, JAGGAER and Jira credentials (masked; afterwards only "set" — they are never shown again),
// the step-by-step connection test, the first reference-data load, and the first sync.

const steps = ['Profile', 'CloudSuite', 'Product', 'JAGGAER and Jira', 'Test', 'Reference data', 'First sync'] as const;
type Step = (typeof steps)[number];
const MAX_FILE_BYTES = 256 * 1024;

function StepList({ current }: { current: Step }) {
  return (
    <ol className="wizard-steps" aria-label="Setup steps">
      {steps.map((s) => (
        <li key={s} aria-current={s === current ? 'step' : undefined} className={s === current ? 'current' : ''}>
          {s}
        </li>
      ))}
    </ol>
  );
}

function Problem({ text }: { text: string | null }) {
  return text ? (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  ) : null;
}

function ProfileStep({ api, onDone }: { api: FerryApi; onDone: () => void }) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void api.getSettings({}).then((res) => res.ok && setName(res.value.profileLabel ?? ''));
  }, [api]);
  const save = async () => {
    const res = await api.setSettings({ profileLabel: name });
    if (res.ok) {
      window.dispatchEvent(new Event(PROFILE_RENAMED));
      onDone();
    }
    else setProblem(res.error.message);
  };
  return (
    <>
      <h2>Name this profile</h2>
      <Text>A profile is one CloudSuite tenant with its JAGGAER and Jira — for example Production or Test. The name shows at the top of the window.</Text>
      <Field label="Profile name">
        <Input value={name} onChange={(_e, d) => setName(d.value)} placeholder="Production" aria-label="Profile name" />
      </Field>
      <Problem text={problem} />
      <Button appearance="primary" onClick={() => void save()} disabled={!name.trim()}>
        Continue
      </Button>
    </>
  );
}

function CloudSuiteStep({ api, onImported, onSample }: { api: FerryApi; onImported: (content: string, s: IonapiSummary) => void; onSample: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const take = async (file: File | undefined) => {
    if (!file) return;
    setProblem(null);
    if (file.size > MAX_FILE_BYTES) return setProblem(`This file is ${Math.round(file.size / 1024)} KB, far too large to be an .ionapi file (about 1 KB).`);
    const content = await file.text();
    const res = await api.importIonapi({ fileName: file.name, content });
    if (res.ok) onImported(content, res.value);
    else setProblem(res.error.message);
  };
  const sample = async () => {
    setBusy(true);
    const res = await api.startSampleData({});
    setBusy(false);
    if (res.ok) onSample();
    else setProblem(res.error.message);
  };
  return (
    <>
      <h2>Connect CloudSuite</h2>
      <Text>Your Infor admin downloads the .ionapi file from ION API → Authorized Apps (a “Backend Service” app with a service account).</Text>
      <div
        className="dropzone"
        data-testid="wizard-dropzone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e: DragEvent) => {
          e.preventDefault();
          void take(e.dataTransfer.files[0]);
        }}
      >
        <p>Drop the .ionapi file here</p>
        <Button onClick={() => input.current?.click()}>Choose file…</Button>
        <input ref={input} type="file" hidden accept=".ionapi,application/json" aria-label="Wizard .ionapi file" onChange={(e) => void take(e.target.files?.[0])} />
      </div>
      <Problem text={problem} />
      <Text>No credentials yet?</Text>{' '}
      <Button onClick={() => void sample()} disabled={busy}>
        {busy ? 'Starting the sample systems…' : 'Try with sample data'}
      </Button>
    </>
  );
}

function ProductStep({ api, content, summary, onSaved }: { api: FerryApi; content: string; summary: IonapiSummary; onSaved: () => void }) {
  const [product, setProduct] = useState<'industrial' | 'm3'>('industrial');
  const [configs, setConfigs] = useState<string[] | null>(null);
  const [config, setConfig] = useState('');
  const [company, setCompany] = useState('100');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (product !== 'industrial' || configs) return;
    void api.cloudSuiteConfigurations({}).then((res) => {
      if (res.ok) {
        setConfigs(res.value.configurations);
        if (res.value.configurations.length === 1) setConfig(res.value.configurations[0]!);
      } else setProblem(`Ferry could not ask CloudSuite for its configurations: ${res.error.message}`);
    });
  }, [api, product, configs]);
  const save = async () => {
    const res = await api.importIonapi(
      product === 'industrial' ? { fileName: 'ionapi', content, product, mongooseConfig: config } : { fileName: 'ionapi', content, product, company: Number(company) },
    );
    if (res.ok) onSaved();
    else setProblem(res.error.message);
  };
  return (
    <>
      <h2>Which CloudSuite?</h2>
      <dl className="facts">
        <dt>Tenant</dt>
        <dd>{summary.tenant}</dd>
        <dt>Region</dt>
        <dd>{new URL(summary.apiBase).hostname}</dd>
        <dt>Sign-in</dt>
        <dd>{summary.grantType === 'password' ? 'service account (Backend Service)' : 'client credentials'}</dd>
      </dl>
      <RadioGroup value={product} onChange={(_e, d) => setProduct(d.value as 'industrial' | 'm3')} aria-label="CloudSuite product">
        <Radio value="industrial" label="CloudSuite Industrial (SyteLine)" />
        <Radio value="m3" label="CloudSuite M3" />
      </RadioGroup>
      {product === 'industrial' ? (
        configs === null && !problem ? (
          <Spinner size="tiny" label="Asking CloudSuite for its configurations…" />
        ) : (
          <Field label="Mongoose configuration">
            <Dropdown aria-label="Mongoose configuration" value={config} selectedOptions={config ? [config] : []} onOptionSelect={(_e, d) => setConfig(d.optionValue ?? '')}>
              {(configs ?? []).map((c) => (
                <Option key={c} value={c}>
                  {c}
                </Option>
              ))}
            </Dropdown>
          </Field>
        )
      ) : (
        <Field label="M3 company (CONO)">
          <Input value={company} onChange={(_e, d) => setCompany(d.value)} aria-label="M3 company" />
        </Field>
      )}
      <Problem text={problem} />
      <Button appearance="primary" onClick={() => void save()} disabled={product === 'industrial' && !config}>
        Continue
      </Button>
    </>
  );
}

function CredentialsStep({ api, status, onDone }: { api: FerryApi; status: Status | null; onDone: () => void }) {
  const set = (system: 'jaggaer' | 'jira') => status?.connections.find((c) => c.system === system)?.configured ?? false;
  const [jag, setJag] = useState({ baseUrl: '', clientId: '', identity: '', clientSecret: '', sharedSecret: '' });
  const [jira, setJira] = useState({ baseUrl: '', email: '', apiToken: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const save = async () => {
    setProblem(null);
    if (jag.baseUrl || jag.clientSecret) {
      const res = await api.connectJaggaer(jag);
      if (!res.ok) return setProblem(`JAGGAER: ${res.error.message}`);
    }
    if (jira.baseUrl || jira.apiToken) {
      const res = await api.connectJira({ auth: 'basic', ...jira });
      if (!res.ok) return setProblem(`Jira: ${res.error.message}`);
    }
    onDone();
  };
  const field = (label: string, value: string, onChange: (v: string) => void, secret = false) => (
    <Field label={label}>
      <Input type={secret ? 'password' : 'text'} value={value} onChange={(_e, d) => onChange(d.value)} aria-label={label} autoComplete="off" />
    </Field>
  );
  return (
    <>
      <h2>JAGGAER and Jira</h2>
      <Text>Secrets are stored encrypted and are never shown again: afterwards this page only says whether they are set. Leave a system empty to set it up later.</Text>
      <h3>JAGGAER {set('jaggaer') && <span className="muted">(set — fill in to replace)</span>}</h3>
      <div className="row">
        {field('JAGGAER address', jag.baseUrl, (v) => setJag({ ...jag, baseUrl: v }))}
        {field('JAGGAER client id', jag.clientId, (v) => setJag({ ...jag, clientId: v }))}
        {field('JAGGAER identity', jag.identity, (v) => setJag({ ...jag, identity: v }))}
      </div>
      <div className="row">
        {field('JAGGAER client secret', jag.clientSecret, (v) => setJag({ ...jag, clientSecret: v }), true)}
        {field('JAGGAER PO import shared secret', jag.sharedSecret, (v) => setJag({ ...jag, sharedSecret: v }), true)}
      </div>
      <h3>Jira {set('jira') && <span className="muted">(set — fill in to replace)</span>}</h3>
      <div className="row">
        {field('Jira address', jira.baseUrl, (v) => setJira({ ...jira, baseUrl: v }))}
        {field('Jira email', jira.email, (v) => setJira({ ...jira, email: v }))}
        {field('Jira API token', jira.apiToken, (v) => setJira({ ...jira, apiToken: v }), true)}
      </div>
      <Problem text={problem} />
      <Button appearance="primary" onClick={() => void save()}>
        Save and continue
      </Button>
    </>
  );
}

function TestStep({ api, onDone }: { api: FerryApi; onDone: () => void }) {
  const [result, setResult] = useState<ConnectionDiagnosis[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const test = async () => {
    setBusy(true);
    const res = await api.testConnections({});
    setBusy(false);
    if (res.ok) setResult(res.value.connections);
    else setProblem(res.error.message);
  };
  const cloudsuiteOk = result?.find((d) => d.system === 'cloudsuite')?.ok ?? false;
  return (
    <>
      <h2>Test the connections</h2>
      <Button appearance="primary" onClick={() => void test()} disabled={busy}>
        {busy ? 'Testing…' : 'Test connection'}
      </Button>
      <Problem text={problem} />
      {result && <DiagnosisView result={result} />}
      {result && (
        <Button onClick={onDone} disabled={!cloudsuiteOk}>
          {cloudsuiteOk ? 'Continue' : 'CloudSuite must work before Ferry can continue'}
        </Button>
      )}
    </>
  );
}

function ReferenceStep({ api, onDone }: { api: FerryApi; onDone: () => void }) {
  const [result, setResult] = useState<ReferenceRefreshResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void api.refreshReference({}).then((res) => (res.ok ? setResult(res.value) : setProblem(res.error.message)));
  }, [api]);
  return (
    <>
      <h2>Reading CloudSuite&apos;s reference data</h2>
      <Text>Vendors, GL accounts, cost centers and projects: every mapping and posting is checked against them (and each posting date against CloudSuite's fiscal periods) before anything is written.</Text>
      {!result && !problem && <Spinner label="Reading the lists from CloudSuite…" />}
      <Problem text={problem} />
      {result && (
        <>
          <dl className="facts" aria-label="Reference data">
            {Object.entries(result.counts).map(([kind, n]) => (
              <div key={kind} className="fact">
                <dt>{kind}</dt>
                <dd>{(n ?? 0).toLocaleString()}</dd>
              </div>
            ))}
          </dl>
          {result.failed.map((f) => (
            <Problem key={f.kind} text={`${f.kind}: ${f.message}`} />
          ))}
          <Button appearance="primary" onClick={onDone}>
            Continue
          </Button>
        </>
      )}
    </>
  );
}

function FirstSyncStep({ api }: { api: FerryApi }) {
  const [run, setRun] = useState<RunSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const go = async () => {
    setBusy(true);
    const res = await api.runFlowNow({ flow: 'po-to-jaggaer' });
    setBusy(false);
    if (res.ok) setRun(res.value);
    else setProblem(res.error.message);
  };
  return (
    <>
      <h2>The first sync</h2>
      <Text>Ferry sends CloudSuite&apos;s ordered purchase orders to JAGGAER as approved POs. Planned ones wait until they are ordered.</Text>
      {!run && (
        <Button appearance="primary" onClick={() => void go()} disabled={busy}>
          {busy ? 'Sending purchase orders…' : 'Run the first sync'}
        </Button>
      )}
      {busy && <Spinner size="tiny" />}
      <Problem text={problem} />
      {run && (
        <>
          <MessageBar intent={run.outcome === 'failed' ? 'error' : 'success'}>
            <MessageBarBody>
              {run.outcome === 'failed' ? `It could not run: ${run.error}` : `${run.counts.created.toLocaleString()} purchase orders sent to JAGGAER, ${run.counts.failed.toLocaleString()} waiting in Needs attention.`}
            </MessageBarBody>
          </MessageBar>
          <Button appearance="primary" onClick={() => navigate('dashboard')}>
            Open the dashboard
          </Button>
        </>
      )}
    </>
  );
}

export function SetupPage({ api }: { api: FerryApi }) {
  const [step, setStep] = useState<Step>('Profile');
  const [imported, setImported] = useState<{ content: string; summary: IonapiSummary } | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => {
    void api.status({}).then((res) => res.ok && setStatus(res.value));
  }, [api, step]);
  return (
    <section aria-label="Setup">
      <h1>Set up Ferry</h1>
      <StepList current={step} />
      {step === 'Profile' && <ProfileStep api={api} onDone={() => setStep('CloudSuite')} />}
      {step === 'CloudSuite' && (
        <CloudSuiteStep
          api={api}
          onImported={(content, summary) => {
            setImported({ content, summary });
            setStep('Product');
          }}
          onSample={() => setStep('Test')}
        />
      )}
      {step === 'Product' && imported && <ProductStep api={api} content={imported.content} summary={imported.summary} onSaved={() => setStep('JAGGAER and Jira')} />}
      {step === 'JAGGAER and Jira' && <CredentialsStep api={api} status={status} onDone={() => setStep('Test')} />}
      {step === 'Test' && <TestStep api={api} onDone={() => setStep('Reference data')} />}
      {step === 'Reference data' && <ReferenceStep api={api} onDone={() => setStep('First sync')} />}
      {step === 'First sync' && <FirstSyncStep api={api} />}
    </section>
  );
}
