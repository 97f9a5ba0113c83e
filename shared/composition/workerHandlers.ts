import { createSagaActivities } from "../saga/createSagaActivities";
import { createSagaRepliesHandler } from "../saga/createSagaRepliesHandler";
import { createSagaStarter } from "../saga/createSagaStarter";
import { createInventoryHandler } from "../workers/inventory/createInventoryHandler";
import { createNotificationHandler } from "../workers/notification/createNotificationHandler";
import { createPaymentHandler } from "../workers/payment/createPaymentHandler";
import type { ApiServices } from "./apiServices";
import type { WorkerServices } from "./workerServices";

/**
 * The saga's handlers (starter, activities, reply relay) and the three participants, over
 * the process's services. Each handler takes the invocation's log with its input, so these
 * are built once per process, not per invocation.
 */
export function createWorkerHandlers(api: ApiServices, workers: WorkerServices) {
  const { settings, orders, publisher } = api;
  const now = () => api.clock.now();
  return {
    activities: createSagaActivities({ orders, publisher, live: workers.live }),
    startSaga: createSagaStarter({
      timeouts: {
        inventorySeconds: settings.saga.inventoryTimeoutInMs / 1000,
        paymentSeconds: settings.saga.paymentTimeoutInMs / 1000,
      },
      now,
    }),
    relayReply: createSagaRepliesHandler({ now }),
    handleInventory: createInventoryHandler({
      stock: workers.stock,
      records: workers.reservations,
      publisher,
      now,
    }),
    handlePayment: createPaymentHandler({
      gateway: workers.gateway,
      records: workers.payments,
      secrets: workers.secrets,
      apiKeySecretName: workers.apiKeySecretName,
      publisher,
      now,
    }),
    handleNotification: createNotificationHandler({
      claims: workers.claims,
      sender: workers.emailSender,
      senderAddress: settings.email.senderAddress,
      now,
    }),
  };
}
export type WorkerHandlers = ReturnType<typeof createWorkerHandlers>;
