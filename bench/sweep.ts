/**
 * npm run bench:sweep — what one sweep costs with the same number of due escalations (100) among
 * 10,000 and among 100,000 open requests, and how many escalations a sweeper posts per second to a
 * loopback HTTP connector. Runs against an in-process Azurite (in memory); prints a markdown table.
 *
 *   npm run bench:sweep -- --open 10000,100000 --due 100 --throughput 500
 *
 * Read the milliseconds with care: Azurite answers every query by running a JavaScript predicate
 * over every entity of the table (LokiTableMetadataStore.queryTableEntities), so on the emulator a
 * range read costs time in proportion to the table's size. Azure Table Storage serves a
 * PartitionKey + RowKey range from its index; there the cost of a sweep follows the entities it
 * returns ("entities read"), which is what the timer index keeps constant.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { ClockState } from "../domain/escalation";
import { EscalationStore } from "../bot/escalation/store";
import { sweep } from "../bot/escalation/sweeper";
import { httpPost, startLoopbackConnector } from "../bot/escalation/loopback";
import { clocks } from "../test/escalation/seed";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] ?? fallback : fallback;
}
const OPEN = arg("open", "10000,100000").split(",").map(Number);
const DUE = Number(arg("due", "100"));
const THROUGHPUT = Number(arg("throughput", "500"));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 0): string => n.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Azurite in a process of its own, so that seeding and sweeping do not share its CPU. */
async function azuriteProcess(): Promise<{ connectionString: string; stop: () => void }> {
  const child = spawn(process.execPath, ["-r", require.resolve("tsx/cjs"), "-e", `require(${JSON.stringify(require.resolve("../bot/storage/azurite"))}).startAzurite({ port: 0 }).then((a) => console.log(a.connectionString))`], { stdio: ["ignore", "pipe", "inherit"] });
  const connectionString = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (out.includes("\n")) resolve(out.trim());
    });
    child.on("exit", (code) => reject(new Error(`Azurite exited (${code})`)));
  });
  return { connectionString, stop: () => child.kill() };
}

/** `n` open requests not yet due: copies of one clock, each with its own id and timer 1–60 hours ahead. */
function background(n: number, now: Date, from: number): ClockState[] {
  const template = clocks(60, now, { dueInHours: 1 });
  return Array.from({ length: n }, (_, i) => {
    const t = template[(from + i) % 60]!;
    const shift = ((from + i) % 59) * 3_600_000;
    const move = (iso: string | null) => (iso ? new Date(Date.parse(iso) + shift).toISOString() : null);
    return { ...t, requestId: `TR-O${String(from + i).padStart(7, "0")}`, plan: { ...t.plan, escalateDeliverAt: move(t.plan.escalateDeliverAt), deadlineAt: move(t.plan.deadlineAt) } };
  });
}

async function main(): Promise<void> {
  const azurite = await azuriteProcess();
  const connector = await startLoopbackConnector();
  const post = httpPost(connector.url);
  const rows: string[] = [];
  let throughputRow = "";
  try {
    for (const open of OPEN) {
      const store = EscalationStore.fromConnectionString(azurite.connectionString, `bench${randomUUID().replace(/-/g, "").slice(0, 16)}`);
      const now = new Date();
      const seedStart = performance.now();
      // Background: open requests whose next timer is 1–60 hours away (a clock row and a timer row each).
      for (let done = 0; done < open; done += 10_000) {
        await store.seed(background(Math.min(10_000, open - done), now, done), { digestRows: false });
        process.stderr.write(`\rseeded ${fmt(done + Math.min(10_000, open - done))} of ${fmt(open)} open requests`);
      }
      process.stderr.write("\n");
      await store.seed(clocks(DUE, now, { prefix: `TR-D${open}-` }));
      const seedMs = performance.now() - seedStart;

      const reads: number[] = [];
      let read = 0;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        read = (await store.due(now, DUE)).read;
        reads.push(performance.now() - t);
      }
      const before = connector.received.length;
      const r = await sweep({ store, now, post, instanceId: "bench", limit: DUE, concurrency: 8 });
      const posted = connector.received.length - before;
      rows.push(`| ${fmt(open)} | ${fmt(DUE)} | ${fmt(read)} | ${fmt(median(reads), 1)} | ${fmt(r.ms)} | ${fmt(posted)} | ${fmt(posted / (r.ms / 1000), 1)} | ${fmt(seedMs / 1000, 1)} s |`);

      if (throughputRow === "") {
        // Throughput: THROUGHPUT more due escalations in the same store, swept until none is left.
        await store.seed(clocks(THROUGHPUT, now, { prefix: "TR-T" }));
        const t = performance.now();
        const start = connector.received.length;
        let sweeps = 0;
        for (;;) {
          const s = await sweep({ store, now, post, instanceId: "bench", limit: 100, concurrency: 8 });
          sweeps++;
          if (s.claimed === 0) break;
        }
        const n = connector.received.length - start;
        const ms = performance.now() - t;
        throughputRow = `${fmt(n)} escalations in ${sweeps} sweeps: ${fmt(ms)} ms, **${fmt(n / (ms / 1000), 1)} escalations posted per second** (one sweeper, 8 at a time, loopback connector, Azurite in a process of its own)`;
      }
    }
  } finally {
    await connector.stop();
    azurite.stop();
  }
  const dupes = [...connector.counts().values()].filter((n) => n > 1).length;
  console.log(`Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, Azurite in memory, 4 shards\n`);
  console.log("| open requests | due | entities read by the sweep | range reads (ms, median of 3) | one sweep incl. posting (ms) | posted | posted per second | seeding |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const row of rows) console.log(row);
  console.log(`\n${throughputRow}; posted twice: ${dupes}.`);
  console.log("\nThe sweep's range reads return only the due timers in both cases; on Azure that is its cost. Azurite scans the whole table for every query, which is the growth its milliseconds show.");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
