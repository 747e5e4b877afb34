import { EventHubProducerClient } from '@azure/event-hubs';
import { start } from './src/index';
async function main() {
  const em = process.argv[2] ? { connectionString: process.argv[2], close: async () => undefined } : await start({ hubs: [{ name: 'b', partitions: 4 }], log: () => undefined });
  const producer = new EventHubProducerClient(em.connectionString);
  const body = Buffer.alloc(1024, 0x61); await producer.getEventHubProperties();
  for (const par of [4, 4, 4]) {
    let n = 0; const t0 = performance.now(); const lat: number[] = [];
    await Promise.all(Array.from({ length: par }, async (_, p) => {
      for (let k = 0; k < Number(process.argv[3] ?? 40) / par; k++) {
        const b = await producer.createBatch({ partitionId: String(p) }); while (b.tryAdd({ body })) n++;
        const t = performance.now(); await producer.sendBatch(b); lat.push(performance.now() - t);
      }
    }));
    console.log('par', par, 'events/s', Math.round(n / ((performance.now() - t0) / 1000)), 'avg send ms', (lat.reduce((a, b) => a + b, 0) / lat.length).toFixed(1));
  }
  await producer.close(); await em.close();
}
main();
