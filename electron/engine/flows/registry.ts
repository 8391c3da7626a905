import type { FlowName } from '../../../shared/api';
import { connectionConfig } from '../store/connections';
import type { Profile } from '../store/profile';
import type { FlowModule } from '../sync/runner';
import { jiraFlowSettings } from '../mapping/jira-settings';
import { invoiceToCloudSuite } from './invoice-to-cloudsuite';
import { invoiceToJaggaer } from './invoice-to-jaggaer';
import { jiraWebhooks } from './jira-webhooks';
import { poToJaggaer } from './po-to-jaggaer';
import { poToJira } from './po-to-jira';
import { supplierSync } from './supplier-sync';
import { worklogToGl } from './worklog-to-gl';

// Every flow by name. Settings (page size, overlap) come from the profile's settings once the scheduler
// and settings screens use them; the modules hold today's defaults.
export const flowModules: Record<FlowName, FlowModule<never>> = {
  'po-to-jaggaer': poToJaggaer as FlowModule<never>,
  'invoice-to-cloudsuite': invoiceToCloudSuite as FlowModule<never>,
  'invoice-to-jaggaer': invoiceToJaggaer as FlowModule<never>,
  'supplier-sync': supplierSync as FlowModule<never>,
  'po-to-jira': poToJira as FlowModule<never>,
  'worklog-to-gl': worklogToGl as FlowModule<never>,
  'jira-webhooks': jiraWebhooks as FlowModule<never>,
};

const JIRA_FLOWS: readonly FlowName[] = ['po-to-jira', 'worklog-to-gl', 'jira-webhooks'];

/**
 * Why a flow is not set up in this profile yet, or null when it is. "Run every flow" (ferry sync --once)
 * leaves such a flow out with this sentence instead of failing: a team that does not use Jira is not in error.
 */
export function flowNotReady(profile: Profile, flow: FlowName): string | null {
  if (!JIRA_FLOWS.includes(flow)) return null;
  if (!connectionConfig(profile.db, 'jira')) return 'Jira is not connected in this profile (Connections → Jira).';
  if (flow === 'worklog-to-gl' && !jiraFlowSettings(profile.db).posting.accrualAccount) {
    return 'no accrual (labour clearing) account is set for labour journals (ferry jira settings).';
  }
  return null;
}
