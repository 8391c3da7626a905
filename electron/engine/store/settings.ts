import type { z } from 'zod';
import type { Db } from './db';

// Profile settings as validated JSON values, one row per key. Readers pass the schema, so a value written by
// an older version (or edited by hand) falls back to the default instead of breaking a run.

export function getSetting<T>(db: Db, key: string, schema: z.ZodType<T>, fallback: T): T {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export function setSetting<T>(db: Db, key: string, schema: z.ZodType<T>, value: T): T {
  const valid = schema.parse(value);
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(valid));
  return valid;
}
