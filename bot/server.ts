/**
 * The HTTP shell: restify with `POST /api/messages` (Bot Framework activities through CloudAdapter)
 * and `GET /health` (200 only when Table Storage answers).
 *
 * Activities flow: Teams (or the Agents Playground, or a test) POSTs an activity → CloudAdapter
 * checks its token (none needed when no app id is configured) → StepwiseBot runs the turn → replies
 * are POSTed back to the activity's serviceUrl (`/v3/conversations/{id}/activities/{replyToId}`);
 * an `adaptiveCard/action` invoke's answer (the card that replaces the clicked one) is the HTTP
 * response body.
 */
import { randomUUID } from "node:crypto";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Storage } from "botbuilder";
import type { BotFrameworkAuthentication } from "botframework-connector";
import * as restify from "restify";
import type { PolicyPack } from "../domain/pack";
import { createApprovals, type Approvals } from "./approvals";
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
  /**
   * Transfer request approvals (issue 4, bot/approvals). Default: on, built on this server's adapter
   * and store (with the demo manager persona only for the anonymous Playground, see docs/demo.md);
   * a function builds them instead (tests); `false` turns them off.
   */
  approvals?: ((adapter: CloudAdapter) => Approvals) | false;
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
  const connectionString = config.storageConnectionString;
  if (!connectionString) throw new Error("createServer: config.storageConnectionString is required (npm start fills it in with an in-process Azurite)");
  const log = deps.log ?? createLogger(config.logLevel);

  let packs = deps.packs;
  if (!packs) {
    const available = availablePacks();
    for (const p of available.problems) log.warn("council pack not loaded", { council: p.id, problem: p.problem });
    packs = available.packs;
  }
  if (config.council && !packs[config.council]) log.warn("STEPWISE_COUNCIL names a pack that did not load; users will be asked", { council: config.council });

  const storage = deps.storage ?? new TableStorage(tableClient(connectionString, STATE_TABLE));
  const adapter = new CloudAdapter(deps.auth ?? new ConfigurationBotFrameworkAuthentication(authSettings(config)));
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
            })))(adapter);
  if (approvals) adapter.use(approvals.middleware);
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
  server.on("close", () => approvals?.close()); // approvals: stop the retry timer
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  server.post("/api/messages", async (req: restify.Request, res: restify.Response) => {
    const requestId = randomUUID();
    await adapter.process(req, res, async (context) => {
      context.turnState.set(REQUEST_ID, requestId);
      await bot.run(context);
    });
  });

  server.get("/health", async (_req: restify.Request, res: restify.Response) => {
    const ok = await pingStorage(connectionString);
    res.send(ok ? 200 : 503, ok ? { status: "ok" } : { status: "unavailable", storage: "not reachable" });
  });

  return server;
}
