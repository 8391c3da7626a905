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

  constructor(
    private readonly fetchToken: (current: Token | null) => Promise<Token>,
    private readonly marginMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.token && this.now() < this.token.expiresAt - this.marginMs) return this.token.accessToken;
    if (!this.pending) {
      this.pending = this.fetchToken(this.token).finally(() => {
        this.pending = null;
      });
      this.token = await this.pending;
      return this.token.accessToken;
    }
    return (await this.pending).accessToken;
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
