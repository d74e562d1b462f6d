/**
 * A bot process's sweeper, for the process tests: sweeps the store named in the environment with
 * the real clock, posting to the loopback connector, until killed. One JSON line per sweep.
 */
import { EscalationStore } from "../../bot/escalation/store";
import { startSweeper } from "../../bot/escalation/sweeper";
import { httpLookup, httpPost } from "../../bot/escalation/loopback";

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const store = EscalationStore.fromConnectionString(env("ESC_STORAGE"), env("ESC_TABLE"), { shards: Number(process.env.ESC_SHARDS ?? 4) });
const connector = env("ESC_CONNECTOR");
const handle = startSweeper({
  store,
  instanceId: env("ESC_INSTANCE"),
  post: httpPost(connector),
  lookup: process.env.ESC_NO_LOOKUP ? undefined : httpLookup(connector),
  limit: Number(process.env.ESC_LIMIT ?? 100),
  leaseMs: Number(process.env.ESC_LEASE_MS ?? 3000),
  intervalMs: Number(process.env.ESC_INTERVAL_MS ?? 100),
  concurrency: 8,
  retryDelayMs: () => 200,
  onSweep: (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  onError: (e) => process.stderr.write(`sweep error: ${String(e)}\n`),
});
process.on("SIGTERM", () => void handle.stop().then(() => process.exit(0)));
