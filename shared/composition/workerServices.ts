import { EmailClient } from "@azure/communication-email";
import { DefaultAzureCredential } from "@azure/identity";
import { CosmosNotificationClaims } from "../adapters/cosmos/cosmosNotificationClaims";
import { CosmosPaymentRecords } from "../adapters/cosmos/cosmosPaymentRecords";
import { CosmosProductStock } from "../adapters/cosmos/cosmosProductStock";
import { CosmosReservationRecords } from "../adapters/cosmos/cosmosReservationRecords";
import { jitteredBackoff } from "../adapters/cosmos/jitteredBackoff";
import { createAcsEmailSender } from "../adapters/email/acsEmailSender";
import { createEmlFileSender } from "../adapters/email/emlFileSender";
import { createAcsSmsSender } from "../adapters/sms/acsSmsSender";
import { createSmsFileSender } from "../adapters/sms/smsFileSender";
import { tracedSmsSender } from "../adapters/sms/tracedSmsSender";
import { tracedEmailSender } from "../adapters/email/tracedEmailSender";
import { DEFAULT_RESILIENCE, createResilientGateway } from "../adapters/payment/resilientGateway";
import { createSimulatedGateway } from "../adapters/payment/simulatedGateway";
import { createSecretProvider } from "../adapters/secrets/createSecretProvider";
import { createSignalRLiveStatusPush } from "../adapters/signalr/signalRLiveStatusPush";
import { COSMOS_CONTAINERS, SIGNALR_HUB } from "../config/names";
import type { Settings } from "../config/settings";
import type {
  EmailSender,
  LiveStatusPush,
  NotificationClaims,
  PaymentGateway,
  PaymentRecords,
  ProductStock,
  ReservationRecords,
  SecretProvider,
  SmsSender,
} from "../ports";
import type { ApiServices } from "./apiServices";

/** Tunables of the saga participants that are not app settings. */
export const WORKER_TUNING = {
  /** ETag conflicts per product write before the message goes back for redelivery. */
  stockMaxAttempts: 60,
  stockBackoffBaseInMs: 5,
  stockBackoffCapInMs: 200,
} as const;

/** Name under which the local setting's API key is served when no vault is configured. */
const LOCAL_API_KEY_SECRET = "payment-gateway-api-key";

/** The ports of the saga participants, built once per process. */
export interface WorkerServices {
  readonly stock: ProductStock;
  readonly reservations: ReservationRecords;
  readonly payments: PaymentRecords;
  readonly claims: NotificationClaims;
  readonly gateway: PaymentGateway;
  readonly secrets: SecretProvider;
  /** Name of the gateway API key secret (PAYMENT_GATEWAY_API_KEY_SECRET_NAME). */
  readonly apiKeySecretName: string;
  readonly emailSender: EmailSender;
  /** Present when SMS_SENDER_NUMBER is set. */
  readonly sms?: { readonly sender: SmsSender; readonly from: string };
  /** Pushes each status change to the order's customer (SignalR Service). */
  readonly live: LiveStatusPush;
}

/**
 * Builds the participants' adapters on top of the Order API's clients (one CosmosClient and
 * one ServiceBusClient per process), from the same validated settings. Key Vault, ACS and
 * SignalR Service share one credential, built only when one of them needs it.
 */
export function createWorkerServices(api: ApiServices): WorkerServices {
  const { settings } = api;
  const database = api.cosmos.database(settings.cosmos.databaseName);
  const ledger = database.container(COSMOS_CONTAINERS.ledger.id);
  const products = database.container(COSMOS_CONTAINERS.products.id);

  let credential: DefaultAzureCredential | undefined;
  const credentialOnce = () =>
    (credential ??= new DefaultAzureCredential(
      settings.azureClientId === undefined
        ? {}
        : { managedIdentityClientId: settings.azureClientId },
    ));
  const apiKey = settings.paymentGateway.apiKey;
  const secrets = createSecretProvider(
    {
      ...(apiKey.source === "keyVault" ? { keyVaultUrl: apiKey.vaultUrl } : {}),
      settingsSecrets: apiKey.source === "setting" ? { [LOCAL_API_KEY_SECRET]: apiKey.value } : {},
    },
    { credential: credentialOnce },
  );

  return {
    stock: new CosmosProductStock(products, {
      maxAttempts: WORKER_TUNING.stockMaxAttempts,
      backoff: jitteredBackoff(
        WORKER_TUNING.stockBackoffBaseInMs,
        WORKER_TUNING.stockBackoffCapInMs,
      ),
    }),
    reservations: new CosmosReservationRecords(ledger),
    payments: new CosmosPaymentRecords(ledger),
    claims: new CosmosNotificationClaims(ledger),
    gateway: createResilientGateway(createSimulatedGateway(), {
      ...DEFAULT_RESILIENCE,
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    }),
    secrets,
    apiKeySecretName: apiKey.source === "keyVault" ? apiKey.secretName : LOCAL_API_KEY_SECRET,
    emailSender: emailSenderFor(settings.email.transport, credentialOnce),
    ...(settings.sms === undefined
      ? {}
      : {
          sms: {
            sender: smsSenderFor(settings.email.transport, credentialOnce),
            from: settings.sms.senderNumber,
          },
        }),
    live: createSignalRLiveStatusPush({
      settings: settings.signalR,
      hub: SIGNALR_HUB,
      credential: credentialOnce,
    }),
  };
}

function emailSenderFor(
  transport: Settings["email"]["transport"],
  credential: () => DefaultAzureCredential,
): EmailSender {
  if (transport.kind === "acs")
    return tracedEmailSender(
      createAcsEmailSender(new EmailClient(transport.endpoint, credential())),
      "acs",
    );
  return tracedEmailSender(createEmlFileSender(transport.dir), "outbox");
}

/** The same transport as email: the ACS resource with the app's identity, or the outbox. */
function smsSenderFor(
  transport: Settings["email"]["transport"],
  credential: () => DefaultAzureCredential,
): SmsSender {
  if (transport.kind === "acs")
    return tracedSmsSender(
      createAcsSmsSender({
        connection: { endpoint: transport.endpoint, credential: credential() },
      }),
      "acs",
    );
  return tracedSmsSender(createSmsFileSender(transport.dir), "outbox");
}
