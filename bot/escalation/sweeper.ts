/**
 * The sweeper: reads the timers that are due, claims them, posts the reminder / escalation / digest
 * each stands for, and moves the clock on. Any number of bot instances may sweep one store.
 *
 * One due timer, step by step:
 *   1. claim it (etag-checked replace, lease `leaseMs`): only one sweeper holds it at a time;
 *   2. read its clock and apply it with `fire()`: a timer that no longer applies (the request was
 *      decided, the level already escalated) is refused by the clock's guards and deleted, unposted;
 *   3. begin the effect record (`create`: "posting"). A record found already "posting" means an
 *      earlier attempt was interrupted after it began and before it committed — its post may or may
 *      not have reached Teams (see below);
 *   4. post — only while the lease has at least `minLeaseLeftMs` to run, so a sweeper never posts
 *      on a claim that may already have passed to someone else;
 *   5. commit, in ONE transaction: the clock's next state (etag-checked), the effect "posted" with
 *      the activity id, the fired timer deleted, the next timers created.
 * A crash anywhere before 5 leaves the timer (its claim expires, another sweep takes it over) and
 * the clock unchanged; a crash after 5 has nothing left to do. Nothing is dropped.
 *
 * Exactly once, and the window that is left. The one step that cannot share a transaction with the
 * store is the post itself: between the connector accepting a post and step 5 recording it, a crash
 * leaves an effect "posting" whose outcome is unknown. The sweeper that takes the timer over then
 * asks `lookup(post)` whether a post with that `idempotencyKey` is already in the channel (the key
 * travels in the activity's channelData); found, it records it and does not post again; not found,
 * it posts. With a lookup that sees every accepted post — the loopback connector of the tests does —
 * every due escalation is posted exactly once however the sweepers are killed and restarted.
 *
 * What remains at-least-once in the real world, and why: Teams has no idempotent "post if not
 * already posted", so exactly-once rests on the lookup (Microsoft Graph channel messages, with the
 * ChannelMessage.Read.Group resource-specific permission). Where no lookup is wired, where it fails,
 * or where it has not yet caught up with a post the connector accepted a moment before the crash
 * (Graph is eventually consistent), the post is sent again, marked `redelivery: true` so the card can
 * say so: a duplicate escalation is preferred to a dropped one. The same holds when a post fails
 * with a timeout after Teams had in fact accepted it, and for a process that stalls (not dies) for
 * longer than its lease in the middle of a post: its claim can pass to another sweeper before its
 * own post completes. Keep the post's own timeout (the approvals sender's retries included) well
 * under `minLeaseLeftMs`.
 */
import { randomUUID } from "node:crypto";
import {
  digestFor,
  fire,
  nextDigestAt,
  type ClockState,
  type Notice,
  type ResolvedRole,
  type Track,
} from "../../domain/escalation";
import { digestCardData, escalationCardData, reminderCardData, type AnyCardData, type CardTemplateName } from "./cards";
import { ConcurrencyError, digestEffectRowKey, effectRowKey, type EffectRow, type EscalationStore, type TimerRow } from "./store";

// ---------------------------------------------------------------------------
// What the sweeper hands to `post`

export interface EscalationPost {
  kind: "remind" | "escalate" | "digest";
  /** The same on every attempt at this reminder / escalation / digest; put it in the activity's channelData. */
  idempotencyKey: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** An earlier attempt's outcome is unknown and could not be looked up: this may be a repeat. */
  redelivery: boolean;
  requestId: string | null;
  track: Track | null;
  authority: { id: string; name: string };
  /** The ladder level the post is about (the new level, for an escalation); null for a digest. */
  level: number | null;
  /** The role to @mention: its holders come from the approvers registry. Null for a digest. */
  role: ResolvedRole | null;
  /** The channel to post in (channel registry key: "<authority>/<team or *>/<role>"). */
  channelKey: string;
  /** For an escalation: the level it comes from — its card should now say where the request went and when. */
  previous: { level: number; role: ResolvedRole; channelKey: string } | null;
  /** When the clock step or digest was due. */
  dueAt: string;
  card: { template: CardTemplateName; data: AnyCardData };
  /** The clock after this step (null for a digest): history, deadlines, for updating other cards. */
  clock: ClockState | null;
}

/** What the connector answered for an accepted post. */
export interface PostResult {
  activityId?: string | null;
  conversationId?: string | null;
}

/** Posts to Teams; resolves once the connector accepted the post, throws otherwise. */
export type PostFn = (post: EscalationPost) => Promise<PostResult | void>;

/** Finds an earlier accepted post with `post.idempotencyKey` in its channel; null if there is none. */
export type LookupFn = (post: EscalationPost) => Promise<PostResult | null>;

export interface SweepOptions {
  store: EscalationStore;
  /** The sweep's "now" (due times are compared with it); a function is read once per sweep. */
  now: Date | (() => Date);
  post: PostFn;
  lookup?: LookupFn;
  instanceId: string;
  /** Most timers claimed per sweep (default 100). */
  limit?: number;
  /** How long a claim lasts (default 60 s). */
  leaseMs?: number;
  /** No post is started on a claim with less than this left (default half the lease). */
  minLeaseLeftMs?: number;
  /** Time for lease checks (default: `now` if it is a function, else the fixed `now` plus real time elapsed). */
  clock?: () => Date;
  /** Requests (or digests) processed at once (default 8); one request's timers always in order. */
  concurrency?: number;
  /** Delay before a failed post is tried again (default 30 s · 2^(attempt-1), at most 15 min). */
  retryDelayMs?: (attempt: number) => number;
  /** Post digests with nothing in them (default false). */
  postEmptyDigests?: boolean;
  onEvent?: (e: SweepEvent) => void;
}

export type SweepEvent =
  | { type: "posted"; key: string; kind: EscalationPost["kind"]; recovered: boolean }
  | { type: "stale"; key: string; why: string }
  | { type: "failed"; key: string; error: string }
  | { type: "lease-lost"; key: string };

export interface SweepResult {
  /** Entities the due-range reads returned: the read cost of the sweep. */
  read: number;
  claimed: number;
  posted: number;
  /** Interrupted posts found already delivered by `lookup` (recorded, not posted again). */
  recovered: number;
  /** Timers that no longer applied (decided, moved on) or digests with nothing to say. */
  skipped: number;
  failed: number;
  ms: number;
}

type Outcome = "posted" | "recovered" | "skipped" | "failed" | "lease-lost";

const defaultRetry = (attempt: number): number => Math.min(15 * 60_000, 30_000 * 2 ** Math.max(0, attempt - 1));

/** One sweep: claim what is due (up to `limit`), post it, record it. */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  const now = typeof options.now === "function" ? options.now() : options.now;
  // Leases are reckoned in the same time base as the due times: an injected clock, or (with a fixed
  // `now`) that instant plus the real time elapsed since the sweep began.
  const t0 = Date.now();
  const clock = options.clock ?? (typeof options.now === "function" ? options.now : () => new Date(now.getTime() + Date.now() - t0));
  const limit = options.limit ?? 100;
  const leaseMs = options.leaseMs ?? 60_000;
  const ctx: Ctx = {
    ...options,
    now,
    clock,
    leaseMs,
    minLeaseLeftMs: options.minLeaseLeftMs ?? leaseMs / 2,
    retryDelayMs: options.retryDelayMs ?? defaultRetry,
  };
  const { timers, read } = await options.store.due(now, limit);

  // One request's (or digest channel's) timers in due order; groups in parallel, in a random order
  // so that sweepers reading the same due rows mostly start on different ones. Each timer is claimed
  // just before it is worked on, so a lease only has to cover the work on one timer.
  const groups = new Map<string, TimerRow[]>();
  for (const t of timers) {
    const key = t.value.kind === "digest" ? `digest:${t.value.channelKey}` : `${t.value.requestId}:${t.value.track}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const order = [...groups.values()].map((g) => ({ g, r: Math.random() })).sort((a, b) => a.r - b.r).map((x) => x.g);
  const counts: Record<Outcome, number> = { posted: 0, recovered: 0, skipped: 0, failed: 0, "lease-lost": 0 };
  let claimed = 0;
  await pool(order, options.concurrency ?? 8, async (group) => {
    for (const t of group) {
      const mine = await options.store.claim(t, options.instanceId, new Date(clock().getTime() + leaseMs));
      if (!mine) continue; // another sweeper has it, or finished it
      claimed++;
      counts[await processTimer(ctx, mine)]++;
    }
  });
  return {
    read,
    claimed,
    posted: counts.posted,
    recovered: counts.recovered,
    skipped: counts.skipped,
    failed: counts.failed + counts["lease-lost"],
    ms: performance.now() - started,
  };
}

interface Ctx extends SweepOptions {
  now: Date;
  clock: () => Date;
  leaseMs: number;
  minLeaseLeftMs: number;
  retryDelayMs: (attempt: number) => number;
}

async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function processTimer(ctx: Ctx, timer: TimerRow): Promise<Outcome> {
  try {
    return timer.value.kind === "digest" ? await processDigest(ctx, timer) : await processClockTimer(ctx, timer);
  } catch (err) {
    // Storage trouble: leave the claim to expire; the timer is taken again later.
    ctx.onEvent?.({ type: "failed", key: timer.rowKey, error: errorText(err) });
    return "failed";
  }
}

const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

function leaseLeft(ctx: Ctx, timer: TimerRow): number {
  return Date.parse(timer.value.claimedUntil) - ctx.clock().getTime();
}

/**
 * Steps 3–4: make sure the effect's post is in the channel exactly once (as far as `lookup` can
 * tell). Returns the connector's answer, or an outcome when nothing was posted.
 */
async function deliver(ctx: Ctx, timer: TimerRow, effect: { row: EffectRow; first: boolean }, post: EscalationPost): Promise<{ result: PostResult; recovered: boolean } | Outcome> {
  const record = effect.row.value;
  if (record.status !== "posting") return { result: { activityId: record.activityId, conversationId: record.conversationId }, recovered: true };
  post.attempt = record.attempts;
  if (!effect.first) {
    if (ctx.lookup) {
      const found = await ctx.lookup(post);
      if (found) return { result: found, recovered: true };
    } else {
      post.redelivery = true;
    }
  }
  if (leaseLeft(ctx, timer) < ctx.minLeaseLeftMs) {
    ctx.onEvent?.({ type: "lease-lost", key: timer.rowKey });
    return "lease-lost";
  }
  try {
    return { result: (await ctx.post(post)) ?? {}, recovered: false };
  } catch (err) {
    // The outcome is unknown (or a definite failure): the effect stays "posting", the timer is given
    // back to be tried again later, when `lookup` will say whether this attempt got through.
    await ctx.store.release(timer, new Date(ctx.clock().getTime() + ctx.retryDelayMs(record.attempts)), errorText(err));
    ctx.onEvent?.({ type: "failed", key: timer.rowKey, error: errorText(err) });
    return "failed";
  }
}

function postFor(state: ClockState, notice: Notice, dueAt: string, key: string): EscalationPost {
  const step = notice.step;
  return {
    kind: notice.kind,
    idempotencyKey: key,
    attempt: 1,
    redelivery: false,
    requestId: state.requestId,
    track: state.track,
    authority: state.authority,
    level: notice.level,
    role: step.role,
    channelKey: step.channelKey,
    previous: notice.kind === "escalate" ? { level: notice.fromLevel, role: notice.from.role, channelKey: notice.from.channelKey } : null,
    dueAt,
    card: notice.kind === "escalate" ? { template: "escalation", data: escalationCardData(state, notice) } : { template: "reminder", data: reminderCardData(state, notice) },
    clock: state,
  };
}

async function processClockTimer(ctx: Ctx, timer: TimerRow): Promise<Outcome> {
  const t = timer.value;
  if (t.kind === "digest") throw new TypeError("not a clock timer");
  for (let round = 0; round < 5; round++) {
    const current = await ctx.store.getClock(t.requestId, t.track);
    const fired = current ? fire(current.state, t, ctx.now) : ({ ok: false, refusal: "closed" } as const);
    if (!current || !fired.ok) {
      const why = current ? (fired as { refusal: string }).refusal : "no clock";
      if (why === "not-due") await ctx.store.release(timer, new Date(t.dueAt), null);
      else await ctx.store.dropTimer(timer);
      ctx.onEvent?.({ type: "stale", key: timer.rowKey, why });
      return "skipped";
    }
    const key = effectRowKey(t.requestId, t.track, t.kind, t.level);
    const post = postFor(fired.state, fired.notice, t.dueAt, key);
    const effect = await ctx.store.beginEffect(timer.partitionKey, key, {
      key,
      kind: t.kind,
      requestId: t.requestId,
      track: t.track,
      level: fired.notice.level,
      channelKey: post.channelKey,
      firstAttemptAt: ctx.clock().toISOString(),
      by: ctx.instanceId,
    });
    const delivered = await deliver(ctx, timer, effect, post);
    if (typeof delivered === "string") return delivered;
    const posted = {
      status: "posted" as const,
      activityId: delivered.result.activityId ?? null,
      conversationId: delivered.result.conversationId ?? null,
      postedAt: effect.row.value.postedAt ?? ctx.clock().toISOString(),
    };
    try {
      await ctx.store.commitStep({ before: current.state, etag: current.etag, after: fired.state, fired: timer, effect: effect.row, posted });
      // The channel the request went to gets its daily digest from now on (idempotent).
      if (fired.notice.kind === "escalate") await ctx.store.ensureDigests([post.channelKey], ctx.now, fired.state.policy).catch(() => undefined);
      ctx.onEvent?.({ type: "posted", key, kind: t.kind, recovered: delivered.recovered });
      return delivered.recovered ? "recovered" : "posted";
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      // The clock changed meanwhile (a decision came in): record the post that went out, then look
      // again — the guards decide whether this timer still applies.
      await ctx.store.markPosted(effect.row, posted);
    }
  }
  throw new ConcurrencyError(`${timer.rowKey}: the clock kept changing`);
}

async function processDigest(ctx: Ctx, timer: TimerRow): Promise<Outcome> {
  const t = timer.value;
  if (t.kind !== "digest") throw new TypeError("not a digest timer");
  const states = await ctx.store.clocksInChannel(t.channelKey);
  const open = states.filter((s) => s.status === "waiting");
  const digest = digestFor(open, t.channelKey, ctx.now, new Date(t.since));
  const sample = open[0];
  const step = sample?.ladder.steps.find((s) => s.channelKey === t.channelKey);
  const authority = sample?.authority ?? { id: t.channelKey.split("/")[0] ?? t.channelKey, name: t.channelKey.split("/")[0] ?? t.channelKey };
  const data = digestCardData(digest, step?.role.title ?? t.channelKey, authority.name);
  const key = digestEffectRowKey(t.channelKey, t.dueAt);
  const nextAt = nextDigestAt(ctx.now, sample?.policy);
  const effect = await ctx.store.beginEffect(timer.partitionKey, key, {
    key,
    kind: "digest",
    requestId: null,
    track: null,
    level: null,
    channelKey: t.channelKey,
    firstAttemptAt: ctx.clock().toISOString(),
    by: ctx.instanceId,
  });
  if (data.isEmpty && !ctx.postEmptyDigests && effect.row.value.status === "posting" && effect.first) {
    await ctx.store.commitDigest({ fired: timer, effect: effect.row, posted: { status: "skipped", activityId: null, conversationId: null, postedAt: null }, nextAt, since: ctx.now });
    ctx.onEvent?.({ type: "stale", key, why: "empty digest" });
    return "skipped";
  }
  const post: EscalationPost = {
    kind: "digest",
    idempotencyKey: key,
    attempt: 1,
    redelivery: false,
    requestId: null,
    track: null,
    authority,
    level: null,
    role: step?.role ?? null,
    channelKey: t.channelKey,
    previous: null,
    dueAt: t.dueAt,
    card: { template: "digest", data },
    clock: null,
  };
  const delivered = await deliver(ctx, timer, effect, post);
  if (typeof delivered === "string") return delivered;
  await ctx.store.commitDigest({
    fired: timer,
    effect: effect.row,
    posted: { status: "posted", activityId: delivered.result.activityId ?? null, conversationId: delivered.result.conversationId ?? null, postedAt: ctx.clock().toISOString() },
    nextAt,
    since: ctx.now,
  });
  ctx.onEvent?.({ type: "posted", key, kind: "digest", recovered: delivered.recovered });
  return delivered.recovered ? "recovered" : "posted";
}

// ---------------------------------------------------------------------------
// The loop

export interface SweeperLoopOptions extends Omit<SweepOptions, "now" | "instanceId"> {
  instanceId?: string;
  /** Injected clock (default: the system clock). */
  now?: () => Date;
  /** Pause between sweeps that found nothing more to do (default 15 s). */
  intervalMs?: number;
  /** Injected sleep (tests skip time with it). Must resolve early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onSweep?: (result: SweepResult) => void;
  onError?: (err: unknown) => void;
}

export interface SweeperHandle {
  readonly instanceId: string;
  /** Stops after the sweep in progress; resolves when the loop has ended. */
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

const realSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });

/** Sweeps every `intervalMs` (at once again while a sweep fills its limit) until stopped. */
export function startSweeper(options: SweeperLoopOptions): SweeperHandle {
  const instanceId = options.instanceId ?? `sweeper-${randomUUID()}`;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;
  const interval = options.intervalMs ?? 15_000;
  const abort = new AbortController();
  const done = (async () => {
    while (!abort.signal.aborted) {
      let more = false;
      try {
        const result = await sweep({ ...options, now, instanceId });
        options.onSweep?.(result);
        more = result.claimed >= (options.limit ?? 100);
      } catch (err) {
        options.onError?.(err);
      }
      if (!more && !abort.signal.aborted) await sleep(interval, abort.signal);
    }
  })();
  return {
    instanceId,
    done,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}
