import type { Http } from '../http/client';
import { requestToken } from './oauth';
import { TokenCache } from './token-cache';

export const KEYCLOAK_TOKEN_PATH = '/auth/realms/J1p-integrations/protocol/openid-connect/token';

/**
 * JAGGAER One (J1P) REST: Keycloak client-credentials tokens, cached and renewed before expiry. `tokenPath`
 * is the customer's when JAGGAER gave them another realm.
 */
export function jaggaerTokenCache(http: Http, cfg: { baseUrl: string; clientId: string; clientSecret: string; tokenPath?: string }): TokenCache {
  const url = cfg.baseUrl.replace(/\/+$/, '') + (cfg.tokenPath ?? KEYCLOAK_TOKEN_PATH);
  return new TokenCache(() =>
    requestToken(
      http,
      url,
      { grant_type: 'client_credentials', client_id: cfg.clientId, client_secret: cfg.clientSecret },
      'Check the JAGGAER client id and secret in Connections with your JAGGAER administrator.',
    ),
  );
}
