import type { IncomingMessage, ServerResponse } from "node:http";
import type { Broker } from "../broker";
import { BrokerError } from "../brokerError";
import type { NamespaceEntities } from "../namespaceEntities";
import { atomEntry, atomFeed, emptyFeed, errorXml, type AtomEntry } from "./atomXml";
import { namespaceXml, queueXml, ruleXml, subscriptionXml, topicXml } from "./entityXml";
import { entityProperties, parseDescription, ruleOf, type DescriptionBody } from "./requestXml";

/** What a request path names (paths as ServiceBusAdministrationClient builds them). */
type Target =
  | { kind: "namespace" }
  | { kind: "queues" }
  | { kind: "topics" }
  | { kind: "entity"; name: string }
  | { kind: "subscriptions"; topic: string }
  | { kind: "subscription"; topic: string; name: string }
  | { kind: "rules"; topic: string; subscription: string }
  | { kind: "rule"; topic: string; subscription: string; name: string };

function targetOf(path: string): Target {
  if (/^\$namespaceinfo$/i.test(path)) return { kind: "namespace" };
  if (/^\$Resources\/Queues$/i.test(path)) return { kind: "queues" };
  if (/^\$Resources\/Topics$/i.test(path)) return { kind: "topics" };
  const rule = /^(.+?)\/Subscriptions\/([^/]+)\/Rules(?:\/([^/]*))?$/i.exec(path);
  if (rule) {
    const [, topic, subscription, name] = rule as unknown as [string, string, string, string?];
    return name
      ? { kind: "rule", topic, subscription, name }
      : { kind: "rules", topic, subscription };
  }
  const sub = /^(.+?)\/Subscriptions(?:\/([^/]*))?$/i.exec(path);
  if (sub) {
    const [, topic, name] = sub as unknown as [string, string, string?];
    return name ? { kind: "subscription", topic, name } : { kind: "subscriptions", topic };
  }
  return { kind: "entity", name: path };
}

interface Reply {
  readonly status: number;
  readonly body: string;
}

const ok = (body: string, status = 200): Reply => ({ status, body });

/**
 * The Service Bus management (ATOM) API over the emulator's entities: what
 * ServiceBusAdministrationClient sends. GET of a missing entity answers an empty feed, as
 * the service does; errors are `<Error><Code/><Detail/></Error>` with the service's statuses
 * (400, 404, 409). Any credentials are accepted, as on the AMQP side.
 */
export class AdminHandler {
  private readonly entities: NamespaceEntities;

  constructor(private readonly broker: Broker) {
    this.entities = broker.entities;
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let reply: Reply;
      try {
        reply = this.answer(req, Buffer.concat(chunks).toString("utf8"));
      } catch (e) {
        const err =
          e instanceof BrokerError ? e : new BrokerError("amqp:internal-error", String(e), 500);
        reply = { status: err.statusCode, body: errorXml(err.statusCode, err.message) };
      }
      res.writeHead(reply.status, {
        "content-type": "application/atom+xml;type=entry;charset=utf-8",
        "content-length": Buffer.byteLength(reply.body),
      });
      res.end(reply.body);
    });
  };

  private answer(req: IncomingMessage, body: string): Reply {
    const url = new URL(req.url ?? "/", `https://${req.headers.host ?? "localhost"}`);
    const path = decodeURIComponent(url.pathname).replace(/^\/+/, "");
    const base = `https://${url.host}/`;
    const link = (p: string): string =>
      `${base}${p}?api-version=${url.searchParams.get("api-version") ?? "2021-05"}`;
    const target = targetOf(path);
    const method = req.method ?? "GET";
    if (method === "GET") return this.get(target, url, link, base);
    if (method === "PUT") {
      const update = req.headers["if-match"] === "*";
      const entry = this.put(target, parseDescription(body), update, url.host);
      return ok(atomEntry(entry), update ? 200 : 201);
    }
    if (method === "DELETE") {
      this.delete(target);
      return ok("");
    }
    throw new BrokerError("amqp:not-implemented", `${method} is not supported.`, 405);
  }

  private get(target: Target, url: URL, link: (p: string) => string, base: string): Reply {
    const host = url.host;
    const skip = Number(url.searchParams.get("$skip") ?? 0);
    const top = Number(url.searchParams.get("$top") ?? 100);
    const page = (title: string, listPath: string, entries: AtomEntry[]): Reply => {
      const slice = entries.slice(skip, skip + top);
      const next =
        skip + top < entries.length
          ? `${link(listPath)}&$skip=${skip + top}&$top=${top}`
          : undefined;
      return ok(atomFeed(title, link(listPath), slice, next));
    };
    switch (target.kind) {
      case "namespace":
        return ok(
          atomEntry(
            this.entry(
              "$namespaceinfo",
              this.broker.namespace,
              this.broker,
              namespaceXml(this.broker),
              link,
            ),
          ),
        );
      case "queues":
        return page(
          "Queues",
          "$Resources/Queues",
          this.entities
            .listQueues()
            .map((q) => this.entry(q.name, q.name, q, queueXml(q, host), link)),
        );
      case "topics":
        return page(
          "Topics",
          "$Resources/Topics",
          this.entities.listTopics().map((t) => this.entry(t.name, t.name, t, topicXml(t), link)),
        );
      case "subscriptions":
        return page(
          "Subscriptions",
          `${target.topic}/Subscriptions`,
          this.entities
            .listSubscriptions(target.topic)
            .map((s) => this.subscriptionEntry(s, host, link)),
        );
      case "rules": {
        const s = this.entities.subscription(target.topic, target.subscription);
        if (!s) return ok(emptyFeed(base));
        return page(
          "Rules",
          `${s.topic.name}/Subscriptions/${s.name}/Rules`,
          s.rules.map((r) => this.ruleEntry(s.topic.name, s.name, r, link)),
        );
      }
      case "entity": {
        const q = this.entities.queue(target.name);
        if (q) return ok(atomEntry(this.entry(q.name, q.name, q, queueXml(q, host), link)));
        const t = this.entities.topic(target.name);
        if (t) return ok(atomEntry(this.entry(t.name, t.name, t, topicXml(t), link)));
        return ok(emptyFeed(link(target.name)));
      }
      case "subscription": {
        const s = this.entities.subscription(target.topic, target.name);
        return ok(s ? atomEntry(this.subscriptionEntry(s, host, link)) : emptyFeed(base));
      }
      case "rule": {
        const s = this.entities.subscription(target.topic, target.subscription);
        const r = s?.rules.find((x) => x.name.toLowerCase() === target.name.toLowerCase());
        return ok(
          s && r ? atomEntry(this.ruleEntry(s.topic.name, s.name, r, link)) : emptyFeed(base),
        );
      }
    }
  }

  private put(target: Target, body: DescriptionBody, update: boolean, host: string): AtomEntry {
    const link = (p: string): string => `https://${host}/${p}?api-version=2021-05`;
    const e = this.entities;
    if (target.kind === "entity" && body.kind === "QueueDescription") {
      const props = entityProperties(body);
      const q = update ? e.updateQueue(target.name, props) : e.createQueue(target.name, props);
      return this.entry(q.name, q.name, q, queueXml(q, host), link);
    }
    if (target.kind === "entity" && body.kind === "TopicDescription") {
      const props = entityProperties(body);
      const t = update ? e.updateTopic(target.name, props) : e.createTopic(target.name, props);
      return this.entry(t.name, t.name, t, topicXml(t), link);
    }
    if (target.kind === "subscription" && body.kind === "SubscriptionDescription") {
      const props = entityProperties(body);
      const defaultRule = body.fields.DefaultRuleDescription as Record<string, unknown> | undefined;
      const s = update
        ? e.updateSubscription(target.topic, target.name, props)
        : e.createSubscription(
            target.topic,
            target.name,
            props,
            defaultRule ? [ruleOf(defaultRule, "$Default", Date.now())] : undefined,
          );
      return this.subscriptionEntry(s, host, link);
    }
    if (target.kind === "rule" && body.kind === "RuleDescription") {
      const rule = { ...ruleOf(body.fields, target.name, Date.now()), name: target.name };
      const r = update
        ? e.updateRule(target.topic, target.subscription, rule)
        : e.addRule(target.topic, target.subscription, rule);
      const s = e.subscription(target.topic, target.subscription);
      return this.ruleEntry(s?.topic.name ?? target.topic, s?.name ?? target.subscription, r, link);
    }
    throw new BrokerError(
      "com.microsoft:argument-error",
      `A ${body.kind} cannot be put at this path.`,
      400,
    );
  }

  private delete(target: Target): void {
    const e = this.entities;
    switch (target.kind) {
      case "entity":
        if (e.queue(target.name)) e.deleteQueue(target.name);
        else e.deleteTopic(target.name);
        return;
      case "subscription":
        return e.deleteSubscription(target.topic, target.name);
      case "rule":
        return e.removeRule(target.topic, target.subscription, target.name);
      default:
        throw new BrokerError(
          "com.microsoft:argument-error",
          "This resource cannot be deleted.",
          400,
        );
    }
  }

  private entry(
    path: string,
    title: string,
    times: { createdAt: number; updatedAt?: number },
    content: string,
    link: (p: string) => string,
  ): AtomEntry {
    return {
      url: link(path),
      title,
      published: times.createdAt,
      updated: times.updatedAt ?? times.createdAt,
      author: this.broker.namespace,
      content,
    };
  }

  private subscriptionEntry(
    s: Parameters<typeof subscriptionXml>[0],
    host: string,
    link: (p: string) => string,
  ): AtomEntry {
    return this.entry(
      `${s.topic.name}/Subscriptions/${s.name}`,
      s.name,
      s,
      subscriptionXml(s, host),
      link,
    );
  }

  private ruleEntry(
    topic: string,
    subscription: string,
    r: Parameters<typeof ruleXml>[0],
    link: (p: string) => string,
  ): AtomEntry {
    return this.entry(
      `${topic}/Subscriptions/${subscription}/Rules/${r.name}`,
      r.name,
      r,
      ruleXml(r),
      link,
    );
  }
}
