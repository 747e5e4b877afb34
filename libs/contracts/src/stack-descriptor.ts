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
  /**
   * The mail catcher (MailDev) the breaker's operator e-mails go to over SMTP: its web UI shows
   * them (with the signed resume link). Absent in stacks from before issue 19. The web UI asks for
   * `webUser` / `webPassword` (HTTP Basic; absent in older stacks, whose UI was open).
   */
  mail?: { webUrl: string; webUser?: string; webPassword?: string; smtpHost: string; smtpPort: number; from: string; to: string };
  /** The operations dashboard, when device-status runs. */
  dashboard?: { url: string };
  /** Where the stack keeps its data and logs. */
  dataDir: string;
  startedAt: string;
}
