/**
 * The Service Bus trigger with the Functions extension's semantics: peek-lock receive, the
 * lock renewed while the handler runs (up to maxAutoLockRenewalDuration), complete on success
 * (when autoCompleteMessages), abandon on failure so the broker's MaxDeliveryCount moves a
 * poison message to the dead-letter queue, at most maxConcurrentCalls handlers at once per
 * function, and maxConcurrentSessions sessions at once for session-enabled entities.
 */
import type {
  ServiceBusClient,
  ServiceBusReceivedMessage,
  ServiceBusReceiver,
  ServiceBusSessionReceiver,
} from "@azure/service-bus";
import type { ServiceBusHostOptions } from "./hostJson";
import type { LogWriter } from "./logger";
import type { FunctionInvoker, RegisteredFunction } from "./plugin";
import { batchMetadata, messageMetadata, toRpcBody, toRpcMetadata } from "./serviceBusMessageData";
import { resolveServiceBusConnection, type ServiceBusClients } from "./serviceBusConnection";
import { resolveBindingExpression } from "./timerTrigger";

export interface ServiceBusTriggerTarget {
  readonly fn: RegisteredFunction;
  readonly queueName?: string;
  readonly topicName?: string;
  readonly subscriptionName?: string;
  readonly entityPath: string;
  readonly sessions: boolean;
  readonly batch: boolean;
  readonly autoComplete: boolean;
  readonly connectionSetting: string;
}

/** Resolves every Service Bus trigger's entity and connection; throws naming what is missing. */
export function serviceBusTargetsOf(
  functions: readonly RegisteredFunction[],
  settings: Readonly<Record<string, string | undefined>>,
  options: ServiceBusHostOptions,
): Array<ServiceBusTriggerTarget & { connection: ReturnType<typeof resolveServiceBusConnection> }> {
  return functions
    .filter((fn) => fn.triggerType.toLowerCase() === "servicebustrigger")
    .map((fn) => {
      const trigger = fn.bindings[fn.triggerBindingName] ?? {
        type: "serviceBusTrigger",
        direction: "in",
      };
      const where = `Function "${fn.name}"`;
      const text = (v: unknown): string | undefined =>
        typeof v === "string" && v ? resolveBindingExpression(v, settings, where) : undefined;
      const queueName = text(trigger.queueName);
      const topicName = text(trigger.topicName);
      const subscriptionName = text(trigger.subscriptionName);
      if (!queueName && !(topicName && subscriptionName)) {
        throw new Error(`${where} needs queueName, or topicName and subscriptionName.`);
      }
      const connection = resolveServiceBusConnection(trigger.connection, settings, where);
      const perFunctionAuto = trigger.autoCompleteMessages;
      return {
        fn,
        ...(queueName
          ? { queueName }
          : { topicName: topicName!, subscriptionName: subscriptionName! }),
        entityPath: queueName ?? `${topicName}/Subscriptions/${subscriptionName}`,
        sessions: trigger.isSessionsEnabled === true,
        batch:
          typeof trigger.cardinality === "string" && trigger.cardinality.toLowerCase() === "many",
        autoComplete:
          typeof perFunctionAuto === "boolean" ? perFunctionAuto : options.autoCompleteMessages,
        connectionSetting: connection.settingName,
        connection,
      };
    });
}

export interface ServiceBusTriggerOptions {
  readonly targets: ReturnType<typeof serviceBusTargetsOf>;
  readonly clients: ServiceBusClients;
  readonly invoker: FunctionInvoker;
  readonly options: ServiceBusHostOptions;
  readonly log: LogWriter;
}

export interface RunningServiceBusTriggers {
  /** Stops receiving, lets running handlers finish and settles their messages. */
  stop(): Promise<void>;
}

interface Settler {
  completeMessage(message: ServiceBusReceivedMessage): Promise<void>;
  abandonMessage(message: ServiceBusReceivedMessage): Promise<void>;
  deadLetterMessage(
    message: ServiceBusReceivedMessage,
    options: { deadLetterReason: string; deadLetterErrorDescription: string },
  ): Promise<void>;
}

/**
 * A handler that rejects with an error carrying `deadLetterReason` (directly or as a
 * `cause`, e.g. the app's PoisonMessageError) asks for its message to be dead-lettered at
 * once with that reason instead of abandoned and redelivered (an invalid message
 * is never retried). Azure's extension offers this through SDK-type bindings only.
 */
function deadLetterRequest(
  error: unknown,
): { deadLetterReason: string; deadLetterErrorDescription: string } | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as {
      deadLetterReason?: unknown;
      deadLetterErrorDescription?: unknown;
      cause?: unknown;
    };
    if (typeof candidate.deadLetterReason === "string") {
      return {
        deadLetterReason: candidate.deadLetterReason,
        deadLetterErrorDescription:
          typeof candidate.deadLetterErrorDescription === "string"
            ? candidate.deadLetterErrorDescription.slice(0, 4096)
            : "",
      };
    }
    current = candidate.cause;
  }
  return undefined;
}

function traceOf(message: ServiceBusReceivedMessage): { traceParent?: string } {
  const props = message.applicationProperties ?? {};
  const id = props["Diagnostic-Id"] ?? props.traceparent;
  return typeof id === "string" ? { traceParent: id } : {};
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function startServiceBusTriggers(
  config: ServiceBusTriggerOptions,
): RunningServiceBusTriggers {
  const { invoker, options, log } = config;
  const stoppers: Array<() => Promise<void>> = [];
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  // Aborts session accepts that are waiting for a session, so stop() does not wait for them.
  const stopSignal = new AbortController();

  const track = (work: Promise<void>): Promise<void> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  };

  async function settle(
    target: ServiceBusTriggerTarget,
    settler: Settler,
    messages: readonly ServiceBusReceivedMessage[],
    ok: boolean,
  ): Promise<void> {
    for (const message of messages) {
      try {
        if (ok) {
          if (target.autoComplete) await settler.completeMessage(message);
        } else await settler.abandonMessage(message);
      } catch (error) {
        // A lost lock means the broker will redeliver; that is the at-least-once contract.
        log.log({
          level: "warning",
          category: "system",
          functionName: target.fn.name,
          message: `Could not ${ok ? "complete" : "abandon"} message ${String(message.messageId)}: ${describe(error)}`,
        });
      }
    }
  }

  async function run(
    target: ServiceBusTriggerTarget,
    settler: Settler,
    messages: readonly ServiceBusReceivedMessage[],
  ): Promise<void> {
    const fn = target.fn;
    const first = messages[0];
    if (!first) return;
    const data = target.batch
      ? {
          collectionString: {
            string: messages.map((m) => {
              const b = toRpcBody(m.body);
              return b.json ?? b.string ?? Buffer.from(b.bytes ?? []).toString("base64");
            }),
          },
        }
      : toRpcBody(first.body);
    const metadata = target.batch ? batchMetadata(messages) : messageMetadata(first);
    let ok = true;
    try {
      await invoker.invoke(fn, {
        inputData: [{ name: fn.triggerBindingName, data }],
        triggerMetadata: toRpcMetadata(metadata, fn.name),
        // The SDKs put the sender's trace in Diagnostic-Id (W3C traceparent format).
        traceContext: traceOf(first),
      });
    } catch (error) {
      ok = false; // The invoker logged the failure; abandoning hands the message back to the broker.
      const deadLetter = target.batch ? undefined : deadLetterRequest(error);
      if (deadLetter) {
        try {
          await settler.deadLetterMessage(first, deadLetter);
          return;
        } catch (settleError) {
          log.log({
            level: "warning",
            category: "system",
            functionName: fn.name,
            message: `Could not dead-letter message ${String(first.messageId)}: ${describe(settleError)}`,
          });
        }
      }
    }
    await settle(target, settler, messages, ok);
  }

  function subscribeTo(
    target: ServiceBusTriggerTarget,
    receiver: ServiceBusReceiver,
    concurrency: number,
  ): () => Promise<void> {
    const subscription = receiver.subscribe(
      {
        processMessage: (message) => track(run(target, receiver, [message])),
        processError: (args) => {
          if (stopping) return Promise.resolve();
          log.log({
            level: "warning",
            category: "system",
            functionName: target.fn.name,
            message: `Service Bus receive error on ${target.entityPath} (${args.errorSource}): ${describe(args.error)}`,
          });
          return Promise.resolve();
        },
      },
      { autoCompleteMessages: false, maxConcurrentCalls: concurrency },
    );
    return () => subscription.close();
  }

  function receiverFor(
    client: ServiceBusClient,
    target: ServiceBusTriggerTarget,
  ): ServiceBusReceiver {
    const receiverOptions = {
      receiveMode: "peekLock" as const,
      maxAutoLockRenewalDurationInMs: options.maxAutoLockRenewalDurationInMs,
      skipParsingBodyAsJson: true,
    };
    return target.queueName
      ? client.createReceiver(target.queueName, receiverOptions)
      : client.createReceiver(target.topicName!, target.subscriptionName!, receiverOptions);
  }

  async function batchLoop(
    target: ServiceBusTriggerTarget,
    receiver: ServiceBusReceiver,
  ): Promise<void> {
    while (!stopping) {
      let messages: ServiceBusReceivedMessage[];
      try {
        messages = await receiver.receiveMessages(options.maxMessageBatchSize, {
          maxWaitTimeInMs: 1000,
        });
      } catch (error) {
        if (stopping) return;
        log.log({
          level: "warning",
          category: "system",
          functionName: target.fn.name,
          message: `Service Bus receive error on ${target.entityPath}: ${describe(error)}`,
        });
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (messages.length > 0) await track(run(target, receiver, messages));
    }
  }

  async function sessionWorker(
    client: ServiceBusClient,
    target: ServiceBusTriggerTarget,
  ): Promise<void> {
    const idleMs = options.sessionIdleTimeoutInMs ?? 1000;
    while (!stopping) {
      let session: ServiceBusSessionReceiver;
      try {
        const sessionOptions = {
          receiveMode: "peekLock" as const,
          maxAutoLockRenewalDurationInMs: options.maxAutoLockRenewalDurationInMs,
          skipParsingBodyAsJson: true,
          abortSignal: stopSignal.signal,
        };
        session = target.queueName
          ? await client.acceptNextSession(target.queueName, sessionOptions)
          : await client.acceptNextSession(
              target.topicName!,
              target.subscriptionName!,
              sessionOptions,
            );
      } catch (error) {
        if (stopping) return;
        // No session available within the service's wait time is the normal idle case.
        log.log({
          level: "debug",
          category: "system",
          functionName: target.fn.name,
          message: `No session accepted on ${target.entityPath}: ${describe(error)}`,
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      try {
        while (!stopping) {
          const messages = await session.receiveMessages(options.maxConcurrentCallsPerSession, {
            maxWaitTimeInMs: idleMs,
          });
          if (messages.length === 0) break;
          // Messages of one session run in order, up to maxConcurrentCallsPerSession at once.
          await Promise.all(messages.map((m) => track(run(target, session, [m]))));
        }
      } catch (error) {
        if (!stopping)
          log.log({
            level: "warning",
            category: "system",
            functionName: target.fn.name,
            message: `Session ${session.sessionId} on ${target.entityPath} failed: ${describe(error)}`,
          });
      } finally {
        await session.close().catch(() => undefined);
      }
    }
  }

  for (const target of config.targets) {
    const client = config.clients.get(target.connection);
    if (target.sessions) {
      // Workers end on their own once stopping: a worker waiting in acceptNextSession (the
      // broker holds that attach until a session is free) is not awaited, only running
      // handlers are; closing the client afterwards ends the wait.
      for (let i = 0; i < options.maxConcurrentSessions; i++) {
        sessionWorker(client, target).catch(() => undefined);
      }
      continue;
    }
    const receiver = receiverFor(client, target);
    if (target.batch) {
      const loop = batchLoop(target, receiver);
      stoppers.push(async () => {
        await loop;
        await receiver.close();
      });
      continue;
    }
    const unsubscribe = subscribeTo(target, receiver, options.maxConcurrentCalls);
    stoppers.push(async () => {
      await unsubscribe();
      await Promise.all([...inFlight]);
      await receiver.close();
    });
  }

  return {
    async stop(): Promise<void> {
      stopping = true;
      stopSignal.abort();
      await Promise.all(stoppers.map((stop) => stop().catch(() => undefined)));
      await Promise.all([...inFlight]);
    },
  };
}
