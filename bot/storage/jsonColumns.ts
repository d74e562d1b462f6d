/**
 * Stores a JSON document in string columns of one table entity, split across several
 * columns because one string property holds at most 64 KiB (32K UTF-16 characters).
 * Shared by TableStorage and Repository.
 */

/** Characters per column: Azure allows 32,768 UTF-16 units; stay a little under. */
export const CHUNK_CHARS = 32_000;
/** Azure's limit for one entity, counted the way the service documents it (UTF-16). */
export const MAX_ENTITY_BYTES = 1024 * 1024;

const COUNT_COLUMN = "jsonChunks";
const chunkColumn = (i: number): string => `json${i}`;

/** Column names the JSON encoding uses or the service owns; not available for other data. */
export function isReservedColumn(name: string): boolean {
  return /^json/i.test(name) || ["partitionkey", "rowkey", "timestamp", "etag"].includes(name.toLowerCase());
}

export class EntityTooLargeError extends Error {
  override readonly name = "EntityTooLargeError";
  constructor(
    readonly what: string,
    readonly bytes: number,
  ) {
    super(
      `${what} is too large to store: ${bytes} bytes as Azure Table Storage counts it, ` +
        `limit ${MAX_ENTITY_BYTES} (roughly 500K characters of JSON)`,
    );
  }
}

/** `json` as columns { jsonChunks: n, json0: "...", json1: "...", ... }. */
export function toJsonColumns(json: string): Record<string, string | number> {
  const columns: Record<string, string | number> = {};
  let count = 0;
  for (let start = 0; start < json.length; count++) {
    let end = Math.min(start + CHUNK_CHARS, json.length);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end--; // keep surrogate pairs whole
    columns[chunkColumn(count)] = json.slice(start, end);
    start = end;
  }
  columns[COUNT_COLUMN] = count;
  return columns;
}

/** Reassembles the JSON text written by toJsonColumns; throws if columns are missing. */
export function fromJsonColumns(entity: Record<string, unknown>, what: string): string {
  const count = entity[COUNT_COLUMN];
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
    throw new Error(`${what}: stored entity has no valid "${COUNT_COLUMN}" column`);
  }
  let json = "";
  for (let i = 0; i < count; i++) {
    const chunk = entity[chunkColumn(i)];
    if (typeof chunk !== "string") throw new Error(`${what}: stored entity is missing column "${chunkColumn(i)}"`);
    json += chunk;
  }
  return json;
}

/**
 * Entity size per Azure's documented formula:
 * 4 + 2*len(PartitionKey + RowKey) + sum over properties of (8 + 2*len(name) + value size).
 * Azurite only checks the UTF-8 request body, so ASCII-heavy entities up to twice this size
 * would pass locally and fail in Azure; checking here keeps the two consistent.
 */
export function entitySizeBytes(entity: { partitionKey: string; rowKey: string } & Record<string, unknown>): number {
  let bytes = 4 + 2 * (entity.partitionKey.length + entity.rowKey.length);
  for (const [name, value] of Object.entries(entity)) {
    if (name === "partitionKey" || name === "rowKey" || value === undefined || value === null) continue;
    bytes += 8 + 2 * name.length;
    if (typeof value === "string") bytes += 4 + 2 * value.length;
    else if (typeof value === "boolean") bytes += 1;
    else bytes += 8; // number (Int32/Double), Date
  }
  return bytes;
}

export function assertEntityFits(entity: { partitionKey: string; rowKey: string } & Record<string, unknown>, what: string): void {
  const bytes = entitySizeBytes(entity);
  if (bytes > MAX_ENTITY_BYTES) throw new EntityTooLargeError(what, bytes);
}
