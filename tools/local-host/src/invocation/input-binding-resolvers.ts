import type { AppSettings } from '../config/app-settings';
import type { RpcBindingInfo, RpcTypedData } from '../core/core-types';
import type { Registration } from '../core/registration';
import type { BindingData } from '../bindings/binding-data';

export interface InputBindingRequest {
  bindingName: string;
  binding: RpcBindingInfo;
  registration: Registration;
  settings: AppSettings;
  /** What `{name}` expressions in the binding resolve against (trigger metadata, route, query, body). */
  bindingData: BindingData;
}

/**
 * Produces the RPC data the host would send for one extra input binding (e.g. `durableClient`:
 * a JSON string with taskHubName, creationUrls, managementUrls, rpcBaseUrl...). The extension
 * point for input bindings; `undefined` leaves the input unset.
 */
export type InputBindingResolver = (request: InputBindingRequest) => Promise<RpcTypedData | undefined> | RpcTypedData | undefined;

/** Binding type (case-insensitive) -> resolver. */
export class InputBindingResolvers {
  private readonly resolvers = new Map<string, InputBindingResolver>();

  register(bindingType: string, resolver: InputBindingResolver): this {
    this.resolvers.set(bindingType.toLowerCase(), resolver);
    return this;
  }

  get(bindingType: string): InputBindingResolver | undefined {
    return this.resolvers.get(bindingType.toLowerCase());
  }
}
