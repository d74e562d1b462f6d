/**
 * Issue 6, acceptance 2: real Bot Framework token validation on POST /api/messages.
 *
 * botbuilder's own ConfigurationBotFrameworkAuthentication checks the tokens, built from the same
 * MicrosoftApp* settings as in production (authSettings) plus the cloud settings it reads for a
 * non-public cloud, which point it at a loopback OpenID issuer with its own RSA key (loopback.ts).
 * Nothing in botbuilder is mocked; only the outbound token for replies comes from the loopback
 * issuer instead of Entra ID. Storage is an in-process Azurite behind a proxy that counts requests,
 * so "touched no storage" is measured, not assumed.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from "botbuilder";
import type { Server } from "restify";
import { createApprovals } from "../../bot/approvals";
import type { Config } from "../../bot/config";
import { createLogger } from "../../bot/log";
import { authSettings, createServer } from "../../bot/server";
import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME, startAzurite, type RunningAzurite } from "../../bot/storage/azurite";
import { closedPort, CountingProxy, LoopbackCredentialFactory, LoopbackIssuer, RecordingConnector, SilentServer } from "./loopback";

const APP_ID = "0d5e1f7a-9c3b-4e2d-8f6a-1b2c3d4e5f60";
const OTHER_APP_ID = "7b1e6c2d-3f4a-4b5c-9d6e-0f1a2b3c4d5e";
const TENANT_ID = "72f988bf-0000-4000-8000-00000000abcd";
type AppType = NonNullable<Config["microsoftAppType"]>;

let azurite: RunningAzurite;
let proxy: CountingProxy;
let issuer: LoopbackIssuer;
let connector: RecordingConnector;
let storageConnectionString: string;

/** Everything botbuilder and jsonwebtoken print on the console during the tests. */
const consoleOutput: string[] = [];
/** Every token sent in these tests, to make sure none of them is ever printed or logged. */
const tokensSent: string[] = [];

beforeAll(async () => {
  azurite = await startAzurite({ port: 0 });
  proxy = await CountingProxy.start(azurite.url);
  storageConnectionString = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};TableEndpoint=${proxy.url}/${DEV_ACCOUNT_NAME};`;
  issuer = await LoopbackIssuer.start();
  connector = await RecordingConnector.start();
  for (const method of ["error", "warn", "log", "info"] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleOutput.push(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 5 }))).join(" ")));
  }
});

afterAll(async () => {
  jest.restoreAllMocks();
  await connector?.stop();
  await issuer?.stop();
  await proxy?.stop();
  await azurite?.stop();
});

interface Bot {
  url: string;
  lines: string[];
  /** Turns that reached the middleware (the first thing a turn runs). */
  turns: number;
  close(): Promise<void>;
}

function configFor(type: AppType): Config {
  return {
    microsoftAppId: APP_ID,
    microsoftAppType: type,
    ...(type === "UserAssignedMSI" ? {} : { microsoftAppPassword: "loopback-client-secret" }),
    ...(type === "MultiTenant" ? {} : { microsoftAppTenantId: TENANT_ID }),
    storageConnectionString,
    port: 0,
    playground: false,
    logLevel: "debug",
  };
}

/** The bot as createServer builds it, with botbuilder's auth pointed at the loopback issuer. */
async function startBot(options: { type?: AppType; metadataUrl?: string; authTimeoutMs?: number; config?: Config; loopbackAuth?: boolean } = {}): Promise<Bot> {
  const config = options.config ?? configFor(options.type ?? "SingleTenant");
  const settings = authSettings(config);
  const lines: string[] = [];
  const log = createLogger("debug", (line) => lines.push(line));
  const bot: Bot = { url: "", lines, turns: 0, close: async () => undefined };
  const server: Server = createServer(config, {
    ...(options.loopbackAuth === false ? {} : { auth: new ConfigurationBotFrameworkAuthentication({ ...settings, ...issuer.cloudSettings(options.metadataUrl) } as ConfigurationBotFrameworkAuthenticationOptions, new LoopbackCredentialFactory(settings, issuer)) }),
    log,
    sweeper: false,
    ...(options.authTimeoutMs !== undefined ? { authTimeoutMs: options.authTimeoutMs } : {}),
    approvals: (adapter) => {
      // No timers (retries, escalation sweeps): every storage request in these tests comes from a request.
      const real = createApprovals({ adapter, storageConnectionString, botAppId: config.microsoftAppId ?? "", packs: {}, log, retryEveryMs: 0, escalation: false });
      return {
        ...real,
        middleware: {
          onTurn: async (context, next) => {
            bot.turns++;
            await real.middleware.onTurn(context, next);
          },
        },
      };
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  bot.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bot.close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    (server.server as unknown as HttpServer).closeAllConnections();
    await closed;
  };
  return bot;
}

function message(text = "help"): Record<string, unknown> {
  return {
    type: "message",
    id: `act-${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl: connector.url,
    channelId: "msteams",
    from: { id: `29:${randomUUID()}`, name: "Practitioner", aadObjectId: randomUUID() },
    recipient: { id: `28:${APP_ID}`, name: "Stepwise" },
    conversation: { id: `a:${randomUUID()}`, conversationType: "personal", tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    locale: "en-GB",
    text,
    textFormat: "plain",
  };
}

interface Answer {
  status: number;
  body: unknown;
  ms: number;
}

async function post(bot: Bot, authorization: string | undefined, activity: Record<string, unknown> = message()): Promise<Answer> {
  if (authorization) tokensSent.push(authorization);
  const started = Date.now();
  const res = await fetch(`${bot.url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization !== undefined ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null, ms: Date.now() - started };
}

const bearer = (token: string) => `Bearer ${token}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logEntries = (bot: Bot) => bot.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const refusals = (bot: Bot) => logEntries(bot).filter((e) => e.msg === "request refused: no valid Bot Framework token");

/** POSTs and checks the refusal: 401 {"error":"unauthorized"}, no turn, no storage request, no connector call. */
async function expectRefused(bot: Bot, authorization: string | undefined, activity: Record<string, unknown> = message()): Promise<{ reason: unknown; ms: number }> {
  const before = { storage: proxy.count, connector: connector.calls.length, turns: bot.turns, refusals: refusals(bot).length };
  const answer = await post(bot, authorization, activity);
  await sleep(150); // anything the request might have set off in the background
  expect(answer.status).toBe(401);
  expect(answer.body).toEqual({ error: "unauthorized" });
  expect(bot.turns).toBe(before.turns);
  expect(proxy.count).toBe(before.storage);
  expect(connector.calls.length).toBe(before.connector);
  const logged = refusals(bot).slice(before.refusals);
  expect(logged).toHaveLength(1);
  expect(logged[0]).toEqual(expect.objectContaining({ level: "warn", requestId: expect.any(String), reason: expect.any(String) }));
  return { reason: logged[0]?.reason, ms: answer.ms };
}

/** POSTs and checks that the turn ran and its reply reached the connector, signed by the bot. */
async function expectAccepted(bot: Bot, authorization: string | undefined, signed = true): Promise<void> {
  const activity = message("help");
  const before = { storage: proxy.count, connector: connector.calls.length, turns: bot.turns };
  const answer = await post(bot, authorization, activity);
  expect(answer.status).toBe(200);
  expect(bot.turns).toBe(before.turns + 1);
  expect(proxy.count).toBeGreaterThan(before.storage); // the turn loaded and saved its state
  const replies = connector.calls.slice(before.connector);
  const conversationId = (activity.conversation as { id: string }).id;
  expect(replies.map((c) => `${c.method} ${c.path}`)).toContain(`POST /v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(String(activity.id))}`);
  expect(replies.every((c) => (signed ? c.authorization?.startsWith("Bearer ") : c.authorization === undefined))).toBe(true);
}

describe("with MicrosoftAppId set, tokens checked against a loopback OpenID issuer", () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot({ type: "SingleTenant" });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it("refuses a request without a token (401, no turn, no storage, no connector call)", async () => {
    expect((await expectRefused(bot, undefined)).reason).toBe("missing token");
    // An invoke gets no invoke response either.
    const invoke = { ...message(), type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb: "answer", data: {} } } };
    expect((await expectRefused(bot, undefined, invoke)).reason).toBe("missing token");
  });

  it("refuses what is not a Bearer JWT", async () => {
    expect((await expectRefused(bot, "")).reason).toBe("missing token");
    expect((await expectRefused(bot, "Bearer")).reason).toBe("not a Bot Framework token");
    expect((await expectRefused(bot, "Basic dXNlcjpwYXNzd29yZA==")).reason).toBe("not a Bot Framework token");
    expect((await expectRefused(bot, "Bearer not.a.jwt")).reason).toBe("not a Bot Framework token");
  });

  it("accepts a valid token: the turn runs and the reply reaches the connector", async () => {
    await expectAccepted(bot, bearer(issuer.channelToken(APP_ID, connector.url)));
    // The issuer's metadata and keys were fetched to check it.
    expect(issuer.requests).toEqual(expect.arrayContaining(["/.well-known/openid-configuration", "/keys"]));
  });

  it("refuses an expired token (past botbuilder's 5-minute clock tolerance)", async () => {
    expect((await expectRefused(bot, bearer(issuer.channelToken(APP_ID, connector.url, { expiresIn: -10 * 60 })))).reason).toBe("expired");
  });

  it("refuses a token signed by another key, under the issuer's key id or an unknown one", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    expect((await expectRefused(bot, bearer(issuer.channelToken(APP_ID, connector.url, { key: other })))).reason).toBe("bad signature");
    expect((await expectRefused(bot, bearer(issuer.channelToken(APP_ID, connector.url, { key: other, kid: "someone-else" })))).reason).toBe("unknown signing key");
  });

  it("refuses forgeries: HS256 keyed with the public key, and alg none", async () => {
    expect((await expectRefused(bot, bearer(issuer.hs256Forgery(APP_ID, connector.url)))).reason).toBe("bad signature");
    expect((await expectRefused(bot, bearer(issuer.unsigned(APP_ID, connector.url)))).reason).toBe("bad signature");
  });

  it("refuses a token for another audience (another bot's app id)", async () => {
    expect((await expectRefused(bot, bearer(issuer.channelToken(OTHER_APP_ID, connector.url)))).reason).toBe("wrong audience");
    expect((await expectRefused(bot, bearer(issuer.channelToken(APP_ID, connector.url, { claims: { aud: undefined } })))).reason).toBe("wrong audience");
  });

  it("refuses a token from another issuer, and one issued for another serviceUrl", async () => {
    expect((await expectRefused(bot, bearer(issuer.channelToken(APP_ID, connector.url, { claims: { iss: "https://api.botframework.com" } })))).reason).toBe("not a Bot Framework token");
    expect((await expectRefused(bot, bearer(issuer.channelToken(APP_ID, "https://elsewhere.example/")))).reason).toBe("serviceUrl does not match the token");
  });

  it("accepts a valid token again after the refusals (nothing was cached wrongly)", async () => {
    await expectAccepted(bot, bearer(issuer.channelToken(APP_ID, connector.url)));
  });

  it("never prints or logs a token, and answers refusals with no details", async () => {
    const everything = [...consoleOutput, ...bot.lines].join("\n");
    for (const sent of tokensSent.filter((t) => t.length > 20)) expect(everything).not.toContain(sent.replace(/^Bearer /, ""));
    expect(bot.lines.join("\n")).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // no JWT at all in our log
  });
});

describe.each<AppType>(["SingleTenant", "MultiTenant", "UserAssignedMSI"])("MicrosoftAppType %s", (type) => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot({ type });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it("accepts a valid token and refuses a missing or wrong-audience one", async () => {
    await expectAccepted(bot, bearer(issuer.channelToken(APP_ID, connector.url)));
    expect((await expectRefused(bot, undefined)).reason).toBe("missing token");
    expect((await expectRefused(bot, bearer(issuer.channelToken(OTHER_APP_ID, connector.url)))).reason).toBe("wrong audience");
  });
});

describe("when the OpenID metadata cannot be reached", () => {
  it("refuses with 401 at once (closed port) and /health still answers 200", async () => {
    const bot = await startBot({ metadataUrl: `http://127.0.0.1:${await closedPort()}/.well-known/openid-configuration` });
    try {
      const refused = await expectRefused(bot, bearer(issuer.channelToken(APP_ID, connector.url)));
      expect(refused.reason).toBe("signing keys unavailable");
      expect(refused.ms).toBeLessThan(3000);
      expect((await fetch(`${bot.url}/health`)).status).toBe(200);
    } finally {
      await bot.close();
    }
  });

  it("refuses with 401 within the time limit when the metadata never answers, and /health answers meanwhile", async () => {
    const silent = await SilentServer.start();
    const bot = await startBot({ metadataUrl: `${silent.url}/.well-known/openid-configuration`, authTimeoutMs: 1000 });
    try {
      const before = { storage: proxy.count, connector: connector.calls.length, turns: bot.turns };
      const refusal = post(bot, bearer(issuer.channelToken(APP_ID, connector.url)));
      await sleep(100);
      const health = await fetch(`${bot.url}/health`);
      expect(health.status).toBe(200);
      const refused = await refusal;
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ error: "unauthorized" });
      expect(refused.ms).toBeGreaterThanOrEqual(900);
      expect(refused.ms).toBeLessThan(5000);
      expect(refusals(bot)).toEqual([expect.objectContaining({ reason: "timed out" })]);
      expect(bot.turns).toBe(before.turns);
      expect(connector.calls.length).toBe(before.connector);
      expect(proxy.count - before.storage).toBe(1); // the health check's one storage request, nothing else
    } finally {
      await bot.close();
      await silent.stop();
    }
  });
});

describe("as production builds it (Microsoft's cloud, no loopback settings)", () => {
  it("refuses a request without a token, and a token from an issuer that is not the Bot Framework's, before fetching any key", async () => {
    const bot = await startBot({ type: "UserAssignedMSI", loopbackAuth: false });
    try {
      expect((await expectRefused(bot, undefined)).reason).toBe("missing token");
      expect((await expectRefused(bot, bearer(issuer.channelToken(APP_ID, connector.url)))).reason).toBe("not a Bot Framework token");
      expect(logEntries(bot)).toContainEqual(expect.objectContaining({ level: "info", msg: "Bot Framework tokens required on /api/messages", auth: "UserAssignedMSI (managed identity)" }));
    } finally {
      await bot.close();
    }
  });
});

describe("anonymous mode (no MicrosoftAppId)", () => {
  it("says so loudly at start and accepts a request without a token", async () => {
    const config: Config = { storageConnectionString, port: 0, playground: false, logLevel: "debug" };
    const bot = await startBot({ config, loopbackAuth: false });
    try {
      expect(logEntries(bot)).toContainEqual(expect.objectContaining({ level: "warn", msg: expect.stringContaining("anonymous: every request is accepted — local runs and tests only") }));
      await expectAccepted(bot, undefined, false);
    } finally {
      await bot.close();
    }
  });
});
