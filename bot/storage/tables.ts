/**
 * Small helpers around @azure/data-tables shared by TableStorage and Repository.
 */
import { TableClient, TableServiceClient, type TableServiceClientOptions } from "@azure/data-tables";

/** Azure table names: 3-63 alphanumeric characters, not starting with a digit. */
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

export function assertTableName(tableName: string): void {
  if (!TABLE_NAME.test(tableName)) {
    throw new RangeError(
      `Invalid table name "${tableName}": use 3-63 letters and digits, starting with a letter`,
    );
  }
}

/**
 * A TableClient for `tableName`. Plain-http endpoints (Azurite, UseDevelopmentStorage=true)
 * are allowed only when the connection string itself points at http.
 */
export function tableClient(connectionString: string, tableName: string): TableClient {
  assertTableName(tableName);
  const client = TableClient.fromConnectionString(connectionString, tableName);
  return isHttp(client.url)
    ? TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true })
    : client;
}

function serviceClient(connectionString: string, options: TableServiceClientOptions = {}): TableServiceClient {
  const client = TableServiceClient.fromConnectionString(connectionString, options);
  return isHttp(client.url)
    ? TableServiceClient.fromConnectionString(connectionString, { ...options, allowInsecureConnection: true })
    : client;
}

const isHttp = (url: string): boolean => url.toLowerCase().startsWith("http:");

/**
 * Creates the table if it does not exist. Idempotent; when two processes race, the SDK
 * swallows the loser's 409 TableAlreadyExists.
 */
export async function ensureTable(client: TableClient): Promise<void> {
  await client.createTable();
}

const ensured = new WeakMap<TableClient, Promise<void>>();

/** ensureTable at most once per client (retried on the next call if it failed). */
export function ensureTableOnce(client: TableClient): Promise<void> {
  let ready = ensured.get(client);
  if (!ready) {
    ready = ensureTable(client).catch((err: unknown) => {
      ensured.delete(client);
      throw err;
    });
    ensured.set(client, ready);
  }
  return ready;
}

// ---------------------------------------------------------------------------
// Key encoding

/**
 * Longest PartitionKey/RowKey accepted. Azure documents "up to 1 KiB"; Azurite rejects
 * anything over 512 characters, so that is the limit used everywhere.
 */
export const MAX_KEY_CHARS = 512;

/** ASCII characters kept as they are; every other UTF-8 byte becomes `$XX`. */
const KEEP = /^[A-Za-z0-9\-_.:@]$/;
const ENCODED = /^(?:[A-Za-z0-9\-_.:@]|\$[0-9A-F]{2})*$/;

/**
 * Reversibly encodes any string into the characters allowed in PartitionKey/RowKey
 * (no / \ # ? or control characters). Letters, digits and - _ . : @ are unchanged, so Teams
 * ids such as `19:abc@thread.tacv2` and ISO timestamps stay readable and keep their order.
 */
export function encodeKey(raw: string): string {
  const bytes = Buffer.from(raw, "utf8");
  if (bytes.toString("utf8") !== raw) {
    throw new TypeError(`Key contains an unpaired UTF-16 surrogate and cannot be stored: ${JSON.stringify(raw)}`);
  }
  let out = "";
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && KEEP.test(ch) ? ch : `$${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Inverse of encodeKey; rejects anything encodeKey could not have produced. */
export function decodeKey(encoded: string): string {
  const malformed = () => new TypeError(`Not an encoded key: ${JSON.stringify(encoded)}`);
  if (!ENCODED.test(encoded)) throw malformed();
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === "$") {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(encoded.charCodeAt(i));
    }
  }
  const raw = Buffer.from(bytes).toString("utf8");
  if (encodeKey(raw) !== encoded) throw malformed(); // invalid UTF-8 or a needless escape
  return raw;
}

// ---------------------------------------------------------------------------
// Errors. The SDK throws RestError with statusCode and details.errorCode; err.code is undefined.

function statusCode(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/** The service's error code, e.g. "UpdateConditionNotSatisfied", "EntityAlreadyExists". */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { details?: { errorCode?: unknown } } | null)?.details?.errorCode;
  return typeof code === "string" ? code : undefined;
}

/** 412: the If-Match etag did not match (details.errorCode "UpdateConditionNotSatisfied"). */
export const isPreconditionFailed = (err: unknown): boolean => statusCode(err) === 412;
/** 409: e.g. EntityAlreadyExists on insert. */
export const isConflict = (err: unknown): boolean => statusCode(err) === 409;
/** 404: entity (ResourceNotFound) or table (TableNotFound) missing. */
export const isNotFound = (err: unknown): boolean => statusCode(err) === 404;
/** 404 for a missing entity, not for a missing table (which must not read as "no data"). */
export const isEntityNotFound = (err: unknown): boolean => isNotFound(err) && errorCode(err) !== "TableNotFound";

// ---------------------------------------------------------------------------
// Health

/**
 * For GET /health: true if the table service answers an authenticated request within
 * `timeoutMs`. Never throws, never retries.
 */
export async function pingStorage(connectionString: string, timeoutMs = 2000): Promise<boolean> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = (async () => {
    try {
      const client = serviceClient(connectionString, { retryOptions: { maxRetries: 0 } });
      await client.listTables({ abortSignal: abort.signal }).byPage({ maxPageSize: 1 }).next();
      return true;
    } catch {
      return false;
    }
  })();
  try {
    return await Promise.race([probe, timedOut]);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
