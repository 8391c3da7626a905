import fs from 'node:fs';
import path from 'node:path';
import type { AppSettings, AppSettingsChange } from '../../shared/api';
import { FerryError } from '../../shared/errors';
import { loadNetworkSettings, saveNetworkSettings } from './http/network-settings';
import { connectionConfig, loadConnection, saveConnection } from './store/connections';
import { auditRetentionDays, setAuditRetentionDays } from './store/audit-retention';
import type { Profile } from './store/profile';
import { getSetting, setSetting } from './store/settings';
import { listProfiles, rememberLabel } from './profiles';
import { setWebhookSettings, webhookSettings } from './store/webhooks';
import { z } from 'zod';

// The Settings screen's view of a profile: where its data lives, which other profiles exist, how this
// workstation reaches the outside (proxy, corporate CA), CloudSuite's request budget, and how long the audit
// trail is kept. One read and one validated change; each part is stored by the module that owns it.

const MAX_CA_BYTES = 1024 * 1024;
const LABEL_KEY = 'profile.label';
const Label = z.string().min(1).max(60).nullable();

export function getAppSettings(profile: Profile, dataDir: string, dataDirLocked: string | null = null): AppSettings {
  const net = loadNetworkSettings(profile.db);
  const cloudsuite = connectionConfig(profile.db, 'cloudsuite')?.config as { rateLimitPerMinute?: number | null } | undefined;
  const label = getSetting(profile.db, LABEL_KEY, Label, null);
  const listed = listProfiles(dataDir);
  const profiles = listed.some((p) => p.name === profile.name) ? listed.map((p) => (p.name === profile.name ? { ...p, label } : p)) : [...listed, { name: profile.name, label }];
  const hooks = webhookSettings(profile.db);
  return {
    profile: profile.name,
    profileLabel: label,
    profiles,
    dataDir,
    dataDirLocked,
    network: {
      proxyUrl: net.proxyUrl,
      noProxy: net.noProxy,
      caCertificate: net.caFile ? path.basename(net.caFile) : null,
      connectTimeoutSeconds: net.connectTimeoutSeconds,
      requestTimeoutSeconds: net.requestTimeoutSeconds,
    },
    cloudSuiteRateLimitPerMinute: cloudsuite ? (cloudsuite.rateLimitPerMinute ?? null) : null,
    cloudSuiteConnected: cloudsuite !== undefined,
    auditRetentionDays: auditRetentionDays(profile.db),
    jiraReceiverUrl: hooks.receiverUrl,
  };
}

export function setAppSettings(profile: Profile, dataDir: string, change: AppSettingsChange, dataDirLocked: string | null = null): AppSettings {
  const db = profile.db;
  if (change.profileLabel !== undefined) {
    setSetting(db, LABEL_KEY, Label, change.profileLabel);
    rememberLabel(dataDir, profile.name, change.profileLabel);
  }
  if (change.network) {
    const { caCertificatePem, ...rest } = change.network;
    const next: Parameters<typeof saveNetworkSettings>[1] = { ...rest };
    if (caCertificatePem !== undefined) {
      if (caCertificatePem === null) next.caFile = null;
      else {
        if (Buffer.byteLength(caCertificatePem) > MAX_CA_BYTES) throw new FerryError('invalid_input', 'This certificate file is far too large to be a CA certificate (over 1 MB).');
        if (!caCertificatePem.includes('-----BEGIN CERTIFICATE-----')) {
          throw new FerryError('invalid_input', "This file holds no PEM certificate: export your company's CA certificate as Base-64 (PEM, -----BEGIN CERTIFICATE-----) and choose it again.");
        }
        // Kept beside the profile's database, readable by this user only.
        const file = path.join(profile.dir, 'ca-certificates.pem');
        fs.writeFileSync(file, caCertificatePem, { mode: 0o600 });
        next.caFile = file;
      }
    }
    try {
      saveNetworkSettings(db, next);
    } catch (err) {
      throw new FerryError('invalid_input', `The network settings are not valid: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`);
    }
  }
  if (change.cloudSuiteRateLimitPerMinute !== undefined) {
    const stored = loadConnection(db, profile.sealKey, 'cloudsuite');
    if (!stored) throw new FerryError('not_connected', 'Connect CloudSuite first (Connections); its request budget belongs to the connection.');
    saveConnection(db, profile.sealKey, 'cloudsuite', { ...(stored.config as object), rateLimitPerMinute: change.cloudSuiteRateLimitPerMinute }, stored.secrets);
  }
  if (change.auditRetentionDays !== undefined) setAuditRetentionDays(db, change.auditRetentionDays);
  if (change.jiraReceiverUrl !== undefined) setWebhookSettings(db, { receiverUrl: change.jiraReceiverUrl });
  return getAppSettings(profile, dataDir, dataDirLocked);
}
