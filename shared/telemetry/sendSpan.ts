import { SpanKind, context, trace, type Context } from "@opentelemetry/api";
import {
  ATTR_CLOUDEVENTS_TYPE,
  ATTR_CORRELATION_ID,
  ATTR_MESSAGING_CONVERSATION_ID,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_ORDER_ID,
  ATTR_SAGA_STEP,
  SERVICE_BUS,
} from "./semconv";
import { activeTraceparent, contextOf, parseTraceparent } from "./traceparent";
import { inSpan } from "./tracer";

/** The envelope attributes a send span reads. */
export interface SentEnvelope {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly correlationid: string;
  readonly traceparent?: string;
}

/**
 * The parent of a send: the invocation running now when it is in the envelope's trace (the
 * usual case), else the envelope's own trace. The outbox relay sends an order's event from a
 * timer invocation of its own; the event still belongs to the order's trace.
 */
function parentOf(envelope: SentEnvelope): Context {
  const recorded = parseTraceparent(envelope.traceparent);
  const active = trace.getActiveSpan()?.spanContext();
  if (recorded === undefined || active?.traceId === recorded.traceId) return context.active();
  return contextOf(envelope.traceparent);
}

/**
 * Sends inside a PRODUCER span (`send <destination>`, OpenTelemetry messaging conventions)
 * and hands `send` the traceparent the message must carry: the span's own, so the receiving
 * invocation is its child. With tracing off the envelope's traceparent is passed unchanged.
 */
export function withSendSpan<T>(
  destination: string,
  envelope: SentEnvelope,
  send: (traceparent: string | undefined) => Promise<T>,
): Promise<T> {
  return inSpan(
    `send ${destination}`,
    {
      kind: SpanKind.PRODUCER,
      parent: parentOf(envelope),
      attributes: {
        [ATTR_MESSAGING_SYSTEM]: SERVICE_BUS,
        [ATTR_MESSAGING_OPERATION_TYPE]: "send",
        [ATTR_MESSAGING_DESTINATION_NAME]: destination,
        [ATTR_MESSAGING_MESSAGE_ID]: envelope.id,
        [ATTR_MESSAGING_CONVERSATION_ID]: envelope.correlationid,
        [ATTR_CORRELATION_ID]: envelope.correlationid,
        [ATTR_ORDER_ID]: envelope.subject,
        [ATTR_CLOUDEVENTS_TYPE]: envelope.type,
        [ATTR_SAGA_STEP]: envelope.type,
      },
    },
    () => send(activeTraceparent() ?? envelope.traceparent),
  );
}
