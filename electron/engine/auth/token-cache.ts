export interface Token {
  accessToken: string;
  expiresAt: number;
  refreshToken: string | null;
}

/**
 * Caches one access token and renews it before it expires. Single flight: callers that arrive while a
 * renewal is under way wait for that one instead of starting their own (tenants count token requests too).
 */
export class TokenCache {
  private token: Token | null = null;
  private pending: Promise<Token> | null = null;
  private lifetimeMs = Infinity;

  constructor(
    private readonly fetchToken: (current: Token | null) => Promise<Token>,
    private readonly marginMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    // A tenant may issue tokens that live less than the margin; renewing at half-life then avoids fetching a
    // new token for every single request.
    const margin = Math.min(this.marginMs, this.lifetimeMs / 2);
    if (this.token && this.now() < this.token.expiresAt - margin) return this.token.accessToken;
    if (!this.pending) {
      const fetchedAt = this.now();
      this.pending = this.fetchToken(this.token).finally(() => {
        this.pending = null;
      });
      this.token = await this.pending;
      this.lifetimeMs = Math.max(0, this.token.expiresAt - fetchedAt);
      return this.token.accessToken;
    }
    return (await this.pending).accessToken;
  }

  /** Start from a refresh token kept from an earlier run: the first get() refreshes instead of signing in. */
  seed(refreshToken: string): void {
    if (!this.token) this.token = { accessToken: '', expiresAt: 0, refreshToken };
  }

  /** After a 401: the server no longer accepts the token, whatever its expiry said. */
  invalidate(): void {
    if (this.token) this.token = { ...this.token, expiresAt: 0 };
  }

  get current(): Token | null {
    return this.token;
  }
}

/** The Authorization header from a token cache, renewed once when the server answers 401. */
export function bearer(tokens: TokenCache): { header(): Promise<string>; invalidate(): void } {
  return { header: async () => `Bearer ${await tokens.get()}`, invalidate: () => tokens.invalidate() };
}
