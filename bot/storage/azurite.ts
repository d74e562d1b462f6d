/**
 * In-process, in-memory Azurite Table service for local runs and tests.
 *
 * Azurite's package entry point cannot be required outside VS Code and ships no
 * type declarations, so this reaches into its compiled table server directly.
 * Nothing is written to disk: Loki runs with its in-memory adapter, debug and
 * access logs are off, and telemetry is never initialised (only Azurite's own
 * CLI entry point does that).
 */
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Azurite's well-known development account (public, documented, not a secret). */
export const DEV_ACCOUNT_NAME = "devstoreaccount1";
export const DEV_ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface RunningAzurite {
  /** Account connection string whose TableEndpoint points at this server. */
  connectionString: string;
  /** Table service URL, e.g. http://127.0.0.1:54321/devstoreaccount1 */
  url: string;
  /** Stops the server; all data is discarded. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The parts of Azurite's (untyped) TableServer that are used here. */
interface AzuriteTableServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}
type TableServerCtor = new (config: unknown) => AzuriteTableServer;
type TableConfigurationCtor = new (...args: unknown[]) => unknown;

let azuriteModules: { TableServer: TableServerCtor; TableConfiguration: TableConfigurationCtor } | undefined;

function loadAzurite(): NonNullable<typeof azuriteModules> {
  if (azuriteModules) return azuriteModules;
  // Azurite's TableServer pulls in `applicationinsights`, whose module body
  // monkey-patches console, winston, bunyan and the Azure SDK tracing hooks
  // as a side effect of `require` alone. This opt-out stops that; it is read
  // once, so restore the variable straight afterwards.
  const optOut = "APPLICATION_INSIGHTS_NO_DIAGNOSTIC_CHANNEL";
  const previous = process.env[optOut];
  process.env[optOut] = "1";
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    azuriteModules = {
      TableServer: require("azurite/dist/src/table/TableServer").default as TableServerCtor,
      TableConfiguration: require("azurite/dist/src/table/TableConfiguration").default as TableConfigurationCtor,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  } finally {
    if (previous === undefined) delete process.env[optOut];
    else process.env[optOut] = previous;
  }
  return azuriteModules;
}

export async function startAzurite(opts: { host?: string; port?: number } = {}): Promise<RunningAzurite> {
  const host = opts.host ?? "127.0.0.1";
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`startAzurite: port must be an integer 0-65535, got ${String(opts.port)}`);
  }
  const { TableServer, TableConfiguration } = loadAzurite();

  // Argument order follows azurite@3.35 dist/src/table/TableConfiguration.js.
  const config = new TableConfiguration(
    host,
    port,
    undefined, // keepAliveTimeout: Azurite default
    // Loki "db path": only stat()ed at start-up (must not exist) because persistence is in memory.
    join(tmpdir(), `stepwise-azurite-${process.pid}-${randomUUID()}.json`),
    false, // enableDebugLog
    false, // enableAccessLog
    undefined, // accessLogWriteStream
    undefined, // debugLogFilePath
    false, // loose
    true, // skipApiVersionCheck: the SDK may be newer than the emulator
    "", // cert
    "", // key
    "", // pwd
    undefined, // oauth
    false, // disableProductStyleUrl
    true, // isMemoryPersistence
  );
  const server = new TableServer(config);
  shadowRestifyQuery(server);
  await server.start();

  const boundPort = /:(\d+)$/.exec(server.getHttpServerAddress())?.[1];
  if (boundPort === undefined) {
    await server.close();
    throw new Error(`startAzurite: cannot read bound port from "${server.getHttpServerAddress()}"`);
  }
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${boundPort}/${DEV_ACCOUNT_NAME}`;
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};` +
    `TableEndpoint=${url};`;

  let stopping: Promise<void> | undefined;
  return {
    connectionString,
    url,
    stop: () => (stopping ??= server.close()),
  };
}

/**
 * restify (the bot's HTTP server) sets `http.IncomingMessage.prototype.query` to a function, for every
 * HTTP server in the process. Azurite's express only parses the query string when `req.query` is
 * falsy, so with restify loaded it never does: `$filter`, `$top`, `$select` and continuation tokens
 * are silently ignored (every query returns everything; paging never ends). Give each request to
 * Azurite its own empty `query` so that express parses it again.
 */
function shadowRestifyQuery(server: AzuriteTableServer): void {
  const httpServer = (server as unknown as { httpServer?: import("node:http").Server }).httpServer;
  if (!httpServer) return;
  const listeners = httpServer.listeners("request") as ((req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void)[];
  httpServer.removeAllListeners("request");
  httpServer.on("request", (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
    Object.defineProperty(req, "query", { value: undefined, writable: true, configurable: true, enumerable: true });
    for (const listener of listeners) listener.call(httpServer, req, res);
  });
}
