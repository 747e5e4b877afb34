import type { Telemetry } from '@telemetry/device-state';

interface Drone {
  deviceId: string;
  latitude: number;
  longitude: number;
  altitude: number;
  battery: number;
  flightMode: number;
  sent: number;
  /** This drone's clock (epoch ms). */
  clock: number;
}

export interface FleetOptions {
  devices: number;
  /** Every Nth event of a drone is a key frame carrying every field (reference simulator: full state periodically). */
  keyFrameEvery: number;
  random: () => number;
  /** Device clock of each drone's first event (epoch ms). */
  startTime: number;
}

/**
 * A fleet of drones flying around a point, draining their batteries. Key frames carry the whole
 * state; the frames between carry position and battery only (the reference simulator's partial frames).
 */
export class DroneFleet {
  private readonly drones: Drone[];

  constructor(private readonly options: FleetOptions) {
    const r = options.random;
    this.drones = Array.from({ length: options.devices }, (_, i) => ({
      deviceId: `drone-${String(i).padStart(5, '0')}`,
      latitude: 47.6 + (r() - 0.5) * 0.5,
      longitude: -122.3 + (r() - 0.5) * 0.5,
      altitude: Math.round(50 + r() * 450),
      battery: 0.5 + r() * 0.5,
      flightMode: Math.floor(r() * 8),
      sent: 0,
      clock: options.startTime,
    }));
  }

  /**
   * The next event of a random drone. Each drone's own clock advances 1 ms per event it sends, so
   * its events are ordered and its clock stays near real time (a fleet-wide clock would run ahead
   * by 1 ms per event of the whole fleet, and past MAX_CLOCK_SKEW_SECONDS in a long fast run).
   */
  next(): Telemetry {
    const r = this.options.random;
    const drone = this.drones[Math.floor(r() * this.drones.length)]!;
    drone.clock += 1;
    drone.latitude = Math.max(-90, Math.min(90, drone.latitude + (r() - 0.5) * 0.001));
    drone.longitude = Math.max(-180, Math.min(180, drone.longitude + (r() - 0.5) * 0.001));
    drone.altitude = Math.max(0, Math.min(2000, drone.altitude + (r() - 0.5) * 5));
    drone.battery = Math.max(0, drone.battery - r() * 0.001);
    const keyFrame = drone.sent % this.options.keyFrameEvery === 0;
    drone.sent++;
    const event: Telemetry = {
      deviceId: drone.deviceId,
      timestamp: new Date(drone.clock).toISOString(),
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
