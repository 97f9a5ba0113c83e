import { EmailClient } from "@azure/communication-email";
import { DefaultAzureCredential } from "@azure/identity";
import { createAcsEmailSender } from "../adapters/email/acsEmailSender";
import { createSignalRLiveStatusPush } from "../adapters/signalr/signalRLiveStatusPush";
import type { EmailSender } from "../adapters/email/emailSender";
import { createEmlFileSender } from "../adapters/email/emlFileSender";
import { DEFAULT_RESILIENCE, createResilientGateway } from "../adapters/payment/resilientGateway";
import { createSimulatedGateway } from "../adapters/payment/simulatedGateway";
import { createSecretProvider } from "../adapters/secrets/createSecretProvider";
import { apiServices } from "../composition/apiRoot";
import { COSMOS_CONTAINERS, SIGNALR_HUB } from "../config/names";
import type { Settings } from "../config/settings";
import { createSagaActivities } from "../saga/createSagaActivities";
import { createSagaRepliesHandler } from "../saga/createSagaRepliesHandler";
import { createSagaStarter } from "../saga/createSagaStarter";
import { createInventoryHandler } from "./inventory/createInventoryHandler";
import { ProductStock, jitteredBackoff } from "./inventory/productStock";
import { ReservationRecords } from "./inventory/reservationRecord";
import { createNotificationHandler } from "./notification/createNotificationHandler";
import { NotificationClaims } from "./notification/notificationClaims";
import { createPaymentHandler } from "./payment/createPaymentHandler";
import { PaymentRecords } from "./payment/paymentRecord";

/** Tunables of the saga participants that are not app settings. */
export const WORKER_TUNING = {
  /** ETag conflicts per product write before the message goes back for redelivery. */
  stockMaxAttempts: 60,
  stockBackoffBaseInMs: 5,
  stockBackoffCapInMs: 200,
} as const;

/** Name under which the local setting's API key is served when no vault is configured. */
const LOCAL_API_KEY_SECRET = "payment-gateway-api-key";

/**
 * The saga's and the workers' handlers, built once per process on top of the Order API's
 * clients (one CosmosClient and one ServiceBusClient per process, built from the validated
 * settings in `shared/composition`).
 */
function createSagaServices() {
  const api = apiServices();
  const { settings, orders, publisher } = api;
  const database = api.cosmos.database(settings.cosmos.databaseName);
  const ledger = database.container(COSMOS_CONTAINERS.ledger.id);
  const products = database.container(COSMOS_CONTAINERS.products.id);
  const now = () => new Date();

  const credential = () =>
    new DefaultAzureCredential(
      settings.azureClientId === undefined
        ? {}
        : { managedIdentityClientId: settings.azureClientId },
    );
  const apiKey = settings.paymentGateway.apiKey;
  const apiKeySecretName = apiKey.source === "keyVault" ? apiKey.secretName : LOCAL_API_KEY_SECRET;
  const secrets = createSecretProvider(
    {
      ...(apiKey.source === "keyVault" ? { keyVaultUrl: apiKey.vaultUrl } : {}),
      settingsSecrets: apiKey.source === "setting" ? { [LOCAL_API_KEY_SECRET]: apiKey.value } : {},
    },
    { credential },
  );
  const gateway = createResilientGateway(createSimulatedGateway(), {
    ...DEFAULT_RESILIENCE,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });

  return {
    settings,
    ready: api.ready,
    activities: createSagaActivities({
      orders,
      publisher,
      live: createSignalRLiveStatusPush({
        settings: settings.signalR,
        hub: SIGNALR_HUB,
        credential,
      }),
    }),
    startSaga: createSagaStarter({
      timeouts: {
        inventorySeconds: settings.saga.inventoryTimeoutInMs / 1000,
        paymentSeconds: settings.saga.paymentTimeoutInMs / 1000,
      },
      now,
    }),
    relayReply: createSagaRepliesHandler({ now }),
    handleInventory: createInventoryHandler({
      stock: new ProductStock(products, {
        maxAttempts: WORKER_TUNING.stockMaxAttempts,
        backoff: jitteredBackoff(
          WORKER_TUNING.stockBackoffBaseInMs,
          WORKER_TUNING.stockBackoffCapInMs,
        ),
      }),
      records: new ReservationRecords(ledger),
      publisher,
      now,
    }),
    handlePayment: createPaymentHandler({
      gateway,
      records: new PaymentRecords(ledger),
      secrets,
      apiKeySecretName,
      publisher,
      now,
    }),
    handleNotification: createNotificationHandler({
      claims: new NotificationClaims(ledger),
      sender: emailSenderFor(settings, credential),
      senderAddress: settings.email.senderAddress,
      now,
    }),
  };
}
export type SagaServices = ReturnType<typeof createSagaServices>;

function emailSenderFor(settings: Settings, credential: () => DefaultAzureCredential): EmailSender {
  const transport = settings.email.transport;
  if (transport.kind === "acs")
    return createAcsEmailSender(new EmailClient(transport.endpoint, credential()));
  return createEmlFileSender(transport.dir);
}

let services: SagaServices | undefined;

/** The process-wide saga and worker handlers (built on first use). */
export function sagaServices(): SagaServices {
  services ??= createSagaServices();
  return services;
}
