import type { Connection, Sender } from 'rhea';
import type { SasRight } from '../service/sas';

/** What a put-token granted: an entity path (lower-case segments; `[]` = the namespace) and the rule's rights. */
export interface Grant {
  path: readonly string[];
  rights: readonly SasRight[];
}

/** Per-connection state: claims granted through $cbs and the links replies go out on. */
export interface ConnectionState {
  /** What put-token authorised on this connection. */
  grants: Grant[];
  /** Request/response reply links by their target address (the request's reply_to). */
  replyLinks: Map<string, Sender>;
  /** Cleanups to run when the connection goes away. */
  onClose: Set<() => void>;
}

const states = new WeakMap<Connection, ConnectionState>();

export function connectionState(connection: Connection): ConnectionState {
  let state = states.get(connection);
  if (!state) {
    state = { grants: [], replyLinks: new Map(), onClose: new Set() };
    states.set(connection, state);
  }
  return state;
}

export function closeConnectionState(connection: Connection): void {
  const state = states.get(connection);
  if (!state) return;
  states.delete(connection);
  for (const cleanup of state.onClose) cleanup();
  state.onClose.clear();
}
