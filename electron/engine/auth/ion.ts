import { FerryError } from '../../../shared/errors';
import type { Http } from '../http/client';
import type { IonapiConnection } from '../connectors/cloudsuite/ionapi';
import { requestToken } from './oauth';
import { TokenCache, type Token } from './token-cache';

const FIX = 'Ask your Infor admin whether the authorized app or its service account was changed, and import a fresh .ionapi file.';

/**
 * ION API gateway tokens from an .ionapi file: password grant with the service account (Backend Service
 * files) or client credentials (newer files); refresh_token when the app issues one, falling back to a new
 * grant when the refresh is refused.
 */
/** Where a refresh token ION issued is kept between runs (sealed in the connection), and revoked from. */
export interface RefreshTokenStore {
  refreshToken: string | null;
  save(refreshToken: string | null): void;
}

export function ionTokenCache(http: Http, c: IonapiConnection, marginMs = 60_000, store?: RefreshTokenStore): TokenCache {
  const client = { client_id: c.clientId, client_secret: c.clientSecret };
  const freshGrant = (): Promise<Token> => {
    if (c.grantType === 'client_credentials') {
      return requestToken(http, c.tokenUrl, { grant_type: 'client_credentials', ...client }, FIX);
    }
    if (!c.serviceAccount) throw new FerryError('ionapi_invalid', `This connection has no service account. ${FIX}`);
    return requestToken(
      http,
      c.tokenUrl,
      { grant_type: 'password', username: c.serviceAccount.accessKey, password: c.serviceAccount.secretKey, ...client },
      FIX,
    );
  };
  const keep = (token: Token): Token => {
    if (store && token.refreshToken !== store.refreshToken) {
      store.save(token.refreshToken);
      store.refreshToken = token.refreshToken;
    }
    return token;
  };
  const cache = new TokenCache(async (current) => {
    if (current?.refreshToken) {
      try {
        return keep(await requestToken(http, c.tokenUrl, { grant_type: 'refresh_token', refresh_token: current.refreshToken, ...client }, FIX));
      } catch (err) {
        if (!(err instanceof FerryError) || err.code !== 'auth_refused') throw err;
      }
    }
    return keep(await freshGrant());
  }, marginMs);
  if (store?.refreshToken) cache.seed(store.refreshToken);
  return cache;
}
