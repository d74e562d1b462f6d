/**
 * Bot processes sweeping one Azurite store, posting to a loopback connector: killed in the middle of
 * a sweep and restarted, and two of them at once. Each due escalation must reach the connector
 * exactly once (counted at the connector).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { startAzurite, type RunningAzurite } from "../../bot/storage/azurite";
import { EscalationStore } from "../../bot/escalation/store";
import { startLoopbackConnector, type LoopbackConnector } from "../../bot/escalation/loopback";
import { clocks } from "./seed";

let azurite: RunningAzurite;
let connector: LoopbackConnector;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  azurite = await startAzurite({ port: 0 });
  connector = await startLoopbackConnector();
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await connector.stop();
  await azurite.stop();
});

interface Child {
  process: ChildProcess;
  sweeps: { posted: number; recovered: number; claimed: number }[];
  exited: Promise<void>;
}

function startChild(table: string, instance: string): Child {
  const proc = spawn(process.execPath, ["-r", require.resolve("tsx/cjs"), join(__dirname, "sweeper-child.ts")], {
    env: { ...process.env, ESC_STORAGE: azurite.connectionString, ESC_TABLE: table, ESC_CONNECTOR: connector.url, ESC_INSTANCE: instance, ESC_LEASE_MS: "3000", ESC_INTERVAL_MS: "100" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(proc);
  const child: Child = { process: proc, sweeps: [], exited: new Promise((resolve) => proc.on("exit", () => (children.delete(proc), resolve()))) };
  let buffer = "";
  proc.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) child.sweeps.push(JSON.parse(line));
  });
  proc.stderr!.setEncoding("utf8").on("data", (chunk: string) => process.stderr.write(`[${instance}] ${chunk}`));
  return child;
}

async function until(what: string, test: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function nothingDue(store: EscalationStore): Promise<boolean> {
  const { timers } = await store.due(new Date(Date.now() + 60_000), 10); // claimed or not
  return timers.filter((t) => t.value.kind !== "digest").length === 0;
}

const kill = (c: Child) => {
  c.process.kill("SIGKILL");
  return c.exited;
};

it("kill -9 in the middle of a sweep (twice), restart: every due escalation is posted exactly once", async () => {
  connector.received.length = 0;
  const table = `esc${randomUUID().replace(/-/g, "").slice(0, 20)}`;
  const store = EscalationStore.fromConnectionString(azurite.connectionString, table);
  const N = 300;
  await store.seed(clocks(N, new Date(), { prefix: "TR-K" }));

  let current = startChild(table, "bot-1");
  const killed: Promise<void>[] = [];
  let unacknowledged: string | null = null;
  connector.onPost = async (post, count) => {
    // The worst moment: the connector has accepted post 40 and the bot dies before hearing so.
    if (count === 40) {
      unacknowledged = post.requestId;
      killed.push(kill(current));
    }
    // Later, a kill straight after an answer, in the middle of the sweeper's bookkeeping.
    if (count === 160) setTimeout(() => killed.push(kill(current)), 3);
  };
  await until("the first kill", () => killed.length === 1, 30_000);
  await killed[0];
  current = startChild(table, "bot-2");
  await until("the second kill", () => killed.length === 2, 30_000);
  await killed[1];
  current = startChild(table, "bot-3");
  await until("every escalation posted", () => connector.counts().size === N, 60_000);
  await until("nothing left due", () => nothingDue(store), 30_000);
  await kill(current);

  const counts = connector.counts();
  expect(counts.size).toBe(N);
  expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  expect(connector.received.every((p) => p.kind === "escalate" && p.level === 2)).toBe(true);
  for (const id of ["TR-K000000", "TR-K000039", "TR-K000299"]) expect((await store.getClock(id, "decision"))?.state.level).toBe(2);
  // The post the bot never heard back about was taken over, found at the connector and recorded, not sent again.
  const [effect] = await store.effectsOf(unacknowledged!);
  expect(effect?.status).toBe("posted");
  expect(effect!.attempts).toBeGreaterThanOrEqual(2);
  expect(effect!.by).not.toBe("bot-1");
}, 180_000);

it("two bot processes sweeping one store with 1,000 due escalations: each posted exactly once", async () => {
  connector.received.length = 0;
  connector.onPost = undefined;
  const table = `esc${randomUUID().replace(/-/g, "").slice(0, 20)}`;
  const store = EscalationStore.fromConnectionString(azurite.connectionString, table);
  const N = 1000;
  await store.seed(clocks(N, new Date(), { prefix: "TR-P" }));

  const bots = [startChild(table, "bot-a"), startChild(table, "bot-b")];
  await until("every escalation posted", () => connector.counts().size === N, 150_000);
  await until("nothing left due", () => nothingDue(store), 30_000);
  await new Promise((r) => setTimeout(r, 300)); // a late duplicate would show up here
  await Promise.all(bots.map(kill));

  const counts = connector.counts();
  expect(counts.size).toBe(N);
  expect(connector.received).toHaveLength(N);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  const [a, b] = bots.map((bot) => bot.sweeps.reduce((sum, s) => sum + s.posted + s.recovered, 0));
  expect(a! + b!).toBe(N);
  expect(a).toBeGreaterThan(0);
  expect(b).toBeGreaterThan(0);
}, 240_000);
