/**
 * The production entry, bot/index.ts (`node dist/bot/index.js` in App Service), as a real process:
 * JSON lines only, storage required, no devDependency loaded, tokens required when MicrosoftAppId is
 * set, clean stop on SIGTERM; and the compiled build (tsconfig.build.json) finding its JSON packs and
 * card templates under its own output folder.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAzurite, type RunningAzurite } from "../../bot/storage/azurite";
import { RecordingConnector } from "./loopback";

const ROOT = join(__dirname, "..", "..");
const APP_ID = "0d5e1f7a-9c3b-4e2d-8f6a-1b2c3d4e5f60";
const TENANT_ID = "72f988bf-0000-4000-8000-00000000abcd";

let azurite: RunningAzurite;
const children = new Set<ChildProcess>();
beforeAll(async () => {
  azurite = await startAzurite({ port: 0 });
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await azurite?.stop();
});

interface Entry {
  lines: Record<string, unknown>[];
  /** stdout lines that are not JSON objects. */
  notJson: string[];
  stderr: () => string;
  exit: Promise<number | null>;
  port: Promise<number>;
  process: ChildProcess;
}

/** Environment without anything of the parent's that the bot reads. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ["PATH", "HOME", "TMPDIR", "SYSTEMROOT"]) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, ...extra };
}

function run(args: string[], env: Record<string, string>): Entry {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  children.add(proc);
  const entry: Entry = {
    lines: [],
    notJson: [],
    stderr: () => stderr,
    process: proc,
    exit: new Promise((resolve) => proc.on("exit", (code) => (children.delete(proc), resolve(code)))),
    port: Promise.resolve(0),
  };
  let stderr = "";
  proc.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let buffer = "";
  let listening: (port: number) => void = () => undefined;
  entry.port = new Promise<number>((resolve, reject) => {
    listening = resolve;
    void entry.exit.then((code) => reject(new Error(`the entry exited (${code}) before listening:\n${entry.lines.map((l) => JSON.stringify(l)).join("\n")}\n${stderr}`)));
  });
  entry.port.catch(() => undefined); // only a failure for the tests that wait for it
  proc.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const line of parts) {
      if (!line.trim()) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        entry.notJson.push(line);
        continue;
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) entry.notJson.push(line);
      else {
        entry.lines.push(parsed as Record<string, unknown>);
        if ((parsed as { msg?: unknown }).msg === "Stepwise is listening") listening(Number((parsed as { port?: unknown }).port));
      }
    }
  });
  return entry;
}

/** bot/index.ts from source, with every devDependency but tsx made unloadable. */
const fromSource = (env: Record<string, string>) => run(["-r", require.resolve("tsx/cjs"), "-r", join(__dirname, "no-dev-dependencies.ts"), join(ROOT, "bot", "index.ts")], env);

function expectWellFormed(entry: Entry): void {
  expect(entry.notJson).toEqual([]);
  for (const line of entry.lines) {
    expect(line).toEqual(expect.objectContaining({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: expect.stringMatching(/^(debug|info|warn|error)$/), msg: expect.any(String) }));
  }
}

describe("bot/index.ts (the production entry)", () => {
  it("starts on a connection string without loading any devDependency, requires tokens, answers /health, stops on SIGTERM", async () => {
    const entry = fromSource({
      NODE_ENV: "production",
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: "SingleTenant",
      MicrosoftAppPassword: "not-used-in-this-test",
      MicrosoftAppTenantId: TENANT_ID,
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      PORT: "0",
      PLAYGROUND: "1", // ignored by the production entry
      LOG_LEVEL: "info",
    });
    const port = await entry.port;
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const refused = await fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "message", text: "help", serviceUrl: "http://127.0.0.1:9/", channelId: "msteams", conversation: { id: "a:1" }, from: { id: "29:1" }, recipient: { id: "28:1" } }) });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: "unauthorized" });

    entry.process.kill("SIGTERM");
    expect(await entry.exit).toBe(0);
    expectWellFormed(entry);
    expect(entry.stderr()).toBe("");
    const msgs = entry.lines.map((l) => l.msg);
    expect(msgs).toEqual(expect.arrayContaining(["Bot Framework tokens required on /api/messages", "Stepwise is listening", "request refused: no valid Bot Framework token", "stopping", "stopped"]));
    expect(entry.lines.find((l) => l.msg === "Stepwise is listening")).toEqual(expect.objectContaining({ auth: "SingleTenant (client secret)", storage: "connection string" }));
    expect(msgs.join("\n")).not.toMatch(/anonymous|Playground|demo/i);
  });

  it("refuses to start without storage (it never starts Azurite)", async () => {
    const entry = fromSource({ PORT: "0", PLAYGROUND: "0" });
    expect(await entry.exit).toBe(1);
    expectWellFormed(entry);
    expect(entry.lines).toEqual([expect.objectContaining({ level: "error", msg: "the configuration is not valid; not starting", problems: [expect.stringMatching(/^STORAGE_ACCOUNT_URL: required by the production entry/)] })]);
    expect(entry.stderr()).toBe("");
  });

  it("refuses to start in production without MicrosoftAppId (no anonymous mode there), naming every problem", async () => {
    const entry = fromSource({ NODE_ENV: "production", PORT: "0", LOG_LEVEL: "loud" });
    expect(await entry.exit).toBe(1);
    expectWellFormed(entry);
    expect(entry.lines).toHaveLength(1);
    expect(entry.lines[0]?.problems).toEqual(["LOG_LEVEL: expected one of debug, info, warn, error"]);
    const again = fromSource({ NODE_ENV: "production", PORT: "0" });
    expect(await again.exit).toBe(1);
    expect(again.lines[0]?.problems).toEqual([expect.stringMatching(/^STORAGE_ACCOUNT_URL: required in production/), expect.stringMatching(/^MicrosoftAppId: required in production/)]);
  });
});

describe("the build (npm run build = tsc -p tsconfig.build.json)", () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), "stepwise-dist-"));
  });
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it("compiles, and node <out>/bot/index.js answers a turn with a card from its own JSON packs and templates", async () => {
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json", "--outDir", outDir], { cwd: ROOT, timeout: 150_000 }, (err, stdout, stderr) => (err ? reject(new Error(`tsc failed:\n${stdout}${stderr}`)) : resolve())),
    );
    const connector = await RecordingConnector.start();
    // The output folder is outside the project: NODE_PATH lets it find node_modules.
    const entry = run([join(outDir, "bot", "index.js")], { STORAGE_CONNECTION_STRING: azurite.connectionString, PORT: "0", PLAYGROUND: "0", STEPWISE_COUNCIL: "enfield", NODE_PATH: join(ROOT, "node_modules") });
    try {
      const base = `http://127.0.0.1:${await entry.port}`;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const id = `act-${randomUUID()}`;
      const answer = await fetch(`${base}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "message", id, text: "16 year old, homeless, S20 for 14 weeks", textFormat: "plain", serviceUrl: connector.url, channelId: "msteams", conversation: { id: `a:${randomUUID()}`, conversationType: "personal" }, from: { id: "29:1", name: "Practitioner" }, recipient: { id: "28:1", name: "Stepwise" } }),
      });
      expect(answer.status).toBe(200);
      const cards = connector.calls.flatMap((c) => ((c.body?.attachments as { contentType: string; content: { type?: string } }[] | undefined) ?? []).filter((a) => a.contentType === "application/vnd.microsoft.card.adaptive"));
      expect(cards.length).toBeGreaterThan(0);
      expect(cards[0]?.content.type).toBe("AdaptiveCard");
      expect(entry.lines.find((l) => l.msg === "Stepwise is listening")).toEqual(expect.objectContaining({ auth: "anonymous", council: "enfield" }));
      expect(entry.lines.filter((l) => l.msg === "council pack not loaded")).toEqual([]);
      entry.process.kill("SIGTERM");
      expect(await entry.exit).toBe(0);
      expectWellFormed(entry);
    } finally {
      entry.process.kill("SIGKILL");
      await connector.stop();
    }
  }, 180_000);
});
