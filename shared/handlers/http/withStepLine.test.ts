import { recordingInvocation } from "../../adapters/logging/testing/recordingInvocation";
import { CORRELATION_ID_HEADER } from "../../contracts/http/common";
import { apiRequest, manualClock } from "../testing/apiTestbed";
import type { ApiHandler, ApiRequest, ApiResponse } from "./apiTypes";
import { withStepLine } from "./withStepLine";

function run(response: ApiResponse, request: ApiRequest = apiRequest(), step = "Api:getOrder") {
  const clock = manualClock();
  const invocation = recordingInvocation(step.slice(4));
  const handler: ApiHandler = () => {
    clock.advance(9);
    return Promise.resolve(response);
  };
  return withStepLine(handler, { step, log: invocation.log, clock })(request).then((answer) => ({
    answer,
    steps: invocation.steps(),
  }));
}

describe("withStepLine", () => {
  it("logs a new order's id from its Location and the echoed correlation id", async () => {
    const response = {
      status: 202,
      headers: { Location: "/api/orders/ord%2042", [CORRELATION_ID_HEADER]: "corr-echoed" },
    };
    const { answer, steps } = await run(response, apiRequest(), "Api:placeOrder");
    expect(answer).toBe(response);
    expect(steps).toEqual([
      {
        level: "information",
        fields: {
          orderId: "ord 42",
          correlationId: "corr-echoed",
          step: "Api:placeOrder",
          outcome: "202",
          durationMs: 9,
        },
      },
    ]);
  });

  it("takes the route's order id and the caller's valid correlation id", async () => {
    const request = apiRequest({
      headers: { [CORRELATION_ID_HEADER]: "corr-caller" },
      params: { orderId: "o-9" },
    });
    const { steps } = await run({ status: 404 }, request);
    expect(steps[0]?.fields).toMatchObject({
      orderId: "o-9",
      correlationId: "corr-caller",
      outcome: "404",
    });
  });

  it("warns on a server error, with empty ids when the call names none", async () => {
    const request = apiRequest({ headers: { [CORRELATION_ID_HEADER]: "x".repeat(129) } });
    const { steps } = await run({ status: 503 }, request, "Api:listOrders");
    expect(steps).toEqual([
      {
        level: "warning",
        fields: {
          orderId: "",
          correlationId: "",
          step: "Api:listOrders",
          outcome: "503",
          durationMs: 9,
        },
      },
    ]);
  });
});
