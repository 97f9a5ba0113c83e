import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expectHostStartFailure, startHostProcess } from "../testing/startHostProcess";
import { FIXTURE_APP_DIR, FIXTURE_APP_ENTRY } from "./testing/fixtureApp";

describe("host start-up", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "local-host-"));
    copyFileSync(path.join(FIXTURE_APP_DIR, "host.json"), path.join(dir, "host.json"));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates local.settings.json from the sample and applies its Values, the environment winning", async () => {
    writeFileSync(
      path.join(dir, "local.settings.sample.json"),
      JSON.stringify({
        IsEncrypted: false,
        Values: { FIXTURE_FROM_FILE: "file", FIXTURE_OVERRIDDEN: "file" },
      }),
    );
    const host = await startHostProcess({
      entry: FIXTURE_APP_ENTRY,
      cwd: dir,
      env: { FIXTURE_OVERRIDDEN: "env" },
    });
    try {
      expect(existsSync(path.join(dir, "local.settings.json"))).toBe(true);
      expect(
        JSON.parse(readFileSync(path.join(dir, "local.settings.json"), "utf8")).Values
          .FIXTURE_FROM_FILE,
      ).toBe("file");
      const read = async (name: string): Promise<unknown> => {
        const body = (await (await fetch(`${host.baseUrl}/api/settings/${name}`)).json()) as {
          value: unknown;
        };
        return body.value;
      };
      expect(await read("FIXTURE_FROM_FILE")).toBe("file");
      expect(await read("FIXTURE_OVERRIDDEN")).toBe("env");
    } finally {
      await host.stop();
    }
  });

  it("leaves a function disabled by AzureWebJobs.<name>.Disabled unregistered, as Azure does", async () => {
    const host = await startHostProcess({
      entry: FIXTURE_APP_ENTRY,
      cwd: dir,
      env: { "AzureWebJobs.hello.Disabled": "true" },
    });
    try {
      expect((await fetch(`${host.baseUrl}/api/hello/x`)).status).toBe(404);
      expect((await fetch(`${host.baseUrl}/api/settings/FIXTURE_ANY`)).status).toBe(200);
      expect(host.lines.join("\n")).toMatch(
        /hello: httpTrigger disabled by AzureWebJobs\.hello\.Disabled/,
      );
    } finally {
      await host.stop();
    }
  });

  it("uses the entry from package.json main when none is given", async () => {
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "fixture", main: FIXTURE_APP_ENTRY }),
    );
    const host = await startHostProcess({ cwd: dir });
    try {
      expect((await fetch(`${host.baseUrl}/api/hello`)).status).toBe(200);
    } finally {
      await host.stop();
    }
  });

  it("stops with a clear message when the entry is missing", async () => {
    const { exit, output } = await expectHostStartFailure({
      entry: path.join(dir, "missing.js"),
      cwd: dir,
    });
    expect(exit?.code).toBe(1);
    expect(output).toMatch(/entry ".*missing\.js" does not exist/);
  });

  it("stops naming the Service Bus connection setting that is missing", async () => {
    const { exit, output } = await expectHostStartFailure({
      entry: FIXTURE_APP_ENTRY,
      cwd: dir,
      env: {
        FIXTURE_SERVICEBUS: "true",
        FixtureServiceBus: undefined,
        AzureWebJobsFixtureServiceBus: undefined,
      },
    });
    expect(exit?.code).toBe(1);
    expect(output).toMatch(
      /"FixtureServiceBus".*looked for FixtureServiceBus, FixtureServiceBus__fullyQualifiedNamespace, AzureWebJobsFixtureServiceBus/,
    );
  });

  it("stops naming the app setting a timer schedule refers to when it is not set", async () => {
    const { exit, output } = await expectHostStartFailure({
      entry: FIXTURE_APP_ENTRY,
      cwd: dir,
      env: { FIXTURE_TIMER_RAW: "%FIXTURE_MISSING_SCHEDULE%" },
    });
    expect(exit?.code).toBe(1);
    expect(output).toMatch(/"FIXTURE_MISSING_SCHEDULE" is not set/);
  });

  it("stops on a taken port, naming it", async () => {
    const first = await startHostProcess({ entry: FIXTURE_APP_ENTRY, cwd: dir });
    try {
      const { output } = await expectHostStartFailure({
        entry: FIXTURE_APP_ENTRY,
        cwd: dir,
        port: first.port,
      });
      expect(output).toContain(`Port ${first.port} is already in use`);
    } finally {
      await first.stop();
    }
  });

  it("reports a function whose trigger nothing drives", async () => {
    const host = await startHostProcess({
      entry: FIXTURE_APP_ENTRY,
      cwd: dir,
      env: { FIXTURE_UNDRIVEN: "true" },
    });
    try {
      await host.waitForLog(
        /"storageQueued" has trigger type "queueTrigger", which this local host does not drive/,
      );
      await host.waitForLog(/storageQueued: \(NOT DRIVEN\) queueTrigger/);
    } finally {
      await host.stop();
    }
  });
});
