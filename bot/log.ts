/**
 * Structured logs: one JSON object a line ({ time, level, msg, requestId, conversationId, ... }).
 * Children's data is sensitive: callers log ids, types and timings, never message text or case
 * facts, and fields that could carry them are redacted here as a second line of defence.
 *
 * Field names used across the bot:
 *   time, level, msg   on every line
 *   requestId          the HTTP request to /api/messages (a UUID made per request, bot/server.ts)
 *   conversationId     the Teams conversation of the turn
 *   transferRequestId  a transfer request (TR-XXXXXX). (bot/approvals still logs it as `requestId`;
 *                      its TR- form tells the two apart.)
 *   reason             why a request was refused (a fixed vocabulary, bot/auth.ts)
 * Redacted whatever their value: fields named like message text, case facts, names, dates of birth,
 * contact details and secrets (REDACTED, any case). Scrubbed inside any string: bearer tokens/JWTs
 * and storage account keys.
 */
import type { LogLevel } from "./config";

export type LogFields = Record<string, string | number | boolean | null | undefined | string[]>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds these fields (e.g. requestId, conversationId) to every line. */
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const REDACTED = new Set(
  [
    ...["text", "facts", "value", "name", "caseReference", "body"],
    // people (issue 6: never a child's name) and their details
    ...["childName", "firstName", "lastName", "surname", "givenName", "fullName", "displayName", "dob", "dateOfBirth", "birthDate", "address", "postcode", "email", "phone"],
    // secrets
    ...["authorization", "token", "accessToken", "password", "secret", "clientSecret", "connectionString", "accountKey"],
  ].map((k) => k.toLowerCase()),
);

/** Tokens and keys inside free text (e.g. an error message that quotes a request). */
const SECRETS: [RegExp, string][] = [
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, "[token]"],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [token]"],
  [/(AccountKey|SharedAccessSignature|sig)=[^;&\s"]+/gi, "$1=[redacted]"],
];

function scrub(value: LogFields[string]): LogFields[string] {
  if (typeof value === "string") return SECRETS.reduce((s, [re, by]) => s.replace(re, by), value);
  if (Array.isArray(value)) return value.map((v) => scrub(v) as string);
  return value;
}

export function createLogger(level: LogLevel = "info", write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), base: LogFields = {}): Logger {
  const emit = (at: LogLevel, msg: string, fields: LogFields = {}) => {
    if (RANK[at] < RANK[level]) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: at, msg };
    for (const [k, v] of Object.entries({ ...base, ...fields })) if (v !== undefined) entry[k] = REDACTED.has(k.toLowerCase()) ? "[redacted]" : scrub(v);
    write(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger(level, write, { ...base, ...fields }),
  };
}

/** A logger that writes nothing (tests, benchmarks). */
export const silentLogger: Logger = createLogger("error", () => undefined);
