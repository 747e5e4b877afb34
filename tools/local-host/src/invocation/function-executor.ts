import { randomUUID } from 'node:crypto';
import type { FunctionMetrics } from '../admin/function-metrics';
import type { AppSettings } from '../config/app-settings';
import type { HostJson } from '../config/host-json';
import { bindingDataOf, type BindingData } from '../bindings/binding-data';
import type { OutputBindingWriters } from '../bindings/output-binding-writers';
import { fromRpcValue } from '../bindings/rpc-values';
import type { RpcInvocationResponse, RpcParameterBinding, RpcTypedData } from '../core/core-types';
import type { FunctionRegistry } from '../core/function-registry';
import type { Registration } from '../core/registration';
import { errorCode, toError } from '../errors';
import type { Logger } from '../logging/logger';
import { abortableDelay } from './abortable-delay';
import type { InputBindingResolvers } from './input-binding-resolvers';
import { invokeFunction } from './invoke-function';
import { mayRetry, toRetryPolicy, type RetryPolicy } from './retry-policy';

export interface ExecuteRequest {
  /** The trigger's input (binding name is filled in). */
  triggerData: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  /** Apply the function's `retry` policy (Event Hubs and timer triggers). */
  useRetryPolicy?: boolean;
  /** Aborts pending retries (shutdown). */
  signal?: AbortSignal;
  reason?: string;
  /** Id of the (first) invocation; HTTP streaming matches the proxied request by it. */
  invocationId?: string;
  /** Told of each invocation (every retry is one) before the function runs, and of its outcome. */
  onInvocation?: (invocationId: string, retryCount: number) => void;
  onInvocationEnd?: (invocationId: string, ok: boolean) => void;
}

export interface ExecuteOutcome {
  ok: boolean;
  attempts: number;
  invocationId: string;
  response?: RpcInvocationResponse;
  error?: Error;
}

export interface FunctionExecutorOptions {
  registry: FunctionRegistry;
  registration: Registration;
  settings: AppSettings;
  logger: Logger;
  metrics: FunctionMetrics;
  inputResolvers: InputBindingResolvers;
  /** Output bindings (queue, blob, table, cosmosDB, eventHub...); absent: outputs are not written. */
  outputWriters?: OutputBindingWriters;
  hostJson?: Readonly<HostJson>;
}

/** Runs a function for a trigger: resolves extra inputs, applies the retry policy, records metrics. */
export class FunctionExecutor {
  private readonly retryPolicy?: RetryPolicy;
  private readonly warnedBindings = new Set<string>();

  constructor(private readonly options: FunctionExecutorOptions) {
    this.retryPolicy = toRetryPolicy(options.registration.metadata.retryOptions);
  }

  async execute(request: ExecuteRequest): Promise<ExecuteOutcome> {
    const { registration, metrics, logger } = this.options;
    const policy = request.useRetryPolicy ? this.retryPolicy : undefined;
    let retries = 0;
    let lastError: Error | undefined;
    for (;;) {
      const invocationId = retries === 0 && request.invocationId ? request.invocationId : randomUUID();
      const started = Date.now();
      metrics.invocations++;
      if (retries > 0) metrics.retries++;
      const log = logger.child({ functionName: registration.name, invocationId });
      // The host logs an invocation's start and end under Function.<name> (host.json logging.logLevel).
      const functionCategory = `Function.${registration.name}`;
      log.log({ source: functionCategory, level: 'information', message: 'function executing', fields: { reason: request.reason ?? registration.triggerType, retryCount: retries } });
      request.onInvocation?.(invocationId, retries);
      try {
        const bindingData = bindingDataOf(request.triggerData, request.triggerMetadata, registration.name);
        const inputData = [{ name: registration.triggerName, data: request.triggerData }, ...(await this.extraInputs(bindingData))];
        const retryContext = policy
          ? { retryCount: retries, maxRetryCount: policy.maxRetryCount, exception: lastError ? { message: lastError.message, stackTrace: lastError.stack ?? null } : null }
          : undefined;
        const { response } = await invokeFunction({
          registry: this.options.registry,
          registration,
          logger,
          invocationId,
          request: { inputData, triggerMetadata: request.triggerMetadata, retryContext },
        });
        // The host flushes output bindings when the function returns; a failed write fails the invocation.
        await this.writeOutputs(response, bindingData);
        metrics.successes++;
        request.onInvocationEnd?.(invocationId, true);
        log.log({ source: functionCategory, level: 'information', message: 'function executed', fields: { status: 'Succeeded', durationMs: Date.now() - started } });
        return { ok: true, attempts: retries + 1, invocationId, response };
      } catch (thrown) {
        lastError = toError(thrown);
        metrics.failures++;
        request.onInvocationEnd?.(invocationId, false);
        log.log({ source: functionCategory, level: 'error', message: 'function failed', fields: { status: 'Failed', durationMs: Date.now() - started, errorCode: errorCode(thrown), error: lastError.message } });
        if (!mayRetry(policy, retries) || request.signal?.aborted) return { ok: false, attempts: retries + 1, invocationId, error: lastError };
        retries++;
        const waited = await abortableDelay(policy!.delayMs(retries), request.signal);
        if (!waited) return { ok: false, attempts: retries, invocationId, error: lastError };
      }
    }
  }

  /**
   * Writes each output binding (`extraOutputs`, or the return value for a `$return` binding) as
   * the extension would; unset (null/undefined) outputs are skipped, as the host does. HTTP
   * outputs are the HTTP driver's.
   */
  private async writeOutputs(response: RpcInvocationResponse, bindingData: BindingData): Promise<void> {
    const { registration, settings, outputWriters, hostJson, logger } = this.options;
    if (!outputWriters || !hostJson) return;
    for (const [bindingName, binding] of Object.entries(registration.metadata.bindings)) {
      if (binding.direction !== 'out' || String(binding.type).toLowerCase() === 'http') continue;
      const data = bindingName === '$return' ? response.returnValue : response.outputData?.find((o) => o.name === bindingName)?.data;
      const value = fromRpcValue(data);
      if (value === undefined || value === null) continue;
      const writer = outputWriters.get(String(binding.type));
      if (!writer) {
        if (!this.warnedBindings.has(bindingName)) {
          this.warnedBindings.add(bindingName);
          logger.log({ level: 'warning', functionName: registration.name, message: 'output binding type not supported locally; output dropped', fields: { bindingName, bindingType: binding.type } });
        }
        continue;
      }
      await writer({ bindingName, binding, registration, settings, hostJson, value, bindingData });
    }
  }

  private async extraInputs(bindingData: BindingData): Promise<RpcParameterBinding[]> {
    const { registration, settings, inputResolvers, logger } = this.options;
    const out: RpcParameterBinding[] = [];
    for (const [bindingName, binding] of Object.entries(registration.metadata.bindings)) {
      if (binding.direction !== 'in' || bindingName === registration.triggerName) continue;
      const resolver = inputResolvers.get(String(binding.type));
      if (!resolver) {
        if (!this.warnedBindings.has(bindingName)) {
          this.warnedBindings.add(bindingName);
          logger.log({ level: 'warning', functionName: registration.name, message: 'input binding type not supported locally; input left unset', fields: { bindingName, bindingType: binding.type } });
        }
        continue;
      }
      const data = await resolver({ bindingName, binding, registration, settings, bindingData });
      if (data) out.push({ name: bindingName, data });
    }
    return out;
  }
}
