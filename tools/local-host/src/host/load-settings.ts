import { existsSync, readFileSync } from 'node:fs';
import { LocalHostError } from '../errors';

/** Reads a local.settings.json-style file (`{ "Values": {...} }`) or a flat `{ name: value }` map. */
export function readSettingsFile(file: string): Record<string, string> {
  if (!existsSync(file)) throw new LocalHostError('SETTINGS_INVALID', `settings file ${file} does not exist`, 'config');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const values = (raw['Values'] && typeof raw['Values'] === 'object' ? raw['Values'] : raw) as Record<string, unknown>;
  const bad = Object.entries(values).filter(([, v]) => typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean');
  if (bad.length) throw new LocalHostError('SETTINGS_INVALID', `settings must be strings: ${bad.map(([k]) => k).join(', ')}`, 'config');
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}
