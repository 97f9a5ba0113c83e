import { apiServices } from "./apiRoot";
import { createWorkerHandlers, type WorkerHandlers } from "./workerHandlers";
import { createWorkerServices } from "./workerServices";

/**
 * The process-wide root of the saga and its participants, beside the Order API's: built on
 * first use, on the API's clients (one CosmosClient and one ServiceBusClient per process),
 * which `closeApiServices` closes on shutdown.
 */
let handlers: WorkerHandlers | undefined;

export function workerHandlers(): WorkerHandlers {
  if (handlers === undefined) {
    const api = apiServices();
    handlers = createWorkerHandlers(api, createWorkerServices(api));
  }
  return handlers;
}
