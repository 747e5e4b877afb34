import type { Telemetry } from '@telemetry/device-state';

interface Drone {
  deviceId: string;
  latitude: number;
  longitude: number;
  altitude: number;
  battery: number;
  flightMode: number;
  sent: number;
}

export interface FleetOptions {
  devices: number;
  /** Every Nth event of a drone is a key frame carrying every field (reference simulator: full state periodically). */
  keyFrameEvery: number;
  random: () => number;
  /** Device clock of the first event (epoch ms). */
  startTime: number;
}

/**
 * A fleet of drones flying around a point, draining their batteries. Key frames carry the whole
 * state; the frames between carry position and battery only (the reference simulator's partial frames).
 */
export class DroneFleet {
  private readonly drones: Drone[];
  private clock: number;

  constructor(private readonly options: FleetOptions) {
    const r = options.random;
    this.clock = options.startTime;
    this.drones = Array.from({ length: options.devices }, (_, i) => ({
      deviceId: `drone-${String(i).padStart(5, '0')}`,
      latitude: 47.6 + (r() - 0.5) * 0.5,
      longitude: -122.3 + (r() - 0.5) * 0.5,
      altitude: Math.round(50 + r() * 450),
      battery: 0.5 + r() * 0.5,
      flightMode: Math.floor(r() * 8),
      sent: 0,
    }));
  }

  /** The next event of a random drone; the device clock advances 1 ms per event so each device's events are ordered. */
  next(): Telemetry {
    const r = this.options.random;
    const drone = this.drones[Math.floor(r() * this.drones.length)]!;
    this.clock += 1;
    drone.latitude = Math.max(-90, Math.min(90, drone.latitude + (r() - 0.5) * 0.001));
    drone.longitude = Math.max(-180, Math.min(180, drone.longitude + (r() - 0.5) * 0.001));
    drone.altitude = Math.max(0, Math.min(2000, drone.altitude + (r() - 0.5) * 5));
    drone.battery = Math.max(0, drone.battery - r() * 0.001);
    const keyFrame = drone.sent % this.options.keyFrameEvery === 0;
    drone.sent++;
    const event: Telemetry = {
      deviceId: drone.deviceId,
      timestamp: new Date(this.clock).toISOString(),
      position: { latitude: drone.latitude, longitude: drone.longitude, altitude: Math.round(drone.altitude * 10) / 10 },
      battery: Math.round(drone.battery * 1000) / 1000,
    };
    if (keyFrame) {
      if (r() < 0.05) drone.flightMode = Math.floor(r() * 8);
      event.keyFrame = true;
      event.flightMode = drone.flightMode;
      event.health = { gyrometerOK: r() > 0.02, accelerometerOK: r() > 0.02, magnetometerOK: r() > 0.05 };
    }
    return event;
  }
}
