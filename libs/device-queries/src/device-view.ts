import type { DeviceStateDocument } from '@telemetry/device-state';

/** A device as the API shows it: the stored state without Cosmos system properties. */
export interface DeviceView {
  deviceId: string;
  battery?: number;
  flightMode?: number;
  position?: DeviceStateDocument['position'];
  health?: DeviceStateDocument['health'];
  lastEventTime: string;
  updatedAt: string;
  fieldTimes: DeviceStateDocument['fieldTimes'];
}

export function toDeviceView(doc: DeviceStateDocument): DeviceView {
  const view: DeviceView = { deviceId: doc.deviceId, lastEventTime: doc.lastEventTime, updatedAt: doc.updatedAt, fieldTimes: doc.fieldTimes ?? {} };
  if (doc.battery !== undefined) view.battery = doc.battery;
  if (doc.flightMode !== undefined) view.flightMode = doc.flightMode;
  if (doc.position !== undefined) view.position = doc.position;
  if (doc.health !== undefined) view.health = doc.health;
  return view;
}
