/**
 * Durable escalation clocks and timers in Azure Table Storage.
 *
 * Layout: ONE table, a small fixed number of shard partitions ("s00" … "s<N-1>", N = `shards`,
 * default 4). A request's rows all live in the shard its id hashes to (a channel's digest rows in
 * the shard its key hashes to), so every change to a request is one entity-group transaction:
 *
 *   RowKey                                                  value
 *   clock|<request>|<track>                                 ClockState (the truth)
 *   due|<deliver instant ISO>|<request>|<track>|<kind>|<L>  timer: remind / escalate (+ claim)
 *   due|<deliver instant ISO>|digest|<channel>              timer: the channel's next daily digest
 *   fx|<request>|<track>|<kind>|<L>                         effect record: posting → posted (+ activity id)
 *   fx|digest|<channel>|<deliver instant ISO>               effect record of one digest
 *   chan|<channel>|<request>|<track>                        copy of the clock, for the channel's digest
 *
 * (<request> and <channel> are encodeKey()d, so they never contain "|".)
 *
 * Why fixed shards and a due-time RowKey, not time-bucket partitions: within a partition rows are
 * kept in RowKey order, and the ISO instant (fixed width, UTC) sorts as time, so
 * `PartitionKey eq 'sNN' and RowKey ge 'due|' and RowKey lt 'due|<now + 1 ms>'` is a range read that
 * touches only the timers that are due — the thousands of open requests whose timers lie in the
 * future are never read, and neither are clock, effect or digest rows. A sweep is N range reads
 * (N fixed), so its cost depends on how much is due, not on how much is open. Time buckets would
 * make the sweeper enumerate every bucket since it last ran (unbounded after an outage, and a bucket
 * missed is a timer dropped); a fixed shard has no such gap. Shards exist only to spread write load
 * (Azure serves ~2,000 entities/s per partition) and are keyed by request, not by time, so a
 * request's clock and timers share a partition and change together atomically.
 *
 * Invariant (kept by transactions): the timer rows of a clock are exactly `timersOf(clock)`. Every
 * change of a clock — open, a sweep's step, a decision — is one transaction that replaces the clock
 * row with the etag it read (optimistic concurrency) and creates/deletes its timer rows. A timer that
 * fires is applied with `fire()`, whose guards refuse a timer that no longer matches the clock.
 *
 * Claims: a sweeper claims a due timer by replacing the timer row with the etag it read, setting
 * claimedBy / claimedUntil (a lease). Of two sweepers, one wins (the other gets 412 and moves on);
 * a sweeper that dies holding claims loses them when the lease runs out, and the range read (which
 * skips rows whose claimedUntil is in the future) hands them to whoever sweeps next.
 *
 * Effects: before posting, the sweeper creates the effect record ("posting") with `create`, so a
 * second attempt at the same reminder / escalation / digest finds it (409) instead of starting
 * afresh; after the connector accepted the post, the record becomes "posted" in the same
 * transaction that moves the clock on and deletes the timer. See sweeper.ts for what happens when
 * an attempt is found "posting" (the unknown-outcome window) and what remains at-least-once.
 */
import { type TableClient, type TableEntityResult, type TransactionAction } from "@azure/data-tables";
import { z } from "zod";
import {
  channelsOf,
  ClockState,
  decided,
  nextDigestAt,
  timersOf,
  type DecisionInput,
  type EscalationPolicy,
  type TimerKind,
  type TimerSpec,
  type Track,
} from "../../domain/escalation";
import { assertEntityFits, fromJsonColumns, toJsonColumns } from "../storage/jsonColumns";
import { encodeKey, ensureTableOnce, isConflict, isEntityNotFound, isNotFound, isPreconditionFailed, tableClient } from "../storage/tables";

// ---------------------------------------------------------------------------
// Row values

const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "expected an ISO date-time");

const Claim = { claimedBy: z.string().nullable(), claimedUntil: z.string(), attempts: z.number().int().min(0), lastError: z.string().nullable() };

export const ClockTimer = z
  .object({ kind: z.enum(["remind", "escalate"]), requestId: z.string(), track: z.enum(["decision", "dispute"]), level: z.number().int(), dueAt: Iso, ...Claim })
  .strict();
export const DigestTimer = z.object({ kind: z.literal("digest"), channelKey: z.string(), dueAt: Iso, since: Iso, ...Claim }).strict();
export const TimerValue = z.discriminatedUnion("kind", [ClockTimer, DigestTimer]);
export type TimerValue = z.infer<typeof TimerValue>;

export const EffectRecord = z
  .object({
    key: z.string(),
    kind: z.enum(["remind", "escalate", "digest"]),
    status: z.enum(["posting", "posted", "skipped"]),
    requestId: z.string().nullable(),
    track: z.enum(["decision", "dispute"]).nullable(),
    level: z.number().int().nullable(),
    channelKey: z.string(),
    attempts: z.number().int().min(1),
    firstAttemptAt: Iso,
    postedAt: Iso.nullable(),
    activityId: z.string().nullable(),
    conversationId: z.string().nullable(),
    by: z.string(),
  })
  .strict();
export type EffectRecord = z.infer<typeof EffectRecord>;

/** A timer as read by a sweep, with what is needed to claim and delete it. */
export interface TimerRow {
  partitionKey: string;
  rowKey: string;
  etag: string;
  value: TimerValue;
}

export interface EffectRow {
  partitionKey: string;
  rowKey: string;
  etag: string;
  value: EffectRecord;
}

// ---------------------------------------------------------------------------
// Keys

/** "Empty" claimedUntil: sorts before every ISO instant. */
const UNCLAIMED = "";
const SEP = "|";

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export const clockRowKey = (requestId: string, track: Track): string => ["clock", encodeKey(requestId), track].join(SEP);
export const timerRowKey = (requestId: string, track: Track, t: Pick<TimerSpec, "kind" | "level" | "dueAt">): string =>
  ["due", new Date(t.dueAt).toISOString(), encodeKey(requestId), track, t.kind, String(t.level)].join(SEP);
export const digestTimerRowKey = (channelKey: string, dueAt: string): string => ["due", new Date(dueAt).toISOString(), "digest", encodeKey(channelKey)].join(SEP);
export const effectRowKey = (requestId: string, track: Track, kind: TimerKind, level: number): string =>
  ["fx", encodeKey(requestId), track, kind, String(level)].join(SEP);
export const digestEffectRowKey = (channelKey: string, dueAt: string): string => ["fx", "digest", encodeKey(channelKey), new Date(dueAt).toISOString()].join(SEP);
export const memberRowKey = (channelKey: string, requestId: string, track: Track): string => ["chan", encodeKey(channelKey), encodeKey(requestId), track].join(SEP);

// ---------------------------------------------------------------------------
// Entity codec: the value as chunked JSON columns plus a few plain columns for filters.

type Entity = { partitionKey: string; rowKey: string } & Record<string, unknown>;

function toEntity<T>(schema: z.ZodType<T>, partitionKey: string, rowKey: string, value: T, plain: Record<string, string> = {}): Entity {
  const parsed = schema.parse(value);
  const entity: Entity = { partitionKey, rowKey, ...plain, ...toJsonColumns(JSON.stringify(parsed)) };
  assertEntityFits(entity, `${partitionKey}/${rowKey}`);
  return entity;
}

function fromEntity<T>(schema: z.ZodType<T>, entity: Record<string, unknown>): T {
  const where = `${String(entity.partitionKey)}/${String(entity.rowKey)}`;
  const parsed = schema.safeParse(JSON.parse(fromJsonColumns(entity, where)));
  if (!parsed.success) throw new Error(`${where}: stored row does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

const timerEntity = (pk: string, rk: string, v: TimerValue): Entity => toEntity(TimerValue, pk, rk, v, { claimedUntil: v.claimedUntil });

// ---------------------------------------------------------------------------

export interface EscalationStoreOptions {
  /** Number of shard partitions (1–100, default 4). Fixed for the life of a table. */
  shards?: number;
}

export interface DueTimers {
  timers: TimerRow[];
  /** Entities the range reads returned (the sweep's read cost). */
  read: number;
}

export class ConcurrencyError extends Error {
  override readonly name = "ConcurrencyError";
}

export class EscalationStore {
  readonly shards: number;

  constructor(
    readonly client: TableClient,
    options: EscalationStoreOptions = {},
  ) {
    this.shards = options.shards ?? 4;
    if (!Number.isInteger(this.shards) || this.shards < 1 || this.shards > 100) throw new RangeError("shards must be an integer 1–100");
  }

  static fromConnectionString(connectionString: string, tableName = "escalations", options: EscalationStoreOptions = {}): EscalationStore {
    return new EscalationStore(tableClient(connectionString, tableName), options);
  }

  shardOf(key: string): string {
    return `s${String(fnv1a(key) % this.shards).padStart(2, "0")}`;
  }

  private async ready(): Promise<void> {
    await ensureTableOnce(this.client);
  }

  // ---- clocks ----

  async getClock(requestId: string, track: Track): Promise<{ state: ClockState; etag: string } | undefined> {
    await this.ready();
    try {
      const e = await this.client.getEntity<Record<string, unknown>>(this.shardOf(requestId), clockRowKey(requestId, track));
      return { state: fromEntity(ClockState, e), etag: e.etag };
    } catch (err) {
      if (isEntityNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Stores a new clock with its timers and digest memberships, in one transaction. Idempotent: if the
   * request already has a clock on that track, that one is returned and nothing changes.
   */
  async open(state: ClockState, now: Date): Promise<{ state: ClockState; created: boolean }> {
    const parsed = ClockState.parse(state);
    const pk = this.shardOf(parsed.requestId);
    const actions: TransactionAction[] = [["create", toEntity(ClockState, pk, clockRowKey(parsed.requestId, parsed.track), parsed, { kind: "clock", status: parsed.status })]];
    for (const t of timersOf(parsed)) actions.push(["create", this.clockTimerEntity(pk, parsed, t)]);
    for (const key of channelsOf(parsed)) actions.push(["upsert", this.memberEntity(pk, key, parsed), "Replace"]);
    await this.ready();
    try {
      await this.client.submitTransaction(actions);
    } catch (err) {
      if (!isConflict(err)) throw err;
      const existing = await this.getClock(parsed.requestId, parsed.track);
      if (!existing) throw err;
      return { state: existing.state, created: false };
    }
    await this.ensureDigests(channelsOf(parsed), now, parsed.policy);
    return { state: parsed, created: true };
  }

  /**
   * A decision at any level closes the clock (the first decision is final): the clock row is replaced
   * with its etag, its timers and digest memberships deleted, in one transaction; retried on a
   * concurrent change. Returns the closed clock and whether this call closed it.
   */
  async close(requestId: string, track: Track, decision: DecisionInput, now: Date): Promise<{ state: ClockState; closedNow: boolean } | undefined> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.getClock(requestId, track);
      if (!current) return undefined;
      if (current.state.status === "closed") return { state: current.state, closedNow: false };
      const next = decided(current.state, decision, now);
      const pk = this.shardOf(requestId);
      const actions: TransactionAction[] = [
        ["update", toEntity(ClockState, pk, clockRowKey(requestId, track), next, { kind: "clock", status: next.status }), "Replace", { etag: current.etag }],
        ...timersOf(current.state).map((t): TransactionAction => ["delete", { partitionKey: pk, rowKey: timerRowKey(requestId, track, t) }]),
        ...channelsOf(current.state).map((k): TransactionAction => ["delete", { partitionKey: pk, rowKey: memberRowKey(k, requestId, track) }]),
      ];
      try {
        await this.client.submitTransaction(actions);
        return { state: next, closedNow: true };
      } catch (err) {
        if (isPreconditionFailed(err) || isNotFound(err)) continue; // changed under us: read again
        throw err;
      }
    }
    throw new ConcurrencyError(`close(${requestId}, ${track}): the clock kept changing`);
  }

  /**
   * One step of a clock after its post was accepted: replace the clock (etag-checked), delete the
   * timer that fired, create the new timers, mark the effect posted and refresh the digest copies —
   * all or nothing. Throws ConcurrencyError when the clock changed since it was read.
   */
  async commitStep(input: {
    before: ClockState;
    etag: string;
    after: ClockState;
    fired: TimerRow;
    effect: EffectRow;
    posted: Pick<EffectRecord, "activityId" | "conversationId" | "postedAt" | "status">;
  }): Promise<void> {
    const { before, after } = input;
    const pk = this.shardOf(after.requestId);
    const old = new Set(timersOf(before).map((t) => timerRowKey(before.requestId, before.track, t)));
    const fresh = timersOf(after).filter((t) => !old.has(timerRowKey(after.requestId, after.track, t)));
    const stillWanted = new Set(timersOf(after).map((t) => timerRowKey(after.requestId, after.track, t)));
    const actions: TransactionAction[] = [
      ["update", toEntity(ClockState, pk, clockRowKey(after.requestId, after.track), after, { kind: "clock", status: after.status }), "Replace", { etag: input.etag }],
      ["update", toEntity(EffectRecord, pk, input.effect.rowKey, { ...input.effect.value, ...input.posted }, { kind: "effect" }), "Replace", { etag: input.effect.etag }],
    ];
    if (!stillWanted.has(input.fired.rowKey)) actions.push(["delete", { partitionKey: pk, rowKey: input.fired.rowKey }]);
    for (const t of fresh) actions.push(["create", this.clockTimerEntity(pk, after, t)]);
    for (const key of channelsOf(after)) actions.push(["upsert", this.memberEntity(pk, key, after), "Replace"]);
    try {
      await this.client.submitTransaction(actions);
    } catch (err) {
      if (isPreconditionFailed(err) || isNotFound(err) || isConflict(err)) throw new ConcurrencyError(`commitStep(${after.requestId}): changed concurrently`, { cause: err });
      throw err;
    }
  }

  /** Open and closed clocks in a channel's digest (the copies kept with each clock). */
  async clocksInChannel(channelKey: string): Promise<ClockState[]> {
    await this.ready();
    const prefix = ["chan", encodeKey(channelKey), ""].join(SEP);
    const states: ClockState[] = [];
    for (let s = 0; s < this.shards; s++) {
      const pk = `s${String(s).padStart(2, "0")}`;
      const filter = `PartitionKey eq '${pk}' and RowKey ge '${prefix}' and RowKey lt '${prefix.slice(0, -1)}}'`;
      for await (const e of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) states.push(fromEntity(ClockState, e));
    }
    return states;
  }

  // ---- timers ----

  /**
   * The timers due at `now` that nobody holds a live claim on: one range read per shard, at most
   * `limit` rows in all (earliest first within a shard).
   */
  async due(now: Date, limit: number): Promise<DueTimers> {
    await this.ready();
    const upper = `due${SEP}${new Date(now.getTime() + 1).toISOString()}`;
    const nowIso = now.toISOString();
    const timers: TimerRow[] = [];
    let read = 0;
    const perShard = Math.max(1, Math.ceil(limit / this.shards));
    await Promise.all(
      Array.from({ length: this.shards }, async (_, s) => {
        const pk = `s${String(s).padStart(2, "0")}`;
        const filter = `PartitionKey eq '${pk}' and RowKey ge 'due${SEP}' and RowKey lt '${upper}' and claimedUntil lt '${nowIso}'`;
        const pages = this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } }).byPage({ maxPageSize: perShard });
        const first = await pages.next();
        const page = (first.done ? [] : first.value) as TableEntityResult<Record<string, unknown>>[];
        for (const e of page.slice(0, perShard)) {
          read++;
          timers.push({ partitionKey: pk, rowKey: e.rowKey ?? "", etag: e.etag, value: fromEntity(TimerValue, e) });
        }
      }),
    );
    timers.sort((a, b) => Date.parse(a.value.dueAt) - Date.parse(b.value.dueAt) || a.rowKey.localeCompare(b.rowKey));
    return { timers: timers.slice(0, limit), read };
  }

  /** Claims a timer with a lease; null if another sweeper changed (claimed or finished) it first. */
  async claim(timer: TimerRow, instanceId: string, until: Date): Promise<TimerRow | null> {
    const value: TimerValue = { ...timer.value, claimedBy: instanceId, claimedUntil: until.toISOString(), attempts: timer.value.attempts + 1 };
    try {
      const r = await this.client.updateEntity(timerEntity(timer.partitionKey, timer.rowKey, value), "Replace", { etag: timer.etag });
      return { ...timer, etag: r.etag ?? "", value };
    } catch (err) {
      if (isPreconditionFailed(err) || isEntityNotFound(err)) return null;
      throw err;
    }
  }

  /** Gives a claimed timer back, to be retried from `retryAt` (after a failed post). */
  async release(timer: TimerRow, retryAt: Date, error: string | null): Promise<boolean> {
    const value: TimerValue = { ...timer.value, claimedBy: null, claimedUntil: retryAt.toISOString(), lastError: error };
    try {
      await this.client.updateEntity(timerEntity(timer.partitionKey, timer.rowKey, value), "Replace", { etag: timer.etag });
      return true;
    } catch (err) {
      if (isPreconditionFailed(err) || isEntityNotFound(err)) return false;
      throw err;
    }
  }

  /** Deletes a claimed timer that no longer applies (its clock moved on or closed). */
  async dropTimer(timer: TimerRow): Promise<void> {
    try {
      await this.client.deleteEntity(timer.partitionKey, timer.rowKey, { etag: timer.etag });
    } catch (err) {
      if (!isPreconditionFailed(err) && !isEntityNotFound(err)) throw err;
    }
  }

  // ---- effects ----

  /**
   * The effect record of one reminder / escalation / digest: created ("posting", attempt 1) if this
   * is the first attempt, else the existing record with its attempt count raised.
   */
  async beginEffect(pk: string, rowKey: string, init: Omit<EffectRecord, "status" | "attempts" | "postedAt" | "activityId" | "conversationId">): Promise<{ row: EffectRow; first: boolean }> {
    await this.ready();
    const value: EffectRecord = { ...init, status: "posting", attempts: 1, postedAt: null, activityId: null, conversationId: null };
    try {
      const r = await this.client.createEntity(toEntity(EffectRecord, pk, rowKey, value, { kind: "effect" }));
      return { row: { partitionKey: pk, rowKey, etag: r.etag ?? "", value }, first: true };
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
    const e = await this.client.getEntity<Record<string, unknown>>(pk, rowKey);
    const existing = fromEntity(EffectRecord, e);
    if (existing.status !== "posting") return { row: { partitionKey: pk, rowKey, etag: e.etag, value: existing }, first: false };
    const again: EffectRecord = { ...existing, attempts: existing.attempts + 1, by: init.by };
    const r = await this.client.updateEntity(toEntity(EffectRecord, pk, rowKey, again, { kind: "effect" }), "Replace", { etag: e.etag });
    return { row: { partitionKey: pk, rowKey, etag: r.etag ?? "", value: again }, first: false };
  }

  /** Records an accepted post on its own (when the clock changed before the step could commit). */
  async markPosted(effect: EffectRow, posted: Pick<EffectRecord, "activityId" | "conversationId" | "postedAt" | "status">): Promise<void> {
    const value: EffectRecord = { ...effect.value, ...posted };
    try {
      await this.client.updateEntity(toEntity(EffectRecord, effect.partitionKey, effect.rowKey, value, { kind: "effect" }), "Replace", { etag: effect.etag });
    } catch (err) {
      if (!isPreconditionFailed(err)) throw err;
    }
  }

  /** Every reminder / escalation recorded for a request (for updating its cards after a decision). */
  async effectsOf(requestId: string): Promise<EffectRecord[]> {
    await this.ready();
    const prefix = ["fx", encodeKey(requestId), ""].join(SEP);
    const filter = `PartitionKey eq '${this.shardOf(requestId)}' and RowKey ge '${prefix}' and RowKey lt '${prefix.slice(0, -1)}}'`;
    const out: EffectRecord[] = [];
    for await (const e of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(fromEntity(EffectRecord, e));
    return out;
  }

  // ---- digests ----

  /** Makes sure each channel has its next daily digest scheduled (idempotent). */
  async ensureDigests(channelKeys: readonly string[], now: Date, policy?: EscalationPolicy): Promise<void> {
    const at = nextDigestAt(now, policy).toISOString();
    for (const channelKey of new Set(channelKeys)) {
      const value: TimerValue = { kind: "digest", channelKey, dueAt: at, since: now.toISOString(), claimedBy: null, claimedUntil: UNCLAIMED, attempts: 0, lastError: null };
      try {
        await this.client.createEntity(timerEntity(this.shardOf(channelKey), digestTimerRowKey(channelKey, at), value));
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
  }

  /** After a digest: mark its effect, delete its timer and schedule the next one, in one transaction. */
  async commitDigest(input: { fired: TimerRow; effect: EffectRow; posted: Pick<EffectRecord, "activityId" | "conversationId" | "postedAt" | "status">; nextAt: Date; since: Date }): Promise<void> {
    const { fired } = input;
    if (fired.value.kind !== "digest") throw new TypeError("commitDigest: not a digest timer");
    const channelKey = fired.value.channelKey;
    const nextKey = digestTimerRowKey(channelKey, input.nextAt.toISOString());
    const next: TimerValue = { kind: "digest", channelKey, dueAt: input.nextAt.toISOString(), since: input.since.toISOString(), claimedBy: null, claimedUntil: UNCLAIMED, attempts: 0, lastError: null };
    const actions: TransactionAction[] = [
      ["update", toEntity(EffectRecord, fired.partitionKey, input.effect.rowKey, { ...input.effect.value, ...input.posted }, { kind: "effect" }), "Replace", { etag: input.effect.etag }],
      ["delete", { partitionKey: fired.partitionKey, rowKey: fired.rowKey }],
    ];
    if (nextKey !== fired.rowKey) actions.push(["upsert", timerEntity(fired.partitionKey, nextKey, next), "Replace"]);
    try {
      await this.client.submitTransaction(actions);
    } catch (err) {
      if (isPreconditionFailed(err) || isNotFound(err)) throw new ConcurrencyError(`commitDigest(${channelKey}): changed concurrently`, { cause: err });
      throw err;
    }
  }

  // ---- bulk seeding (benchmarks and tests) ----

  /**
   * Writes many new clocks fast: grouped by shard, 100 operations per transaction. Each clock's rows
   * are kept in one transaction. No digest scheduling; `digestRows: false` also leaves out the
   * digest copies (the benchmark's background load: rows a sweep never reads).
   */
  async seed(states: readonly ClockState[], options: { digestRows?: boolean } = {}): Promise<void> {
    await this.ready();
    const byShard = new Map<string, TransactionAction[][]>();
    for (const s of states) {
      const pk = this.shardOf(s.requestId);
      const rows: TransactionAction[] = [["create", toEntity(ClockState, pk, clockRowKey(s.requestId, s.track), s, { kind: "clock", status: s.status })]];
      for (const t of timersOf(s)) rows.push(["create", this.clockTimerEntity(pk, s, t)]);
      if (options.digestRows !== false) for (const key of channelsOf(s)) rows.push(["upsert", this.memberEntity(pk, key, s), "Replace"]);
      const groups = byShard.get(pk) ?? [];
      const last = groups[groups.length - 1];
      if (last && last.length + rows.length <= 100) last.push(...rows);
      else groups.push(rows);
      byShard.set(pk, groups);
    }
    const batches = [...byShard.values()].flat();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          await this.client.submitTransaction(batch);
        }
      }),
    );
  }

  private clockTimerEntity(pk: string, state: ClockState, t: TimerSpec): Entity {
    const value: TimerValue = { kind: t.kind, requestId: state.requestId, track: state.track, level: t.level, dueAt: t.dueAt, claimedBy: null, claimedUntil: UNCLAIMED, attempts: 0, lastError: null };
    return timerEntity(pk, timerRowKey(state.requestId, state.track, t), value);
  }

  private memberEntity(pk: string, channelKey: string, state: ClockState): Entity {
    return toEntity(ClockState, pk, memberRowKey(channelKey, state.requestId, state.track), state, { kind: "member" });
  }
}
