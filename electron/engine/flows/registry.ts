import type { FlowName } from '../../../shared/api';
import type { FlowModule } from '../sync/runner';
import { invoiceToCloudSuite } from './invoice-to-cloudsuite';
import { invoiceToJaggaer } from './invoice-to-jaggaer';
import { poToJaggaer } from './po-to-jaggaer';
import { supplierSync } from './supplier-sync';

// Every flow by name. Settings (page size, overlap) come from the profile's settings once the scheduler
// and settings screens use them; the modules hold today's defaults.
export const flowModules: Record<FlowName, FlowModule<never>> = {
  'po-to-jaggaer': poToJaggaer as FlowModule<never>,
  'invoice-to-cloudsuite': invoiceToCloudSuite as FlowModule<never>,
  'invoice-to-jaggaer': invoiceToJaggaer as FlowModule<never>,
  'supplier-sync': supplierSync as FlowModule<never>,
};
