import { silentLogger } from '@telemetry/core';
import type { SourceEvent } from '@telemetry/contracts';
import { InMemoryDeadLetterSink } from '@telemetry/dead-letter/testing';
import { InMemoryDeviceStateStore } from '@telemetry/device-store/testing';
import { processBatch } from '@telemetry/ingestion-pipeline';
import { iotHubMessage } from './iot-hub-message';
import { ScenarioEvents } from './scenario-events';

describe('the simulator in IoT Hub mode', () => {
  it('sends spoofing devices, module messages and non-telemetry events that ingestion dead-letters with the expected code; the rest is applied', async () => {
    const scenario = new ScenarioEvents({ devices: 20, keyFrameEvery: 5, corruptRatio: 0.05, duplicateRatio: 0, seed: 42, startTime: Date.now() - 60_000, iotHub: { spoofRatio: 0.1, moduleRatio: 0.05, nonTelemetryRatio: 0.05 } });
    const produced = Array.from({ length: 600 }, () => scenario.next()).flat();
    const attacks = new Map<string, number>();
    for (const e of produced) if (e.record.iotHub?.attack) attacks.set(e.record.iotHub.attack, (attacks.get(e.record.iotHub.attack) ?? 0) + 1);
    expect([...attacks.keys()].sort()).toEqual(['module', 'non-telemetry', 'spoof']);

    // What the trigger would see: the message annotations as system properties.
    const events: SourceEvent[] = produced.map((e, i) => {
      const message = iotHubMessage(e.body, e.record.iotHub!, new Date());
      return { body: e.body, partitionId: '0', sequenceNumber: i, offset: String(i), enqueuedTimeUtc: new Date().toISOString(), partitionKey: e.record.deviceId, properties: {}, systemProperties: { ...message.messageAnnotations } };
    });
    const store = new InMemoryDeviceStateStore();
    const sink = new InMemoryDeadLetterSink();
    const report = await processBatch({ events, source: {} }, { store, deadLetters: sink, logger: silentLogger, app: 'test', identitySource: 'iothub' });
    const expected = produced.filter((e) => e.record.kind === 'corrupt');
    expect(sink.letters.map((l) => l.issue.code)).toEqual(expected.map((e) => e.record.expectedCode));
    expect(report.applied).toBe(produced.length - expected.length);
    // No spoof reached its victim with the spoof's marker battery.
    for (const doc of store.states.values()) expect(doc.fields.battery?.value).not.toBe(0.01);
  });
});
