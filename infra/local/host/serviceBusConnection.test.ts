import { MissingConnectionSettingError, resolveServiceBusConnection } from "./serviceBusConnection";

describe("resolveServiceBusConnection", () => {
  const cs =
    "Endpoint=sb://localhost:5672;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true;";

  it("reads the setting the binding names", () => {
    expect(
      resolveServiceBusConnection("ServiceBusConnection", { ServiceBusConnection: cs }, "f"),
    ).toEqual({
      kind: "connectionString",
      settingName: "ServiceBusConnection",
      connectionString: cs,
    });
  });

  it("falls back to the AzureWebJobs-prefixed setting", () => {
    expect(resolveServiceBusConnection("Bus", { AzureWebJobsBus: cs }, "f")).toMatchObject({
      settingName: "AzureWebJobsBus",
    });
  });

  it("uses AzureWebJobsServiceBus when the binding names no connection", () => {
    expect(resolveServiceBusConnection("", { AzureWebJobsServiceBus: cs }, "f")).toMatchObject({
      settingName: "AzureWebJobsServiceBus",
    });
    expect(
      resolveServiceBusConnection(undefined, { AzureWebJobsServiceBus: cs }, "f"),
    ).toMatchObject({
      kind: "connectionString",
    });
  });

  it("reads the identity form with credential and client id", () => {
    expect(
      resolveServiceBusConnection(
        "ServiceBusConnection",
        {
          ServiceBusConnection__fullyQualifiedNamespace: "ns.servicebus.windows.net",
          ServiceBusConnection__credential: "managedidentity",
          ServiceBusConnection__clientId: "client-1",
        },
        "f",
      ),
    ).toEqual({
      kind: "identity",
      settingName: "ServiceBusConnection__fullyQualifiedNamespace",
      fullyQualifiedNamespace: "ns.servicebus.windows.net",
      credential: "managedidentity",
      clientId: "client-1",
    });
  });

  it("accepts ':' as the section separator and ignores blank values", () => {
    expect(
      resolveServiceBusConnection(
        "Bus",
        { Bus: "", "Bus:fullyQualifiedNamespace": "ns.servicebus.windows.net" },
        "f",
      ),
    ).toMatchObject({ kind: "identity", fullyQualifiedNamespace: "ns.servicebus.windows.net" });
  });

  it("names every setting it looked for when none is there", () => {
    expect(() => resolveServiceBusConnection("Bus", {}, 'Function "work"')).toThrow(
      MissingConnectionSettingError,
    );
    expect(() => resolveServiceBusConnection("Bus", {}, 'Function "work"')).toThrow(
      /Function "work" uses the Service Bus connection "Bus".*Bus, Bus__fullyQualifiedNamespace, AzureWebJobsBus, AzureWebJobsBus__fullyQualifiedNamespace/,
    );
  });
});
