import crypto from 'node:crypto';
import { FerryError } from '../../../shared/errors';

// Field-level sealing for secrets, on top of the database encryption, so a secret is never plaintext in a
// query result, a backup or a debug dump. Envelope: "fs1." + base64url(iv | tag | ciphertext); the version
// prefix lets the algorithm change later without guessing.
const VERSION = 'fs1.';

export function deriveSealKey(dbKey: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', dbKey, Buffer.alloc(0), 'ferry/sealed-secrets/v1', 32));
}

export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
}

export function unseal(key: Buffer, envelope: string, context: string): string {
  if (!envelope.startsWith(VERSION)) throw new FerryError('sealed_unknown', 'A stored secret is in a format this version of Ferry does not know.');
  const raw = Buffer.from(envelope.slice(VERSION.length), 'base64url');
  try {
    if (raw.length < 28) throw new Error('envelope too short');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new FerryError('sealed_corrupt', 'A stored secret could not be unlocked; enter it again in Connections.');
  }
}
