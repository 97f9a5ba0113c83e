import { app } from "@azure/functions";
import { CONNECTIONS, MESSAGE_FUNCTIONS, QUEUES } from "../shared/config/names";
import { workerHandlers } from "../shared/composition/workerRoot";
import { receivedMessage } from "./serviceBusMessage";

/**
 * The saga participants, one queue each. A handler's PoisonMessageError (invalid message,
 * rejected address) dead-letters the message at once; any other error abandons it for
 * redelivery.
 */

app.serviceBusQueue(MESSAGE_FUNCTIONS.inventoryWorker, {
  connection: CONNECTIONS.serviceBus,
  queueName: QUEUES.inventory,
  handler: (message, context) =>
    workerHandlers().handleInventory(receivedMessage(message, context)),
});

app.serviceBusQueue(MESSAGE_FUNCTIONS.paymentWorker, {
  connection: CONNECTIONS.serviceBus,
  queueName: QUEUES.payments,
  handler: (message, context) => workerHandlers().handlePayment(receivedMessage(message, context)),
});

app.serviceBusQueue(MESSAGE_FUNCTIONS.notificationWorker, {
  connection: CONNECTIONS.serviceBus,
  queueName: QUEUES.notifications,
  handler: (message, context) =>
    workerHandlers().handleNotification(receivedMessage(message, context)),
});
