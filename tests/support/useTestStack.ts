/**
 * A test file's stack in one line: started before the file's first test, stopped after its
 * last. The client is there at once (it calls whichever host runs when a test calls it).
 */
import { ApiClient } from "./apiClient";
import { startTestStack, type TestStack, type TestStackOptions } from "./testStack";

export interface FileStack {
  readonly api: ApiClient;
  /** The running stack (from `beforeAll` on). */
  readonly stack: TestStack;
}

/** Starting stand-ins and a host takes seconds, more on a loaded machine. */
const START_TIMEOUT_MS = 120_000;

export function useTestStack(options: TestStackOptions = {}): FileStack {
  let started: TestStack | undefined;
  const running = (): TestStack => {
    if (started === undefined) throw new Error("The test stack starts in beforeAll.");
    return started;
  };
  beforeAll(async () => {
    started = await startTestStack(options);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await started?.stop();
  });
  return {
    api: new ApiClient(() => running().baseUrl, {
      failOnServerError: options.failOnServerError ?? false,
    }),
    get stack() {
      return running();
    },
  };
}
