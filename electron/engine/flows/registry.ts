import type { FlowName } from '../../../shared/api';
import { connectCloudSuite, connectJaggaer } from '../connectors/connect';
import type { FlowBody } from '../sync/runner';
import { runPoToJaggaer } from './po-to-jaggaer';

// Each flow: how to connect what it needs, then the flow itself. Settings come from the profile's
// settings table once the scheduler issue adds them; these are the defaults.
export const flowBodies: Record<FlowName, FlowBody> = {
  'po-to-jaggaer': async (ctx, pool, profile) => {
    const cloudsuite = connectCloudSuite(profile, pool);
    const jaggaer = connectJaggaer(profile, pool);
    await runPoToJaggaer(ctx, {
      cloudsuite: cloudsuite.adapter,
      jaggaer: jaggaer.po,
      overlapMs: 5 * 60_000,
      pageSize: 100,
      defaultCurrency: 'USD',
    });
  },
};
