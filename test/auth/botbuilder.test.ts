/**
 * What botbuilder 4.23's own `CloudAdapter.process` does with bad tokens, measured against the
 * loopback issuer: the reasons bot/auth.ts checks the token itself before the turn. If a botbuilder
 * upgrade changes any of this, these tests say so (and bot/auth.ts may become simpler).
 *
 * The token is never refused late: in every case below the turn logic did not run. But some refusals
 * are a 500 carrying the library's error text, the others a 401 with botbuilder's message (which
 * echoes the token's audience), every one is printed with console.error, and the metadata fetch has
 * no time limit.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from "botbuilder";
import * as restify from "restify";
import { closedPort, LoopbackCredentialFactory, LoopbackIssuer } from "./loopback";

const APP_ID = "0d5e1f7a-9c3b-4e2d-8f6a-1b2c3d4e5f60";
const SERVICE_URL = "http://127.0.0.1:9/"; // never called: no turn runs
const settings = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: "loopback-client-secret", MicrosoftAppType: "SingleTenant", MicrosoftAppTenantId: "72f988bf-0000-4000-8000-00000000abcd" };

let issuer: LoopbackIssuer;
let printed: unknown[][] = [];
beforeAll(async () => {
  issuer = await LoopbackIssuer.start();
  jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(args));
});
afterAll(async () => {
  jest.restoreAllMocks();
  await issuer?.stop();
});

/** restify + stock CloudAdapter.process, as botbuilder's samples wire it. */
async function stockBot(metadataUrl = issuer.metadataUrl): Promise<{ url: string; turns: () => number; close: () => Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ ...settings, ...issuer.cloudSettings(metadataUrl) } as ConfigurationBotFrameworkAuthenticationOptions, new LoopbackCredentialFactory(settings, issuer)));
  let turns = 0;
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post("/api/messages", async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, async () => {
      turns++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    turns: () => turns,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      (server.server as unknown as HttpServer).closeAllConnections();
      await closed;
    },
  };
}

async function post(url: string, token?: string): Promise<{ status: number; body: string }> {
  const activity = { type: "message", id: randomUUID(), serviceUrl: SERVICE_URL, channelId: "msteams", from: { id: "29:u" }, recipient: { id: "28:b" }, conversation: { id: "a:c" }, text: "hi" };
  const res = await fetch(`${url}/api/messages`, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(activity) });
  return { status: res.status, body: await res.text() };
}

describe("botbuilder 4.23 CloudAdapter.process on its own", () => {
  let bot: Awaited<ReturnType<typeof stockBot>>;
  beforeAll(async () => {
    bot = await stockBot();
  });
  afterAll(async () => {
    await bot?.close();
  });
  beforeEach(() => {
    printed = [];
  });

  it("accepts a valid token (the loopback issuer works with the stock adapter too)", async () => {
    expect((await post(bot.url, issuer.channelToken(APP_ID, SERVICE_URL))).status).toBe(200);
    expect(bot.turns()).toBe(1);
  });

  it("answers a missing token with 401 and its message as the body, and prints it", async () => {
    const answer = await post(bot.url);
    expect(answer).toEqual({ status: 401, body: expect.stringContaining("Unauthorized Access. Request is not authorized") });
    expect(printed.length).toBeGreaterThan(0);
  });

  it("answers a wrong audience with 401 and echoes the audience", async () => {
    const answer = await post(bot.url, issuer.channelToken("someone-else", SERVICE_URL));
    expect(answer).toEqual({ status: 401, body: expect.stringContaining("Invalid AppId passed on token: someone-else") });
  });

  it("answers a token signed by another key (known key id) with 500 and jsonwebtoken's message", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const answer = await post(bot.url, issuer.channelToken(APP_ID, SERVICE_URL, { key: other }));
    expect(answer).toEqual({ status: 500, body: expect.stringContaining("invalid signature") });
    // …after printing the issuer's public key (not the token).
    expect(printed.flat().map(String).join("\n")).toContain("Error finding key for token. Available keys: -----BEGIN RSA PUBLIC KEY-----");
  });

  it("answers an HS256 forgery with 500", async () => {
    expect(await post(bot.url, issuer.hs256Forgery(APP_ID, SERVICE_URL))).toEqual({ status: 500, body: expect.stringContaining("invalid algorithm") });
  });

  it("never runs the turn for any of them", () => {
    expect(bot.turns()).toBe(1);
  });
});

it("botbuilder 4.23 answers 500 when the OpenID metadata cannot be fetched", async () => {
  const bot = await stockBot(`http://127.0.0.1:${await closedPort()}/.well-known/openid-configuration`);
  try {
    const answer = await post(bot.url, issuer.channelToken(APP_ID, SERVICE_URL));
    expect(answer.status).toBe(500);
    expect(answer.body).toMatch(/ECONNREFUSED/);
    expect(bot.turns()).toBe(0);
  } finally {
    await bot.close();
  }
});
