/** The timer store and the sweeper against a real (in-process) Azurite and a loopback connector. */
import { randomUUID } from "node:crypto";
import { startAzurite, type RunningAzurite } from "../../bot/storage/azurite";
import { EscalationStore } from "../../bot/escalation/store";
import { sweep, startSweeper, type EscalationPost } from "../../bot/escalation/sweeper";
import { httpLookup, httpPost, startLoopbackConnector, type LoopbackConnector } from "../../bot/escalation/loopback";
import { expandCard } from "../../bot/escalation/cards";
import { expectValidCard } from "../helpers/cards";
import { clocks } from "./seed";

let azurite: RunningAzurite;
let connector: LoopbackConnector;
beforeAll(async () => {
  azurite = await startAzurite({ port: 0 });
  connector = await startLoopbackConnector();
});
afterAll(async () => {
  await connector.stop();
  await azurite.stop();
});
beforeEach(() => {
  connector.received.length = 0;
  connector.onPost = undefined;
});

const newStore = (shards = 4) => EscalationStore.fromConnectionString(azurite.connectionString, `esc${randomUUID().replace(/-/g, "").slice(0, 20)}`, { shards });
const NOW = new Date("2026-11-23T10:00:00.000Z");

describe("EscalationStore", () => {
  it("a sweep reads only due timers, however many are open", async () => {
    const store = newStore();
    await store.seed([...clocks(5, NOW, { prefix: "TR-D" }), ...clocks(300, NOW, { prefix: "TR-F", dueInHours: 5 })]);
    const { timers, read } = await store.due(NOW, 100);
    expect(read).toBe(5);
    expect(timers.map((t) => t.value.kind)).toEqual(Array(5).fill("escalate"));
    expect((await store.due(new Date(NOW.getTime() + 6 * 3_600_000), 1000)).read).toBe(305);
  });

  it("opening is idempotent and a decision closes the clock, its timers and its digest rows in one go", async () => {
    const store = newStore();
    const [c] = clocks(1, NOW, { dueInHours: 2, reminders: true });
    expect((await store.open(c!, NOW)).created).toBe(true);
    expect((await store.open(c!, NOW)).created).toBe(false);
    expect((await store.due(new Date(NOW.getTime() + 3 * 3_600_000), 10)).timers.map((t) => t.value.kind)).toEqual(["remind", "escalate"]);
    expect((await store.clocksInChannel("mini/mash/team-manager")).map((s) => s.requestId)).toEqual([c!.requestId]);
    const closed = await store.close(c!.requestId, "decision", { by: { id: "u1", name: "Sam" }, outcome: "approved" }, NOW);
    expect(closed?.closedNow).toBe(true);
    expect((await store.close(c!.requestId, "decision", { by: { id: "u2", name: "Kim" }, outcome: "declined" }, NOW))?.closedNow).toBe(false);
    expect((await store.due(new Date("2030-01-01T00:00:00Z"), 10)).timers.filter((t) => t.value.kind !== "digest")).toEqual([]);
    expect(await store.clocksInChannel("mini/mash/team-manager")).toEqual([]);
  });

  it("two sweepers racing over the same due timers: each escalation posted once, and the clocks move on", async () => {
    const store = newStore();
    await store.seed(clocks(60, NOW));
    const post = httpPost(connector.url);
    const [a, b] = await Promise.all(["A", "B"].map((id) => sweep({ store, now: NOW, post, instanceId: id, limit: 100, concurrency: 4 })));
    expect(a!.posted + b!.posted).toBe(60);
    expect(a!.claimed + b!.claimed).toBe(60);
    expect([...connector.counts().values()].every((n) => n === 1)).toBe(true);
    expect(connector.counts().size).toBe(60);
    const s = await store.getClock("TR-000000", "decision");
    expect(s?.state.level).toBe(2);
    expect(s?.state.history.map((h) => h.step)).toEqual(["started", "escalated"]);
    const fx = await store.effectsOf("TR-000000");
    expect(fx).toEqual([expect.objectContaining({ kind: "escalate", status: "posted", level: 2, channelKey: "mini/mash/service-manager", activityId: expect.stringMatching(/^act-/) })]);
    expect((await sweep({ store, now: NOW, post, instanceId: "A" })).claimed).toBe(0);
  });

  it("the window: the connector accepted a post but the bot never heard — the next attempt finds it and does not post again", async () => {
    const store = newStore();
    await store.seed(clocks(3, NOW));
    const real = httpPost(connector.url);
    const lostAnswers = async (p: EscalationPost) => {
      await real(p);
      throw new Error("socket hang up"); // accepted by the connector, the answer lost
    };
    const first = await sweep({ store, now: NOW, post: lostAnswers, instanceId: "A", retryDelayMs: () => 0 });
    expect(first).toMatchObject({ claimed: 3, posted: 0, failed: 3 });
    expect(connector.received).toHaveLength(3);
    const later = new Date(NOW.getTime() + 1000);
    const second = await sweep({ store, now: later, post: real, lookup: httpLookup(connector.url), instanceId: "B" });
    expect(second).toMatchObject({ claimed: 3, posted: 0, recovered: 3 });
    expect(connector.received).toHaveLength(3);
    expect((await store.getClock("TR-000001", "decision"))?.state.level).toBe(2);
  });

  it("without a lookup an interrupted post is sent again, marked as a possible repeat (at-least-once, never dropped)", async () => {
    const store = newStore();
    await store.seed(clocks(1, NOW));
    const real = httpPost(connector.url);
    await sweep({ store, now: NOW, post: async (p) => (await real(p), Promise.reject(new Error("timeout"))), instanceId: "A", retryDelayMs: () => 0 });
    await sweep({ store, now: new Date(NOW.getTime() + 1000), post: real, instanceId: "B" });
    expect(connector.received.map((r) => r.redelivery)).toEqual([false, true]);
  });

  it("a crashed sweeper's claims are taken over when the lease runs out, not before", async () => {
    const store = newStore();
    await store.seed(clocks(4, NOW));
    const { timers } = await store.due(NOW, 10);
    for (const t of timers) expect(await store.claim(t, "crashed", new Date(NOW.getTime() + 60_000))).not.toBeNull();
    const post = httpPost(connector.url);
    expect((await sweep({ store, now: NOW, post, instanceId: "B" })).claimed).toBe(0);
    expect((await sweep({ store, now: new Date(NOW.getTime() + 61_000), post, instanceId: "B" })).posted).toBe(4);
  });

  it("a decision made while the escalation is due wins: the stale timer is dropped unposted", async () => {
    const store = newStore();
    await store.seed(clocks(2, NOW));
    await store.close("TR-000000", "decision", { by: { id: "u1", name: "Sam" }, outcome: "approved" }, NOW);
    const r = await sweep({ store, now: NOW, post: httpPost(connector.url), instanceId: "A" });
    expect(r.posted).toBe(1);
    expect(connector.received.map((p) => p.requestId)).toEqual(["TR-000001"]);
  });

  it("daily digests: scheduled for the next start of working hours, posted once, then rescheduled", async () => {
    const store = newStore();
    const c = clocks(3, NOW, { dueInHours: 30 });
    for (const s of c) await store.open(s, NOW);
    const posts: EscalationPost[] = [];
    const collect = async (p: EscalationPost) => (posts.push(p), { activityId: `d${posts.length}` });
    const nine = new Date("2026-11-24T09:00:00.000Z");
    expect((await sweep({ store, now: new Date(nine.getTime() - 1), post: collect, instanceId: "A" })).claimed).toBe(0);
    const r = await sweep({ store, now: nine, post: collect, instanceId: "A" });
    expect(r.posted).toBe(1);
    expect(posts[0]).toMatchObject({ kind: "digest", channelKey: "mini/mash/team-manager", card: { template: "digest" } });
    const data = posts[0]!.card.data as { waiting: unknown[] };
    expect(data.waiting).toHaveLength(3);
    expectValidCard(expandCard("digest", posts[0]!.card.data));
    expect((await sweep({ store, now: nine, post: collect, instanceId: "B" })).claimed).toBe(0);
    const next = (await store.due(new Date("2026-11-25T09:00:00.000Z"), 10)).timers.filter((t) => t.value.kind === "digest");
    expect(next.map((t) => t.value.dueAt)).toEqual(["2026-11-25T09:00:00.000Z"]);
  });

  it("the loop runner sweeps on an injected clock and interval until stopped", async () => {
    const store = newStore();
    await store.seed(clocks(5, NOW));
    let now = new Date(NOW.getTime() - 7 * 3_600_000); // before anything is due
    const sweeps: number[] = [];
    const handle = startSweeper({
      store,
      now: () => now,
      post: httpPost(connector.url),
      intervalMs: 60_000,
      sleep: async () => {
        now = new Date(now.getTime() + 3_600_000); // each interval skips an hour
        await new Promise((r) => setImmediate(r));
      },
      onSweep: (r) => sweeps.push(r.posted),
    });
    while (connector.received.length < 5) await new Promise((r) => setTimeout(r, 10));
    await handle.stop();
    expect(sweeps.slice(0, 1)).toEqual([0]);
    expect(sweeps.reduce((a, b) => a + b, 0)).toBe(5);
  });
});
