/**
 * A loopback Teams connector for tests: an HTTP server at the activities' `serviceUrl` that
 * implements the Bot Connector calls Stepwise makes, keeps what was posted per conversation (with
 * updates applied in place), and can be told to fail.
 *
 *   POST /v3/conversations                                   create a conversation: a new thread in a
 *                                                            channel (channelData.channel.id) or a 1:1 chat
 *   POST /v3/conversations/{id}/activities                   send to a conversation
 *   POST /v3/conversations/{id}/activities/{replyToId}       reply
 *   PUT  /v3/conversations/{id}/activities/{activityId}      update in place
 *   GET  /v3/conversations/{id}/pagedmembers                 members, in pages (teams and chats)
 *   GET  /v3/conversations/{id}/members[/{userId}]           members, or one member
 *   GET  /_internal/v1/config                                the Agents Playground's team and users
 *                                                            (when `playgroundConfig` is set)
 *
 *   const c = await LoopbackConnector.start();
 *   c.members.set("19:team@thread.tacv2", [{ id: "29:a", name: "Alex", aadObjectId: "…" }]);
 *   c.fail({ op: "create", status: 429, headers: { "Retry-After": "0" }, times: 2 });
 *   … c.posts("19:channel@thread.tacv2") → the threads created in that channel, as they look now
 *   await c.stop();
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ConnectorOp = "create" | "send" | "reply" | "update" | "members" | "member";

export interface ConnectorCall {
  op: ConnectorOp | "unknown";
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  body?: unknown;
  /** The status the connector answered with. */
  status: number;
  at: number;
}

export interface Member {
  id: string;
  name: string;
  aadObjectId?: string;
  userPrincipalName?: string;
  email?: string;
}

/** An activity as the connector holds it: the latest version, with its history of versions. */
export interface Held {
  conversationId: string;
  activityId: string;
  activity: Record<string, unknown>;
  versions: Record<string, unknown>[];
  /** For threads created in a channel. */
  channelId?: string;
  /** For 1:1 conversations created by the bot. */
  memberIds?: string[];
}

export interface Fault {
  op: ConnectorOp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching calls fail (default 1). */
  times?: number;
  /** Only calls about this conversation (the channel id for "create" in a channel). */
  conversationId?: string;
  /** Delay the answer (for "slow response" tests). */
  delayMs?: number;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  // Two statements: restify patches http.ServerResponse, and its writeHead does not return `this`.
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
};

export class LoopbackConnector {
  readonly calls: ConnectorCall[] = [];
  /** Errors in the connector itself (a test bug, not a Teams answer). */
  readonly errors: unknown[] = [];
  /** Members by conversation or team id. */
  readonly members = new Map<string, Member[]>();
  /** Set to play the Agents Playground's `GET /_internal/v1/config` too. */
  playgroundConfig: unknown;
  /** Every activity posted, by `${conversationId}|${activityId}`. */
  readonly held = new Map<string, Held>();
  private readonly faults: (Fault & { left: number })[] = [];
  private server: Server | undefined;
  private seq = 1_700_000_000_000;
  url = "";

  static async start(): Promise<LoopbackConnector> {
    const c = new LoopbackConnector();
    c.server = createServer((req, res) =>
      void c.handle(req, res).catch((err: unknown) => {
        c.errors.push(err);
        if (!res.headersSent) json(res, 500, { error: { code: "TestConnectorError", message: String(err) } });
        else res.end();
      }),
    );
    await new Promise<void>((resolve) => c.server?.listen(0, "127.0.0.1", resolve));
    c.url = `http://127.0.0.1:${(c.server.address() as AddressInfo).port}/`;
    return c;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Make the next matching calls fail with `status` (after `delayMs`). */
  fail(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Threads created in a channel, oldest first, as they look now. */
  posts(channelId?: string): Held[] {
    return [...this.held.values()].filter((h) => h.channelId !== undefined && (channelId === undefined || h.channelId === channelId));
  }

  /** Activities sent to a conversation (not thread roots), oldest first. */
  sentTo(conversationId: string): Held[] {
    return [...this.held.values()].filter((h) => h.conversationId === conversationId && h.channelId === undefined);
  }

  /** Everything the bot sent in 1:1 chats it created or was given, for one user. */
  personalTo(userId: string): Held[] {
    const convs = new Set([...this.held.values()].filter((h) => h.memberIds?.includes(userId)).map((h) => h.conversationId));
    return [...this.held.values()].filter((h) => convs.has(h.conversationId));
  }

  /** Every request body the bot sent, as text (to scan for what must never be posted). */
  allPayloads(): string[] {
    return this.calls.filter((c) => c.body !== undefined).map((c) => JSON.stringify(c.body));
  }

  count(op: ConnectorOp, ok = true): number {
    return this.calls.filter((c) => c.op === op && (!ok || (c.status >= 200 && c.status < 300))).length;
  }

  private nextId(): string {
    return String(++this.seq);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const url = new URL(req.url ?? "/", "http://x");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? "GET";
    let op: ConnectorCall["op"] = "unknown";
    let conversationId: string | undefined;
    let activityId: string | undefined;
    if (parts[0] === "v3" && parts[1] === "conversations") {
      conversationId = parts[2];
      activityId = parts[4];
      if (parts.length === 2 && method === "POST") op = "create";
      else if (parts[3] === "activities" && method === "POST") op = activityId ? "reply" : "send";
      else if (parts[3] === "activities" && method === "PUT") op = "update";
      else if (parts[3] === "pagedmembers" && method === "GET") op = "members";
      else if (parts[3] === "members" && method === "GET") op = parts[4] ? "member" : "members";
    }
    if (method === "GET" && url.pathname === "/_internal/v1/config" && this.playgroundConfig !== undefined) {
      // What the Agents Playground answers here (its team, channels and users), for demo tests.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(this.playgroundConfig));
      return;
    }
    if (op === "create") conversationId = (body as { channelData?: { channel?: { id?: string } } })?.channelData?.channel?.id;
    const call: ConnectorCall = { op, method, path: url.pathname, ...(conversationId ? { conversationId } : {}), ...(activityId ? { activityId } : {}), ...(body !== undefined ? { body } : {}), status: 0, at: Date.now() };
    this.calls.push(call);

    const fault = this.faults.find((f) => f.left > 0 && f.op === op && (f.conversationId === undefined || f.conversationId === conversationId));
    if (fault) {
      fault.left--;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      call.status = fault.status;
      return json(res, fault.status, fault.body ?? { error: { code: fault.status === 429 ? "Throttled" : fault.status === 403 ? "BotNotInConversationRoster" : fault.status === 404 ? "ConversationNotFound" : "ServiceError", message: `injected ${fault.status}` } }, fault.headers);
    }

    const answer = (status: number, payload: unknown) => {
      call.status = status;
      json(res, status, payload);
    };
    const activity = (body ?? {}) as Record<string, unknown>;
    switch (op) {
      case "create": {
        const params = activity as { channelData?: { channel?: { id?: string } }; members?: { id: string }[]; activity?: Record<string, unknown> };
        const channelId = params.channelData?.channel?.id;
        if (channelId) {
          if (!params.activity) return answer(400, { error: { code: "BadArgument", message: "a channel thread needs an activity" } });
          const id = this.nextId();
          const conv = `${channelId};messageid=${id}`;
          this.hold({ conversationId: conv, activityId: id, activity: { ...params.activity, id }, channelId });
          return answer(201, { id: conv, activityId: id });
        }
        const memberIds = (params.members ?? []).map((m) => m.id);
        if (memberIds.length !== 1) return answer(400, { error: { code: "BadArgument", message: "expected one member for a 1:1 chat" } });
        const conv = `a:personal-${memberIds[0]}`;
        if (params.activity) {
          const id = this.nextId();
          this.hold({ conversationId: conv, activityId: id, activity: { ...params.activity, id }, memberIds });
          return answer(201, { id: conv, activityId: id });
        }
        this.personalMembers.set(conv, memberIds);
        return answer(201, { id: conv });
      }
      case "send":
      case "reply": {
        const id = this.nextId();
        const members = this.personalMembers.get(conversationId ?? "");
        this.hold({ conversationId: conversationId ?? "", activityId: id, activity: { ...activity, id }, ...(members ? { memberIds: members } : {}) });
        return answer(200, { id });
      }
      case "update": {
        const key = `${conversationId}|${activityId}`;
        // Teams addresses a thread root either by the thread's id or by the channel id.
        const held = this.held.get(key) ?? [...this.held.values()].find((h) => h.activityId === activityId && (h.channelId === conversationId || h.conversationId.startsWith(`${conversationId};`)));
        if (!held) return answer(404, { error: { code: "ActivityNotFound", message: "no such activity" } });
        held.activity = { ...activity, id: held.activityId };
        held.versions.push(held.activity);
        return answer(200, { id: held.activityId });
      }
      case "members": {
        const all = this.members.get(conversationId ?? "") ?? this.members.get((conversationId ?? "").split(";")[0] ?? "");
        if (!all) return answer(404, { error: { code: "ConversationNotFound", message: "no members known" } });
        if (parts[3] === "members") return answer(200, all);
        const size = Number(url.searchParams.get("pageSize") ?? "100") || 100;
        const start = Number(url.searchParams.get("continuationToken") ?? "0") || 0;
        const page = all.slice(start, start + size);
        return answer(200, { members: page, ...(start + size < all.length ? { continuationToken: String(start + size) } : {}) });
      }
      case "member": {
        const m = (this.members.get(conversationId ?? "") ?? []).find((x) => x.id === parts[4]);
        return m ? answer(200, m) : answer(404, { error: { code: "MemberNotFound", message: "no such member" } });
      }
      default:
        return answer(404, { error: { code: "NotImplemented", message: `${method} ${url.pathname}` } });
    }
  }

  private readonly personalMembers = new Map<string, string[]>();

  private hold(h: Omit<Held, "versions">): void {
    const held: Held = { ...h, versions: [h.activity] };
    this.held.set(`${h.conversationId}|${h.activityId}`, held);
  }
}

/** A unique-ish Teams-looking id for tests. */
export function teamsId(prefix: "19" | "29" = "29"): string {
  return prefix === "19" ? `19:${randomUUID().replace(/-/g, "")}@thread.tacv2` : `29:${randomUUID()}`;
}
