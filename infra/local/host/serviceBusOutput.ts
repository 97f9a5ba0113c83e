/**
 * The Service Bus output binding (`output.serviceBusQueue/Topic`): the value a function
 * returns or sets in `context.extraOutputs` becomes messages, one per array element, sent
 * after the handler succeeded. Objects go as UTF-8 JSON with content type application/json,
 * strings as UTF-8 text, bytes as they are, as the extension writes them.
 */
import type { ServiceBusMessage, ServiceBusSender } from "@azure/service-bus";
import type { OutputBindingHandler } from "./invoker";
import type { BindingInfoLike, RegisteredFunction, RpcTypedDataLike } from "./plugin";
import { resolveServiceBusConnection, type ServiceBusClients } from "./serviceBusConnection";
import { resolveBindingExpression } from "./timerTrigger";

function toMessage(value: unknown): ServiceBusMessage {
  if (typeof value === "string")
    return { body: Buffer.from(value, "utf8"), contentType: "text/plain" };
  if (Buffer.isBuffer(value)) return { body: value, contentType: "application/octet-stream" };
  return { body: Buffer.from(JSON.stringify(value), "utf8"), contentType: "application/json" };
}

/** The messages one output value stands for. */
export function toOutputMessages(data: RpcTypedDataLike): ServiceBusMessage[] {
  if (typeof data.json === "string") {
    const value: unknown = JSON.parse(data.json);
    return (Array.isArray(value) ? value : [value]).map(toMessage);
  }
  if (typeof data.string === "string") return [toMessage(data.string)];
  if (data.bytes) return [toMessage(Buffer.from(data.bytes))];
  if (typeof data.int === "number" || typeof data.double === "number") {
    return [toMessage(String(data.int ?? data.double))];
  }
  return [];
}

export function entityOf(
  binding: BindingInfoLike,
  settings: Readonly<Record<string, string | undefined>>,
  where: string,
): string {
  const raw = binding.queueName ?? binding.topicName;
  if (typeof raw !== "string" || !raw)
    throw new Error(`${where}: a Service Bus output needs queueName or topicName.`);
  return resolveBindingExpression(raw, settings, where);
}

/** Checks every Service Bus output binding's connection and entity (start-up errors name them). */
export function validateServiceBusOutputs(
  functions: readonly RegisteredFunction[],
  settings: Readonly<Record<string, string | undefined>>,
): void {
  for (const fn of functions) {
    for (const binding of Object.values(fn.bindings)) {
      if (binding.type.toLowerCase() !== "servicebus" || binding.direction === "in") continue;
      const where = `Function "${fn.name}" (Service Bus output)`;
      entityOf(binding, settings, where);
      resolveServiceBusConnection(binding.connection, settings, where);
    }
  }
}

export function createServiceBusOutputHandler(
  clients: ServiceBusClients,
  settings: Readonly<Record<string, string | undefined>>,
): { handler: OutputBindingHandler; close(): Promise<void> } {
  const senders = new Map<string, ServiceBusSender>();
  return {
    async handler(binding, data, fn): Promise<void> {
      const where = `Function "${fn.name}" (Service Bus output)`;
      const entity = entityOf(binding, settings, where);
      const connection = resolveServiceBusConnection(binding.connection, settings, where);
      const key = `${connection.settingName}|${entity}`;
      let sender = senders.get(key);
      if (!sender) {
        sender = clients.get(connection).createSender(entity);
        senders.set(key, sender);
      }
      const messages = toOutputMessages(data);
      if (messages.length > 0) await sender.sendMessages(messages);
    },
    async close(): Promise<void> {
      await Promise.allSettled([...senders.values()].map((s) => s.close()));
      senders.clear();
    },
  };
}
