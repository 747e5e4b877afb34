import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthLevel } from '../drivers/http/host-keys';
import { readRequestBody } from '../drivers/http/request-body';
import { decodeRequestPath } from '../drivers/http/request-path';
import type { DurableEngine, InstanceOpResult } from './durable-engine';
import type { InstanceRecord } from './instance-record';
import { TERMINAL_STATUSES, type RuntimeStatus } from '@telemetry/durable-internals';
import { historyView, STATUS_RETRY_AFTER_SECONDS, statusCodeFor } from './status-response';

/**
 * Path of the client RPC API the durable-functions library calls (`rpcBaseUrl`). As in the
 * Durable extension (LocalHttpListener: `http://127.0.0.1:{port}/durabletask/`), it is served
 * without a key on a loopback listener of its own that only the host's worker is told about,
 * never on the app's public port.
 */
export const RPC_PATH = '/durabletask/';
/** Path of the public management webhooks (`statusQueryGetUri`...); the extension's system key or the master key is required. */
export const WEBHOOK_PATH = '/runtime/webhooks/durabletask/';
const PAGE_SIZE = 100;

export interface DurableHttpApiOptions {
  engine: DurableEngine;
  hubName: string;
  connectionName: string;
  baseUrl: () => string;
  /** The worker-only RPC listener's base URL, ending in RPC_PATH. */
  rpcBaseUrl: () => string;
  /** Key put in management URLs (`code=`): the extension's system key. */
  systemKey: () => string;
}

interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  granted: AuthLevel;
  /** Body limit of the port the request came in on (undefined: none, as on the RPC listener). */
  maxBodyBytes?: number;
}

const parse = (text: string | null | undefined): unknown => (text === null || text === undefined ? null : (JSON.parse(text) as unknown));

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) return void res.writeHead(status, { 'content-length': '0', ...headers }).end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

async function readText(req: IncomingMessage, limit: number | undefined, res: ServerResponse): Promise<string | undefined> {
  const text = (await readRequestBody(req, limit, res)).toString('utf8');
  return text.length ? text : undefined;
}

/** Messages of HttpApiHandler.HandleRequestAsync's catch blocks (ASP.NET HttpError bodies: `{ Message }`). */
const ARGUMENTS_INCORRECT = 'One or more of the arguments submitted is incorrect';
const SOMETHING_WENT_WRONG = 'Something went wrong while processing your request';
const errorBody = (message: string, detail?: string): Record<string, string> => ({ Message: message, ...(detail ? { ExceptionMessage: detail } : {}) });

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** DurableClient.StartNewAsync's id rules: not starting with @, no / \ ? # or control characters, at most 256 characters. */
function invalidInstanceId(id: string): boolean {
  return id.startsWith('@') || /[/\\?#\u0000-\u001f\u007f-\u009f]/.test(id) || id.length > 256;
}

/**
 * The Durable extension's HTTP surface: the client RPC API under `/durabletask/` (what
 * `df.getClient(context)` calls; served by DurableRpcListener only) and the same operations as
 * key-protected management webhooks under `/runtime/webhooks/durabletask/` on the public port
 * (the URLs in `createCheckStatusResponse`).
 */
export class DurableHttpApi {
  constructor(private readonly options: DurableHttpApiOptions) {}

  /** Public port: the management webhooks (system or master key; a function key is not enough); false for any other path. */
  async handle({ req, res, url, granted, maxBodyBytes }: ApiRequest): Promise<boolean> {
    const path = url.pathname;
    if (!path.startsWith(WEBHOOK_PATH)) return false;
    if (granted !== 'system' && granted !== 'admin') return send(res, 401), true;
    await this.serve(path.slice(WEBHOOK_PATH.length), req, res, url, maxBodyBytes);
    return true;
  }

  /** The worker-only RPC listener: the client API under RPC_PATH, no key (404 elsewhere). */
  async handleRpc(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!url.pathname.startsWith(RPC_PATH)) return send(res, 404);
    // No body limit here: the extension's listener removes Kestrel's (MaxRequestBodySize = null).
    await this.serve(url.pathname.slice(RPC_PATH.length), req, res, url, undefined);
  }

  private async serve(below: string, req: IncomingMessage, res: ServerResponse, url: URL, maxBodyBytes: number | undefined): Promise<void> {
    // Decoded once, leniently, as Kestrel decodes (a malformed escape is an id that does not exist, not a 500).
    const parts = decodeRequestPath(below).split('/');
    await this.route((req.method ?? 'GET').toUpperCase(), parts, url, req, res, (r) => readText(r, maxBodyBytes, res));
  }

  private async route(
    method: string,
    parts: string[],
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
    readBody: (req: IncomingMessage) => Promise<string | undefined>,
  ): Promise<void> {
    const { engine } = this.options;
    const [head, a, b, c] = parts;
    const query = url.searchParams;
    if (head === 'orchestrators' && a && method === 'POST') {
      // HttpApiHandler: ArgumentException -> 400, JSON errors -> 400, anything else -> 500.
      if (b && invalidInstanceId(b)) return send(res, 400, errorBody(ARGUMENTS_INCORRECT));
      const body = await readBody(req);
      if (body !== undefined && !isJson(body)) return send(res, 400, errorBody('Invalid JSON content'));
      const { result, instanceId } = await engine.startNew(a, b || undefined, body ?? null);
      if (result === 'noSuchOrchestrator') return send(res, 400, errorBody(ARGUMENTS_INCORRECT, `The function '${a}' doesn't exist, is disabled, or is not an orchestrator function.`));
      // DTFx refuses an id that is still running (OrchestrationAlreadyExistsException): the handler's generic 500.
      if (result === 'conflict') return send(res, 500, errorBody(SOMETHING_WENT_WRONG, `An Orchestration instance with the status Running already exists: '${instanceId}'.`));
      // createAndWaitOnNewInstancePostUri: with timeout and pollingInterval (seconds) both given, the
      // handler waits (WaitForCompletionOrCreateCheckStatusResponseAsync); otherwise 202 at once.
      const timeout = secondsParameter(query.get('timeout'));
      const pollingInterval = secondsParameter(query.get('pollingInterval'));
      // GetTimeSpan: double.Parse, whose FormatException is the handler's generic 500.
      if (Number.isNaN(timeout) || Number.isNaN(pollingInterval)) return send(res, 500, errorBody(SOMETHING_WENT_WRONG, 'Input string was not in a correct format.'));
      if (timeout !== undefined && pollingInterval !== undefined) {
        if (pollingInterval > timeout) return send(res, 400, errorBody(ARGUMENTS_INCORRECT, `Total timeout ${timeout} should be bigger than retry timeout ${pollingInterval}`));
        return this.waitForCompletion(res, instanceId, timeout * 1000, pollingInterval * 1000, url);
      }
      return this.checkStatusResponse(res, instanceId);
    }
    if (head === 'instances' && a && parts.length === 2) {
      if (method === 'GET') return this.status(res, a, url);
      if (method === 'DELETE') {
        const deleted = await engine.purge([a]);
        return deleted ? send(res, 200, { instancesDeleted: deleted }) : send(res, 404);
      }
    }
    if (head === 'instances' && !a && method === 'GET') return this.list(res, query, req.headers['x-ms-continuation-token']);
    if (head === 'instances' && !a && method === 'DELETE') {
      // HandleDeleteHistoryWithFiltersRequestAsync: createdTimeFrom is required (createdTimeTo defaults to now).
      if (!query.get('createdTimeFrom') || Number.isNaN(Date.parse(query.get('createdTimeFrom')!))) return send(res, 400, "Please provide value for 'createdTimeFrom' parameter.");
      const deleted = await engine.purge(this.filter(query).map((r) => r.instanceId));
      return deleted ? send(res, 200, { instancesDeleted: deleted }) : send(res, 404);
    }
    if (head === 'instances' && a && b === 'raiseEvent' && c && method === 'POST') {
      // The body is read first, so the host's body limit (413) applies before anything else; then as
      // HandleRaiseEventRequestAsync: 404 / 410, then the body must be application/json and JSON.
      const body = await readBody(req);
      const record = engine.getInstance(a);
      if (!record) return send(res, 404);
      if (TERMINAL_STATUSES.has(record.runtimeStatus)) return send(res, 410);
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return send(res, 400, errorBody('Only application/json request content is supported'));
      if (body !== undefined && !isJson(body)) return send(res, 400, errorBody('Invalid JSON content'));
      return this.reply(res, await engine.raiseEvent(a, c, body));
    }
    if (head === 'instances' && a && b && parts.length === 3 && method === 'POST') {
      // HandleTerminateInstanceRequestAsync passes the query's reason, null when absent (output null).
      const reason = query.get('reason');
      if (b === 'terminate') return this.reply(res, await engine.terminate(a, reason));
      if (b === 'suspend') return this.reply(res, await engine.suspend(a));
      if (b === 'resume') return this.reply(res, await engine.resume(a));
      if (b === 'rewind') {
        // HandleRewindInstanceRequestAsync: Completed/Terminated/Canceled -> 410; any other non-Failed
        // status makes RewindAsync throw InvalidOperationException -> the handler's generic 500.
        const record = engine.getInstance(a);
        if (!record) return send(res, 404);
        if (record.runtimeStatus === 'Completed' || record.runtimeStatus === 'Terminated' || record.runtimeStatus === 'Canceled') return send(res, 410);
        const result = await engine.rewind(a);
        return result === 'conflict' ? send(res, 500, errorBody(SOMETHING_WENT_WRONG, `Cannot rewind instance '${a}': only Failed instances can be rewound.`)) : this.reply(res, result);
      }
    }
    if (head === 'entities' && a && b !== undefined && parts.length === 3) {
      // HandlePostEntityOperationRequestAsync: no body -> no input; application/json -> parsed (400
      // "Could not parse JSON content: ..." when it does not); any other type -> the text as a string.
      if (method === 'POST') {
        const body = await readBody(req);
        let input: string | undefined;
        if (body !== undefined) {
          if (/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
            if (!isJson(body)) return send(res, 400, errorBody('Could not parse JSON content: the body is not valid JSON'));
            input = body;
          } else input = JSON.stringify(body);
        }
        await engine.signalEntity(a, b, query.get('op') ?? '', input);
        return send(res, 202);
      }
      // The extension's DELETE on an entity signals its `delete` operation.
      if (method === 'DELETE') {
        await engine.signalEntity(a, b, 'delete', undefined);
        return send(res, 202);
      }
      if (method === 'GET') {
        const entity = engine.readEntity(a, b);
        return entity?.exists ? send(res, 200, parse(entity.state)) : send(res, 404);
      }
    }
    return send(res, 404, { message: `no durable endpoint ${method} ${url.pathname}` });
  }

  /**
   * What the extension's CreateCheckStatusResponse answers a start: 202, the payload without
   * rewindPostUri, Location = statusQueryGetUri and Retry-After: 10 (HttpApiHandler.cs).
   */
  /**
   * WaitForCompletionOrCreateCheckStatusResponseAsync: polls the instance every `pollMs` (real time)
   * until `timeoutMs`: Completed -> 200 with its output; Failed, Terminated, Canceled -> the status
   * response; still running at the end -> the 202 check-status response.
   */
  private async waitForCompletion(res: ServerResponse, instanceId: string, timeoutMs: number, pollMs: number, url: URL): Promise<void> {
    const started = Date.now();
    for (;;) {
      const record = this.options.engine.getInstance(instanceId);
      if (record?.runtimeStatus === 'Completed') return send(res, 200, parse(record.output));
      if (record && TERMINAL_STATUSES.has(record.runtimeStatus)) return this.status(res, instanceId, url);
      const remaining = timeoutMs - (Date.now() - started);
      if (remaining <= 0) return this.checkStatusResponse(res, instanceId);
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(pollMs, remaining))));
    }
  }

  private checkStatusResponse(res: ServerResponse, instanceId: string): void {
    const { rewindPostUri: _rewind, ...payload } = this.managementPayload(instanceId);
    void _rewind;
    send(res, 202, payload, { location: payload.statusQueryGetUri, 'retry-after': '10' });
  }

  private reply(res: ServerResponse, result: InstanceOpResult): void {
    // The client's InvalidOperationException (suspending a suspended instance, resuming a running one): the handler's generic 500.
    if (result === 'invalidState') return send(res, 500, errorBody(SOMETHING_WENT_WRONG));
    send(res, result === 'accepted' ? 202 : result === 'gone' ? 410 : result === 'conflict' ? 409 : 404);
  }

  private status(res: ServerResponse, id: string, url: URL): void {
    const query = url.searchParams;
    const record = this.options.engine.getInstance(id);
    if (!record) return send(res, 404);
    const code = statusCodeFor(record.runtimeStatus, query.get('returnInternalServerErrorOnFailure') === 'true');
    // The async HTTP 202 pattern: poll this same URL again, not before Retry-After (HttpApiHandler).
    const headers: Record<string, string> = code === 202 ? { location: url.toString(), 'retry-after': String(STATUS_RETRY_AFTER_SECONDS) } : {};
    send(res, code, this.statusBody(record, query.get('showInput') !== 'false', query.get('showHistory') === 'true', query.get('showHistoryOutput') === 'true'), headers);
  }

  private list(res: ServerResponse, query: URLSearchParams, token: string | string[] | undefined): void {
    const all = this.filter(query);
    const offset = typeof token === 'string' ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0 : 0;
    const size = Math.max(1, Number(query.get('top')) || PAGE_SIZE);
    const page = all.slice(offset, offset + size);
    const next = offset + size < all.length ? { 'x-ms-continuation-token': Buffer.from(String(offset + size)).toString('base64') } : undefined;
    // OrchestrationStatusQueryCondition.ShowInput defaults to true.
    send(res, 200, page.map((r) => this.statusBody(r, query.get('showInput') !== 'false', false, false)), next);
  }

  private filter(query: URLSearchParams): InstanceRecord[] {
    const from = query.get('createdTimeFrom');
    const to = query.get('createdTimeTo');
    const statuses = query.get('runtimeStatus')?.split(',').filter(Boolean) as RuntimeStatus[] | undefined;
    const prefix = query.get('instanceIdPrefix');
    return this.options.engine.listInstances().filter((r) => {
      const created = Date.parse(r.createdTime);
      return (!from || created >= Date.parse(from)) && (!to || created <= Date.parse(to)) && (!statuses?.length || statuses.includes(r.runtimeStatus)) && (!prefix || r.instanceId.startsWith(prefix));
    });
  }

  private statusBody(r: InstanceRecord, showInput: boolean, showHistory: boolean, showHistoryOutput: boolean): Record<string, unknown> {
    return {
      name: r.name,
      instanceId: r.instanceId,
      runtimeStatus: r.runtimeStatus,
      input: showInput ? parse(r.input) : null,
      customStatus: parse(r.customStatus),
      output: parse(r.output),
      // HttpApiHandler.ConvertFrom: ToString("s") + "Z", whole seconds.
      createdTime: wholeSeconds(r.createdTime),
      lastUpdatedTime: wholeSeconds(r.lastUpdatedTime),
      ...(showHistory
        ? {
            // The extension shows no history for a Pending instance (DurableClient.GetDurableOrchestrationStatusAsync).
            historyEvents: r.runtimeStatus === 'Pending' ? null : historyView(r.history, { showHistoryOutput, showInput }),
          }
        : {}),
    };
  }

  private query(): string {
    const { hubName, connectionName, systemKey } = this.options;
    return `taskHub=${encodeURIComponent(hubName)}&connection=${encodeURIComponent(connectionName)}&code=${encodeURIComponent(systemKey())}`;
  }

  /** The HTTP management payload (createCheckStatusResponse / createHttpManagementPayload). */
  managementPayload(instanceId: string): { id: string; statusQueryGetUri: string } & Record<string, string> {
    const base = `${this.options.baseUrl()}${WEBHOOK_PATH}instances/${encodeURIComponent(instanceId)}`;
    const q = this.query();
    return {
      id: instanceId,
      statusQueryGetUri: `${base}?${q}`,
      sendEventPostUri: `${base}/raiseEvent/{eventName}?${q}`,
      terminatePostUri: `${base}/terminate?reason={text}&${q}`,
      rewindPostUri: `${base}/rewind?reason={text}&${q}`,
      purgeHistoryDeleteUri: `${base}?${q}`,
      restartPostUri: `${base}/restart?${q}`,
      suspendPostUri: `${base}/suspend?reason={text}&${q}`,
      resumePostUri: `${base}/resume?reason={text}&${q}`,
    };
  }

  /** The `durableClient` input binding value the host injects. */
  clientBinding(): Record<string, unknown> {
    const base = this.options.baseUrl();
    return {
      taskHubName: this.options.hubName,
      creationUrls: {
        createNewInstancePostUri: `${base}${WEBHOOK_PATH}orchestrators/{functionName}[/{instanceId}]?code=${encodeURIComponent(this.options.systemKey())}`,
        createAndWaitOnNewInstancePostUri: `${base}${WEBHOOK_PATH}orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=${encodeURIComponent(this.options.systemKey())}`,
      },
      managementUrls: this.managementPayload('INSTANCEID'),
      baseUrl: `${base}${WEBHOOK_PATH.slice(0, -1)}`,
      requiredQueryStringParameters: `code=${encodeURIComponent(this.options.systemKey())}`,
      rpcBaseUrl: this.options.rpcBaseUrl(),
    };
  }
}

/** An ISO instant as the extension writes status times: `yyyy-MM-ddTHH:mm:ssZ` (.NET "s" + "Z"). */
function wholeSeconds(iso: string): string {
  return iso.length > 20 && iso[19] === '.' ? `${iso.slice(0, 19)}Z` : iso;
}

/** A `timeout`/`pollingInterval` query value in seconds: undefined when absent or empty, NaN when it does not parse. */
function secondsParameter(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : Number.NaN;
}
