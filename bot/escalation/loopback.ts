/**
 * A loopback stand-in for the Teams connector, for tests and the sweep benchmark (never used in
 * production): `startLoopbackConnector()` accepts `POST /v3/conversations/{id}/activities` as the Bot
 * Connector does and answers `GET /v3/conversations/{id}/activities?key=…` — the lookup the sweeper
 * uses after an interrupted post (in a real deployment that lookup is Microsoft Graph's channel
 * messages, filtered on the key carried in channelData). `httpPost` / `httpLookup` are the sweeper's
 * `post` and `lookup` against it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EscalationPost, LookupFn, PostFn, PostResult } from "./sweeper";

export interface ReceivedPost {
  conversationId: string;
  activityId: string;
  key: string;
  kind: string;
  requestId: string | null;
  level: number | null;
  redelivery: boolean;
}

export interface LoopbackConnector {
  url: string;
  /** Every accepted post, in order of arrival. */
  received: ReceivedPost[];
  /** Called once a post is recorded and before it is answered (tests kill the bot here). */
  onPost?: (post: ReceivedPost, count: number) => void | Promise<void>;
  /** How many times each key was accepted. */
  counts(): Map<string, number>;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => resolve(body));
    req.on("error", reject);
    req.on("aborted", () => reject(new Error("aborted")));
  });
}

export async function startLoopbackConnector(): Promise<LoopbackConnector> {
  const received: ReceivedPost[] = [];
  const byKey = new Map<string, ReceivedPost>();
  const connector: LoopbackConnector = {
    url: "",
    received,
    counts: () => {
      const m = new Map<string, number>();
      for (const r of received) m.set(r.key, (m.get(r.key) ?? 0) + 1);
      return m;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://loopback");
    const m = /^\/v3\/conversations\/([^/]+)\/activities$/.exec(url.pathname);
    if (!m) return send(res, 404, { error: { code: "NotFound" } });
    const conversationId = decodeURIComponent(m[1]!);
    if (req.method === "GET") {
      const found = byKey.get(url.searchParams.get("key") ?? "");
      return send(res, 200, { activities: found && found.conversationId === conversationId ? [{ id: found.activityId, channelData: { stepwiseKey: found.key } }] : [] });
    }
    if (req.method !== "POST") return send(res, 405, {});
    readBody(req).then(
      async (body) => {
        // Only a complete request counts as accepted (a sender killed mid-body never reaches here).
        const activity = JSON.parse(body) as { channelData?: { stepwiseKey?: string; kind?: string; requestId?: string | null; level?: number | null; redelivery?: boolean } };
        const cd = activity.channelData ?? {};
        const post: ReceivedPost = {
          conversationId,
          activityId: `act-${received.length + 1}`,
          key: cd.stepwiseKey ?? "",
          kind: cd.kind ?? "",
          requestId: cd.requestId ?? null,
          level: cd.level ?? null,
          redelivery: cd.redelivery ?? false,
        };
        received.push(post);
        if (!byKey.has(post.key)) byKey.set(post.key, post);
        await connector.onPost?.(post, received.length);
        send(res, 201, { id: post.activityId });
      },
      () => undefined,
    );
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  connector.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return connector;
}

/** The sweeper's `post`: an activity with the card and the idempotency key in channelData. */
export function httpPost(baseUrl: string, timeoutMs = 10_000): PostFn {
  return async (p: EscalationPost): Promise<PostResult> => {
    const res = await fetch(`${baseUrl}/v3/conversations/${encodeURIComponent(p.channelKey)}/activities`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "message",
        attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: p.card.data }],
        channelData: { stepwiseKey: p.idempotencyKey, kind: p.kind, requestId: p.requestId, level: p.level, redelivery: p.redelivery },
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`connector answered ${res.status}`);
    const body = (await res.json()) as { id?: string };
    return { activityId: body.id ?? null, conversationId: p.channelKey };
  };
}

/** The sweeper's `lookup`: was a post with this key already accepted in its channel? */
export function httpLookup(baseUrl: string, timeoutMs = 10_000): LookupFn {
  return async (p: EscalationPost): Promise<PostResult | null> => {
    const res = await fetch(`${baseUrl}/v3/conversations/${encodeURIComponent(p.channelKey)}/activities?key=${encodeURIComponent(p.idempotencyKey)}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`connector answered ${res.status}`);
    const body = (await res.json()) as { activities: { id: string }[] };
    const first = body.activities[0];
    return first ? { activityId: first.id, conversationId: p.channelKey } : null;
  };
}
