import type { SandboxContext } from '../context';
import { Deliveries } from './deliveries';
import { publish, type JiraEvent } from './events';
import type { JiraState } from './model';
import { RateLimiter } from './rate-limit';
import { JiraStore } from './store';

// What a JiraState needs while the sandbox runs but must not persist: indexes, in-flight deliveries, rate
// windows, and where the listener is. Kept beside the state (a WeakMap), so the exported functions that take
// only the state — setJiraRateLimit, flushJiraDeliveries — reach the same objects as the routes.

export interface JiraRuntime {
  store: JiraStore;
  deliveries: Deliveries;
  limiter: RateLimiter;
  /** Base URL for links in webhook payloads: the listener's address once it listens. */
  baseUrl: () => string;
  emit(ev: JiraEvent): void;
}

const runtimes = new WeakMap<JiraState, JiraRuntime>();

export function runtimeFor(state: JiraState, ctx: SandboxContext): JiraRuntime {
  let rt = runtimes.get(state);
  if (!rt) {
    const store = new JiraStore(state, ctx);
    const deliveries = new Deliveries(store);
    const created: JiraRuntime = {
      store,
      deliveries,
      limiter: new RateLimiter(),
      baseUrl: () => 'http://127.0.0.1',
      emit: (ev) => publish(store, deliveries, created.baseUrl(), ev),
    };
    rt = created;
    runtimes.set(state, rt);
  }
  return rt;
}

export function existingRuntime(state: JiraState): JiraRuntime | undefined {
  return runtimes.get(state);
}
