/**
 * Structured logs: one JSON object a line ({ time, level, msg, requestId, conversationId, ... }).
 * Children's data is sensitive: callers log ids, types and timings, never message text or case
 * facts, and fields that could carry them are redacted here as a second line of defence.
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
const REDACTED = new Set(["text", "facts", "value", "name", "caseReference", "body"]);

export function createLogger(level: LogLevel = "info", write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), base: LogFields = {}): Logger {
  const emit = (at: LogLevel, msg: string, fields: LogFields = {}) => {
    if (RANK[at] < RANK[level]) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: at, msg };
    for (const [k, v] of Object.entries({ ...base, ...fields })) if (v !== undefined) entry[k] = REDACTED.has(k) ? "[redacted]" : v;
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
