/**
 * Small helpers around @azure/data-tables shared by TableStorage and Repository.
 */
import { TableClient, TableServiceClient, type TableServiceClientOptions } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";

// ---------------------------------------------------------------------------
// Where the tables are (issue 6)

/**
 * Where the tables are: an Azure Storage connection string (Azurite, or an account key), or a Table
 * endpoint `https://<account>.table.core.windows.net` reached with an Entra ID token. A plain string
 * that starts with `https://` is such an endpoint with the default credential, so that every place
 * that takes a "connection string" also takes STORAGE_ACCOUNT_URL unchanged.
 */
export type StorageTarget = string | { url: string; credential?: TokenCredential };

type ResolvedTarget = { connectionString: string } | { url: string; credential: TokenCredential };

const looksLikeUrl = (s: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(s.trim());

let defaultCredential: TokenCredential | undefined;

/**
 * DefaultAzureCredential, made once per process: in App Service the user-assigned managed identity
 * named by AZURE_CLIENT_ID; on a developer machine e.g. `az login`. @azure/identity is loaded only
 * when a Table endpoint URL is used.
 */
export function storageCredential(): TokenCredential {
  if (!defaultCredential) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
    const clientId = process.env.AZURE_CLIENT_ID?.trim();
    defaultCredential = new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
  }
  return defaultCredential;
}

function resolveTarget(target: StorageTarget): ResolvedTarget {
  if (typeof target === "string" && !looksLikeUrl(target)) return { connectionString: target };
  const url = (typeof target === "string" ? target : target.url).trim().replace(/\/+$/, "");
  // A bearer token is never sent over plain http (the SDK would refuse it on the first request).
  if (!url.toLowerCase().startsWith("https://")) throw new RangeError(`A Table endpoint must be an https URL (got "${url}")`);
  return { url, credential: (typeof target === "string" ? undefined : target.credential) ?? storageCredential() };
}

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
 * A TableClient for `tableName` (see StorageTarget). Plain-http endpoints (Azurite,
 * UseDevelopmentStorage=true) are allowed only when the connection string itself points at http.
 */
export function tableClient(target: StorageTarget, tableName: string): TableClient {
  assertTableName(tableName);
  const resolved = resolveTarget(target);
  if ("url" in resolved) return new TableClient(resolved.url, tableName, resolved.credential);
  const connectionString = resolved.connectionString;
  const client = TableClient.fromConnectionString(connectionString, tableName);
  return isHttp(client.url)
    ? TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true })
    : client;
}

function serviceClient(target: StorageTarget, options: TableServiceClientOptions = {}): TableServiceClient {
  const resolved = resolveTarget(target);
  if ("url" in resolved) return new TableServiceClient(resolved.url, resolved.credential, options);
  const connectionString = resolved.connectionString;
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
 * `timeoutMs` (for a Table endpoint URL, getting the token counts too). Never throws, never retries.
 */
export async function pingStorage(target: StorageTarget, timeoutMs = 2000): Promise<boolean> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = (async () => {
    try {
      const client = serviceClient(target, { retryOptions: { maxRetries: 0 } });
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
