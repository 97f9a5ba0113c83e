import type { Socket } from "node:net";
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
import type { MessageStore } from "./messageStore";
import { acceptSocket, internals, patchDrain } from "./rheaInternals";
import { attachSessionReceiver } from "./sessionAttach";
import { settleDelivery, type Outcome } from "./settleDelivery";

/** Connection settings of every accepted AMQP connection. */
const CONNECTION_OPTIONS = {
  // Dispositions are answered by the broker (lock lost, dead-letter), never automatically.
  autoaccept: false,
  treat_modified_as_released: false,
  // rhea frees outgoing delivery slots only in order; a message the client holds locked
  // (or never settles) keeps every later slot of its session, so the window is large.
  session_buffer_size: { outgoing: 1 << 20, incoming: 2048 },
  max_frame_size: 65536,
};

type LinkRole =
  | { kind: "cbs-in" }
  | { kind: "mgmt-in"; path: string }
  | { kind: "reply" }
  | { kind: "entity-in"; path: string }
  | { kind: "entity-out"; consumer: LinkConsumer };

/**
 * The AMQP side of the emulator: SASL, CBS, links on entity paths, $management, and the
 * translation of dispositions into store operations.
 */
export class AmqpServer {
  private readonly container: Container;
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
    broker.entities.onDeleted((stores) => this.detachFrom(stores));
  }

  /** Takes a client socket whose first bytes are the AMQP protocol header. */
  accept(socket: Socket): void {
    acceptSocket(
      this.container.create_connection(
        CONNECTION_OPTIONS as unknown as Parameters<Container["create_connection"]>[0],
      ),
      socket,
    );
  }

  /** A deleted entity's receivers are detached with amqp:not-found, as the service does. */
  private detachFrom(stores: readonly MessageStore[]): void {
    const gone = new Set(stores);
    for (const set of this.consumersByConnection.values()) {
      for (const consumer of set) {
        if (!gone.has(consumer.store)) continue;
        set.delete(consumer);
        consumer.store.removeConsumer(consumer);
        consumer.forgetAll();
        consumer.link.close({
          condition: conditions.notFound,
          description: `The messaging entity '${consumer.store.path}' was deleted.`,
        });
      }
    }
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
    const consumer = new LinkConsumer(link, store, () => this.broker.operations.deliveries++);
    this.roles.set(link, { kind: "entity-out", consumer });
    let set = this.consumersByConnection.get(link.connection);
    if (!set) this.consumersByConnection.set(link.connection, (set = new Set()));
    set.add(consumer);

    if (!store.options.requiresSession) {
      store.addConsumer(consumer);
      store.pump();
      return;
    }
    attachSessionReceiver(link, store, consumer, address, source?.filter ?? {});
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
        this.broker.operations.management++;
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
        this.acceptMessages(role.path, ctx);
        delivery.accept();
      } else {
        delivery.reject({ condition: conditions.notAllowed, description: "unexpected message" });
      }
    } catch (e) {
      const err = e instanceof BrokerError ? e : new BrokerError("amqp:internal-error", String(e));
      delivery.reject({ condition: err.condition, description: err.message });
    }
  }

  private acceptMessages(path: string, ctx: EventContext): void {
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
    this.broker.operations.sends += messages.length;
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
  private onOutcome(ctx: EventContext, outcome: Outcome): void {
    const delivery = ctx.delivery as Delivery & { remote_state?: Record<string, unknown> };
    const token = deliveryLocks.get(delivery);
    const role = ctx.sender ? this.roles.get(ctx.sender) : undefined;
    if (!token || role?.kind !== "entity-out") return;
    deliveryLocks.delete(delivery);
    this.broker.operations.settlements++;
    role.consumer.settledOnLink(token);
    settleDelivery(role.consumer.store, token, outcome, delivery);
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
