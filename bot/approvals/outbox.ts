/**
 * The outbox: at most one proactive post per idempotency key, across retries, duplicate turns,
 * restarts and several bot instances.
 *
 * Before posting, a sender claims the key's row (create, or take over a stale claim by etag); only
 * the claimant posts; the result (conversation and activity ids) is then recorded as "done", and
 * anyone asking again gets that result instead of posting again. A claim whose sender failed for
 * certain (an error from Teams) is released so that a later attempt can post; a claim whose sender
 * died mid-post is taken over after `leaseMs` (the only window in which a post could repeat: Teams
 * accepted it but the process died before recording it).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../log";
import { RowExistsError, StaleEtagError } from "../storage/repository";
import type { ApprovalStore, OutboxRow } from "./store";

export type PostResult = { conversationId: string; activityId: string };

export type OnceResult = { status: "done"; result: PostResult; fresh: boolean } | { status: "busy" };

export class Outbox {
  constructor(
    private readonly store: ApprovalStore,
    private readonly now: () => Date,
    private readonly log: Logger,
    private readonly leaseMs = 120_000,
  ) {}

  async done(key: string): Promise<PostResult | undefined> {
    const row = await this.store.outbox.get(key, "o");
    return row?.value.state === "done" && row.value.result ? row.value.result : undefined;
  }

  /** Runs `post` unless the key was already posted (or is being posted right now by someone else). */
  async once(key: string, post: () => Promise<PostResult>): Promise<OnceResult> {
    const repo = this.store.outbox;
    for (let round = 0; round < 10; round++) {
      const row = await repo.get(key, "o");
      if (row?.value.state === "done" && row.value.result) return { status: "done", result: row.value.result, fresh: false };
      const now = this.now();
      if (row && now.getTime() - Date.parse(row.value.claimedAt) < this.leaseMs) return { status: "busy" };
      const claim: OutboxRow = { key, state: "claimed", owner: randomUUID(), claimedAt: now.toISOString(), attempts: (row?.value.attempts ?? 0) + 1, result: null };
      let etag: string;
      try {
        etag = row ? await repo.replace(key, "o", claim, row.etag) : await repo.create(key, "o", claim);
      } catch (err) {
        if (err instanceof RowExistsError || err instanceof StaleEtagError) continue; // someone else claimed it: look again
        throw err;
      }
      if (row) this.log.warn("outbox: took over a stale claim", { key, attempts: claim.attempts });
      let result: PostResult;
      try {
        result = await post();
      } catch (err) {
        // Teams said no (or we gave up retrying): nothing was posted, so let a later attempt try.
        await repo.delete(key, "o", etag).catch(() => undefined);
        throw err;
      }
      try {
        await repo.replace(key, "o", { ...claim, state: "done", result }, etag);
      } catch (err) {
        if (!(err instanceof StaleEtagError)) throw err;
        // Our lease ran out and someone took over: they may post too. Record ours anyway.
        this.log.error("outbox: claim lost while posting; the post may repeat", { key });
        await repo.upsert(key, "o", { ...claim, state: "done", result });
      }
      return { status: "done", result, fresh: true };
    }
    throw new Error(`outbox: too much contention on ${key}`);
  }
}
