import type { AddressInfo, Server, Socket } from "node:net";
import rhea, {
  type Connection,
  type Container,
  type Delivery,
  type EventContext,
  type Message,
  type Receiver,
  type Sender,
} from "rhea";
import { type Address, type Broker } from "./broker";
import { BrokerError, conditions } from "./brokerError";
import {
  BATCH_FORMAT,
  MAX_MESSAGE_SIZE,
  bodyLength,
  scheduledTime,
  unpackBatch,
} from "./incomingMessage";
import { LinkConsumer, deliveryLocks } from "./linkConsumer";
import { handleManagementRequest } from "./management";
import { forgetDelivery, holdAttach, internals, outcomes, patchDrain } from "./rheaInternals";
import type { MessageStore } from "./messageStore";

// rhea hangs these on its container instance, which a named import does not reach.
const { types } = rhea;

const SESSION_FILTER = "com.microsoft:session-filter";
const LOCKED_UNTIL = "com.microsoft:locked-until-utc";
/**
 * An acceptNextSession attach waits for a session up to the client's com.microsoft:timeout
 * link property (the SDK sets it a little below its own timeout, so the broker answers
 * first), and at most 65 s, the service's limit.
 */
const NEXT_SESSION_MAX_WAIT_MS = 65_000;
const TIMEOUT_PROPERTY = "com.microsoft:timeout";

type LinkRole =
  | { kind: "cbs-in" }
  | { kind: "mgmt-in"; path: string }
  | { kind: "reply" }
  | { kind: "entity-in"; path: string }
  | { kind: "entity-out"; consumer: LinkConsumer };

/** Pre-.NET-epoch ticks, as the service writes com.microsoft:locked-until-utc. */
function toTicks(ms: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(ms) * 10000n + 621355968000000000n);
  return b;
}

/**
 * The AMQP side of the emulator: SASL, CBS, links on entity paths, $management, and the
 * translation of dispositions into store operations.
 */
export class AmqpServer {
  private readonly container: Container;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly roles = new WeakMap<object, LinkRole>();
  private readonly consumersByConnection = new Map<Connection, Set<LinkConsumer>>();

  constructor(
    private readonly broker: Broker,
    private readonly log: (line: string) => void,
  ) {
    this.container = rhea.create_container({ id: "servicebus-emulator" });
    const mechanisms = this.container.sasl_server_mechanisms as {
      enable_anonymous(): void;
      enable_plain(check: () => boolean): void;
    };
    // Any credentials are accepted locally, as the official emulator does.
    mechanisms.enable_anonymous();
    mechanisms.enable_plain(() => true);
    this.wire();
  }

  async listen(port: number, host: string): Promise<number> {
    const server = this.container.listen({
      port,
      host,
      // Dispositions are answered by the broker (lock lost, dead-letter), never automatically.
      autoaccept: false,
      treat_modified_as_released: false,
      // rhea frees outgoing delivery slots only in order; a message the client holds locked
      // (or never settles) keeps every later slot of its session, so the window is large.
      session_buffer_size: { outgoing: 1 << 20, incoming: 2048 },
      max_frame_size: 65536,
    } as unknown as Parameters<Container["listen"]>[0]);
    this.server = server;
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      // Small AMQP frames (flows, dispositions) must not wait for Nagle + delayed ACK (40 ms each).
      socket.setNoDelay(true);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // With an error: rhea learns of a socket's end only from its "end" or "error" event, and a
    // bare destroy() emits neither, so the connection would stay open and its heartbeat timer
    // would write into the dead socket for ever (and keep the process alive).
    for (const s of this.sockets) s.destroy(new Error("The Service Bus emulator closed."));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private wire(): void {
    const c = this.container;
    c.on("sender_open", (ctx: EventContext) => this.guard(ctx, () => this.onSenderOpen(ctx)));
    c.on("receiver_open", (ctx: EventContext) => this.guard(ctx, () => this.onReceiverOpen(ctx)));
    c.on("message", (ctx: EventContext) => this.onMessage(ctx));
    c.on("accepted", (ctx: EventContext) => this.onOutcome(ctx, "accepted"));
    c.on("released", (ctx: EventContext) => this.onOutcome(ctx, "released"));
    c.on("modified", (ctx: EventContext) => this.onOutcome(ctx, "modified"));
    c.on("rejected", (ctx: EventContext) => this.onOutcome(ctx, "rejected"));
    c.on("sendable", (ctx: EventContext) => this.pumpFor(ctx.sender));
    c.on("sender_draining", (ctx: EventContext) => this.onDraining(ctx));
    c.on("sender_close", (ctx: EventContext) => this.dropConsumer(ctx.sender));
    c.on("sender_error", (ctx: EventContext) => this.dropConsumer(ctx.sender));
    c.on("receiver_close", () => undefined);
    c.on("receiver_error", () => undefined);
    c.on("session_error", () => undefined);
    c.on("connection_error", () => undefined);
    c.on("connection_close", (ctx: EventContext) => this.dropConnection(ctx.connection));
    c.on("disconnected", (ctx: EventContext) => this.dropConnection(ctx.connection));
    c.on("error", (e: unknown) => this.log(`amqp error: ${String(e)}`));
  }

  private guard(ctx: EventContext, f: () => void): void {
    try {
      f();
    } catch (e) {
      const link = (ctx.sender ?? ctx.receiver) as Sender | Receiver;
      const err =
        e instanceof BrokerError
          ? { condition: e.condition, description: e.message }
          : { condition: "amqp:internal-error", description: String(e) };
      link.close(err);
    }
  }

  /** A client receiver attached: $cbs / $management reply links, or an entity to consume. */
  private onSenderOpen(ctx: EventContext): void {
    const link = ctx.sender as Sender;
    const li = internals(link);
    const source = li.remote.attach?.source as
      { address?: string; filter?: Record<string, unknown> } | undefined;
    const address = source?.address ?? "";
    li.local.attach.snd_settle_mode = li.remote.attach?.snd_settle_mode ?? 0;
    li.local.attach.rcv_settle_mode = li.remote.attach?.rcv_settle_mode ?? 0;
    patchDrain(link);
    if (address === "$cbs" || address.endsWith("$management")) {
      this.roles.set(link, { kind: "reply" });
      return;
    }
    const target: Address = this.broker.resolve(address);
    if (target.kind === "topic") {
      throw new BrokerError(
        conditions.notAllowed,
        `Cannot receive from topic '${address}'; use a subscription.`,
      );
    }
    const store = target.store;
    const consumer = new LinkConsumer(link, store);
    this.roles.set(link, { kind: "entity-out", consumer });
    let set = this.consumersByConnection.get(link.connection);
    if (!set) this.consumersByConnection.set(link.connection, (set = new Set()));
    set.add(consumer);

    if (!store.options.requiresSession) {
      store.addConsumer(consumer);
      store.pump();
      return;
    }
    const filter = source?.filter ?? {};
    const wanted = filter[SESSION_FILTER];
    const requested = typeof wanted === "string" ? wanted : undefined;
    let sessionId: string | undefined;
    try {
      sessionId = store.acquireSession(consumer, requested);
    } catch (e) {
      // The SDK recognises a refused session by an attach without its session id.
      link.set_source({ address });
      throw e;
    }
    if (sessionId !== undefined) {
      this.completeSessionAttach(link, store, consumer, address, sessionId);
      return;
    }
    // acceptNextSession with no session free: hold the attach until one is, as the service does.
    holdAttach(link);
    const requestedWait = (li.remote.attach?.properties as Record<string, unknown> | undefined)?.[
      TIMEOUT_PROPERTY
    ];
    const nextSessionWait = Math.min(
      NEXT_SESSION_MAX_WAIT_MS,
      typeof requestedWait === "number" && requestedWait > 0 ? requestedWait : Infinity,
    );
    const timer = setTimeout(() => {
      cancel();
      // The client may have given up and detached already; then there is nobody to answer.
      if (!link.is_remote_open() || link.connection.is_closed()) return;
      link.set_source({ address });
      link.open();
      link.close({
        condition: conditions.timeout,
        description: "No unlocked sessions were available within the timeout.",
      });
    }, nextSessionWait);
    timer.unref();
    const cancel = store.waitForSession((id) => {
      if (!link.is_remote_open() || link.connection.is_closed()) {
        cancel();
        clearTimeout(timer);
        return false;
      }
      const got = store.acquireSession(consumer, id);
      if (got === undefined) return false;
      cancel();
      clearTimeout(timer);
      this.completeSessionAttach(link, store, consumer, address, got);
      link.open();
      return true;
    });
  }

  private completeSessionAttach(
    link: Sender,
    store: MessageStore,
    consumer: LinkConsumer,
    address: string,
    sessionId: string,
  ): void {
    link.set_source({ address, filter: { [SESSION_FILTER]: sessionId } });
    internals(link).local.attach.properties = {
      [LOCKED_UNTIL]: types.wrap_long(toTicks(store.sessionLockedUntil(consumer))),
    };
    store.addConsumer(consumer);
    setImmediate(() => store.pump());
  }

  /** A client sender attached: $cbs / $management requests, or messages for an entity. */
  private onReceiverOpen(ctx: EventContext): void {
    const link = ctx.receiver as Receiver;
    const target = internals(link).remote.attach?.target as { address?: string } | undefined;
    const address = target?.address ?? "";
    if (address === "$cbs") {
      this.roles.set(link, { kind: "cbs-in" });
    } else if (address.endsWith("$management")) {
      const path = address.slice(0, -"$management".length).replace(/\/$/, "");
      if (path !== "") this.broker.resolve(path);
      this.roles.set(link, { kind: "mgmt-in", path });
    } else {
      const resolved = this.broker.resolve(address);
      if (resolved.kind !== "queue" && resolved.kind !== "topic") {
        throw new BrokerError(conditions.notAllowed, `Cannot send to '${address}'.`);
      }
      internals(link).local.attach.max_message_size = MAX_MESSAGE_SIZE;
      this.roles.set(link, { kind: "entity-in", path: address });
    }
  }

  private onMessage(ctx: EventContext): void {
    const link = ctx.receiver as Receiver;
    const delivery = ctx.delivery as Delivery;
    const role = this.roles.get(link);
    try {
      if (role?.kind === "cbs-in") {
        this.reply(
          link.connection,
          ctx.message as Message,
          { "status-code": 200, "status-description": "OK" },
          undefined,
        );
        delivery.accept();
      } else if (role?.kind === "mgmt-in") {
        const request = ctx.message as Message;
        let props: Record<string, unknown>;
        let body: unknown;
        try {
          body = handleManagementRequest(this.broker, role.path, request);
          props = { statusCode: body === undefined ? 204 : 200, statusDescription: "OK" };
        } catch (e) {
          const err =
            e instanceof BrokerError ? e : new BrokerError("amqp:internal-error", String(e), 500);
          props = {
            statusCode: err.statusCode,
            statusDescription: err.message,
            errorCondition: err.condition,
          };
          body = undefined;
        }
        this.reply(link.connection, request, props, body);
        delivery.accept();
      } else if (role?.kind === "entity-in") {
        this.accept(role.path, ctx);
        delivery.accept();
      } else {
        delivery.reject({ condition: conditions.notAllowed, description: "unexpected message" });
      }
    } catch (e) {
      const err = e instanceof BrokerError ? e : new BrokerError("amqp:internal-error", String(e));
      delivery.reject({ condition: err.condition, description: err.message });
    }
  }

  private accept(path: string, ctx: EventContext): void {
    const format = (ctx as { format?: number }).format;
    const messages =
      format === BATCH_FORMAT
        ? unpackBatch(ctx.message as unknown as Buffer)
        : [ctx.message as Message];
    const size = messages.reduce((n, m) => n + bodyLength(m.body), 0);
    if (size > MAX_MESSAGE_SIZE) {
      throw new BrokerError(
        conditions.sizeExceeded,
        `The received message (size: ${size} bytes) exceeds the limit (${MAX_MESSAGE_SIZE} bytes) currently allowed on the link.`,
      );
    }
    for (const m of messages) this.broker.send(path, m, scheduledTime(m));
  }

  private reply(
    connection: Connection,
    request: Message,
    props: Record<string, unknown>,
    body: unknown,
  ): void {
    const replyTo = String(request.reply_to ?? "");
    const link = connection.find_sender(
      (s: Sender) => s.name === replyTo || s.source?.address === replyTo,
    );
    if (!link) return;
    const response: Message = {
      correlation_id: request.message_id,
      application_properties: props,
      body: body === undefined ? null : body,
    };
    link.send(response);
  }

  /** The client settled (or asked to settle) a delivery: complete, abandon, defer or dead-letter. */
  private onOutcome(
    ctx: EventContext,
    outcome: "accepted" | "released" | "modified" | "rejected",
  ): void {
    const delivery = ctx.delivery as Delivery & { remote_state?: Record<string, unknown> };
    const token = deliveryLocks.get(delivery);
    const role = ctx.sender ? this.roles.get(ctx.sender) : undefined;
    if (!token || role?.kind !== "entity-out") return;
    deliveryLocks.delete(delivery);
    role.consumer.settledOnLink(token);
    const store = role.consumer.store;
    const state = delivery.remote_state ?? {};
    try {
      if (outcome === "accepted") {
        store.complete(token);
      } else if (outcome === "released") {
        store.abandon(token);
      } else if (outcome === "modified") {
        const props = state.message_annotations as Record<string, unknown> | undefined;
        if (state.undeliverable_here) store.defer(token, props);
        else store.abandon(token, props);
      } else {
        const error = (state.error ?? {}) as { info?: Record<string, unknown> };
        const info = { ...(error.info ?? {}) };
        const reason = info.DeadLetterReason as string | undefined;
        const description = info.DeadLetterErrorDescription as string | undefined;
        delete info.DeadLetterReason;
        delete info.DeadLetterErrorDescription;
        store.deadLetterByToken(token, reason, description, info);
      }
      // Every successful settlement is answered "accepted": the SDK treats any other echoed
      // outcome carrying an error (a dead-letter is a rejected outcome) as a failure.
      delivery.update(true, outcomes.accepted().described());
      forgetDelivery(delivery);
    } catch (e) {
      const err = e instanceof BrokerError ? e : new BrokerError("amqp:internal-error", String(e));
      delivery.update(
        true,
        outcomes
          .rejected({ error: { condition: err.condition, description: err.message } })
          .described(),
      );
      forgetDelivery(delivery);
    }
  }

  private pumpFor(link: Sender | undefined): void {
    const role = link ? this.roles.get(link) : undefined;
    if (role?.kind === "entity-out") role.consumer.store.pump();
  }

  /** receiveMessages drains leftover credit; answer once nothing more can be sent. */
  private onDraining(ctx: EventContext): void {
    const link = ctx.sender as Sender;
    this.pumpFor(link);
    link.set_drained(true);
    (link as unknown as { issue_flow: boolean }).issue_flow = true;
    (link.connection as unknown as { _register(): void })._register();
  }

  private dropConsumer(link: Sender | undefined): void {
    const role = link ? this.roles.get(link) : undefined;
    if (role?.kind !== "entity-out") return;
    role.consumer.store.removeConsumer(role.consumer);
    role.consumer.forgetAll();
    this.consumersByConnection.get(link!.connection)?.delete(role.consumer);
  }

  private dropConnection(connection: Connection | undefined): void {
    if (!connection) return;
    const set = this.consumersByConnection.get(connection);
    if (!set) return;
    this.consumersByConnection.delete(connection);
    for (const c of set) c.store.removeConsumer(c);
  }
}
