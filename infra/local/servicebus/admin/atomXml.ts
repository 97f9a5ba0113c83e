/**
 * The ATOM envelope of the Service Bus management API (the entity XML goes inside
 * <content>): one <entry> per entity, a <feed> for lists, <Error> for failures. Shapes as the
 * service writes them and @azure/service-bus parses them (util/atomXmlHelper).
 */

const ATOM = "http://www.w3.org/2005/Atom";
export const CONNECT_NS = "http://schemas.microsoft.com/netservices/2010/10/servicebus/connect";
export const INSTANCE_NS = "http://www.w3.org/2001/XMLSchema-instance";

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) =>
    c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : c === '"' ? "&quot;" : "&apos;",
  );
}

/** `<name>value</name>`, or nothing when the value is undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export interface AtomEntry {
  /** Absolute URL of the resource: its id (the SDK takes entity names from its path). */
  readonly url: string;
  readonly title: string;
  readonly published: number;
  readonly updated: number;
  /** The namespace name, as <author>. */
  readonly author: string;
  /** The description element, e.g. `<QueueDescription ...>...</QueueDescription>`. */
  readonly content: string;
}

function entryBody(e: AtomEntry): string {
  return (
    `<id>${escapeXml(e.url)}</id><title type="text">${escapeXml(e.title)}</title>` +
    `<published>${isoTime(e.published)}</published><updated>${isoTime(e.updated)}</updated>` +
    `<author><name>${escapeXml(e.author)}</name></author>` +
    `<link rel="self" href="${escapeXml(e.url)}"/>` +
    `<content type="application/xml">${e.content}</content>`
  );
}

export function atomEntry(e: AtomEntry): string {
  return `<entry xmlns="${ATOM}">${entryBody(e)}</entry>`;
}

/** A list; `next` is the URL of the following page when there is one. */
export function atomFeed(
  title: string,
  url: string,
  entries: readonly AtomEntry[],
  next?: string,
): string {
  const links =
    `<link rel="self" href="${escapeXml(url)}"/>` +
    (next ? `<link rel="next" href="${escapeXml(next)}"/>` : "");
  return (
    `<feed xmlns="${ATOM}"><title type="text">${escapeXml(title)}</title>` +
    `<id>${escapeXml(url)}</id><updated>${new Date().toISOString()}</updated>${links}` +
    entries.map((e) => `<entry>${entryBody(e)}</entry>`).join("") +
    `</feed>`
  );
}

/**
 * What the service answers a GET of an entity that does not exist: 200 with an empty feed
 * (the SDK turns it into a MessageEntityNotFoundError).
 */
export function emptyFeed(url: string): string {
  return (
    `<feed xmlns="${ATOM}"><title type="text">Publicly Listed Services</title>` +
    `<subtitle type="text">This is the list of publicly-listed services currently available.</subtitle>` +
    `<id>${escapeXml(url)}</id><updated>${new Date().toISOString()}</updated>` +
    `<generator>Service Bus 1.1</generator></feed>`
  );
}

export function errorXml(code: number, detail: string): string {
  return `<Error><Code>${code}</Code><Detail>${escapeXml(detail)}</Detail></Error>`;
}

/** A description element with the namespaces the service declares on it. */
export function description(name: string, body: string): string {
  return `<${name} xmlns="${CONNECT_NS}" xmlns:i="${INSTANCE_NS}">${body}</${name}>`;
}
