/**
 * Drives the bot through its real HTTP endpoint with Teams-shaped activities. Azurite runs
 * in-process for state; a loopback HTTP server plays the Teams connector (the activities'
 * `serviceUrl`) and records every reply the bot sends.
 *
 *   const h = await BotHarness.start({ packs });
 *   const chat = h.personal("user-1");
 *   const { replies } = await chat.say("where should this case go?");
 *   await h.restart();  // a new server over the same Azurite
 *   await h.stop();
 */
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Storage } from "botbuilder";
import type { Server } from "restify";
import type { PolicyPack } from "../../domain/pack";
import type { Config } from "../../bot/config";
import { createLogger, type Logger } from "../../bot/log";
import { createServer, STATE_TABLE, type ServerDeps } from "../../bot/server";
import { startAzurite, type RunningAzurite } from "../../bot/storage/azurite";
import { tableClient } from "../../bot/storage/tables";
import { TableStorage } from "../../bot/storage/tableStorage";
import { cardProblems } from "./cards";

export const BOT_ID = "28:stepwise-bot";
export const BOT_NAME = "Stepwise";

export interface Sent {
  /** The connector path the reply was posted to. */
  path: string;
  activity: Record<string, unknown> & { type: string; text?: string; attachments?: { contentType: string; content: Record<string, unknown> }[] };
}

export interface Exchange {
  status: number;
  body: unknown;
  replies: Sent["activity"][];
}

/** The connector: answers like Teams and records what the bot sent. */
class FakeConnector {
  readonly sent: Sent[] = [];
  private server: HttpServer | undefined;
  url = "";

  async start(): Promise<void> {
    this.server = createHttpServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  private async handle(req: IncomingMessage, res: import("node:http").ServerResponse): Promise<void> {
    let body = "";
    for await (const chunk of req) body += chunk;
    if (req.method === "POST" && /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(req.url ?? "")) {
      this.sent.push({ path: req.url ?? "", activity: JSON.parse(body) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `reply-${randomUUID()}` }));
      return;
    }
    res.writeHead(404);
    res.end();
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

export interface HarnessOptions extends Omit<ServerDeps, "storage" | "log"> {
  packs?: Readonly<Record<string, PolicyPack>>;
  council?: string;
  /** Wrap the bot's TableStorage (e.g. to slow it down and provoke ETag conflicts). */
  wrapStorage?: (storage: Storage) => Storage;
}

export class BotHarness {
  readonly logLines: string[] = [];
  private server: Server | undefined;
  private url = "";

  private constructor(
    readonly azurite: RunningAzurite,
    readonly connector: FakeConnector,
    private readonly options: HarnessOptions,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<BotHarness> {
    const azurite = await startAzurite({ port: 0 });
    const connector = new FakeConnector();
    await connector.start();
    const h = new BotHarness(azurite, connector, options);
    await h.listen();
    return h;
  }

  get config(): Config {
    return { storageConnectionString: this.azurite.connectionString, port: 0, playground: false, logLevel: "debug", ...(this.options.council ? { council: this.options.council } : {}) };
  }

  get log(): Logger {
    return createLogger("debug", (line) => this.logLines.push(line));
  }

  private async listen(): Promise<void> {
    const { council: _council, wrapStorage, ...deps } = this.options;
    const storage = new TableStorage(tableClient(this.azurite.connectionString, STATE_TABLE));
    this.server = createServer(this.config, { ...deps, storage: wrapStorage ? wrapStorage(storage) : storage, log: this.log });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Close the bot's server and start a new one over the same Azurite (a restart). */
  async restart(): Promise<void> {
    await this.closeServer();
    await this.listen();
  }

  private async closeServer(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    (s.server as unknown as HttpServer).closeAllConnections();
    await closed;
  }

  async stop(): Promise<void> {
    await this.closeServer();
    await this.connector.stop();
    await this.azurite.stop();
  }

  get endpoint(): string {
    return this.url;
  }

  /** POST an activity to /api/messages; returns the HTTP answer and the replies it caused. */
  async post(activity: Record<string, unknown>): Promise<Exchange> {
    const before = this.connector.sent.length;
    const res = await fetch(`${this.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, replies: this.connector.sent.slice(before).map((s) => s.activity) };
  }

  async health(): Promise<number> {
    return (await fetch(`${this.url}/health`)).status;
  }

  /** Everything stored in the bot's state table, as text (to look for what must not be there). */
  async storedText(): Promise<string> {
    const client = tableClient(this.azurite.connectionString, STATE_TABLE);
    const rows: unknown[] = [];
    for await (const e of client.listEntities()) rows.push(e);
    return JSON.stringify(rows);
  }

  /** The stored triage state of one user in one conversation (PrivateConversationState). */
  async storedTriage(conversationId: string, userId: string): Promise<unknown> {
    const storage = new TableStorage(tableClient(this.azurite.connectionString, STATE_TABLE));
    const key = `msteams/conversations/${conversationId}/users/${userId}/`; // PrivateConversationState, default namespace
    const item = (await storage.read([key]))[key] as { triage?: unknown } | undefined;
    return item?.triage;
  }

  personal(userId = `29:user-${randomUUID()}`, name = "Practitioner"): Chat {
    return new Chat(this, { id: `a:personal-${randomUUID()}`, conversationType: "personal" }, { id: userId, name, aadObjectId: randomUUID() });
  }

  channel(teamId: string, channelId: string, userId: string, name = "Practitioner"): Chat {
    return new Chat(this, { id: `${channelId};messageid=${Date.now()}${Math.floor(Math.random() * 1000)}`, conversationType: "channel", isGroup: true }, { id: userId, name, aadObjectId: randomUUID() }, { team: { id: teamId }, channel: { id: channelId } });
  }

  groupChat(userId: string): Chat {
    return new Chat(this, { id: `19:group-${randomUUID()}@thread.v2`, conversationType: "groupChat", isGroup: true }, { id: userId, name: "Practitioner", aadObjectId: randomUUID() });
  }
}

export type Card = Record<string, unknown> & { body?: unknown[]; actions?: unknown[] };

/** One user in one conversation. */
export class Chat {
  constructor(
    readonly h: BotHarness,
    readonly conversation: { id: string; conversationType: string; isGroup?: boolean },
    readonly user: { id: string; name: string; aadObjectId: string },
    readonly channelData: Record<string, unknown> = {},
  ) {}

  private base(type: string): Record<string, unknown> {
    return {
      type,
      id: `act-${randomUUID()}`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.h.connector.url,
      channelId: "msteams",
      from: this.user,
      recipient: { id: BOT_ID, name: BOT_NAME },
      conversation: { ...this.conversation, tenantId: "tenant-1" },
      channelData: { tenant: { id: "tenant-1" }, ...this.channelData },
      locale: "en-GB",
    };
  }

  /** A message; in channels and group chats it @mentions the bot unless `mention: false`. */
  async say(text: string, opts: { mention?: boolean } = {}): Promise<Exchange> {
    const mention = opts.mention ?? this.conversation.conversationType !== "personal";
    const activity = this.base("message");
    activity.text = mention ? `<at>${BOT_NAME}</at> ${text}` : text;
    activity.textFormat = "plain";
    if (mention) activity.entities = [{ type: "mention", text: `<at>${BOT_NAME}</at>`, mentioned: { id: BOT_ID, name: BOT_NAME } }];
    return this.checked(await this.h.post(activity));
  }

  /** An Action.Execute from a card: the `adaptiveCard/action` invoke. */
  async execute(verb: string, data?: Record<string, unknown>): Promise<Exchange> {
    return this.invokeRaw({ action: { type: "Action.Execute", verb, ...(data ? { data } : {}) }, trigger: "manual" });
  }

  async invokeRaw(value: unknown): Promise<Exchange> {
    const activity = this.base("invoke");
    activity.name = "adaptiveCard/action";
    activity.value = value;
    return this.checked(await this.h.post(activity));
  }

  async installed(): Promise<Exchange> {
    const activity = this.base("conversationUpdate");
    activity.membersAdded = [{ id: BOT_ID, name: BOT_NAME }];
    return this.checked(await this.h.post(activity));
  }

  /** Every card the bot sends, or answers an invoke with, must parse and validate. */
  private checked(x: Exchange): Exchange {
    const cards = [...x.replies.flatMap((r) => (r.attachments ?? []).map((a) => a.content)), ...(invokeCard(x) ? [invokeCard(x)] : [])];
    for (const card of cards) {
      const problems = cardProblems(card);
      if (problems.length) throw new Error(`invalid card from the bot: ${problems.join("; ")}\n${JSON.stringify(card)}`);
    }
    return x;
  }

  async stored(): Promise<unknown> {
    return this.h.storedTriage(this.conversation.id, this.user.id);
  }
}

// ---------------------------------------------------------------------------
// Reading replies

/** The card an invoke answered with (it replaces the clicked card), if any. */
export function invokeCard(x: Exchange): Card | undefined {
  const body = x.body as { type?: string; value?: Card } | null;
  return body?.type === "application/vnd.microsoft.card.adaptive" ? body.value : undefined;
}

export function cardsIn(x: Exchange): Card[] {
  return x.replies.flatMap((r) => (r.attachments ?? []).filter((a) => a.contentType === "application/vnd.microsoft.card.adaptive").map((a) => a.content as Card));
}

export function textsIn(x: Exchange): string[] {
  return x.replies.filter((r) => typeof r.text === "string" && r.text.length > 0).map((r) => r.text as string);
}

/** All the words on a card, in order. */
export function cardText(card: Card): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (typeof o.text === "string") out.push(o.text);
      if (typeof o.title === "string") out.push(o.title);
      if (typeof o.value === "string" && o.type === undefined) out.push(o.value);
      for (const [k, v] of Object.entries(o)) if (k !== "data" && typeof v === "object") walk(v);
    }
  };
  walk(card);
  return out.join("\n");
}

export interface Button {
  title: string;
  verb: string;
  data: Record<string, unknown>;
}

/** Every Action.Execute on a card, wherever it sits. */
export function buttons(card: Card): Button[] {
  const out: Button[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.type === "Action.Execute") out.push({ title: String(o.title), verb: String(o.verb), data: (o.data as Record<string, unknown>) ?? {} });
      for (const [k, v] of Object.entries(o)) if (k !== "data" && typeof v === "object") walk(v);
    }
  };
  walk(card);
  return out;
}

/** The question card among the replies, with its id, text and answer buttons. */
export function questionIn(x: Exchange): { card: Card; id: string; text: string; answers: Button[]; input?: string } | undefined {
  for (const card of cardsIn(x)) {
    const answers = buttons(card).filter((b) => b.verb === "answer");
    if (!answers.length) continue;
    const id = String(answers[0]?.data.questionId);
    const input = (card.body ?? []).map((e) => (e as { type?: string }).type).find((t) => t?.startsWith("Input."));
    const text = String(((card.body ?? [])[1] as { text?: string })?.text ?? "");
    return { card, id, text, answers: answers.filter((b) => "value" in b.data), ...(input ? { input } : {}) };
  }
  return undefined;
}

export function recommendationIn(x: Exchange): Card | undefined {
  return cardsIn(x).find((c) => buttons(c).some((b) => b.verb === "requestTransfer"));
}
