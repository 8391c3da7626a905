import path from 'node:path';
import pino from 'pino';
import { logDir } from './paths';

export type Logger = pino.Logger;

// Structured log for the IT person, one file per data folder. Known secret-bearing keys are censored here as
// a second line of defence; connectors never log secret values in the first place.
const redactPaths = [
  'password', 'secret', 'clientSecret', 'client_secret', 'sharedSecret', 'accessToken', 'access_token',
  'refreshToken', 'refresh_token', 'authorization', 'token',
  '*.password', '*.secret', '*.clientSecret', '*.client_secret', '*.sharedSecret', '*.accessToken',
  '*.access_token', '*.refreshToken', '*.refresh_token', '*.authorization', '*.token', 'headers.authorization',
];

export function createLogger(dataDir: string | null, level = process.env.FERRY_LOG_LEVEL ?? 'info'): Logger {
  if (!dataDir) return pino({ level: 'silent' });
  const destination = pino.destination({ dest: path.join(logDir(dataDir), 'ferry.log'), mkdir: true, sync: true });
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { pid: process.pid } }, destination);
}

export function logFile(dataDir: string): string {
  return path.join(logDir(dataDir), 'ferry.log');
}
