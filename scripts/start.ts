/**
 * `npm start`: Stepwise on this machine.
 *
 *   - STORAGE_CONNECTION_STRING and STORAGE_ACCOUNT_URL unset: an in-process, in-memory Azurite on loopback holds the state
 *     (gone when Stepwise stops); set: that store is used and no Azurite starts.
 *   - The bot on http://127.0.0.1:$PORT/api/messages (PORT default 3978), GET /health.
 *   - Unless PLAYGROUND=0: the Microsoft 365 Agents Playground (a local Teams-like client, configured
 *     by .m365agentsplayground.yml), and where to open it.
 *
 * Ctrl-C (SIGINT) or SIGTERM stops everything it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError, loadConfig, type Config } from "../bot/config";
import { createLogger } from "../bot/log";
import { createServer } from "../bot/server";
import { startAzurite, type RunningAzurite } from "../bot/storage/azurite";

const ROOT = resolve(__dirname, "..");
const HOST = "127.0.0.1";
const PLAYGROUND_PORT = 56150;

function say(line = ""): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Start the Playground; `ready` resolves with the port its UI listens on (it falls back to a random
 * port if 56150 is taken). It logs to devTools/m365agentsplayground.log rather than stdout, so the
 * port is read from what that log gains after the start.
 */
function startPlayground(botEndpoint: string): { child: ChildProcess; ready: Promise<number> } {
  const logFile = join(ROOT, "devTools", "m365agentsplayground.log");
  const logOffset = existsSync(logFile) ? statSync(logFile).size : 0;
  const cli = require.resolve("@microsoft/m365agentsplayground/cli.js");
  const child = spawn(process.execPath, [cli, "-e", botEndpoint, "-c", "msteams", "-p", String(PLAYGROUND_PORT), "--disable-telemetry"], {
    cwd: ROOT, // where .m365agentsplayground.yml is
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: "none" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so that stopping it stops its children too
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const newLog = () => (existsSync(logFile) ? readFileSync(logFile, "utf8").slice(logOffset) : "");
  const ready = new Promise<number>((resolveReady, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const text = `${output}\n${newLog()}`;
      const port = /Listening on (\d+)/.exec(text)?.[1] ?? /https?:\/\/localhost:(\d+)/.exec(text)?.[1];
      if (port) finish(() => resolveReady(Number(port)));
      else if (Date.now() - started > 60_000) finish(() => reject(new Error(`it did not start within 60 s. Its output:\n${text.trim()}`)));
    }, 250);
    const finish = (then: () => void) => {
      clearInterval(poll);
      child.removeListener("exit", onExit);
      then();
    };
    const onExit = (code: number | null) => finish(() => reject(new Error(`it exited (code ${code}). Its output:\n${`${output}\n${newLog()}`.trim()}\n(log: ${logFile})`)));
    child.once("exit", onExit);
  });
  return { child, ready };
}

async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return false;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      say(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);

  let azurite: RunningAzurite | undefined;
  if (!config.storageConnectionString && !config.storageAccountUrl) {
    azurite = await startAzurite({ host: HOST, port: 0 });
    config = { ...config, storageConnectionString: azurite.connectionString };
  }

  const server = createServer(config, { log });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(config.port, HOST, () => ok());
  });
  const botUrl = `http://${HOST}:${(server.address() as { port: number }).port}`;

  let playground: ChildProcess | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping Stepwise…`);
    if (playground?.pid && playground.exitCode === null) {
      try {
        process.kill(-playground.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await new Promise<void>((done) => server.close(() => done()));
    await azurite?.stop();
    say("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  say("");
  say(`Stepwise bot      ${botUrl}/api/messages   (health: ${botUrl}/health)`);
  say(`State             ${azurite ? `in-memory Azurite at ${azurite.url} (gone when Stepwise stops)` : `Azure Table Storage from ${config.storageAccountUrl ? "STORAGE_ACCOUNT_URL" : "STORAGE_CONNECTION_STRING"}`}`);
  say(`Council           ${config.council ?? "asked in the chat (set STEPWISE_COUNCIL to choose one for everybody)"}`);

  if (!config.playground) {
    say("Playground        not started (PLAYGROUND=0)");
    say("");
    return;
  }
  if (config.microsoftAppId) say("Note: the Agents Playground sends no Bot Framework token; with MicrosoftAppId set the bot will refuse its messages.");
  const started = startPlayground(`${botUrl}/api/messages`);
  playground = started.child;
  playground.once("exit", (code) => {
    if (!stopping) log.warn("the Agents Playground stopped", { code: code ?? -1 });
  });
  let port: number;
  try {
    port = await started.ready;
  } catch (err) {
    say(`Playground        failed to start: ${(err as Error).message}`);
    return;
  }
  const url = `http://localhost:${port}`;
  await waitForHttp(url, 30_000);
  say("");
  say("──────────────────────────────────────────────────────────────");
  say(` Open ${url} in a browser to chat with Stepwise.`);
  say(' In "Personal Chat", say: where should this case go?');
  say(" (or describe the case in a sentence, e.g. \"16 year old, homeless, S20 for 14 weeks, open to TYSS\")");
  say(" In the team \"Children's Services\" or the group chat, @mention Stepwise first.");
  say(" Ctrl-C stops everything.");
  say("──────────────────────────────────────────────────────────────");
  say("");
}

main().catch((err: unknown) => {
  say(`npm start failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
