/**
 * `.local/stack.json`: what `npm run dev` / `npm start` started, for the simulator, the dlq CLI
 * and anyone exploring. A user-facing contract: extend, never rename.
 */
export interface StackDescriptor {
  eventHubs: { connectionString: string; hubName: string; consumerGroup: string; partitions: number };
  storage: { connectionString: string };
  cosmos: { endpoint: string; key: string; database: string; container: string };
  queues: { deadLetter: string; claimCheckContainer: string; parkingTable: string };
  apps: Record<string, { baseUrl: string; functionKey: string; masterKey: string; /** Keys scoped to one function each (function name -> key). */ functionKeys?: Record<string, string> }>;
  /** The operations dashboard, when device-status runs. */
  dashboard?: { url: string };
  /** Where the stack keeps its data and logs. */
  dataDir: string;
  startedAt: string;
}
