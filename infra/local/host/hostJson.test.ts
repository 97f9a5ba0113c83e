import { applyHostJsonOverrides, serviceBusOptionsOf } from "./hostJson";

describe("host.json overrides from app settings", () => {
  const hostJson = {
    version: "2.0",
    extensions: { serviceBus: { maxAutoLockRenewalDuration: "00:00:30", prefetchCount: 0 } },
  };

  it("lets AzureFunctionsJobHost__a__b__c replace a.b.c, matching keys in any case", () => {
    const applied = applyHostJsonOverrides(hostJson, {
      AzureFunctionsJobHost__extensions__ServiceBus__maxAutoLockRenewalDuration: "00:00:06",
      PATH: "/bin",
    });
    expect(serviceBusOptionsOf(applied).maxAutoLockRenewalDurationInMs).toBe(6_000);
    expect(serviceBusOptionsOf(applied).prefetchCount).toBe(0);
    expect(serviceBusOptionsOf(hostJson).maxAutoLockRenewalDurationInMs).toBe(30_000);
  });

  it("creates the sections an override names that host.json lacks", () => {
    const applied = applyHostJsonOverrides(
      { version: "2.0" },
      { azurefunctionsjobhost__extensions__http__routePrefix: "x" },
    );
    expect(applied).toEqual({ version: "2.0", extensions: { http: { routePrefix: "x" } } });
  });
});
