import type { Server, Socket } from 'node:net';
import { create_container, type Connection, type EventContext, type Message, type Receiver, type Sender } from 'rhea';
import type { EmulatorConfig } from '../config';
import { parsePositionFilter, selectorExpression } from '../service/position-filter';
import { amqpError, invalidPartition, notFound } from './conditions';
import { closeConnectionState, connectionState } from './connection-state';
import { ConsumerLink } from './consumer-link';
import { parseEntityAddress } from './entity-address';
import type { Namespace } from './namespace';
import { handleTransfer } from './producer-link';
import { ReaderRegistry } from './reader-registry';
import { handleManagement, handlePutToken, type Reply } from './request-nodes';
import { entitySegments, grantCovers } from '../service/sas-audience';
import { remoteSourceFilter, setLocalAttach } from './rhea-edge';

const EPOCH = 'com.microsoft:epoch';
const RUNTIME_METRIC = 'com.microsoft:enable-receiver-runtime-metric';

export type Log = (message: string, fields?: Record<string, unknown>) => void;

/**
 * The AMQP side of the emulator: accepts connections (SASL ANONYMOUS, plain TCP, 127.0.0.1
 * only) and routes each attached link by address to $cbs, $management, a producer or a
 * consumer handler.
 */
export class AmqpServer {
  private readonly container = create_container({ id: 'eventhubs-emulator' });
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly readers = new ReaderRegistry();

  constructor(
    private readonly namespace: Namespace,
    private readonly config: EmulatorConfig,
    private readonly log: Log,
  ) {
    this.container.sasl_server_mechanisms.enable_anonymous();
    this.container.on('sender_open', (context: EventContext) => this.onSenderOpen(context));
    this.container.on('receiver_open', (context: EventContext) => this.onReceiverOpen(context));
    this.container.on('disconnected', (context: EventContext) => closeConnectionState(context.connection));
    this.container.on('connection_close', (context: EventContext) => {
      closeConnectionState(context.connection);
      context.connection.close();
    });
    // Link and session errors are the peer's business; without a listener rhea would throw.
    this.container.on('error', (error: unknown) => this.log('amqp error', { error: error instanceof Error ? error.message : String(error) }));
  }

  async listen(port: number): Promise<number> {
    // autoaccept off: a send is accepted only once its events are durable.
    const server = this.container.listen({ port, host: '127.0.0.1', autoaccept: false } as Parameters<typeof this.container.listen>[0]) as Server;
    this.server = server;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** With SAS on: a put-token on this connection granted `entityPath` or a path above it (with `right`, when named). */
  private isAuthorized(connection: Connection, entityPath: string, right?: 'Send' | 'Listen'): boolean {
    if (!this.config.sas) return true;
    return grantCovers(connectionState(connection).grants, entitySegments(entityPath), right);
  }

  /** The service's words when the claim is there but not the right. */
  private missingClaim(connection: Connection, entityPath: string, right: 'Send' | 'Listen'): ReturnType<typeof amqpError> {
    return this.isAuthorized(connection, entityPath)
      ? amqpError('amqp:unauthorized-access', `Unauthorized access. '${right}' claim(s) are required to perform this operation.`)
      : amqpError('amqp:unauthorized-access', 'Unauthorized: put a valid token for this entity on $cbs first.');
  }

  /** Our receiver: the peer sends to $cbs, $management, a hub or a partition. */
  private onReceiverOpen(context: EventContext): void {
    const receiver = context.receiver as Receiver;
    const target = parseEntityAddress(receiver.target?.address);
    receiver.set_target({ address: receiver.target?.address });
    receiver.set_source({ address: receiver.source?.address });
    const connection = context.connection;
    if (target.kind === 'cbs' || target.kind === 'management') {
      receiver.on('message', (ctx: EventContext) => this.onRequest(ctx, target.kind === 'cbs'));
      return;
    }
    const hubName = target.kind === 'hub' || target.kind === 'partition' ? target.hub : undefined;
    const hub = hubName === undefined ? undefined : this.namespace.hub(hubName);
    if (!hub) return receiver.close(notFound(this.namespace.host, hubName ?? receiver.target?.address ?? ''));
    const entityPath = target.kind === 'partition' ? `${hub.name}/Partitions/${target.partition}` : hub.name;
    if (!this.isAuthorized(connection, entityPath, 'Send')) return receiver.close(this.missingClaim(connection, entityPath, 'Send'));
    const partition = target.kind === 'partition' ? hub.partition(target.partition) : undefined;
    if (target.kind === 'partition' && !partition) return receiver.close(invalidPartition());
    // max-message-size makes the SDK's createBatch enforce the same limit client side.
    setLocalAttach(receiver, { max_message_size: this.config.maxMessageBytes });
    const options = { hub, maxMessageBytes: this.config.maxMessageBytes, onError: this.log, ...(partition ? { partition } : {}) };
    receiver.on('message', (ctx: EventContext) => handleTransfer(ctx, options));
  }

  /** Our sender: the peer receives replies ($cbs/$management) or a consumer group's partition. */
  private onSenderOpen(context: EventContext): void {
    const sender = context.sender as Sender;
    const connection = context.connection;
    const source = parseEntityAddress(sender.source?.address);
    sender.set_source({ address: sender.source?.address });
    sender.set_target({ address: sender.target?.address });
    // Events go out pre-settled, as the service sends them: no per-event disposition round trip.
    setLocalAttach(sender, { snd_settle_mode: 1 });
    if (source.kind === 'cbs' || source.kind === 'management') {
      const replyTo = sender.target?.address ?? sender.name;
      const links = connectionState(connection).replyLinks;
      links.set(replyTo, sender);
      sender.on('sender_close', () => links.delete(replyTo));
      return;
    }
    if (source.kind !== 'consumer') return sender.close(notFound(this.namespace.host, sender.source?.address ?? ''));
    const hub = this.namespace.hub(source.hub);
    if (!hub) return sender.close(notFound(this.namespace.host, source.hub));
    if (!this.namespace.hasConsumerGroup(hub, source.consumerGroup)) {
      return sender.close(notFound(this.namespace.host, `${hub.name}/ConsumerGroups/${source.consumerGroup}`));
    }
    const partition = hub.partition(source.partition);
    if (!partition) return sender.close(invalidPartition());
    const consumerPath = `${hub.name}/ConsumerGroups/${source.consumerGroup}/Partitions/${source.partition}`;
    if (!this.isAuthorized(connection, consumerPath, 'Listen')) return sender.close(this.missingClaim(connection, consumerPath, 'Listen'));
    const expression = selectorExpression(remoteSourceFilter(sender));
    const position = expression === undefined ? { kind: 'earliest' as const } : parsePositionFilter(expression);
    if (!position) return sender.close(amqpError('com.microsoft:argument-error', `Unsupported filter expression: ${expression}`));
    const invalidPosition = partition.positionRefusal(position);
    if (invalidPosition) return sender.close(amqpError('com.microsoft:argument-error', invalidPosition));
    const properties = (sender.properties ?? {}) as Record<string, unknown>;
    const rawEpoch = properties[EPOCH];
    const epoch = rawEpoch === undefined || rawEpoch === null ? undefined : Number(rawEpoch);
    const desired = ([] as string[]).concat(sender.desired_capabilities ?? []);
    const runtimeMetrics = desired.includes(RUNTIME_METRIC);
    if (runtimeMetrics) setLocalAttach(sender, { offered_capabilities: [RUNTIME_METRIC] });
    if (epoch !== undefined) setLocalAttach(sender, { properties: { [EPOCH]: properties[EPOCH] } });

    const key = `${hub.name.toLowerCase()}/${source.consumerGroup.toLowerCase()}/${partition.id}`;
    // The reader can be disconnected (stolen) only after the consumer link exists.
    const active: { consumer?: ConsumerLink } = {};
    const reader = {
      name: sender.name,
      ...(epoch === undefined ? {} : { epoch }),
      disconnect: (error: Parameters<Sender['close']>[0]) => {
        active.consumer?.close();
        sender.close(error);
      },
    };
    const refusal = this.readers.add(key, reader);
    if (refusal) return sender.close(refusal);
    active.consumer = new ConsumerLink(sender, partition, partition.resolve(position), runtimeMetrics, (error) => {
      this.log('consumer read failed', { hub: hub.name, partitionId: partition.id, error: error instanceof Error ? error.message : String(error) });
      reader.disconnect(amqpError('amqp:internal-error', 'Reading the partition failed.'));
    });
    const cleanup = (): void => {
      active.consumer?.close();
      this.readers.remove(key, reader);
    };
    sender.on('sender_close', cleanup);
    connectionState(connection).onClose.add(cleanup);
    // Pump once the attach is on the wire and the peer's first flow arrives ('sendable').
  }

  private onRequest(context: EventContext, isCbs: boolean): void {
    const request = context.message as Message;
    const connection = context.connection;
    const state = connectionState(connection);
    let reply: Reply;
    if (isCbs) {
      const result = handlePutToken(request, this.namespace, this.config);
      reply = result.reply;
      // Tokens are renewed on the same connection: keep each granted path once.
      const grant = result.grant;
      if (grant && !state.grants.some((g) => g.path.join('/') === grant.path.join('/') && g.rights.join() === grant.rights.join())) state.grants.push(grant);
      if (result.reply.status === 401) this.log('put-token refused', { status: result.reply.status });
    } else {
      reply = handleManagement(request, this.namespace, (entityPath) => this.isAuthorized(connection, entityPath));
    }
    context.delivery?.accept();
    const replyTo = typeof request.reply_to === 'string' ? request.reply_to : '';
    const link = state.replyLinks.get(replyTo);
    if (!link) {
      this.log('no reply link for request', { replyTo });
      return;
    }
    link.send({
      correlation_id: request.message_id,
      application_properties: {
        'status-code': reply.status,
        'status-description': reply.description,
        ...(reply.condition ? { 'error-condition': reply.condition } : {}),
      },
      body: reply.body ?? null,
    } as Message);
  }
}
