import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Row } from './ido-filter';
import { seedWorld } from './seed';

// The sandbox's world, kept as one JSON file under <data-dir>/sandbox/ so a demo continues where it left off.
// It is the simulated systems' data, not Ferry's: Ferry's own state lives only in its encrypted database.

export interface JaggaerPoRecord {
  documentId: string;
  poNumber: string;
  status: 'Approved' | 'Cancelled';
  version: number;
  supplierNumber: string;
  totalAmount: string;
  lineCount: number;
  receivedAt: string;
  updatedAt: string;
}

export interface SandboxState {
  version: 1;
  seed: number;
  createdAt: string;
  ion: {
    tenant: string;
    clientId: string;
    clientSecret: string;
    serviceAccountAccessKey: string;
    serviceAccountSecretKey: string;
    environment: string;
    mongooseConfigs: string[];
  };
  jaggaer: { clientId: string; clientSecret: string; identity: string; sharedSecret: string; nextDocumentId: number };
  ido: Record<string, Row[]>;
  jaggaerPos: Record<string, JaggaerPoRecord>;
}

const randomText = (bytes: number): string => crypto.randomBytes(bytes).toString('base64url');

export function newState(seed: number, poCount: number, now: Date): SandboxState {
  const tenant = 'FERRY_TST';
  return {
    version: 1,
    seed,
    createdAt: now.toISOString(),
    ion: {
      tenant,
      clientId: `${tenant}~${randomText(24)}`,
      clientSecret: randomText(48),
      serviceAccountAccessKey: `${tenant}#${randomText(48)}`,
      serviceAccountSecretKey: randomText(48),
      environment: 'U100000001',
      mongooseConfigs: ['CSI_DEMO'],
    },
    jaggaer: { clientId: 'ferry-integration', clientSecret: randomText(32), identity: 'FERRYDEMO', sharedSecret: randomText(24), nextDocumentId: 2600101 },
    ido: seedWorld(seed, poCount, now),
    jaggaerPos: {},
  };
}

export class StateStore {
  constructor(
    readonly file: string,
    public state: SandboxState,
  ) {}

  static open(dir: string, opts: { seed: number; poCount: number; now?: Date }): StateStore {
    const file = path.join(dir, 'state.json');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (fs.existsSync(file)) {
      const state = JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxState;
      if (state.version === 1) return new StateStore(file, state);
    }
    const store = new StateStore(file, newState(opts.seed, opts.poCount, opts.now ?? new Date()));
    store.save();
    return store;
  }

  /** Write-then-rename, so a sandbox killed mid-save never leaves half a world behind. */
  save(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.state, null, 1), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
