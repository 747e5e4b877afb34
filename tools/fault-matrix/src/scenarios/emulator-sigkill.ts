import type { FaultScenario } from '../fault-scenario';
import { freshDevicesLoad, waitForDeliveries } from './load';

/** How long the emulator stays dead (ms): a third of the outage (10 s at full size), at least 2 s. */
const downMs = (outageMs: number): number => Math.max(2_000, Math.round(outageMs / 3));

/**
 * The Event Hubs emulator SIGKILLed (no flush, no close frames) while the producers send and
 * ingestion consumes, then started again on the same port and data. Producers send without the
 * SDK's own retries and resend every failed batch until it is accepted, counting the failures;
 * ingestion's consumer must reconnect to the new process by itself.
 */
export const emulatorKilled: FaultScenario = {
  id: 'emulator-sigkill',
  title: 'Event Hubs emulator killed with SIGKILL while producers and consumers run',
  async run(ctx) {
    let sendErrors = 0;
    let lastSendError = '';
    const sending = freshDevicesLoad(ctx, {
      count: ctx.size, seconds: ctx.loadSeconds, prefix: 'esk', seedOffset: 3, minDevices: 20,
      send: {
        // Every failed send surfaces (and is counted) instead of being retried inside the SDK.
        retryOptions: { maxRetries: 0, timeoutInMs: 5_000 },
        resend: { onError: (error) => { sendErrors++; lastSendError = error instanceof Error ? error.message : String(error); } },
      },
    });
    let sendingDone = 0;
    void sending.then(() => (sendingDone = Date.now()), () => undefined);
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.3));
    const consumer = ctx.matrix.ingestion[0]!;
    const before = ctx.deliveries.counts();
    const killedAt = Date.now();
    const down = downMs(ctx.outageMs);
    await ctx.matrix.restartEmulator(down, 'kill');
    const restartedAt = Date.now();
    ctx.log(`emulator SIGKILLed, restarted after ${((restartedAt - killedAt) / 1000).toFixed(1)} s`);
    const sent = await sending;
    const sentAfterRestart = sent.filter((e) => e.sentAt >= restartedAt).length;
    const producerRunningAtKill = sendingDone === 0 || sendingDone > killedAt;
    return {
      sent,
      facts: { emulatorDownSeconds: Math.round((restartedAt - killedAt) / 100) / 10, producerSendErrors: sendErrors, lastSendError, sentAfterRestart },
      expectations: (_audit, facts) => {
        // The tracker was read after the drain: everything the consumer did is in it.
        const after = ctx.deliveries.counts();
        const byConsumerAfterRestart = ctx.deliveries.list(consumer.pid).filter((i) => i.startedAt >= restartedAt).reduce((n, i) => n + i.events, 0);
        Object.assign(facts, {
          consumerReceiveErrors: after.receiveErrors - before.receiveErrors,
          consumerPartitionReopens: after.partitionOpens - before.partitionOpens,
          consumerDeliveriesAfterRestart: byConsumerAfterRestart,
          ingestionHostsAtEnd: ctx.matrix.ingestion.map((h) => h.pid),
        });
        const failures: string[] = [];
        if (!producerRunningAtKill) failures.push('the producers had finished before the kill');
        if (sendErrors === 0) failures.push('no producer send failed: the kill did not reach the producers');
        if (sentAfterRestart === 0) failures.push('no event was sent after the restart');
        // Only this host consumed, so events sent after the restart reached ingestion through a connection to the new process.
        if (!ctx.matrix.ingestion.some((h) => h.pid === consumer.pid)) failures.push('the consuming host did not survive');
        if (byConsumerAfterRestart === 0) failures.push('the consumer delivered nothing after the restart (no reconnect)');
        return failures;
      },
    };
  },
};
