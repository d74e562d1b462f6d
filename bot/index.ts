/**
 * The production entry: `node dist/bot/index.js` (App Service runs it, infra/main.bicep; `npm run
 * build` compiles it). Unlike `npm start` (scripts/start.ts) it never starts Azurite or the Agents
 * Playground and loads neither: storage must be configured (STORAGE_ACCOUNT_URL with the managed
 * identity, or STORAGE_CONNECTION_STRING), or it refuses to start.
 *
 * Every line it writes is one JSON object (bot/log.ts), including what libraries print with
 * console.* (botbuilder prints token refusals that way). It listens on PORT on all interfaces and
 * stops cleanly on SIGTERM (App Service, docker stop) or SIGINT: no new connections, requests in
 * flight finish (for at most SHUTDOWN_GRACE_MS), then exit 0.
 */
import { format } from "node:util";
import type { Server as HttpServer } from "node:http";
import { authMode } from "./auth";
import { ConfigError, loadConfig, type Config, type LogLevel } from "./config";
import { createLogger, type Logger } from "./log";
import { createServer } from "./server";

export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * console.* from libraries (and Node's own process warnings, which it prints with console.error) as
 * JSON lines too: the text under `output`, cut to 2,000 characters.
 */
function routeConsole(log: Logger): void {
  const as = (level: LogLevel) => (...args: unknown[]) => {
    const output = format(...args).slice(0, 2000);
    // restify's spdy triggers DEP0111 (process.binding) at every start: known and harmless.
    const nodeWarning = level === "error" && /^\(node:\d+\) (\[\w+\] )?\w*Warning/.test(output);
    log[nodeWarning ? (output.includes("[DEP0111]") ? "debug" : "warn") : level]("console output", { output });
  };
  console.debug = as("debug");
  console.log = as("info");
  console.info = as("info");
  console.warn = as("warn");
  console.error = as("error");
}

export interface Running {
  port: number;
  /** Stop accepting, let requests finish (at most SHUTDOWN_GRACE_MS), close. */
  stop(): Promise<void>;
}

/** Validate the configuration, build the server and listen. Throws ConfigError or a listen error. */
export async function start(env: Record<string, string | undefined>, log?: Logger): Promise<Running> {
  const loaded: Config = loadConfig(env);
  const logger = log ?? createLogger(loaded.logLevel);
  if (!loaded.storageConnectionString && !loaded.storageAccountUrl) {
    throw new ConfigError(["STORAGE_ACCOUNT_URL: required by the production entry (bot/index.js, which never starts Azurite): the Table endpoint, reached with the managed identity; or set STORAGE_CONNECTION_STRING instead (for a local Azurite, run `npm start`)"]);
  }
  // Never the Playground (nor its demo persona) here, whatever PLAYGROUND says.
  const config: Config = { ...loaded, playground: false };
  const server = createServer(config, { log: logger });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  logger.info("Stepwise is listening", {
    port,
    auth: authMode(config),
    storage: config.storageAccountUrl ? "Table endpoint (managed identity)" : "connection string",
    council: config.council ?? null,
    node: process.version,
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      const http = server.server as unknown as HttpServer;
      const force = setTimeout(() => {
        logger.warn("requests still running after the grace period; closing their connections", { graceMs: SHUTDOWN_GRACE_MS });
        http.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      http.closeIdleConnections();
    }));
  return { port, stop };
}

async function main(): Promise<void> {
  // LOG_LEVEL as given if valid (an invalid one is reported with the rest of the configuration).
  const log = createLogger(logLevelOf(process.env));
  routeConsole(log);
  process.on("unhandledRejection", (reason) => {
    log.error("unhandled promise rejection", { error: (reason as Error)?.name ?? typeof reason, message: (reason as Error)?.message ?? null });
  });
  process.on("uncaughtException", (err) => {
    log.error("uncaught exception; stopping", { error: err.name, message: err.message });
    process.exit(1);
  });

  let running: Running;
  try {
    running = await start(process.env, log);
  } catch (err) {
    if (err instanceof ConfigError) {
      log.error("the configuration is not valid; not starting", { problems: err.problems });
      process.exitCode = 1; // nothing was started
      return;
    }
    log.error("could not start", { error: (err as Error).name, message: (err as Error).message, code: (err as NodeJS.ErrnoException).code ?? null });
    process.exit(1); // e.g. the port is taken: the server's timers must not keep the process alive

  }

  const shutdown = (signal: NodeJS.Signals) => {
    log.info("stopping", { signal });
    void running.stop().then(() => {
      log.info("stopped", { signal });
      process.exit(0);
    });
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

/** LOG_LEVEL if it is valid, else info. */
function logLevelOf(env: Record<string, string | undefined>): LogLevel {
  const level = env.LOG_LEVEL?.trim().toLowerCase();
  return level === "debug" || level === "info" || level === "warn" || level === "error" ? level : "info";
}

if (require.main === module) void main();
