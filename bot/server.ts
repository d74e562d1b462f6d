/**
 * The HTTP shell: restify with `POST /api/messages` (Bot Framework activities through CloudAdapter)
 * and `GET /health` (200 only when Table Storage answers).
 *
 * Activities flow: Teams (or the Agents Playground, or a test) POSTs an activity → StepwiseAdapter
 * (a CloudAdapter, bot/auth.ts) checks its token first and answers 401 without a valid one (none is
 * needed when no app id is configured) → StepwiseBot runs the turn → replies
 * are POSTed back to the activity's serviceUrl (`/v3/conversations/{id}/activities/{replyToId}`);
 * an `adaptiveCard/action` invoke's answer (the card that replaces the clicked one) is the HTTP
 * response body.
 */
import { randomUUID } from "node:crypto";
import { ConfigurationBotFrameworkAuthentication, type CloudAdapter, type Storage } from "botbuilder";
import type { BotFrameworkAuthentication } from "botframework-connector";
import * as restify from "restify";
import type { PolicyPack } from "../domain/pack";
import { createApprovals, type Approvals } from "./approvals";
import { authMode, StepwiseAdapter } from "./auth";
import { REQUEST_ID, StepwiseBot, type RequestTransferHook } from "./bot";
import type { Config } from "./config";
import { createLogger, type Logger } from "./log";
import { availablePacks } from "./packs";
import { pingStorage, tableClient } from "./storage/tables";
import { TableStorage } from "./storage/tableStorage";

/** The table that holds conversation and user state. */
export const STATE_TABLE = "botstate";

export interface ServerDeps {
  /** Default: TableStorage on `config.storageConnectionString`, table "botstate". */
  storage?: Storage;
  /** Default: every council pack that loads. */
  packs?: Readonly<Record<string, PolicyPack>>;
  now?: () => Date;
  log?: Logger;
  /** What "Request this transfer" does (default: says that requests are coming soon). */
  requestTransfer?: RequestTransferHook;
  /** Default: ConfigurationBotFrameworkAuthentication from the config's Microsoft app settings. */
  auth?: BotFrameworkAuthentication;
  /** Auth (issue 6): how long a token check may take before the request is refused (default AUTH_TIMEOUT_MS). */
  authTimeoutMs?: number;
  /**
   * Transfer request approvals (issue 4, bot/approvals). Default: on, built on this server's adapter
   * and store (with the demo manager persona only for the anonymous Playground, see docs/demo.md);
   * a function builds them instead (tests); `false` turns them off.
   */
  approvals?: ((adapter: CloudAdapter) => Approvals) | false;
  /**
   * Escalation (issue 5): the sweeper that posts due reminders, escalations and daily digests. Default:
   * on with the approvals, on `now` (else the system clock), every 15 s; stopped when the server
   * closes. Tests inject a clock and a short interval; `false` turns it off.
   */
  sweeper?: { now?: () => Date; intervalMs?: number; leaseMs?: number; instanceId?: string } | false;
}

export function authSettings(config: Config): Record<string, string> {
  const settings: Record<string, string> = {};
  if (config.microsoftAppId) settings.MicrosoftAppId = config.microsoftAppId;
  if (config.microsoftAppPassword) settings.MicrosoftAppPassword = config.microsoftAppPassword;
  if (config.microsoftAppType) settings.MicrosoftAppType = config.microsoftAppType;
  if (config.microsoftAppTenantId) settings.MicrosoftAppTenantId = config.microsoftAppTenantId;
  return settings;
}

export function createServer(config: Config, deps: ServerDeps = {}): restify.Server {
  // Storage (issue 6): a connection string, or the Table endpoint URL reached with the managed
  // identity; tableClient, pingStorage and the stores built on them take either (bot/storage/tables.ts).
  const connectionString = config.storageConnectionString ?? config.storageAccountUrl;
  if (!connectionString) throw new Error("createServer: config.storageConnectionString or config.storageAccountUrl is required (npm start fills in an in-process Azurite)");
  const log = deps.log ?? createLogger(config.logLevel);
  // Auth (issue 6): say loudly when nothing is checked.
  if (!config.microsoftAppId && !deps.auth) log.warn("anonymous: every request is accepted — local runs and tests only (set MicrosoftAppId, MicrosoftAppType and their credentials to require Bot Framework tokens)");
  else log.info("Bot Framework tokens required on /api/messages", { auth: deps.auth ? "custom" : authMode(config) });

  let packs = deps.packs;
  if (!packs) {
    const available = availablePacks();
    for (const p of available.problems) log.warn("council pack not loaded", { council: p.id, problem: p.problem });
    packs = available.packs;
  }
  if (config.council && !packs[config.council]) log.warn("STEPWISE_COUNCIL names a pack that did not load; users will be asked", { council: config.council });

  const storage = deps.storage ?? new TableStorage(tableClient(connectionString, STATE_TABLE));
  // Auth (issue 6): StepwiseAdapter checks the token before any middleware or handler runs (bot/auth.ts).
  const adapter = new StepwiseAdapter(deps.auth ?? new ConfigurationBotFrameworkAuthentication(authSettings(config)));
  adapter.onTurnError = async (context, error) => {
    const requestId = context.turnState.get(REQUEST_ID) as string | undefined;
    log.error("turn failed", { requestId, conversationId: context.activity.conversation?.id, error: error.name, message: error.message });
    if (context.activity.type === "message") {
      await context.sendActivity("Sorry, something went wrong on my side and I couldn't use that message. Please send it again in a moment.").catch(() => undefined);
    }
  };

  // Approvals (issue 4): their middleware answers the approval cards' actions and the approvals
  // commands ("register this channel as …", "history TR-…") and notes installs; everything else goes
  // on to the bot. They also provide the "Request this transfer" hook.
  const councilPacks = packs;
  const approvals =
    deps.approvals === false
      ? undefined
      : (deps.approvals ??
          ((a: CloudAdapter) =>
            createApprovals({
              adapter: a,
              storageConnectionString: connectionString,
              botAppId: config.microsoftAppId ?? "",
              packs: councilPacks,
              log,
              ...(deps.now ? { now: deps.now } : {}),
              ...(config.playground && !config.microsoftAppId ? { demo: {} } : {}),
              ...(config.admins ? { admins: config.admins } : {}),
              // Escalation (issue 5): ESCALATION_WORKING_HOURS, default "defer-unless-urgent".
              ...(config.escalationWorkingHours ? { escalation: { workingHours: config.escalationWorkingHours } } : {}),
            })))(adapter);
  if (approvals) adapter.use(approvals.middleware);
  // Escalation (issue 5): sweep what falls due in this process (any number of instances may share a store).
  if (approvals?.escalation && deps.sweeper !== false) {
    const sweeper = deps.sweeper ?? {};
    approvals.escalation.startSweeper({
      ...((sweeper.now ?? deps.now) ? { now: sweeper.now ?? deps.now } : {}),
      ...(sweeper.intervalMs !== undefined ? { intervalMs: sweeper.intervalMs } : {}),
      ...(sweeper.leaseMs !== undefined ? { leaseMs: sweeper.leaseMs } : {}),
      ...(sweeper.instanceId ? { instanceId: sweeper.instanceId } : {}),
    });
  }
  const requestTransfer = deps.requestTransfer ?? approvals?.requestTransfer;

  const bot = new StepwiseBot({
    storage,
    packs,
    ...(config.council ? { defaultCouncil: config.council } : {}),
    now: deps.now ?? (() => new Date()),
    log,
    ...(requestTransfer ? { requestTransfer } : {}),
  });

  const server = restify.createServer({ name: "stepwise" });
  server.on("close", () => approvals?.close()); // approvals: stop the retry timer and the escalation sweeper
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  server.post("/api/messages", async (req: restify.Request, res: restify.Response) => {
    const requestId = randomUUID();
    // Auth (issue 6): 401 {"error":"unauthorized"} without a valid token, before the turn starts.
    await adapter.processAuthenticated(
      req,
      res,
      async (context) => {
        context.turnState.set(REQUEST_ID, requestId);
        await bot.run(context);
      },
      { requestId, log, ...(deps.authTimeoutMs !== undefined ? { authTimeoutMs: deps.authTimeoutMs } : {}) },
    );
  });

  server.get("/health", async (_req: restify.Request, res: restify.Response) => {
    const ok = await pingStorage(connectionString);
    res.send(ok ? 200 : 503, ok ? { status: "ok" } : { status: "unavailable", storage: "not reachable" });
  });

  return server;
}
