import type { OutputBindingWriters } from '../bindings/output-binding-writers';
import type { InputBindingResolvers } from '../invocation/input-binding-resolvers';
import type { Logger } from '../logging/logger';
import type { TriggerDriverRegistry } from '../drivers/trigger-driver-registry';

/**
 * Extends a host before it starts: register trigger drivers (e.g. orchestrationTrigger) and
 * input-binding resolvers (e.g. durableClient) and output-binding writers. The CLI loads plugins with `--plugin <module>`;
 * the module exports `register` (or a default function) of this type.
 */
export type LocalHostPlugin = (host: { drivers: TriggerDriverRegistry; inputResolvers: InputBindingResolvers; outputWriters: OutputBindingWriters; logger: Logger; baseUrl: () => string }) => void | Promise<void>;
