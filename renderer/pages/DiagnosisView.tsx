import type { ConnectionDiagnosis } from '../../shared/api';

// The step-by-step result of "Test connection", per system: what was checked, how it went, and what to do
// about a failed step. Shown on Connections and in the Setup wizard.

export const systemName = { cloudsuite: 'Infor CloudSuite', jaggaer: 'JAGGAER', jira: 'Jira' } as const;
const stepName = { dns: 'Name lookup', connect: 'Connection', tls: 'Certificate', 'sign-in': 'Sign-in', permission: 'Permission', product: 'Product check', contract: 'Names Ferry uses' } as const;

export function DiagnosisView({ result }: { result: ConnectionDiagnosis[] }) {
  return (
    <div className="diagnosis" aria-label="Connection test">
      {result.map((d) => (
        <section key={d.system}>
          <h3>
            {systemName[d.system]}: {!d.configured ? 'not set up' : d.ok ? 'working' : 'needs attention'}
          </h3>
          <ol>
            {d.steps.map((s) => (
              <li key={s.step} className={`step-${s.status}`}>
                <strong>{stepName[s.step]}</strong> — {s.detail}
                {s.fix && <div className="fix">What to do: {s.fix}</div>}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
