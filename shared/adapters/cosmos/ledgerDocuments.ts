import type { Container, PatchOperation } from "@azure/cosmos";
import type { Versioned } from "../../ports/versioned";
import { isConflict, isNotFound, isPreconditionFailed } from "./cosmosErrors";
import { conditionalPatch } from "./conditionalPatch";

/**
 * The primitives every participant record is built from, on the `ledger` container
 * (partitioned by orderId): a point read, create-if-absent, replace-if-unchanged and
 * patch-if-condition. A lost race answers `undefined` rather than throwing, so callers re-read
 * and decide again.
 */
export class LedgerDocuments<T extends { readonly id: string; readonly orderId: string }> {
  constructor(private readonly ledger: Container) {}

  async read(id: string, orderId: string): Promise<Versioned<T> | undefined> {
    try {
      const { resource, etag } = await this.ledger.item(id, orderId).read<T>();
      return resource ? { doc: resource, etag: etag ?? "" } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Creates the document; undefined when another writer created it first. */
  async create(doc: T): Promise<Versioned<T> | undefined> {
    try {
      const { resource, etag } = await this.ledger.items.create(doc);
      return { doc: (resource as T | undefined) ?? doc, etag: etag ?? "" };
    } catch (error) {
      if (isConflict(error)) return undefined;
      throw error;
    }
  }

  /** The document, created as `initial` when absent (whoever creates it first wins). */
  async readOrCreate(initial: T): Promise<Versioned<T>> {
    for (;;) {
      const found = await this.read(initial.id, initial.orderId);
      if (found) return found;
      const created = await this.create(initial);
      if (created) return created;
    }
  }

  /**
   * As `readOrCreate`, for a document that is most likely absent (a first claim): the create
   * goes first, so the usual case costs one request and a repeat pays the read.
   */
  async createOrRead(initial: T): Promise<Versioned<T>> {
    for (;;) {
      const created = await this.create(initial);
      if (created) return created;
      const found = await this.read(initial.id, initial.orderId);
      if (found) return found;
    }
  }

  /**
   * Patches the document if `condition` (a Cosmos filter predicate, `FROM c WHERE …`) holds
   * on it when the store applies the patch; undefined when it does not, or there is none.
   */
  async patchWhere(
    id: string,
    orderId: string,
    condition: string,
    operations: PatchOperation[],
  ): Promise<Versioned<T> | undefined> {
    const patched = await conditionalPatch<T>(this.ledger.item(id, orderId), condition, operations);
    return typeof patched === "string" ? undefined : patched;
  }

  /** Replaces the document if unchanged since `current` was read; undefined when it changed. */
  async replace(current: Versioned<T>, next: T): Promise<Versioned<T> | undefined> {
    try {
      const { resource, etag } = await this.ledger
        .item(next.id, next.orderId)
        .replace(next, { accessCondition: { type: "IfMatch", condition: current.etag } });
      return { doc: (resource as T | undefined) ?? next, etag: etag ?? "" };
    } catch (error) {
      if (isPreconditionFailed(error)) return undefined;
      throw error;
    }
  }
}
