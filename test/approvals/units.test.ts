/**
 * The small parts of the approvals shell: which connector answers are retried and how long to wait,
 * the card payloads' validation, the commands, the CSV export (and its command line), the demo
 * persona's limits.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { createApprovals } from "../../bot/approvals";
import { parseCommand } from "../../bot/approvals/commands";
import { Demo, isLoopback, persona } from "../../bot/approvals/demo";
import { csvField, exportCsv, parseWhen } from "../../bot/approvals/export";
import { parseApprovalAction } from "../../bot/approvals/payloads";
import { backoffMs, classify, DEFAULT_RETRY, retryAfterMs } from "../../bot/approvals/sender";
import { ApprovalStore } from "../../bot/approvals/store";
import { startAzurite } from "../../bot/storage/azurite";
import { loadPack } from "../../domain/check";
import { recommend } from "../../domain/engine";
import { apply, createRequest, isRefused, type TransferRequest } from "../../domain/requests";
import mini from "../fixtures/mini-pack.json";

const http = (statusCode: number, headers: Record<string, string> = {}, code?: string) => ({
  statusCode,
  details: code ? { error: { code } } : undefined,
  response: { headers: { get: (n: string) => headers[n.toLowerCase()] } },
});

describe("retry policy", () => {
  const now = () => Date.parse("2026-11-23T10:00:00Z");
  it.each([
    [429, { "retry-after": "3" }, { kind: "retry", afterMs: 3000 }],
    [429, { "retry-after": "Mon, 23 Nov 2026 10:00:05 GMT" }, { kind: "retry", afterMs: 5000 }],
    [429, { "retry-after": "100000" }, { kind: "retry", afterMs: DEFAULT_RETRY.maxRetryAfterMs }],
    [429, {}, { kind: "retry" }],
    [503, { "retry-after": "1" }, { kind: "retry", afterMs: 1000 }],
    [503, {}, { kind: "retry" }],
    [412, {}, { kind: "retry" }],
    [500, {}, { kind: "retry" }],
    [502, {}, { kind: "retry" }],
    [504, {}, { kind: "retry" }],
    [501, {}, { kind: "fatal", status: 501 }],
    [400, {}, { kind: "fatal", status: 400 }],
    [401, {}, { kind: "fatal", status: 401 }],
  ] as const)("%s %j → %j", (status, headers, verdict) => {
    expect(classify(http(status, headers), DEFAULT_RETRY, now)).toEqual(verdict);
  });

  it.each([
    [403, "BotNotInConversationRoster"],
    [404, "ConversationNotFound"],
  ])("%s %s is never retried: the channel is unreachable", (status, code) => {
    expect(classify(http(status, {}, code), DEFAULT_RETRY)).toEqual({ kind: "unreachable", status, code });
  });

  it("refused or reset connections are retried; other errors are not", () => {
    expect(classify(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), DEFAULT_RETRY)).toEqual({ kind: "retry" });
    expect(classify(Object.assign(new Error("x"), { code: "ECONNRESET" }), DEFAULT_RETRY)).toEqual({ kind: "retry" });
    expect(classify(new TypeError("bug"), DEFAULT_RETRY)).toEqual({ kind: "fatal", status: undefined });
  });

  it("backs off exponentially with jitter, bounded", () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, p, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, p, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs("0")).toBe(0);
  });
});

describe("card payloads", () => {
  const exec = (verb: string, data: unknown, trigger?: string) => parseApprovalAction({ action: { type: "Action.Execute", verb, data }, ...(trigger ? { trigger } : {}) });
  it.each([
    ["approve", { requestId: "tr-abc123" }, { verb: "approve", data: { requestId: "TR-ABC123" } }],
    ["decline", { requestId: "TR-ABC123", reason: "No" }, { verb: "decline", data: { requestId: "TR-ABC123", reason: "No" } }],
    ["decline", { requestId: "TR-ABC123" }, { verb: "decline", data: { requestId: "TR-ABC123" } }],
    ["askInfo", { requestId: "TR-ABC123", question: "When?" }, { verb: "askInfo", data: { requestId: "TR-ABC123", question: "When?" } }],
    ["reassign", { requestId: "TR-ABC123", to: "29:bo" }, { verb: "reassign", data: { requestId: "TR-ABC123", to: "29:bo" } }],
    ["giveInfo", { requestId: "TR-ABC123", answer: "Yes", askedSeq: "3" }, { verb: "giveInfo", data: { requestId: "TR-ABC123", answer: "Yes", askedSeq: 3 } }],
    ["refreshView", { requestId: "TR-ABC123", extra: "dropped" }, { verb: "refreshView", data: { requestId: "TR-ABC123" } }],
  ])("%s %j is accepted", (verb, data, action) => {
    expect(exec(verb, data)).toEqual({ ok: true, action, automatic: false });
  });

  it.each([
    ["approve", {}, 'requestId: expected the request id'],
    ["approve", { requestId: "TR-1" }, 'requestId: "TR-1" is not a request id'],
    ["decline", { requestId: "TR-ABC123", reason: 42 }, "reason: expected text"],
    ["decline", { requestId: "TR-ABC123", reason: "x".repeat(2001) }, "reason: expected at most 2000 characters"],
    ["giveInfo", { requestId: "TR-ABC123", askedSeq: "first" }, "askedSeq: expected the question's number"],
  ])("%s %j is refused: %s", (verb, data, problem) => {
    const r = exec(verb, data);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toContain(problem);
  });

  it("an automatic refresh is told apart from a click", () => {
    expect(exec("refreshView", { requestId: "TR-ABC123" }, "automatic")).toMatchObject({ ok: true, automatic: true });
  });
});

describe("commands", () => {
  it.each([
    ["<at>Stepwise</at> register this channel as enfield mash team managers", { kind: "register", spec: "enfield mash team managers" }],
    ["register channel for Suffolk social care consultant social worker.", { kind: "register", spec: "Suffolk social care consultant social worker" }],
    ["unregister this channel", { kind: "unregister" }],
    ["channels", { kind: "channels" }],
    ["approvers", { kind: "approvers", op: "list" }],
    ["approvers add <at>Alex</at>", { kind: "approvers", op: "add" }],
    ["approvers remove", { kind: "approvers", op: "remove" }],
    ["approvers sync", { kind: "approvers", op: "sync" }],
    ["history TR-7K3F9Q", { kind: "history", requestId: "TR-7K3F9Q", raw: "tr-7k3f9q" }],
    ["history of request tr7k3f9q", { kind: "history", requestId: "TR-7K3F9Q", raw: "tr7k3f9q" }],
    ["history", { kind: "history", requestId: undefined, raw: "" }],
    ["approvals help", { kind: "help" }],
  ])("%j", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it.each(["where should this case go?", "16 year old, homeless, history of missing episodes", "history of neglect, open to early help", "register for a CP plan?", "help", "registered social worker says"])("%j is the triage's", (text) => {
    expect(parseCommand(text)).toBeUndefined();
  });
});

describe("the demo persona", () => {
  it("is a different identity, only in the local demo, only in channels", () => {
    const pat = { id: "29:pat", name: "Pat" };
    expect(persona(pat)).toEqual({ id: "demo-manager:29:pat", name: "Pat (demo manager)" });
    expect(persona(persona(pat))).toEqual(persona(pat));
    const demo = new Demo({}, "");
    const channel = { serviceUrl: "http://localhost:56150/_connector", conversation: { id: "19:c", name: "", conversationType: "channel", isGroup: true } };
    expect(demo.actor(channel, pat)).toEqual(persona(pat));
    expect(demo.actor({ ...channel, conversation: { id: "a:1", name: "", conversationType: "personal", isGroup: false } }, pat)).toEqual(pat);
    expect(demo.actor({ ...channel, serviceUrl: "https://smba.trafficmanager.net/uk/" }, pat)).toEqual(pat);
    expect(new Demo(undefined, "").actor(channel, pat)).toEqual(pat);
    expect(["http://127.0.0.1:3978/", "http://[::1]:1/", "http://localhost/"].every(isLoopback)).toBe(true);
    expect(["https://smba.trafficmanager.net/", "http://127.example.com/", "not a url"].some(isLoopback)).toBe(false);
  });

  it("cannot be switched on for a bot with a Microsoft app id", () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    expect(() => createApprovals({ adapter, storageConnectionString: "UseDevelopmentStorage=true", botAppId: "00000000-0000-0000-0000-000000000001", packs: {}, demo: {}, retryEveryMs: 0 })).toThrow(
      /only for the anonymous local demo/,
    );
  });
});

describe("the CSV export", () => {
  it("quotes as RFC 4180 says and defuses formulas in free text", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "no", then\r\nstop')).toBe('"say ""no"", then\r\nstop"');
    expect(csvField(" padded ")).toBe('" padded "');
    expect(csvField("=HYPERLINK(1)", true)).toBe("'=HYPERLINK(1)");
    expect(csvField("-2 days", false)).toBe("-2 days");
    expect(csvField(null)).toBe("");
  });

  it("reads London days and ISO instants", () => {
    expect(parseWhen("2026-11-23", false)?.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(parseWhen("2026-07-01", false)?.toISOString()).toBe("2026-06-30T23:00:00.000Z"); // BST
    expect(parseWhen("2026-07-01", true)?.toISOString()).toBe("2026-07-01T22:59:59.999Z");
    expect(parseWhen("2026-11-23T10:00:00Z", true)?.toISOString()).toBe("2026-11-23T10:00:00.000Z");
    expect(parseWhen("2026-02-30", false)).toBeUndefined();
    expect(parseWhen("yesterday", false)).toBeUndefined();
  });

  it("writes every event in the window from Table Storage, by command line too", async () => {
    const azurite = await startAzurite({ port: 0 });
    try {
      const store = new ApprovalStore(azurite.connectionString);
      const pack = loadPack(mini);
      const t0 = new Date("2026-11-23T10:00:00Z");
      const pat = { id: "29:pat", name: "Pat, Practitioner" };
      const alex = { id: "29:alex", name: "Alex Manager" };
      const make = (id: string, ref: string, at: Date): TransferRequest => {
        const t = createRequest({ id, pack, recommendation: recommend(pack, { currentTeam: "early-help", concern: "significant-harm" }, at), caseReference: ref, requester: pat }, at);
        if (isRefused(t)) throw new Error(t.refused.message);
        return t.request;
      };
      const a = make("TR-AAAAAA", "1111111", t0);
      const decided = apply(a, alex, { kind: "decline", approvers: [alex], reason: '=cmd|"calc" and, "more"' }, new Date("2026-11-24T09:30:00Z"));
      if (isRefused(decided)) throw new Error("refused");
      await store.createRequest(decided.request);
      await store.createRequest(make("TR-BBBBBB", "2222222", new Date("2026-12-10T10:00:00Z")));

      const csv = await exportCsv(store, { from: parseWhen("2026-11-23", false)!, to: parseWhen("2026-11-30", true)! });
      const lines = csv.split("\r\n");
      expect(lines[0]).toBe("request_id,authority,case_reference,direction,from_team,to_team,decider,requester,event_seq,event,outcome,at_utc,at_london,by_id,by_name,to_id,to_name,channel,why");
      expect(lines[1]).toBe('TR-AAAAAA,mini,1111111,Step up,Early Help,MASH,MASH Team Manager,"Pat, Practitioner",1,created,,2026-11-23T10:00:00.000Z,2026-11-23 10:00,29:pat,"Pat, Practitioner",,,,');
      expect(lines[2]).toBe('TR-AAAAAA,mini,1111111,Step up,Early Help,MASH,MASH Team Manager,"Pat, Practitioner",2,decided,declined,2026-11-24T09:30:00.000Z,2026-11-24 09:30,29:alex,Alex Manager,,,,"\'=cmd|""calc"" and, ""more"""');
      expect(lines.slice(3)).toEqual([""]);
      expect(await exportCsv(store, { from: t0, to: new Date("2026-12-31T00:00:00Z"), authority: "enfield" })).toBe(`${lines[0]}\r\n`);

      const dir = mkdtempSync(join(tmpdir(), "export-"));
      // Asynchronously: Azurite runs in this process, so it must keep answering while the script runs.
      const run = (args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          execFile(process.execPath, [require.resolve("tsx/cli"), "scripts/export.ts", ...args], { env: { ...process.env, STORAGE_CONNECTION_STRING: azurite.connectionString }, cwd: join(__dirname, "../.."), timeout: 60_000 }, (err, stdout, stderr) =>
            resolve({ status: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr }),
          );
        });
      const ok = await run(["--from", "2026-11-23", "--to", "2026-12-31", "--authority", "mini"]);
      expect(ok.status).toBe(0);
      expect(ok.stdout.split("\r\n").filter(Boolean)).toHaveLength(4);
      const file = await run(["--from", "2026-11-23", "--to", "2026-11-30", "--out", join(dir, "audit.csv")]);
      expect(file.status).toBe(0);
      expect(readFileSync(join(dir, "audit.csv"), "utf8")).toBe(csv);
      const bad = await run(["--from", "23/11/2026", "--to", "2026-11-30"]);
      expect(bad.status).toBe(2);
      expect(bad.stdout).toBe("");
      expect(bad.stderr).toContain('--from: expected a date such as 2026-11-23');
    } finally {
      await azurite.stop();
    }
  });
});
