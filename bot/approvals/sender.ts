/**
 * Proactive sending to Teams, robustly. Every call goes through the Bot Connector with a stored
 * conversation reference (a channel, a thread, a personal chat) and one retry policy, owned here:
 *
 *   - 429: wait for `Retry-After` (seconds or an HTTP date; bounded), else back off;
 *   - 412, 500, 502, 503, 504 (and other 5xx but 501/505), and connection failures: exponential
 *     backoff with jitter, bounded in attempts and delay;
 *   - 403 (e.g. BotNotInConversationRoster, blocked) and 404 (ConversationNotFound): never retried —
 *     `UnreachableError`, so the caller marks the channel unreachable and tells an administrator;
 *   - anything else: not retried.
 *
 * The Bot Framework SDK's connector client has its own hidden retry policy (3 retries, 1 s base) that
 * would multiply with this one and hide 429s from it; it is removed from each client this module uses
 * so that the policy above is the only one (see `withoutSdkRetry`).
 *
 * Idempotency (never posting twice when a retry follows a slow answer) is the outbox's job
 * (outbox.ts); this module only retries answers that mean "not done" (429, 5xx, refused connection).
 */
import type { Activity, CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from "botbuilder";
import type { ConnectorClient } from "botframework-connector";
import type { Logger } from "../log";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff delay; doubles each attempt. */
  baseDelayMs: number;
  /** No backoff delay is longer than this. */
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** Teams answered 403 or 404: the bot cannot post there (removed, blocked, channel deleted). */
export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly what: string,
  ) {
    super(`${what}: Teams answered ${status}${code ? ` (${code})` : ""}`);
  }
}

/** Gave up: retries exhausted, or an answer that is not worth retrying. */
export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  constructor(
    readonly what: string,
    readonly status: number | undefined,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`${what}: failed after ${attempts} attempt${attempts === 1 ? "" : "s"}${status ? ` (last answer ${status})` : ""}`, options);
  }
}

interface HttpishError {
  statusCode?: number;
  code?: string;
  details?: { error?: { code?: string } };
  response?: { headers?: { get?(name: string): string | undefined | null } };
}

const SYSTEM_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ESOCKETTIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "UND_ERR_SOCKET"]);

export type Verdict = { kind: "retry"; afterMs?: number } | { kind: "unreachable"; status: number; code: string | undefined } | { kind: "fatal"; status: number | undefined };

/** What to do about a failed connector call. */
export function classify(err: unknown, policy: RetryPolicy, now: () => number = Date.now): Verdict {
  const e = (err ?? {}) as HttpishError;
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const code = e.details?.error?.code ?? (typeof e.code === "string" ? e.code : undefined);
  if (status === 403 || status === 404) return { kind: "unreachable", status, code };
  if (status === 429 || status === 503) {
    const after = retryAfterMs(e.response?.headers?.get?.("retry-after") ?? undefined, now);
    return { kind: "retry", ...(after === undefined ? {} : { afterMs: Math.min(after, policy.maxRetryAfterMs) }) };
  }
  if (status === 412 || (status !== undefined && status >= 500 && status !== 501 && status !== 505)) return { kind: "retry" };
  if (status === undefined && typeof e.code === "string" && SYSTEM_ERRORS.has(e.code)) return { kind: "retry" };
  return { kind: "fatal", status };
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined | null, now: () => number = Date.now): number | undefined {
  if (value === undefined || value === null || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value.trim()) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

/** Exponential backoff with "equal jitter": between half and all of base·2^(attempt-1), capped. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

export interface SenderDeps {
  adapter: CloudAdapter;
  /** The bot's app id ("" in anonymous local mode). */
  botAppId: string;
  log: Logger;
  policy?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** A conversation Stepwise can send to: a thread, a channel, or a personal chat. */
export interface ConversationTarget {
  serviceUrl: string;
  conversationId: string;
  tenantId?: string | undefined;
  isGroup?: boolean;
}

let warnedNoPipeline = false;

/** Remove the SDK's own retry policy so that ours is the only one (see the module comment). */
function withoutSdkRetry(client: ConnectorClient, log: Logger): ConnectorClient {
  const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(o: { name: string }): unknown } } }).client?.pipeline;
  if (pipeline?.removePolicy) pipeline.removePolicy({ name: "defaultRetryPolicy" });
  else if (!warnedNoPipeline) {
    warnedNoPipeline = true;
    log.warn("connector client has no pipeline to adjust; the SDK's own retries stay on");
  }
  return client;
}

export class Sender {
  readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly deps: SenderDeps) {
    this.policy = { ...DEFAULT_RETRY, ...deps.policy };
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = deps.random ?? Math.random;
  }

  /** Runs `op` under the retry policy; throws UnreachableError or DeliveryError when it gives up. */
  async withRetry<T>(what: string, op: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await op();
      } catch (err) {
        const verdict = classify(err, this.policy);
        const status = (err as HttpishError).statusCode;
        if (verdict.kind === "unreachable") throw new UnreachableError(verdict.status, verdict.code, what);
        if (verdict.kind === "fatal" || attempt >= this.policy.maxAttempts) {
          this.deps.log.error("send failed", { what, status: status ?? null, attempts: attempt, error: (err as Error).name });
          throw new DeliveryError(what, status, attempt, { cause: err });
        }
        const delay = verdict.afterMs ?? backoffMs(attempt, this.policy, this.random);
        this.deps.log.warn("send retry", { what, status: status ?? null, attempt, delayMs: delay });
        await this.sleep(delay);
      }
    }
  }

  /** Run `fn` with a connector client for `serviceUrl` (a proactive turn on `reference`). */
  private async withClient<T>(reference: Partial<ConversationReference>, fn: (client: ConnectorClient) => Promise<T>): Promise<T> {
    // Errors are caught inside the turn and rethrown here: the adapter's onTurnError would
    // otherwise swallow them (and with them the status code the retry policy needs).
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference, async (ctx: TurnContext) => {
      try {
        const client = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as ConnectorClient | undefined;
        if (!client) throw new Error("no connector client in the proactive turn");
        outcome = { ok: true, value: await fn(withoutSdkRetry(client, this.deps.log)) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) throw new Error("proactive turn did not run");
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  private reference(t: ConversationTarget): Partial<ConversationReference> {
    return {
      channelId: "msteams",
      serviceUrl: t.serviceUrl,
      conversation: { id: t.conversationId, isGroup: t.isGroup ?? false, conversationType: t.isGroup ? "channel" : "personal", name: "", ...(t.tenantId ? { tenantId: t.tenantId } : {}) },
    };
  }

  /** A new thread in a channel; returns the thread's conversation id and the root activity's id. */
  async createThread(target: { serviceUrl: string; tenantId?: string | undefined; teamId: string; channelId: string }, activity: Partial<Activity>): Promise<{ conversationId: string; activityId: string }> {
    const params: ConversationParameters = {
      isGroup: true,
      channelData: { channel: { id: target.channelId }, team: { id: target.teamId }, ...(target.tenantId ? { tenant: { id: target.tenantId } } : {}) },
      activity: activity as Activity,
      ...(target.tenantId ? { tenantId: target.tenantId } : {}),
    } as ConversationParameters;
    return this.withRetry("post in channel", () =>
      this.withClient(this.reference({ serviceUrl: target.serviceUrl, conversationId: target.channelId, tenantId: target.tenantId, isGroup: true }), async (client) => {
        const res = await client.conversations.createConversation(params);
        const activityId = res.activityId ?? /;messageid=(\d+)/.exec(res.id ?? "")?.[1];
        if (!res.id || !activityId) throw new Error("createConversation answered without a conversation or activity id");
        return { conversationId: res.id, activityId };
      }),
    );
  }

  /** A personal (1:1) chat with a user; returns its conversation id. */
  async createPersonal(target: { serviceUrl: string; tenantId?: string | undefined; userId: string }): Promise<string> {
    const params = {
      isGroup: false,
      members: [{ id: target.userId }],
      ...(target.tenantId ? { tenantId: target.tenantId, channelData: { tenant: { id: target.tenantId } } } : {}),
    } as unknown as ConversationParameters;
    return this.withRetry("open a personal chat", () =>
      this.withClient(this.reference({ serviceUrl: target.serviceUrl, conversationId: `pending:${target.userId}`, tenantId: target.tenantId }), async (client) => {
        const res = await client.conversations.createConversation(params);
        if (!res.id) throw new Error("createConversation answered without a conversation id");
        return res.id;
      }),
    );
  }

  /** Send to a conversation (a personal chat, or a reply in a thread); returns the activity id. */
  async send(target: ConversationTarget, activity: Partial<Activity>): Promise<string> {
    return this.withRetry("send", () =>
      this.withClient(this.reference(target), async (client) => {
        const res = await client.conversations.sendToConversation(target.conversationId, { ...activity, conversation: { id: target.conversationId } } as Activity);
        return res.id ?? "";
      }),
    );
  }

  /** Replace a posted activity (a card) in place. */
  async update(target: ConversationTarget, activityId: string, activity: Partial<Activity>): Promise<void> {
    await this.withRetry("update card", () =>
      this.withClient(this.reference(target), async (client) => {
        await client.conversations.updateActivity(target.conversationId, activityId, { ...activity, id: activityId, conversation: { id: target.conversationId } } as Activity);
      }),
    );
  }
}
