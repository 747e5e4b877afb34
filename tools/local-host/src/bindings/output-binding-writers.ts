import type { AppSettings } from '../config/app-settings';
import type { HostJson } from '../config/host-json';
import type { RpcBindingInfo } from '../core/core-types';
import type { Registration } from '../core/registration';
import type { BindingData } from './binding-data';

export interface OutputBindingRequest {
  bindingName: string;
  binding: RpcBindingInfo;
  registration: Registration;
  settings: AppSettings;
  hostJson: Readonly<HostJson>;
  /** The worker's value, already converted from RPC (string, Buffer, number, parsed JSON, or an array of them). */
  value: unknown;
  bindingData: BindingData;
}

/** Writes one output binding's value where the extension would (queue, blob, table, Cosmos, Event Hubs). */
export type OutputBindingWriter = (request: OutputBindingRequest) => Promise<void>;

/** Binding type (case-insensitive) -> writer. The extension point for output bindings. */
export class OutputBindingWriters {
  private readonly writers = new Map<string, OutputBindingWriter>();

  register(bindingType: string, writer: OutputBindingWriter): this {
    this.writers.set(bindingType.toLowerCase(), writer);
    return this;
  }

  get(bindingType: string): OutputBindingWriter | undefined {
    return this.writers.get(bindingType.toLowerCase());
  }
}
