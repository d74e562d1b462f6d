/**
 * Typed rows in one Azure table: a zod-validated JSON value (chunked, see jsonColumns)
 * plus optional plain "index" columns copied from the value so callers can filter on them.
 *
 * pk/rk are any non-empty strings; they are stored encoded (encodeKey) and returned decoded.
 * Filters passed to query() see the stored form: index columns are plain, but
 * PartitionKey/RowKey comparisons need encodeKey(...) on the caller's side.
 */
import { odata, type TableClient } from "@azure/data-tables";
import { z } from "zod";
import { assertEntityFits, fromJsonColumns, isReservedColumn, toJsonColumns } from "./jsonColumns";
import {
  decodeKey,
  encodeKey,
  ensureTableOnce,
  isConflict,
  isEntityNotFound,
  isPreconditionFailed,
  MAX_KEY_CHARS,
} from "./tables";

export interface Row<T> {
  pk: string;
  rk: string;
  value: T;
  etag: string;
}

type IndexValue = string | boolean | Date | { value: number; type: "Double" };

export interface RepositoryOptions<T> {
  /** Top-level fields of T to also store as plain columns (string, number, boolean or Date). */
  indexColumns?: ReadonlyArray<keyof T & string>;
}

abstract class RowError extends Error {
  constructor(
    readonly table: string,
    readonly pk: string,
    readonly rk: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${table}(${JSON.stringify(pk)}, ${JSON.stringify(rk)}): ${message}`, options);
  }
}

/** create() found the row already there. */
export class RowExistsError extends RowError {
  override readonly name = "RowExistsError";
}

/** replace()/delete() with an etag that is no longer current (changed or deleted since read). */
export class StaleEtagError extends RowError {
  override readonly name = "StaleEtagError";
}

/** A value (on write) or stored row (on read) does not match the schema. */
export class RowValidationError extends RowError {
  override readonly name = "RowValidationError";
  constructor(
    table: string,
    pk: string,
    rk: string,
    readonly direction: "read" | "write",
    readonly issues: z.core.$ZodIssue[],
  ) {
    const fields = issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`).join("; ");
    super(table, pk, rk, `${direction === "read" ? "stored row" : "value"} does not match schema: ${fields}`);
  }
}

export class Repository<T> {
  private readonly table: string;
  private readonly indexColumns: ReadonlyArray<keyof T & string>;

  constructor(
    private readonly client: TableClient,
    private readonly schema: z.ZodType<T>,
    options: RepositoryOptions<T> = {},
  ) {
    this.table = client.tableName;
    this.indexColumns = options.indexColumns ?? [];
    for (const name of this.indexColumns) {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(name) || isReservedColumn(name)) {
        throw new RangeError(`${this.table}: "${name}" cannot be used as an index column name`);
      }
    }
  }

  async get(pk: string, rk: string): Promise<{ value: T; etag: string } | undefined> {
    const keys = this.keys(pk, rk);
    await ensureTableOnce(this.client);
    try {
      const row = this.fromEntity(await this.client.getEntity<Record<string, unknown>>(keys.partitionKey, keys.rowKey));
      return { value: row.value, etag: row.etag };
    } catch (err) {
      if (isEntityNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Inserts; RowExistsError if the row exists. Returns the new etag. */
  async create(pk: string, rk: string, value: T): Promise<string> {
    const entity = this.toEntity(pk, rk, value);
    await ensureTableOnce(this.client);
    try {
      return etagOf(await this.client.createEntity(entity));
    } catch (err) {
      if (isConflict(err)) throw new RowExistsError(this.table, pk, rk, "row already exists", { cause: err });
      throw err;
    }
  }

  /** Replaces the row if `etag` is current; StaleEtagError otherwise. Returns the new etag. */
  async replace(pk: string, rk: string, value: T, etag: string): Promise<string> {
    const entity = this.toEntity(pk, rk, value);
    if (!etag || etag === "*") throw new TypeError(`${this.table}: replace() needs the etag from get(); use upsert() to overwrite`);
    await ensureTableOnce(this.client);
    try {
      return etagOf(await this.client.updateEntity(entity, "Replace", { etag }));
    } catch (err) {
      if (isPreconditionFailed(err)) throw new StaleEtagError(this.table, pk, rk, "row changed since it was read", { cause: err });
      if (isEntityNotFound(err)) throw new StaleEtagError(this.table, pk, rk, "row was deleted since it was read", { cause: err });
      throw err;
    }
  }

  /** Creates or overwrites unconditionally. Returns the new etag. */
  async upsert(pk: string, rk: string, value: T): Promise<string> {
    const entity = this.toEntity(pk, rk, value);
    await ensureTableOnce(this.client);
    return etagOf(await this.client.upsertEntity(entity, "Replace"));
  }

  /**
   * Deletes the row; with `etag`, only if it is current (StaleEtagError otherwise).
   * Returns false if there was no row.
   */
  async delete(pk: string, rk: string, etag?: string): Promise<boolean> {
    const keys = this.keys(pk, rk);
    await ensureTableOnce(this.client);
    try {
      await this.client.deleteEntity(keys.partitionKey, keys.rowKey, etag ? { etag } : {});
      return true;
    } catch (err) {
      if (isPreconditionFailed(err)) throw new StaleEtagError(this.table, pk, rk, "row changed since it was read", { cause: err });
      if (isEntityNotFound(err)) return false;
      throw err;
    }
  }

  /** All rows in partition `pk`, in RowKey order, optionally only those whose rk starts with a prefix. */
  list(pk: string, opts: { rowKeyPrefix?: string } = {}): AsyncIterable<Row<T>> {
    const partition = odata`PartitionKey eq ${this.encode(pk, "pk")}`;
    if (opts.rowKeyPrefix === undefined || opts.rowKeyPrefix === "") return this.query(partition);
    const from = encodeKey(opts.rowKeyPrefix);
    // Encoded keys only use characters below "{", so every key with this prefix sorts before from + "{".
    return this.query(`${partition} and ${odata`RowKey ge ${from} and RowKey lt ${`${from}{`}`}`);
  }

  /** Rows matching an OData filter; build it with `odata` from @azure/data-tables. */
  async *query(filter: string): AsyncIterable<Row<T>> {
    await ensureTableOnce(this.client);
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      yield this.fromEntity(entity);
    }
  }

  private encode(key: string, which: "pk" | "rk"): string {
    if (typeof key !== "string" || key === "") throw new TypeError(`${this.table}: ${which} must be a non-empty string`);
    const encoded = encodeKey(key);
    if (encoded.length > MAX_KEY_CHARS) {
      throw new RangeError(`${this.table}: ${which} is too long (${encoded.length} encoded characters, max ${MAX_KEY_CHARS})`);
    }
    return encoded;
  }

  private keys(pk: string, rk: string): { partitionKey: string; rowKey: string } {
    return { partitionKey: this.encode(pk, "pk"), rowKey: this.encode(rk, "rk") };
  }

  private toEntity(pk: string, rk: string, value: T) {
    const keys = this.keys(pk, rk);
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw new RowValidationError(this.table, pk, rk, "write", parsed.error.issues);
    const json = JSON.stringify(parsed.data);
    if (json === undefined) throw new TypeError(`${this.table}(${pk}, ${rk}): value is not JSON-serialisable`);

    const index: Record<string, IndexValue> = {};
    for (const name of this.indexColumns) {
      const v: unknown = (parsed.data as Record<string, unknown> | null)?.[name];
      if (v === undefined || v === null) continue;
      if (typeof v === "number") {
        // Explicit Edm.Double: an untyped JSON integer is read as Int32 by the service.
        index[name] = { value: v, type: "Double" };
      } else if (typeof v === "string" || typeof v === "boolean" || v instanceof Date) {
        index[name] = v;
      } else {
        throw new TypeError(`${this.table}(${pk}, ${rk}): index column "${name}" must be a string, number, boolean or Date`);
      }
    }
    const entity = { ...keys, ...index, ...toJsonColumns(json) };
    assertEntityFits(entity, `${this.table}(${pk}, ${rk})`);
    return entity;
  }

  private fromEntity(entity: Record<string, unknown> & { partitionKey?: string; rowKey?: string; etag: string }): Row<T> {
    const pk = decodeKey(entity.partitionKey ?? "");
    const rk = decodeKey(entity.rowKey ?? "");
    const where = `${this.table}(${JSON.stringify(pk)}, ${JSON.stringify(rk)})`;
    let raw: unknown;
    try {
      raw = JSON.parse(fromJsonColumns(entity, where));
    } catch (err) {
      throw new Error(`${where}: stored JSON is unreadable`, { cause: err });
    }
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) throw new RowValidationError(this.table, pk, rk, "read", parsed.error.issues);
    return { pk, rk, value: parsed.data, etag: entity.etag };
  }
}

function etagOf(response: { etag?: string }): string {
  if (!response.etag) throw new Error("Table service returned no etag");
  return response.etag;
}
