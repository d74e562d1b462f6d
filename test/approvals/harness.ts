/**
 * End-to-end harness for approvals: the bot's real HTTP endpoint (bot/server.ts's createServer, with
 * the approvals plugged in), real Teams-shaped activities, an in-process Azurite, and the loopback
 * connector (test/helpers/connector.ts) playing Teams for everything the bot sends.
 *
 *   const h = await ApprovalsHarness.start({ packs });
 *   const team = h.team("Enfield managers");
 *   const mash = team.channel("MASH managers");
 *   await mash.as(alex).say("register this channel as enfield mash team manager");
 *   const pat = h.personal(patUser);   // a practitioner's personal chat
 *   …
 *   await h.restart();                  // a new server (and approvals) over the same Azurite
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "restify";
import { createApprovals, type Approvals, type ApprovalsDeps } from "../../bot/approvals";
import type { Config } from "../../bot/config";
import { createLogger } from "../../bot/log";
import { createServer, type ServerDeps } from "../../bot/server";
import { startAzurite, type RunningAzurite } from "../../bot/storage/azurite";
import type { PolicyPack } from "../../domain/pack";
import { cardProblems } from "../helpers/cards";
import { LoopbackConnector, type Member } from "../helpers/connector";

export const BOT_ID = "28:stepwise-bot";
export const BOT_NAME = "Stepwise";
export const TENANT = "tenant-1";

export interface User {
  id: string;
  name: string;
  aadObjectId: string;
}

export function user(name: string): User {
  return { id: `29:${name.toLowerCase().replace(/\W+/g, "-")}-${randomUUID().slice(0, 8)}`, name, aadObjectId: randomUUID() };
}

export interface Exchange {
  status: number;
  body: unknown;
}

export type Card = Record<string, unknown>;

export interface HarnessOptions {
  packs: Readonly<Record<string, PolicyPack>>;
  council?: string;
  /** Passed to createApprovals (retry policy, budget, demo…). */
  approvals?: Partial<Omit<ApprovalsDeps, "adapter" | "storageConnectionString" | "packs">>;
  /** The injected clock of the bot, the approvals and the escalation sweeper (default: the system clock). */
  now?: () => Date;
  /** The escalation sweeper of the server (issue 5); default off, so that nothing falls due behind a test's back. */
  sweeper?: ServerDeps["sweeper"];
}

/** Every delay the sender asked for (tests do not wait for them). */
export const sleeps: number[] = [];

export class ApprovalsHarness {
  readonly logLines: string[] = [];
  approvals!: Approvals;
  private server: Server | undefined;
  private url = "";
  /** Every card the bot answered an invoke with, for validation. */
  readonly invokeCards: Card[] = [];

  private constructor(
    readonly azurite: RunningAzurite,
    readonly connector: LoopbackConnector,
    readonly options: HarnessOptions,
  ) {}

  static async start(options: HarnessOptions): Promise<ApprovalsHarness> {
    const [azurite, connector] = await Promise.all([startAzurite({ port: 0 }), LoopbackConnector.start()]);
    const h = new ApprovalsHarness(azurite, connector, options);
    await h.listen();
    return h;
  }

  get config(): Config {
    return { storageConnectionString: this.azurite.connectionString, port: 0, playground: false, logLevel: "debug", ...(this.options.council ? { council: this.options.council } : {}) };
  }

  private async listen(): Promise<void> {
    const log = createLogger("debug", (line) => this.logLines.push(line));
    const approvalsDeps = {
      retry: { baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000, maxAttempts: 6 },
      sleep: async (ms: number) => {
        sleeps.push(ms);
        await new Promise((r) => setImmediate(r));
      },
      retryEveryMs: 0,
      turnBudgetMs: 20_000,
      ...(this.options.now ? { now: this.options.now } : {}),
      ...this.options.approvals,
    };
    this.server = createServer(this.config, {
      packs: this.options.packs,
      log,
      ...(this.options.now ? { now: this.options.now } : {}),
      sweeper: this.options.sweeper ?? false,
      approvals: (adapter) => (this.approvals = createApprovals({ adapter, storageConnectionString: this.azurite.connectionString, packs: this.options.packs, log, ...approvalsDeps })),
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A restart: close the server and start a new one (new adapter, new approvals) over the same Azurite. */
  async restart(): Promise<void> {
    await this.approvals.idle();
    await this.closeServer();
    await this.listen();
  }

  private async closeServer(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    this.approvals?.close();
    await this.approvals?.escalation?.stopSweeper();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  async stop(): Promise<void> {
    await this.approvals?.idle();
    await this.closeServer();
    await this.connector.stop();
    await this.azurite.stop();
  }

  async post(activity: Record<string, unknown>): Promise<Exchange> {
    const res = await fetch(`${this.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    const text = await res.text();
    const x = { status: res.status, body: text ? JSON.parse(text) : null };
    const card = invokeCard(x);
    if (card) {
      const problems = cardProblems(card);
      if (problems.length) throw new Error(`invalid invoke card: ${problems.join("; ")}`);
      this.invokeCards.push(card);
    }
    return x;
  }

  /** Wait for background work (card updates, notifications). */
  async settle(): Promise<void> {
    await this.approvals.idle();
  }

  personal(u: User): Conversation {
    return new Conversation(this, u, { id: `a:personal-${u.id}`, conversationType: "personal" }, {});
  }

  team(name: string, members: User[] = []): Team {
    const t = new Team(this, `19:team-${randomUUID().slice(0, 8)}@thread.tacv2`, name);
    t.setMembers(members);
    return t;
  }
}

export class Team {
  constructor(
    readonly h: ApprovalsHarness,
    readonly id: string,
    readonly name: string,
  ) {}

  setMembers(users: User[]): void {
    const members: Member[] = users.map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    this.h.connector.members.set(this.id, members);
  }

  channel(name: string): Channel {
    return new Channel(this, name === "General" ? this.id : `19:${name.toLowerCase().replace(/\W+/g, "")}-${randomUUID().slice(0, 8)}@thread.tacv2`, name);
  }

  /** The bot was added to the team (conversationUpdate in General). */
  async installed(by: User): Promise<Exchange> {
    const c = new Channel(this, this.id, "General").as(by);
    return c.event("conversationUpdate", { membersAdded: [{ id: BOT_ID, name: BOT_NAME }], channelData: { eventType: "teamMemberAdded" } });
  }

  async removed(by: User): Promise<Exchange> {
    const c = new Channel(this, this.id, "General").as(by);
    return c.event("conversationUpdate", { membersRemoved: [{ id: BOT_ID, name: BOT_NAME }], channelData: { eventType: "teamMemberRemoved" } });
  }
}

export class Channel {
  constructor(
    readonly team: Team,
    readonly id: string,
    readonly name: string,
  ) {}

  /** Someone in the channel (a new thread, or a reply in `threadId`). */
  as(u: User, threadId?: string): Conversation {
    return new Conversation(this.team.h, u, { id: threadId ?? `${this.id};messageid=${Date.now()}${Math.floor(Math.random() * 1000)}`, conversationType: "channel", isGroup: true }, { team: { id: this.team.id, name: this.team.name }, channel: { id: this.id, name: this.name } });
  }

  /** The threads Stepwise started here (its cards), as they look now. */
  posts() {
    return this.team.h.connector.posts(this.id);
  }
}

/** One user in one conversation. */
export class Conversation {
  constructor(
    readonly h: ApprovalsHarness,
    readonly user: User,
    readonly conversation: { id: string; conversationType: string; isGroup?: boolean },
    readonly channelData: Record<string, unknown>,
  ) {}

  base(type: string): Record<string, unknown> {
    return {
      type,
      id: `act-${randomUUID()}`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.h.connector.url,
      channelId: "msteams",
      from: this.user,
      recipient: { id: BOT_ID, name: BOT_NAME },
      conversation: { ...this.conversation, tenantId: TENANT },
      channelData: { tenant: { id: TENANT }, ...this.channelData },
      locale: "en-GB",
    };
  }

  /** A message; in a channel it @mentions the bot, and `mentions` adds more people. */
  async say(text: string, mentions: User[] = []): Promise<Exchange> {
    const activity = this.base("message");
    const inChannel = this.conversation.conversationType !== "personal";
    activity.text = `${inChannel ? `<at>${BOT_NAME}</at> ` : ""}${text}${mentions.map((m) => ` <at>${m.name}</at>`).join("")}`;
    activity.textFormat = "plain";
    activity.entities = [
      ...(inChannel ? [{ type: "mention", text: `<at>${BOT_NAME}</at>`, mentioned: { id: BOT_ID, name: BOT_NAME } }] : []),
      ...mentions.map((m) => ({ type: "mention", text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } })),
    ];
    return this.h.post(activity);
  }

  /** An Action.Execute: the `adaptiveCard/action` invoke. */
  async execute(verb: string, data: Record<string, unknown> = {}, trigger: "manual" | "automatic" = "manual", replyToId?: string): Promise<Exchange> {
    const activity = this.base("invoke");
    activity.name = "adaptiveCard/action";
    activity.value = { action: { type: "Action.Execute", verb, data }, trigger };
    if (replyToId) activity.replyToId = replyToId;
    return this.h.post(activity);
  }

  async event(type: string, extra: Record<string, unknown>): Promise<Exchange> {
    const activity = { ...this.base(type), ...extra, channelData: { ...(this.base(type).channelData as object), ...((extra.channelData as object) ?? {}) } };
    return this.h.post(activity);
  }

  /** What the bot sent to this conversation (replies and proactive messages), oldest first. */
  received(): Record<string, unknown>[] {
    return this.h.connector.sentTo(this.conversation.id).map((x) => x.activity);
  }

  texts(): string[] {
    return this.received()
      .map((a) => a.text)
      .filter((t): t is string => typeof t === "string");
  }

  cards(): Card[] {
    return this.received().flatMap((a) => ((a.attachments as { contentType: string; content: Card }[] | undefined) ?? []).map((x) => x.content));
  }
}

// ---------------------------------------------------------------------------
// Reading cards

export function invokeCard(x: Exchange): Card | undefined {
  const body = x.body as { type?: string; value?: Card } | null;
  return body?.type === "application/vnd.microsoft.card.adaptive" ? body.value : undefined;
}

export function cardOf(activity: Record<string, unknown>): Card {
  const card = (activity.attachments as { content: Card }[] | undefined)?.[0]?.content;
  if (!card) throw new Error(`not a card: ${JSON.stringify(activity).slice(0, 200)}`);
  return card;
}

/** All the words on a card, in order (the @mention text included). */
export function words(card: Card): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      for (const k of ["text", "title", "value", "label"]) if (typeof o[k] === "string") out.push(o[k] as string);
      for (const [k, v] of Object.entries(o)) if (k !== "data" && typeof v === "object") walk(v);
    }
  };
  walk(card);
  return out.join("\n");
}

/** The verbs of every Action.Execute on a card (the refresh action included). */
export function verbs(card: Card): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.type === "Action.Execute") out.push(String(o.verb));
      for (const [k, v] of Object.entries(o)) if (k !== "data" && typeof v === "object") walk(v);
    }
  };
  walk(card);
  return out;
}
