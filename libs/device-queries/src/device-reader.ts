import type { DeviceListQuery } from './device-list-query';
import type { DeviceView } from './device-view';

export type DeviceLookup =
  | { kind: 'found'; device: DeviceView; etag: string }
  | { kind: 'not-modified'; etag: string }
  | { kind: 'not-found' };

export interface DevicePage {
  devices: DeviceView[];
  /** Raw Cosmos continuation token; absent on the last page. */
  continuation?: string;
}

/** The read side of the device-state container (the port the status API needs). */
export interface DeviceReader {
  /** `ifNoneMatch`: an ETag the caller holds (raw `_etag`); not-modified when it is current. */
  get(deviceId: string, ifNoneMatch?: string[]): Promise<DeviceLookup>;
  list(query: DeviceListQuery): Promise<DevicePage>;
  count(): Promise<number>;
}
