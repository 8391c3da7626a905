import { z } from 'zod';
import type { Db } from '../store/db';
import { getSetting, setSetting } from '../store/settings';
import type { NetworkSettings } from './network';

// The network part of a profile's settings: how this workstation reaches the outside.

export const NetworkSettingsSchema = z.object({
  /** null = use HTTPS_PROXY / HTTP_PROXY from the environment (the default); '' = never use a proxy. */
  proxyUrl: z
    .string()
    .refine((v) => v === '' || /^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(v), 'use an address like http://proxy.example.com:3128')
    .nullable()
    .default(null),
  /** null = NO_PROXY from the environment. */
  noProxy: z.string().max(2000).nullable().default(null),
  caFile: z.string().max(1000).nullable().default(null),
  connectTimeoutSeconds: z.number().int().min(1).max(300).default(15),
  requestTimeoutSeconds: z.number().int().min(5).max(600).default(60),
  /** Tries per request before a record waits in the failures queue (which retries again later by itself). */
  maxAttempts: z.number().int().min(1).max(10).default(6),
});
export type StoredNetworkSettings = z.infer<typeof NetworkSettingsSchema>;

const KEY = 'network';
const defaults = NetworkSettingsSchema.parse({});

export function loadNetworkSettings(db: Db): StoredNetworkSettings {
  return getSetting(db, KEY, NetworkSettingsSchema, defaults);
}

export function saveNetworkSettings(db: Db, change: Partial<StoredNetworkSettings>): StoredNetworkSettings {
  return setSetting(db, KEY, NetworkSettingsSchema, NetworkSettingsSchema.parse({ ...loadNetworkSettings(db), ...change }));
}

/** What the HTTP layer takes: undefined fields fall back to the environment. */
export function toNetwork(s: StoredNetworkSettings): { network: NetworkSettings; requestTimeoutMs: number; retry: { maxAttempts: number } } {
  return {
    retry: { maxAttempts: s.maxAttempts },
    network: {
      ...(s.proxyUrl === null ? {} : { proxyUrl: s.proxyUrl === '' ? null : s.proxyUrl }),
      ...(s.noProxy === null ? {} : { noProxy: s.noProxy }),
      caFile: s.caFile,
      connectTimeoutMs: s.connectTimeoutSeconds * 1000,
    },
    requestTimeoutMs: s.requestTimeoutSeconds * 1000,
  };
}
