/**
 * Test helper: talks to a host's Durable management API and waits on conditions (never on
 * fixed sleeps).
 */
export interface StatusResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export class DurableTestClient {
  /** `systemKey`: the host's (`HostProcess.systemKey`); the webhooks refuse calls without it. */
  constructor(
    readonly hostBaseUrl: string,
    readonly systemKey: string,
  ) {}

  private get keyHeader(): Record<string, string> {
    return { "x-functions-key": this.systemKey };
  }

  get base(): string {
    return `${this.hostBaseUrl}/runtime/webhooks/durabletask`;
  }

  async start(
    name: string,
    input?: unknown,
    instanceId?: string,
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const res = await fetch(
      `${this.base}/orchestrators/${name}${instanceId ? `/${instanceId}` : ""}`,
      {
        method: "POST",
        headers: this.keyHeader,
        body: input === undefined ? "" : JSON.stringify(input),
      },
    );
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
      headers: res.headers,
    };
  }

  async startId(name: string, input?: unknown, instanceId?: string): Promise<string> {
    const r = await this.start(name, input, instanceId);
    if (r.status !== 202) throw new Error(`start ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    return String(r.body.id);
  }

  async status(id: string, query = ""): Promise<StatusResponse> {
    const res = await fetch(`${this.base}/instances/${encodeURIComponent(id)}${query}`, {
      headers: this.keyHeader,
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  async raise(id: string, event: string, data: unknown): Promise<number> {
    const res = await fetch(
      `${this.base}/instances/${encodeURIComponent(id)}/raiseEvent/${event}`,
      {
        method: "POST",
        headers: this.keyHeader,
        body: JSON.stringify(data),
      },
    );
    await res.text();
    return res.status;
  }

  async terminate(id: string, reason: string): Promise<number> {
    const res = await fetch(
      `${this.base}/instances/${encodeURIComponent(id)}/terminate?reason=${encodeURIComponent(reason)}`,
      { method: "POST", headers: this.keyHeader },
    );
    await res.text();
    return res.status;
  }

  /** Polls until the instance is finished (status 200) and returns its status body. */
  async finished(id: string, timeoutMs = 20000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.status(id, "?showHistory=true&showHistoryOutput=true");
      if (s.status === 200) return s.body;
      if (Date.now() > deadline)
        throw new Error(`instance ${id} not finished: ${JSON.stringify(s.body)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Polls until `predicate` holds for the instance status. */
  async until(
    id: string,
    predicate: (body: Record<string, unknown>) => boolean,
    timeoutMs = 20000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.status(id);
      if (s.status !== 404 && predicate(s.body)) return s.body;
      if (Date.now() > deadline)
        throw new Error(`instance ${id}: condition not met: ${JSON.stringify(s.body)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Polls `check` until it returns true. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
