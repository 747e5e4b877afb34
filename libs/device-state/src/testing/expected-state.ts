import type { Telemetry } from '../telemetry';

type Field = 'battery' | 'flightMode' | 'position' | 'health';
const FIELDS: Field[] = ['battery', 'flightMode', 'position', 'health'];

export interface ExpectedDevice {
  deviceId: string;
  lastEventTime: string;
  battery?: number;
  flightMode?: number;
  position?: Telemetry['position'];
  health?: Telemetry['health'];
}

function canonical(value: unknown): string {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('latitude' in v) return `${v['latitude']}|${v['longitude']}|${v['altitude']}`;
    return `${+!!v['gyrometerOK']}${+!!v['accelerometerOK']}${+!!v['magnetometerOK']}`;
  }
  return String(value);
}

/**
 * An independent model of the merge rule, written differently from the library (sort, then take
 * the last) so that tests compare two implementations: for each device and field, the value of
 * the newest event that carried it, ties broken by the value's canonical form.
 */
export function expectedStates(events: Telemetry[]): Map<string, ExpectedDevice> {
  const byDevice = new Map<string, Telemetry[]>();
  for (const e of events) byDevice.set(e.deviceId, [...(byDevice.get(e.deviceId) ?? []), e]);
  const out = new Map<string, ExpectedDevice>();
  for (const [deviceId, list] of byDevice) {
    const times = list.map((e) => Date.parse(e.timestamp));
    const device: ExpectedDevice = { deviceId, lastEventTime: new Date(Math.max(...times)).toISOString() };
    for (const field of FIELDS) {
      const carriers = list
        .filter((e) => e[field] !== undefined)
        .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || (canonical(a[field]) < canonical(b[field]) ? -1 : canonical(a[field]) > canonical(b[field]) ? 1 : 0));
      const winner = carriers[carriers.length - 1];
      if (winner) (device as unknown as Record<Field, unknown>)[field] = winner[field];
    }
    out.set(deviceId, device);
  }
  return out;
}

/** The comparable part of a stored document (drops write-time and system fields). */
export function comparableState(doc: object): ExpectedDevice {
  const d = doc as Record<string, unknown>;
  const out: Record<string, unknown> = { deviceId: d['deviceId'], lastEventTime: d['lastEventTime'] };
  for (const field of FIELDS) if (d[field] !== undefined) out[field] = d[field];
  return out as unknown as ExpectedDevice;
}
