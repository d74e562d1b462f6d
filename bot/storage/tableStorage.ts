/**
 * botbuilder `Storage` on Azure Table Storage, for ConversationState / UserState.
 *
 * eTag contract (the one botbuilder-core's MemoryStorage implements and
 * TeamsSSOTokenExchangeMiddleware relies on):
 *   - read: every returned item carries the stored entity's `eTag`.
 *   - write, eTag missing, "" or "*": unconditional replace-or-create (last writer wins).
 *   - write, any other eTag, item exists: replaced only if the eTag matches the stored one,
 *     otherwise StorageConcurrencyError.
 *   - write, any other eTag, item missing: created (a concurrent create makes the loser throw
 *     StorageConcurrencyError). MemoryStorage does this, and the Teams SSO middleware
 *     de-duplicates token exchanges by writing an invented eTag and expecting exactly one success.
 *     Consequence: a writer holding the eTag of an item deleted since it read it recreates it
 *     (once; any other writer with that eTag then conflicts).
 *   - after a successful write the caller's item gets the new eTag, so a second write in
 *     the same turn passes the check.
 *   - delete is unconditional; deleting a missing key is not an error.
 *
 * NB: BotState.saveChanges (botbuilder-core 4.23) sets `eTag = "*"` on every save, discarding
 * the eTag load() read, so ConversationState/UserState are last-writer-wins whatever the storage
 * does: of two overlapping turns, the later save silently replaces the earlier one's state.
 * test/storage/tableStorage.test.ts pins this. Records that must not be lost belong in a
 * Repository (explicit etags), not in turn state.
 */
import type { TableClient } from "@azure/data-tables";
import type { Storage, StoreItems } from "botbuilder";
import { z } from "zod";
import { assertEntityFits, fromJsonColumns, toJsonColumns } from "./jsonColumns";
import {
  assertTableName,
  decodeKey,
  encodeKey,
  ensureTableOnce,
  isConflict,
  isEntityNotFound,
  isPreconditionFailed,
  MAX_KEY_CHARS,
} from "./tables";

export class StorageConcurrencyError extends Error {
  override readonly name = "StorageConcurrencyError";
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    // "eTag conflict" matches MemoryStorage's wording, which TeamsSSOTokenExchangeMiddleware looks for.
    super(`Storage: error writing "${key}" due to eTag conflict: another writer changed or created it first`, options);
  }
}

/** Entity eTags look like W/"datetime'2025-01-01T00%3A00%3A00.0000000Z'". */
const SERVICE_ETAG = /^W\/"datetime'[^'"]+'"$/;

const keysSchema = z.array(z.string().min(1, "storage keys must be non-empty strings"));
const changesSchema = z.record(
  z.string().min(1, "storage keys must be non-empty strings"),
  z.looseObject({ eTag: z.string().nullish() }),
);

export class TableStorage implements Storage {
  constructor(private readonly client: TableClient) {
    assertTableName(client.tableName);
  }

  /**
   * The botbuilder key, encoded, split over PartitionKey and RowKey (each at most 512
   * characters; RowKey is empty unless the key is very long). Reversible: decodeKey(pk + rk).
   */
  static entityKeys(key: string): { partitionKey: string; rowKey: string } {
    const encoded = encodeKey(key);
    if (encoded.length > 2 * MAX_KEY_CHARS) {
      throw new RangeError(`Storage key is too long (${encoded.length} encoded characters, max ${2 * MAX_KEY_CHARS}): "${key.slice(0, 80)}..."`);
    }
    return { partitionKey: encoded.slice(0, MAX_KEY_CHARS), rowKey: encoded.slice(MAX_KEY_CHARS) };
  }

  static storageKey(entity: { partitionKey: string; rowKey: string }): string {
    return decodeKey(entity.partitionKey + entity.rowKey);
  }

  async read(keys: string[]): Promise<StoreItems> {
    const valid = parse(keysSchema, keys, "read");
    await ensureTableOnce(this.client);
    const items: StoreItems = {};
    await Promise.all(
      [...new Set(valid)].map(async (key) => {
        const { partitionKey, rowKey } = TableStorage.entityKeys(key);
        try {
          const entity = await this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
          const item: unknown = JSON.parse(fromJsonColumns(entity, this.describe(key)));
          if (typeof item !== "object" || item === null || Array.isArray(item)) {
            throw new Error(`${this.describe(key)}: stored JSON is not an object`);
          }
          items[key] = { ...item, eTag: entity.etag };
        } catch (err) {
          if (!isEntityNotFound(err)) throw err;
        }
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (changes === null || changes === undefined) throw new ReferenceError("Changes are required when writing.");
    if (Object.keys(changes).length === 0) return;
    parse(changesSchema, changes, "write");
    await ensureTableOnce(this.client);

    // Serialise and size-check everything before sending anything.
    const writes = Object.entries(changes).map(([key, item]) => {
      const { eTag, ...data } = item as Record<string, unknown> & { eTag?: string | null };
      let json: string;
      try {
        json = JSON.stringify(data);
      } catch (err) {
        throw new TypeError(`${this.describe(key)}: item is not JSON-serialisable`, { cause: err });
      }
      const entity = { ...TableStorage.entityKeys(key), ...toJsonColumns(json) };
      assertEntityFits(entity, this.describe(key));
      return { key, item: item as { eTag?: string | null }, eTag, entity };
    });

    const results = await Promise.allSettled(
      writes.map(async ({ key, item, eTag, entity }) => {
        item.eTag = await this.put(key, entity, eTag);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }

  async delete(keys: string[]): Promise<void> {
    const valid = parse(keysSchema, keys, "delete");
    await ensureTableOnce(this.client);
    await Promise.all(
      [...new Set(valid)].map(async (key) => {
        const { partitionKey, rowKey } = TableStorage.entityKeys(key);
        try {
          await this.client.deleteEntity(partitionKey, rowKey);
        } catch (err) {
          if (!isEntityNotFound(err)) throw err;
        }
      }),
    );
  }

  /** Writes one entity under the eTag contract above; returns the new eTag. */
  private async put(
    key: string,
    entity: { partitionKey: string; rowKey: string },
    eTag: string | null | undefined,
  ): Promise<string> {
    if (!eTag || eTag === "*") return etagOf(await this.client.upsertEntity(entity, "Replace"), key);
    // An eTag the table service did not issue (e.g. the Teams SSO middleware's exchange id)
    // cannot match a stored entity, so only a create can succeed. Sending it as If-Match
    // instead gets 400 InvalidInput from Azurite rather than a 404/412.
    if (SERVICE_ETAG.test(eTag)) {
      try {
        return etagOf(await this.client.updateEntity(entity, "Replace", { etag: eTag }), key);
      } catch (err) {
        if (isPreconditionFailed(err)) throw new StorageConcurrencyError(key, { cause: err });
        if (!isEntityNotFound(err)) throw err;
      }
    }
    try {
      return etagOf(await this.client.createEntity(entity), key);
    } catch (err) {
      if (isConflict(err)) throw new StorageConcurrencyError(key, { cause: err });
      throw err;
    }
  }

  private describe(key: string): string {
    return `Storage item "${key}" (table ${this.client.tableName})`;
  }
}

function etagOf(response: { etag?: string }, key: string): string {
  if (!response.etag) throw new Error(`Storage: no eTag returned when writing "${key}"`);
  return response.etag;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, operation: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new TypeError(`TableStorage.${operation}: invalid argument: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
