/**
 * `npm run bench:turns`: conversation turns per second and latency percentiles through the bot's
 * HTTP endpoint (POST /api/messages, CloudAdapter, replies POSTed to a loopback connector), with
 * state in an in-process Azurite; beside a bare botbuilder EchoBot that keeps a turn counter in
 * ConversationState on the same TableStorage, measured in the same run. Loopback only; bounded in
 * turns and time.
 *
 *   npm run bench:turns -- [--turns 600] [--seconds 20] [--concurrency 8]
 *
 * Stepwise's conversations are full triages (Enfield's pack): a first sentence, then each question
 * answered as typed text, to the recommendation, then "start again", over and over. Every request is
 * one turn; latency is from sending the request to the end of the HTTP response (the bot answers
 * once its replies have been delivered to the connector).
 */
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus } from "node:os";
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState } from "botbuilder";
import * as restify from "restify";
import { availablePacks } from "../bot/packs";
import { silentLogger } from "../bot/log";
import { createServer } from "../bot/server";
import { startAzurite } from "../bot/storage/azurite";
import { tableClient } from "../bot/storage/tables";
import { TableStorage } from "../bot/storage/tableStorage";

interface Options {
  turns: number;
  seconds: number;
  concurrency: number;
}

function options(argv: string[]): Options {
  const o: Options = { turns: 600, seconds: 20, concurrency: 8 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, "") as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in o) || !Number.isInteger(value) || value < 1) {
      console.error(`usage: npm run bench:turns -- [--turns N] [--seconds S] [--concurrency C]   (bad: ${argv[i]} ${argv[i + 1] ?? ""})`);
      process.exit(2);
    }
    o[key] = value;
  }
  return o;
}

type Activity = { type: string; text?: string; attachments?: { content: unknown }[] };

/** The Teams connector: records each conversation's replies and answers like Teams. */
async function startConnector(): Promise<{ url: string; replies: Map<string, Activity[]>; close: () => Promise<void> }> {
  const replies = new Map<string, Activity[]>();
  const server = createHttpServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? "");
      if (req.method === "POST" && m?.[1]) {
        const id = decodeURIComponent(m[1]);
        replies.set(id, [...(replies.get(id) ?? []), JSON.parse(body) as Activity]);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: randomUUID() }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    replies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The baseline: botbuilder's EchoBot with a turn counter in ConversationState. */
function echoServer(storage: TableStorage): restify.Server {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const conversationState = new ConversationState(storage);
  const turns = conversationState.createProperty<number>("turns");
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const n = (await turns.get(context, 0)) + 1;
    await turns.set(context, n);
    await context.sendActivity(`Echo (${n}): ${context.activity.text}`);
    await conversationState.saveChanges(context);
    await next();
  });
  const server = restify.createServer({ name: "echo" });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post("/api/messages", async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  return server;
}

async function listen(server: restify.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
}

function message(serviceUrl: string, conversationId: string, userId: string, text: string): Record<string, unknown> {
  return {
    type: "message",
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: "msteams",
    from: { id: userId, name: "Practitioner" },
    recipient: { id: "28:bot", name: "Stepwise" },
    conversation: { id: conversationId, conversationType: "personal", tenantId: "t" },
    channelData: { tenant: { id: "t" } },
    text,
  };
}

const SENTENCES = [
  "Open to EH, 4 year old, DV at home, safeguarding concerns, consent given",
  "where should this case go?",
  "15 year old on a CP plan open to CPCiN, CP plan ending",
  "UASC, 16 year old, new referral, not open to any team",
];

/** The next thing a practitioner would type, from the bot's last replies. */
function nextText(replies: Activity[], turn: number): string {
  for (const r of replies) {
    for (const a of r.attachments ?? []) {
      const json = JSON.stringify(a.content);
      if (json.includes('"verb":"requestTransfer"')) return "start again";
      const id = /"verb":"answer"[^}]*"questionId":"([^"]+)"/.exec(json)?.[1];
      if (!id) continue;
      if (id === "caseReference") return `LCS-${10000 + turn}`;
      if (json.includes('"Input.Date"')) return "today";
      if (json.includes('"Input.Number"')) return "10";
      if (json.includes('"title":"No"')) return "no";
      return "1";
    }
  }
  return SENTENCES[turn % SENTENCES.length] ?? "where should this case go?";
}

interface Result {
  turns: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

async function drive(endpoint: string, serviceUrl: string, replies: Map<string, Activity[]>, o: Options, script: (last: Activity[], turn: number) => string): Promise<Result> {
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  const t0 = performance.now();
  const deadline = t0 + o.seconds * 1000;
  const worker = async (w: number) => {
    const conversationId = `a:bench-${w}-${randomUUID()}`;
    const userId = `29:bench-${w}`;
    let last: Activity[] = [];
    for (let turn = 0; started < o.turns && performance.now() < deadline; turn++) {
      started++;
      const before = replies.get(conversationId)?.length ?? 0;
      const body = JSON.stringify(message(serviceUrl, conversationId, userId, script(last, turn)));
      const t = performance.now();
      const res = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body });
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      if (res.status !== 200) errors++;
      last = (replies.get(conversationId) ?? []).slice(before);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, w) => worker(w)));
  return { turns: latencies.length, errors, seconds: (performance.now() - t0) / 1000, latencies };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function row(name: string, r: Result): string {
  const s = [...r.latencies].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  return `| ${name} | ${r.turns} | ${r.seconds.toFixed(1)} | ${(r.turns / r.seconds).toFixed(0)} | ${f(percentile(s, 50))} | ${f(percentile(s, 95))} | ${f(percentile(s, 99))} | ${r.errors} |`;
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const { packs } = availablePacks();
  if (!packs.enfield) throw new Error("bench:turns needs the Enfield pack (domain/packs/enfield.json)");
  const azurite = await startAzurite({ port: 0 });
  const connector = await startConnector();
  const stepwise = createServer({ storageConnectionString: azurite.connectionString, port: 0, playground: false, council: "enfield", logLevel: "error" }, { packs, log: silentLogger });
  const echo = echoServer(new TableStorage(tableClient(azurite.connectionString, "benchecho")));
  try {
    const stepwiseUrl = await listen(stepwise);
    const echoUrl = await listen(echo);
    // Warm up both (JIT, table creation, connections), unmeasured.
    const warm: Options = { turns: 40, seconds: 10, concurrency: 2 };
    await drive(stepwiseUrl, connector.url, connector.replies, warm, nextText);
    await drive(echoUrl, connector.url, connector.replies, warm, (_l, t) => `hello ${t}`);

    // Alternate the two bots in rounds, so that a burst of load on the machine falls on both alike.
    const rounds = 3;
    const share: Options = { ...o, turns: Math.ceil(o.turns / rounds), seconds: o.seconds / rounds };
    const echoResult: Result = { turns: 0, errors: 0, seconds: 0, latencies: [] };
    const stepwiseResult: Result = { turns: 0, errors: 0, seconds: 0, latencies: [] };
    const add = (into: Result, r: Result) => {
      into.turns += r.turns;
      into.errors += r.errors;
      into.seconds += r.seconds;
      into.latencies.push(...r.latencies);
    };
    for (let round = 0; round < rounds; round++) {
      add(echoResult, await drive(echoUrl, connector.url, connector.replies, share, (_l, t) => `hello ${t}`));
      add(stepwiseResult, await drive(stepwiseUrl, connector.url, connector.replies, share, nextText));
    }

    console.log(`Turns through POST /api/messages, state in in-process Azurite (TableStorage), loopback connector; ${o.concurrency} conversations at a time, at most ${o.turns} turns or ${o.seconds} s per bot, in 3 alternating rounds. Node ${process.version}, ${cpus().length} CPUs.\n`);
    console.log("| bot | turns | seconds | turns/s | p50 ms | p95 ms | p99 ms | errors |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    console.log(row("Stepwise (triage, Enfield pack)", stepwiseResult));
    console.log(row("botbuilder EchoBot + ConversationState", echoResult));
    const recommendations = [...connector.replies.values()].flat().filter((a) => JSON.stringify(a.attachments ?? []).includes('"verb":"requestTransfer"')).length;
    console.log(`\nStepwise reached ${recommendations} recommendations (warm-up included).`);
  } finally {
    await new Promise<void>((resolve) => stepwise.close(() => resolve()));
    await new Promise<void>((resolve) => echo.close(() => resolve()));
    await connector.close();
    await azurite.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error((err as Error).stack ?? String(err));
    process.exit(1);
  },
);
