import { randomUUID } from 'node:crypto';
import type { RpcTypedData } from '../core/core-types';
import { LocalHostError } from '../errors';

/**
 * The values binding expressions (`{name}` in a blob path, table key or Cosmos query) resolve
 * against, keyed case-insensitively as in the host's BindingDataProvider: trigger metadata, an
 * HTTP trigger's route parameters, query and JSON body properties, a JSON queue message's
 * properties. (azure-webjobs-sdk src/Microsoft.Azure.WebJobs.Host/Bindings/BindingDataProvider.cs,
 * Path/BindingTemplate.cs; azure-functions-host HttpTriggerAttributeBindingProvider adds route
 * data, query and body.)
 */
export interface BindingData {
  /** The value for a (lower-cased) name; undefined when there is none. */
  get(name: string): unknown;
}

function decode(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (typeof data.json === 'string') return JSON.parse(data.json) as unknown;
  if (typeof data.string === 'string') return tryJson(data.string);
  if (data.bytes) return tryJson(Buffer.from(data.bytes).toString('utf8'));
  if (typeof data.int === 'number') return data.int;
  if (typeof data.double === 'number') return data.double;
  return undefined;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function addObject(target: Map<string, unknown>, value: unknown): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (!target.has(k.toLowerCase())) target.set(k.toLowerCase(), v);
  }
}

/**
 * Built on first use only: decoding a batch's metadata (thousands of events) costs CPU that a
 * function without binding expressions should not pay.
 */
export function bindingDataOf(triggerData: RpcTypedData, triggerMetadata: Record<string, RpcTypedData> | undefined, functionName: string): BindingData {
  let built: Map<string, unknown> | undefined;
  return { get: (name) => (built ??= buildBindingData(triggerData, triggerMetadata, functionName)).get(name) };
}

function buildBindingData(triggerData: RpcTypedData, triggerMetadata: Record<string, RpcTypedData> | undefined, functionName: string): Map<string, unknown> {
  const data = new Map<string, unknown>();
  for (const [name, value] of Object.entries(triggerMetadata ?? {})) data.set(name.toLowerCase(), decode(value));
  const http = triggerData.http;
  if (http) {
    addObject(data, http.params ?? {});
    addObject(data, http.query ?? {});
    addObject(data, decode(http.body));
  } else addObject(data, decode(triggerData));
  data.set('sys', { methodname: functionName, utcnow: new Date().toISOString(), randguid: randomUUID() });
  return data;
}

function lookup(data: BindingData, expression: string): unknown {
  const [head = '', ...path] = expression.split('.');
  let value: unknown = data.get(head.toLowerCase());
  for (const part of path) {
    if (!value || typeof value !== 'object') return undefined;
    const entry = Object.entries(value).find(([k]) => k.toLowerCase() === part.toLowerCase());
    value = entry?.[1];
  }
  return value;
}

/** `{DateTime}` as the host formats it in paths (BindingTemplateSource: yyyy-MM-ddTHH-mm-ssZ). */
function dateTimeToken(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/**
 * Resolves `{name}` / `{a.b}` / `{rand-guid}` / `{DateTime}` in a binding property. An expression
 * with no value fails the invocation with a binding error, as the host's BindingTemplate does
 * ("No value for named parameter").
 */
export function resolveBindingExpression(template: string, data: BindingData, usedBy: string): string {
  return template.replace(/\{([^{}]+)\}/g, (_m, raw: string) => {
    const expression = raw.trim();
    if (/^rand-guid$/i.test(expression)) return randomUUID();
    if (/^datetime$/i.test(expression)) return dateTimeToken();
    const value = lookup(data, expression);
    if (value === undefined || value === null) {
      throw new LocalHostError('BINDING_FAILED', `No value for named parameter '${expression}' (${usedBy})`, 'bind');
    }
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}
