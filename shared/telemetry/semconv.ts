/**
 * Span attribute names. Stable OpenTelemetry semantic conventions come from the package;
 * the incubating ones (FaaS, messaging, CloudEvents) are copied here, as the package advises
 * for incubating names (https://opentelemetry.io/docs/specs/semconv/faas/faas-spans/,
 * https://opentelemetry.io/docs/specs/semconv/messaging/azure-messaging/). The `order.*`,
 * `saga.*` and `durable.*` names are this app's own: the workbook and `npm run trace` read them.
 */
export {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from "@opentelemetry/semantic-conventions";

export const ATTR_FAAS_TRIGGER = "faas.trigger";
export const ATTR_FAAS_INVOCATION_ID = "faas.invocation_id";
export const ATTR_FAAS_NAME = "faas.name";
export const ATTR_MESSAGING_SYSTEM = "messaging.system";
export const ATTR_MESSAGING_OPERATION_TYPE = "messaging.operation.type";
export const ATTR_MESSAGING_DESTINATION_NAME = "messaging.destination.name";
export const ATTR_MESSAGING_MESSAGE_ID = "messaging.message.id";
export const ATTR_MESSAGING_CONVERSATION_ID = "messaging.message.conversation_id";
export const ATTR_MESSAGING_DELIVERY_COUNT = "messaging.servicebus.message.delivery_count";
export const ATTR_CLOUDEVENTS_TYPE = "cloudevents.event_type";

export const ATTR_ORDER_ID = "order.id";
export const ATTR_CORRELATION_ID = "order.correlation_id";
export const ATTR_SAGA_STEP = "saga.step";
export const ATTR_SAGA_OUTCOME = "saga.outcome";
export const ATTR_DURABLE_INSTANCE_ID = "durable.instance_id";
export const ATTR_DURABLE_EPISODE_EVENTS = "durable.episode.events";
export const ATTR_DEAD_LETTER_REASON = "messaging.servicebus.dead_letter_reason";

/** `messaging.system` for Azure Service Bus. */
export const SERVICE_BUS = "servicebus";
