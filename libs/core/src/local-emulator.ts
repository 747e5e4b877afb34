// A loopback endpoint in a URL or in a connection string's `...Endpoint=http://127.0.0.1:port` part.
const LOOPBACK_URL = /(^|[=;\s])https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?([/;\s]|$)/i;

/**
 * Whether an endpoint or connection string names a local emulator (Azurite, the Cosmos server,
 * the Event Hubs emulator): the storage emulator shorthand, or a loopback host. Such endpoints
 * serve plain HTTP and have no regions to discover; nothing in Azure matches.
 */
export function isLocalEmulator(endpointOrConnectionString: string): boolean {
  return /(^|;)\s*UseDevelopmentStorage=true/i.test(endpointOrConnectionString) || LOOPBACK_URL.test(endpointOrConnectionString);
}
