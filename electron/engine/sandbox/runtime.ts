import type { SandboxTenant } from './context';
import type { JaggaerState } from './jaggaer/index';
import type { JiraState } from './jira/index';
import type { TenantConfig } from './tenants';

/** A tenant while the sandbox runs: its ION config, its CloudSuite rows, and the JAGGAER and Jira paired with it. */
export interface TenantRuntime extends SandboxTenant {
  config: TenantConfig;
  jaggaer: JaggaerState;
  jira: JiraState;
}
