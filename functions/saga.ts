import { app } from "@azure/functions";
import * as df from "durable-functions";
import { createInvocationStepLog } from "../shared/adapters/logging/invocationStepLog";
import {
  CONNECTIONS,
  MESSAGE_FUNCTIONS,
  ORDER_EVENTS_TOPIC,
  QUEUES,
  SAGA_SUBSCRIPTION,
} from "../shared/config/names";
import type { SagaActivityInput } from "../shared/saga/activityMap";
import { createDurableSagaInstances } from "../shared/saga/durableSagaInstances";
import { ORDER_SAGA, SAGA_ACTIVITIES } from "../shared/saga/names";
import { orderSaga } from "../shared/saga/orderSaga";
import { workerHandlers } from "../shared/composition/workerRoot";
import { receivedMessage } from "./serviceBusMessage";

/** The order saga: its starter, the orchestrator, its activities and the reply relay. */

app.serviceBusTopic(MESSAGE_FUNCTIONS.sagaStarter, {
  connection: CONNECTIONS.serviceBus,
  topicName: ORDER_EVENTS_TOPIC,
  subscriptionName: SAGA_SUBSCRIPTION,
  extraInputs: [df.input.durableClient()],
  handler: (message, context) =>
    workerHandlers().startSaga(
      receivedMessage(message, context),
      createDurableSagaInstances(df.getClient(context)),
    ),
});

df.app.orchestration(ORDER_SAGA, orderSaga);

df.app.activity(SAGA_ACTIVITIES.sendCommand, {
  handler: (input: SagaActivityInput<typeof SAGA_ACTIVITIES.sendCommand>, context) =>
    workerHandlers().activities[SAGA_ACTIVITIES.sendCommand](
      input,
      createInvocationStepLog(context),
    ),
});

df.app.activity(SAGA_ACTIVITIES.updateOrderStatus, {
  handler: (input: SagaActivityInput<typeof SAGA_ACTIVITIES.updateOrderStatus>, context) =>
    workerHandlers().activities[SAGA_ACTIVITIES.updateOrderStatus](
      input,
      createInvocationStepLog(context),
    ),
});

df.app.activity(SAGA_ACTIVITIES.publishEvent, {
  handler: (input: SagaActivityInput<typeof SAGA_ACTIVITIES.publishEvent>) =>
    workerHandlers().activities[SAGA_ACTIVITIES.publishEvent](input),
});

app.serviceBusQueue(MESSAGE_FUNCTIONS.sagaReplies, {
  connection: CONNECTIONS.serviceBus,
  queueName: QUEUES.sagaReplies,
  extraInputs: [df.input.durableClient()],
  handler: (message, context) =>
    workerHandlers().relayReply(
      receivedMessage(message, context),
      createDurableSagaInstances(df.getClient(context)),
    ),
});
