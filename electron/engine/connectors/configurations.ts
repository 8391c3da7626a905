import { ionTokenCache } from '../auth/ion';
import { Http } from '../http/client';
import { loadNetworkSettings, toNetwork } from '../http/network-settings';
import { makeRedactor } from '../http/redact';
import type { Profile } from '../store/profile';
import { IdoClient } from './cloudsuite/ido-client';
import type { IonapiConnection } from './cloudsuite/ionapi';

/** Asks the server which Mongoose configurations exist, so a person can pick one (or the only one is used). */
export async function listConfigurations(profile: Profile, ionapi: IonapiConnection): Promise<string[]> {
  const http = new Http({
    system: 'CloudSuite',
    ...toNetwork(loadNetworkSettings(profile.db)),
    redact: makeRedactor([ionapi.clientSecret, ionapi.serviceAccount?.secretKey, ionapi.serviceAccount?.accessKey]),
    retry: { maxAttempts: 2 },
  });
  return new IdoClient(http, ionTokenCache(http, ionapi), { idoBase: `${ionapi.apiBase}/CSI/IDORequestService/ido`, mongooseConfig: '' }).configurations();
}
