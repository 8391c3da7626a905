import type { ConnectionSystem } from '../../../shared/api';
import { Http } from '../http/client';
import { loadNetworkSettings, toNetwork } from '../http/network-settings';
import { makeRedactor } from '../http/redact';
import { loadConnection, removeConnection } from '../store/connections';
import type { Profile } from '../store/profile';

// Removing a connection revokes what Ferry can revoke and says plainly what only a person can.

export interface Removal {
  removed: boolean;
  revoked: string;
}

export async function removeConnectionRevoking(profile: Profile, system: ConnectionSystem): Promise<Removal> {
  const stored = loadConnection(profile.db, profile.sealKey, system);
  if (!stored) return { removed: false, revoked: 'There was no such connection.' };
  let revoked: string;
  if (system === 'cloudsuite') {
    const secrets = stored.secrets as { clientSecret?: string; ionRefreshToken?: string };
    const revokeUrl = (stored.config as { ionapi?: { revokeUrl?: string | null; clientId?: string } }).ionapi;
    if (secrets.ionRefreshToken && revokeUrl?.revokeUrl) {
      const http = new Http({ system: 'CloudSuite', ...toNetwork(loadNetworkSettings(profile.db)), redact: makeRedactor(Object.values(secrets)), retry: { maxAttempts: 3 } });
      try {
        await http.send({
          method: 'POST',
          url: revokeUrl.revokeUrl,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          data: new URLSearchParams({ token: secrets.ionRefreshToken, token_type_hint: 'refresh_token', client_id: revokeUrl.clientId ?? '', client_secret: secrets.clientSecret ?? '' }).toString(),
          idempotent: true,
          what: 'revoking the refresh token',
        });
        revoked = 'The ION refresh token Ferry kept was revoked, which ends its sign-in grant.';
      } catch (err) {
        revoked = `Revoking the ION refresh token failed (${(err as Error).message}); it stops working when it expires, or your Infor admin can revoke the app's grants.`;
      }
    } else {
      revoked = 'ION issued no refresh token for Ferry to keep, so there was nothing to revoke; sign-ins were never stored.';
    }
  } else if (system === 'jaggaer') {
    revoked = 'JAGGAER tokens are short-lived and never stored, so there was nothing to revoke; to stop the client entirely, ask your JAGGAER administrator to disable it.';
  } else {
    const auth = (stored.config as { auth?: string }).auth;
    revoked =
      auth === 'oauth'
        ? 'Atlassian offers no way for an app to revoke its own grant: remove Ferry under "Connected apps" in your Atlassian account.'
        : auth === 'pat'
          ? 'Revoke the personal access token in your Jira profile (Personal access tokens) if it should stop working.'
          : 'Revoke the API token at id.atlassian.com → Security → API tokens if it should stop working.';
  }
  removeConnection(profile.db, system);
  return { removed: true, revoked };
}
