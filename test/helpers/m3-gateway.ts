import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { Clock, createContext } from '../../electron/engine/sandbox/context';
import { applyGateway } from '../../electron/engine/sandbox/gateway';
import { IdoTables } from '../../electron/engine/sandbox/ido-tables';
import { TokenRegistry } from '../../electron/engine/sandbox/ion';
import { registerM3 } from '../../electron/engine/sandbox/m3';
import { generateWorld } from '../../electron/engine/sandbox/seed';
import { newTenantConfig } from '../../electron/engine/sandbox/tenants';
import { TEST_ORIGIN } from './origin';

/** The real ION gateway with only the M3 programs behind it, on a small generated world (127.0.0.1) starting at TEST_ORIGIN. */
export async function startM3Gateway(): Promise<{ ido: IdoTables; clock: Clock; base: string; token: string; close(): Promise<void> }> {
  const clock = Clock.startingAt(TEST_ORIGIN.getTime());
  const ctx = createContext({ seed: 1, scale: 'small', origin: TEST_ORIGIN.getTime(), clock });
  const ido = new IdoTables(generateWorld({ seed: 1, scale: 'small', origin: TEST_ORIGIN }), {}, clock, () => undefined);
  const config = newTenantConfig('FERRY_TST', 3600, 0);
  const tokens = new TokenRegistry(clock);
  const app = Fastify({ logger: false });
  applyGateway(app, (id) => (id === config.id ? config : undefined), tokens, clock);
  registerM3(app, (id) => (id === config.id ? { config, ido } : undefined), ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    ido,
    clock,
    base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/FERRY_TST/M3/m3api-rest/v2/execute`,
    token: String(tokens.issue(config, config.apps[0]!).access_token),
    close: () => app.close(),
  };
}

export interface M3Result {
  transaction: string;
  records: Record<string, string>[];
  errorMessage?: string;
  errorType?: string;
  errorField?: string;
  errorCode?: string;
}
export interface M3Envelope {
  results: M3Result[];
  wasTerminated: boolean;
  nrOfSuccessfullTransactions: number;
  nrOfFailedTransactions: number;
  /** A request stopped as a whole (HTTP 400) carries its error here. */
  errorMessage?: string;
  errorType?: string;
  errorField?: string;
}

/** One GET of m3api-rest: `path` is PROGRAM/TRANSACTION with any matrix parameters. */
export async function m3Get(g: { base: string; token: string }, path: string, params: Record<string, string> = {}): Promise<{ status: number; body: M3Envelope }> {
  const qs = new URLSearchParams(params).toString();
  const res = await fetch(`${g.base}/${path}${qs ? `?${qs}` : ''}`, { headers: { authorization: `Bearer ${g.token}` } });
  return { status: res.status, body: (await res.json()) as M3Envelope };
}
