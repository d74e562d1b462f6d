/**
 * Table storage through STORAGE_ACCOUNT_URL and an Entra ID token (the managed identity in App
 * Service) instead of a connection string: bot/storage/tables.ts.
 *
 * The end-to-end test runs Azurite over https with its OAuth check on, an App Service managed
 * identity endpoint on 127.0.0.1 (what IDENTITY_ENDPOINT / IDENTITY_HEADER point at in App Service),
 * and the bot's storage code in a child process with AZURE_CLIENT_ID set: DefaultAzureCredential as
 * the bot builds it asks that endpoint for a storage token for that identity, and the tables answer.
 * It needs the `openssl` command for the emulator's certificate and is skipped without it.
 */
import { execFile, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import { pingStorage, tableClient } from "../../bot/storage/tables";
import { closedPort } from "./loopback";

const ROOT = join(__dirname, "..", "..");
const STORAGE_SCOPE = "https://storage.azure.com/.default";

/** A credential that records what it was asked for. */
function recordingCredential(answer: (scopes: string[]) => Promise<AccessToken>): TokenCredential & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    getToken: async (scopes: string | string[], _options?: GetTokenOptions) => {
      const list = Array.isArray(scopes) ? scopes : [scopes];
      asked.push(list);
      return answer(list);
    },
  };
}

describe("a Table endpoint URL as the storage target", () => {
  it("builds clients on the endpoint (trailing slash or not) without touching the network", () => {
    const client = tableClient("https://stepwiseabc123.table.core.windows.net/", "botstate");
    expect(client.url).toBe("https://stepwiseabc123.table.core.windows.net");
    expect(client.tableName).toBe("botstate");
    expect(tableClient({ url: "https://stepwiseabc123.table.core.windows.net", credential: recordingCredential(async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3600_000 })) }, "approvalRequests").url).toBe("https://stepwiseabc123.table.core.windows.net");
  });

  it("refuses plain http (a token is never sent unencrypted), and pingStorage says false", async () => {
    expect(() => tableClient("http://stepwiseabc123.table.core.windows.net", "botstate")).toThrow(/must be an https URL/);
    await expect(pingStorage("http://127.0.0.1:1/devstoreaccount1", 500)).resolves.toBe(false);
  });

  it("asks the credential for a storage token before each request goes out", async () => {
    const credential = recordingCredential(async () => ({ token: "token-for-storage", expiresOnTimestamp: Date.now() + 3600_000 }));
    const url = `https://127.0.0.1:${await closedPort()}/devstoreaccount1`;
    await expect(pingStorage({ url, credential }, 3000)).resolves.toBe(false); // nothing listens there
    expect(credential.asked).toEqual([[STORAGE_SCOPE]]);
  });

  it("reports storage as unavailable, within the time limit, when no token can be had", async () => {
    const credential = recordingCredential(async () => {
      throw new Error("no managed identity here");
    });
    const started = Date.now();
    await expect(pingStorage({ url: "https://stepwiseabc123.table.core.windows.net", credential }, 1000)).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
    const hanging = recordingCredential(() => new Promise<AccessToken>(() => undefined));
    const t = Date.now();
    await expect(pingStorage({ url: "https://stepwiseabc123.table.core.windows.net", credential: hanging }, 300)).resolves.toBe(false);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});

const hasOpenssl = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;

(hasOpenssl ? describe : describe.skip)("with the managed identity, end to end (Azurite over https with OAuth)", () => {
  const CLIENT_ID = "5f3c9a1e-7b2d-4c8e-9f01-23456789abcd";
  const IDENTITY_HEADER = `header-${randomUUID()}`;
  let dir: string;
  let azurite: { close(): Promise<void> } | undefined;
  let endpoint = "";
  let identity: Server;
  let identityUrl = "";
  const identityRequests: { url: string; header: string | undefined }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "stepwise-tls-"));
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "pipe" });
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);

    // Azurite's table server over https with OAuth "basic" (it checks a bearer token's audience,
    // issuer and lifetime, not its signature). Argument order: azurite@3.35 TableConfiguration.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const TableServer = require("azurite/dist/src/table/TableServer").default as new (config: unknown) => { start(): Promise<void>; close(): Promise<void>; getHttpServerAddress(): string };
    const TableConfiguration = require("azurite/dist/src/table/TableConfiguration").default as new (...args: unknown[]) => unknown;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const server = new TableServer(new TableConfiguration("127.0.0.1", 0, undefined, join(dir, "db.json"), false, false, undefined, undefined, false, true, cert, key, "", "basic", false, true));
    await server.start();
    azurite = server;
    endpoint = `https://127.0.0.1:${/:(\d+)$/.exec(server.getHttpServerAddress())?.[1]}/devstoreaccount1`;

    // The App Service managed identity endpoint (api-version 2019-08-01).
    identity = createServer((req: IncomingMessage, res) => {
      identityRequests.push({ url: req.url ?? "", header: req.headers["x-identity-header"] as string | undefined });
      const now = Math.floor(Date.now() / 1000);
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const token = `${part({ alg: "RS256", typ: "JWT" })}.${part({ aud: "https://storage.azure.com", iss: "https://sts.windows.net/72f988bf-0000-4000-8000-00000000abcd/", appid: CLIENT_ID, oid: randomUUID(), nbf: now - 60, iat: now - 60, exp: now + 3600 })}.c2lnbmF0dXJl`;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: token, expires_on: String(now + 3600), resource: "https://storage.azure.com", token_type: "Bearer", client_id: CLIENT_ID }));
    });
    await new Promise<void>((resolve) => identity.listen(0, "127.0.0.1", resolve));
    identityUrl = `http://127.0.0.1:${(identity.address() as AddressInfo).port}/msi/token`;
  });

  afterAll(async () => {
    await azurite?.close();
    if (identity) await new Promise<void>((resolve) => identity.close(() => resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("gets a storage token for AZURE_CLIENT_ID from the identity endpoint, reads and writes tables, and /health is 200", async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, STEPWISE_TEST_TABLE_ENDPOINT: endpoint, AZURE_CLIENT_ID: CLIENT_ID, IDENTITY_ENDPOINT: identityUrl, IDENTITY_HEADER, NODE_EXTRA_CA_CERTS: join(dir, "cert.pem") };
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["-r", require.resolve("tsx/cjs"), join(__dirname, "storage-identity-child.ts")], { cwd: ROOT, env, timeout: 60_000 }, (err, out, errOut) => (err && !out ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out))),
    );
    expect(JSON.parse(stdout.trim().split("\n").pop() ?? "{}")).toEqual({ ping: true, value: "written with a token", health: 200 });
    expect(identityRequests.length).toBeGreaterThan(0);
    for (const r of identityRequests) {
      const query = new URL(r.url, "http://x").searchParams;
      expect(query.get("client_id")).toBe(CLIENT_ID);
      expect(query.get("resource")).toBe("https://storage.azure.com");
      expect(r.header).toBe(IDENTITY_HEADER);
    }
  });

  it("is refused by the emulator without a token (so the test above really used one)", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(`${endpoint}/Tables`, { ca: readFileSync(join(dir, "cert.pem")), headers: { accept: "application/json;odata=nometadata", "x-ms-version": "2019-02-02" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect([401, 403]).toContain(status);
  });
});
