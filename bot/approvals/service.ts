/**
 * The approvals shell: transfer requests from the triage conversation to the decider's channel and
 * back. The rules live in domain/requests.ts; this file reads and writes Table Storage, talks to
 * Teams (through sender.ts and the outbox), and renders cards (cardData.ts).
 *
 * Exactly one decision: every change is read → `apply` (the pure transition, with its guards) →
 * `replace` with the etag that was read. On a StaleEtagError the request is read again and the change
 * re-applied, which the guards then refuse if someone decided first ("already decided by … at …").
 *
 * Work that follows a change (updating the card for everyone, telling the requester, replying in the
 * card's thread) runs after the change is stored; a turn waits for it up to `turnBudgetMs` and the
 * rest carries on in the background (`idle()` waits for it, for tests and shutdown).
 */
import { randomBytes } from "node:crypto";
import { CardFactory, MessageFactory, TeamsInfo, type Activity, type AdaptiveCardInvokeResponse, type ConversationReference, type TurnContext } from "botbuilder";
import type { Recommendation } from "../../domain/engine";
import type { CaseFacts } from "../../domain/facts";
import { ukDateTime } from "../../domain/format";
import type { PolicyPack } from "../../domain/pack";
import {
  actors,
  apply,
  createRequest,
  deciderLabel,
  decidedWords,
  directionLabel,
  isRefused,
  lastEscalation,
  requestIdFrom,
  SYSTEM,
  timeline,
  type Person,
  type Post,
  type RequestAction,
  type RequestEvent,
  type TransferRequest,
} from "../../domain/requests";
import type { Logger } from "../log";
import { RowExistsError, StaleEtagError } from "../storage/repository";
import { approvalCard, CARD_CONTENT_TYPE, infoCard, mentionId, mentionsFor, noticeCard, type ApprovalView, type CardJson, type Notice } from "./cardData";
import { APPROVALS_HELP, parseCommand, parseRoleSpec, type Command } from "./commands";
import { Demo, discoverPlayground, isLoopback, isPersona } from "./demo";
import type { Ladder } from "./ladder";
import { Outbox } from "./outbox";
import { parseApprovalAction, type ApprovalAction } from "./payloads";
import { DeliveryError, Sender, UnreachableError } from "./sender";
import { roleKey, type ApprovalStore, type ChannelTarget, type Registration, type TeamRecord } from "./store";

/** What the triage shell hands over when the practitioner presses "Request this transfer". */
export interface TransferHookInput {
  authorityId: string;
  caseReference: string | null;
  facts: CaseFacts;
  recommendation: Recommendation;
  requestedBy: { id: string; name?: string; aadObjectId?: string };
  conversation: Partial<ConversationReference>;
}

export type DeliveryOutcome =
  | { kind: "posted"; request: TransferRequest; post: Post; fresh: boolean }
  | { kind: "waiting"; request: TransferRequest; why: string }
  | { kind: "unreachable"; request: TransferRequest; why: string }
  | { kind: "failed"; request: TransferRequest; why: string }
  | { kind: "busy"; request: TransferRequest }
  | { kind: "closed"; request: TransferRequest };

export interface ServiceDeps {
  store: ApprovalStore;
  sender: Sender;
  outbox: Outbox;
  packs: Readonly<Record<string, PolicyPack>>;
  now: () => Date;
  log: Logger;
  demo: Demo;
  turnBudgetMs: number;
  /** Teams user ids or Entra object ids allowed to register channels and change approvers (empty: anyone in the team). */
  admins: readonly string[];
}

const MAX_CHANGE_ATTEMPTS = 100;
const MAX_MEMBERS_AS_APPROVERS = 60;

function personOf(from: { id: string; name?: string } | undefined): Person {
  return { id: from?.id ?? "unknown", name: (from?.name ?? "").trim().slice(0, 200) || "Unknown user" };
}

function channelDataOf(a: Partial<Activity>): { team?: { id?: string; name?: string }; channel?: { id?: string; name?: string }; tenant?: { id?: string }; eventType?: string } {
  return (a.channelData ?? {}) as ReturnType<typeof channelDataOf>;
}

function textActivity(text: string): Partial<Activity> {
  return MessageFactory.text(text);
}

function cardActivity(card: CardJson, mentions: { id: string; name: string }[] = []): Partial<Activity> {
  const activity: Partial<Activity> = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // Card mentions notify only when the activity carries them too.
  if (mentions.length) activity.entities = mentions.map((m) => ({ type: "mention", text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } }));
  return activity;
}

function mentionActivity(text: string, people: Person[]): Partial<Activity> {
  const activity = textActivity(text);
  activity.entities = people.map((p) => ({ type: "mention", text: `<at>${p.name}</at>`, mentioned: { id: mentionId(p), name: p.name } }));
  return activity;
}

export class ApprovalsService {
  private readonly background = new Set<Promise<unknown>>();
  /** The escalation ladder (issue 5), when it is on: see ladder.ts. */
  private ladder: Ladder | undefined;

  constructor(private readonly d: ServiceDeps) {}

  /** Wire in the escalation ladder (createApprovals does, unless it is switched off). */
  attachLadder(ladder: Ladder): void {
    this.ladder = ladder;
  }

  // -------------------------------------------------------------------------
  // Background work

  /** Background work: logged if it fails, awaited by `idle()`. */
  track<T>(p: Promise<T>, what: string): Promise<T> {
    const tracked = p.catch((err: unknown) => {
      this.d.log.error("approvals background work failed", { what, error: (err as Error)?.name, message: (err as Error)?.message });
      return undefined as T;
    });
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
    return tracked;
  }

  /** Resolves when no background work is left. */
  async idle(): Promise<void> {
    while (this.background.size) await Promise.all([...this.background]);
  }

  /** Waits for `p` up to the turn budget; undefined if it is still running (it carries on). */
  private async withinBudget<T>(p: Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.d.turnBudgetMs);
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  // -------------------------------------------------------------------------
  // Changing a request: read, apply, replace with the etag; on a conflict, again.

  async change(id: string, actor: Person, action: RequestAction): Promise<{ request: TransferRequest; event: RequestEvent } | { request: TransferRequest; refused: { code: string; message: string } } | undefined> {
    for (let attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt++) {
      const cur = await this.d.store.getRequest(id);
      if (!cur) return undefined;
      const t = apply(cur.request, actor, action, this.d.now());
      if (isRefused(t)) return { request: cur.request, refused: t.refused };
      try {
        await this.d.store.replaceRequest(t.request, cur.etag);
        if (attempt > 1) this.d.log.info("request changed after a concurrent change", { transferRequestId: id, attempts: attempt });
        return t;
      } catch (err) {
        if (!(err instanceof StaleEtagError)) throw err;
      }
    }
    throw new Error(`request ${id} kept changing under ${MAX_CHANGE_ATTEMPTS} attempts`);
  }

  // -------------------------------------------------------------------------
  // Registrations and approvers

  /** The channel registered for the request's decider role (in the demo, the demo channel). */
  async registrationFor(r: TransferRequest): Promise<Registration | undefined> {
    return this.registrationForRole(r.authority.id, r.decider.teamId, r.decider.teamName, r.decider.role, r.decider.title, r.requester);
  }

  /** The channel registered for a role (in the demo, the demo channel); used for the ladder's levels too. */
  async registrationForRole(authorityId: string, teamId: string | null, teamName: string | null, role: string, roleTitle: string, requester: Person): Promise<Registration | undefined> {
    const found = await this.d.store.registration(authorityId, teamId, role);
    if (found) return found.value;
    if (!this.d.demo.enabled) return undefined;
    return this.demoRegistration(authorityId, teamId, teamName, role, roleTitle, requester);
  }

  private async demoRegistration(authorityId: string, teamId: string | null, teamName: string | null, role: string, roleTitle: string, requester: Person): Promise<Registration | undefined> {
    let channel = this.d.demo.options?.channel ?? (await this.demoChannelFromTeams());
    let users: Person[] = [];
    if (!channel) {
      const contact = await this.d.store.contact(requester.id);
      const found = contact ? await discoverPlayground(contact.serviceUrl) : undefined;
      channel = found?.channel;
      users = found?.users ?? [];
    }
    if (!channel) return undefined;
    const reg: Registration = {
      authorityId,
      teamId,
      teamName,
      role,
      roleTitle,
      channelId: channel.channelId,
      channel: { ...channel },
      approvers: this.d.demo.approvers(requester, users),
      approversSource: "demo",
      registeredBy: SYSTEM,
      registeredAt: this.d.now().toISOString(),
      unreachable: null,
      demo: true,
    };
    await this.d.store.putRegistration(reg);
    this.d.log.info("demo: registered the Playground channel for a role", { authorityId, role });
    return reg;
  }

  /** In the demo: the last loopback team the bot saw, its first channel other than General (else General). */
  private async demoChannelFromTeams(): Promise<ChannelTarget | undefined> {
    const teams = (await this.d.store.allTeams()).filter((t) => isLoopback(t.serviceUrl)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    const team = teams[0];
    if (!team) return undefined;
    const channel = team.channels.find((c) => c.id !== team.teamId) ?? team.channels[0] ?? { id: team.teamId, name: "General" };
    return { serviceUrl: team.serviceUrl, ...(team.tenantId ? { tenantId: team.tenantId } : {}), teamId: team.teamId, teamName: team.teamName, channelId: channel.id, channelName: channel.name };
  }

  /**
   * Who may decide the request now: the approvers of its decider role or, once the escalation ladder
   * has taken it further, of the level it is with now (issue 5).
   */
  async approversOf(r: TransferRequest): Promise<Person[]> {
    const escalated = r.decision ? undefined : await this.ladder?.holdersNow(r, "decision");
    if (escalated) return escalated;
    return (await this.registrationFor(r))?.approvers ?? [];
  }

  // -------------------------------------------------------------------------
  // Creating and posting a request

  /** "Request this transfer": returns what to tell the practitioner in the turn. */
  async requestTransfer(input: TransferHookInput, _context: TurnContext): Promise<string> {
    const pack = this.d.packs[input.authorityId];
    if (!pack) return `I don't have ${input.authorityId}'s protocol, so I can't make a request under it.`;
    const requester = personOf(input.requestedBy);
    await this.rememberContact(requester, input.conversation).catch((err: unknown) => this.d.log.warn("could not store the requester's chat", { error: (err as Error).name }));

    let request: TransferRequest | undefined;
    for (let i = 0; i < 5 && !request; i++) {
      const t = createRequest({ id: requestIdFrom(randomBytes(6)), pack, recommendation: input.recommendation, caseReference: input.caseReference, requester }, this.d.now());
      if (isRefused(t)) return t.refused.message;
      const key = this.openKey(t.request);
      const existing = await this.d.store.claimOpenKey(key, t.request.id);
      if (existing) {
        const open = await this.d.store.getRequest(existing);
        return `You already have an open request for case ${t.request.caseReference} to ${t.request.toTeam.name}: ${existing} (${open ? this.whereItIs(open.request) : "open"}). Say "history ${existing}" to see what has happened to it.`;
      }
      try {
        await this.d.store.createRequest(t.request);
        request = t.request;
      } catch (err) {
        await this.d.store.releaseOpenKey(key, t.request.id);
        if (!(err instanceof RowExistsError)) throw err; // an id collision: try another id
      }
    }
    if (!request) throw new Error("could not find a free request id");
    this.d.log.info("transfer request created", { transferRequestId: request.id, authority: request.authority.id, role: request.decider.role });

    const delivery = this.track(this.deliver(request.id), "deliver");
    const outcome = await this.withinBudget(delivery);
    if (!outcome) {
      // Still trying (Teams is slow or throttling): say so now, and the outcome later.
      void this.track(delivery.then((o) => o && this.tellRequesterDelivery(o)), "tell requester");
      return `Transfer request ${request.id} for case ${request.caseReference} is saved. Teams is slow to answer, so I'm still posting it to the ${deciderLabel(request.decider)} channel; I'll tell you here when it is there.`;
    }
    // "failed": the retry sweep (retryUndelivered) posts it later and tells the requester then.
    return this.deliveryMessage(outcome, true);
  }

  private openKey(r: TransferRequest): string {
    return `${r.authority.id}|${r.caseReference}|${r.toTeam.teamId}|${r.requester.id}`;
  }

  private whereItIs(r: TransferRequest): string {
    if (r.decision) return decidedWords(r);
    if (r.status === "info-requested") return "waiting for your answer to a question";
    if (r.delivery.state === "posted") return `waiting for a decision in ${r.delivery.post?.channelName ?? "the managers' channel"}`;
    if (r.delivery.state === "waiting") return "waiting for a channel to be registered";
    if (r.delivery.state === "unreachable") return "waiting for the managers' channel to work again";
    return "being posted";
  }

  private registerHint(r: TransferRequest): string {
    return `register this channel as ${r.authority.id} ${r.decider.teamId ? `${r.decider.teamId} ` : ""}${r.decider.role}`;
  }

  private deliveryMessage(o: DeliveryOutcome, first: boolean): string {
    const r = o.request;
    const what = `Transfer request ${r.id} (case ${r.caseReference}, ${directionLabel(r.direction).toLowerCase()} to ${r.toTeam.name})`;
    switch (o.kind) {
      case "posted":
        return `${what} ${first ? "is" : "is now"} in ${o.post.channelName} for a ${deciderLabel(r.decider)} to decide. I'll tell you here when it is decided.`;
      case "waiting":
        return `${what} is saved, but it is waiting: ${o.why}. It will be posted as soon as a team administrator registers a channel (in it, @mention Stepwise: "${this.registerHint(r)}"), and I'll tell you then. Don't let it delay the transfer: you can also take it to the manager directly.`;
      case "unreachable":
        return `${what} is saved, but Teams would not let me post it in the managers' channel (${o.why}). An administrator has been told; it will be posted as soon as the channel works again.`;
      case "failed":
        return `${what} is saved, but Teams did not accept the post just now. I'll keep trying and tell you when it is there.`;
      case "busy":
        return `${what} is being posted.`;
      case "closed":
        return `${what}: ${decidedWords(r)}.`;
    }
  }

  private async tellRequesterDelivery(o: DeliveryOutcome): Promise<void> {
    if (o.kind === "busy" || o.kind === "closed") return;
    const seq = o.request.events.at(-1)?.seq ?? 0;
    await this.notifyUser(o.request.requester, `delivery:${o.request.id}:${o.kind}:${seq}`, textActivity(this.deliveryMessage(o, false)), o.request);
  }

  /**
   * Post the request's card in its decider's channel, once. Waits (with an event) when no channel is
   * registered; marks the channel unreachable and tells an administrator on 403/404.
   */
  async deliver(id: string): Promise<DeliveryOutcome> {
    const cur = await this.d.store.getRequest(id);
    if (!cur) throw new Error(`no request ${id}`);
    let r = cur.request;
    if (r.decision) return { kind: "closed", request: r };
    // The escalation ladder's clock runs from the request, whether or not its card can be posted yet.
    await this.ladder?.startFor(r).catch((err: unknown) => this.d.log.error("could not start the request's escalation clock", { transferRequestId: id, error: (err as Error).name, message: (err as Error).message }));
    if (r.delivery.state === "posted" && r.delivery.post) return { kind: "posted", request: r, post: r.delivery.post, fresh: false };
    const reg = await this.registrationFor(r);
    if (!reg || reg.unreachable) {
      const why = !reg ? `no channel is registered yet for ${deciderLabel(r.decider)} (${r.authority.name})` : `the channel registered for ${deciderLabel(r.decider)} is unreachable (${reg.unreachable?.why ?? ""})`;
      const changed = await this.change(id, SYSTEM, { kind: "waiting", why });
      return { kind: "waiting", request: changed?.request ?? r, why };
    }
    const card = approvalCard({ request: r, approvers: reg.approvers, view: "shared" });
    const mentions = mentionsFor(r, reg.approvers).map((p) => ({ id: mentionId(p), name: p.name }));
    const key = `post:${r.id}:${r.delivery.attempt}`;
    let result;
    try {
      result = await this.d.outbox.once(key, () => this.d.sender.createThread(reg.channel, cardActivity(card, mentions)));
    } catch (err) {
      if (err instanceof UnreachableError) {
        const why = `Teams answered ${err.status}${err.code ? ` ${err.code}` : ""}`;
        await this.channelUnreachable(reg, why);
        const changed = await this.change(id, SYSTEM, { kind: "unreachable", why });
        return { kind: "unreachable", request: changed?.request ?? r, why };
      }
      if (err instanceof DeliveryError) return { kind: "failed", request: r, why: err.message };
      throw err;
    }
    if (result.status === "busy") return { kind: "busy", request: r };
    const post: Post = {
      serviceUrl: reg.channel.serviceUrl,
      conversationId: result.result.conversationId,
      activityId: result.result.activityId,
      channelName: `${reg.channel.teamName} › ${reg.channel.channelName}`,
    };
    const changed = await this.change(id, SYSTEM, { kind: "posted", post });
    if (changed) r = changed.request;
    // Decided or changed while it was being posted: bring the card up to date.
    if (r.events.some((e) => e.type !== "created" && e.type !== "waiting" && e.type !== "posted" && e.type !== "unreachable")) await this.refreshCard(r.id);
    this.d.log.info("transfer request posted", { transferRequestId: r.id, fresh: result.fresh });
    return { kind: "posted", request: r, post, fresh: result.fresh };
  }

  /** Post every request waiting for this role (after a registration, or when its channel works again). */
  async flushWaiting(authorityId: string, teamId: string | null, role: string): Promise<number> {
    const waiting = await this.d.store.waitingFor(authorityId, teamId, role);
    let posted = 0;
    for (const r of waiting) {
      const o = await this.deliver(r.id);
      if (o.kind === "posted") posted++;
      await this.tellRequesterDelivery(o);
    }
    return posted;
  }

  /** Post the requests whose first post failed (Teams down for longer than the retries). */
  async retryUndelivered(): Promise<number> {
    let posted = 0;
    for (const r of await this.d.store.undelivered()) {
      const o = await this.deliver(r.id);
      if (o.kind === "posted" && o.fresh) {
        posted++;
        await this.tellRequesterDelivery(o);
      } else if (o.kind === "waiting" || o.kind === "unreachable") await this.tellRequesterDelivery(o);
    }
    return posted;
  }

  // -------------------------------------------------------------------------
  // Cards in the channel

  /** Update the posted card for everyone; repeated until it shows the latest state. */
  async refreshCard(id: string): Promise<void> {
    for (let round = 0; round < 5; round++) {
      const cur = await this.d.store.getRequest(id);
      const post = cur?.request.delivery.post;
      if (!cur || !post) return;
      const approvers = await this.approversOf(cur.request);
      const disputers = await this.disputersOf(cur.request);
      const card = approvalCard({ request: cur.request, approvers, view: "shared", disputers });
      try {
        await this.d.sender.update({ serviceUrl: post.serviceUrl, conversationId: post.conversationId, isGroup: true }, post.activityId, cardActivity(card));
      } catch (err) {
        if (err instanceof UnreachableError) {
          const reg = await this.registrationFor(cur.request);
          if (reg) await this.channelUnreachable(reg, `updating the card of ${id}: Teams answered ${err.status}${err.code ? ` ${err.code}` : ""}`);
          return;
        }
        throw err;
      }
      const after = await this.d.store.getRequest(id);
      if (!after || after.request.updatedAt === cur.request.updatedAt) return;
    }
  }

  /**
   * A reply in the card's thread (e.g. @mentioning the new assignee); once per key. Once the ladder
   * has escalated the request, in the thread of its latest escalation card, where its holders are.
   */
  private async replyInThread(r: TransferRequest, key: string, activity: Partial<Activity>): Promise<void> {
    const post = (r.decision ? undefined : lastEscalation(r, "decision")?.post) ?? r.delivery.post;
    if (!post) return;
    try {
      await this.d.outbox.once(key, async () => ({ conversationId: post.conversationId, activityId: await this.d.sender.send({ serviceUrl: post.serviceUrl, conversationId: post.conversationId, isGroup: true }, activity) }));
    } catch (err) {
      if (err instanceof UnreachableError || err instanceof DeliveryError) this.d.log.warn("could not reply in the request's thread", { transferRequestId: r.id, error: err.name });
      else throw err;
    }
  }

  // -------------------------------------------------------------------------
  // People: personal chats, the requester, administrators

  private async rememberContact(user: Person, ref: Partial<ConversationReference>): Promise<void> {
    const conv = ref.conversation;
    if (!conv?.id || !ref.serviceUrl || (conv.conversationType && conv.conversationType !== "personal") || conv.isGroup) return;
    await this.d.store.putContact({ user, serviceUrl: ref.serviceUrl, ...(conv.tenantId ? { tenantId: conv.tenantId } : {}), conversationId: conv.id, updatedAt: this.d.now().toISOString() });
  }

  /** Remember a user's personal chat from a turn in it. */
  async rememberFromTurn(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (a.conversation?.conversationType !== "personal") return;
    await this.rememberContact(personOf(a.from), { serviceUrl: a.serviceUrl, conversation: a.conversation });
  }

  /** Send to a user's personal chat (opening one if Stepwise has none), once per key. */
  async notifyUser(user: Person, key: string, activity: Partial<Activity>, near?: TransferRequest, via?: { serviceUrl: string; tenantId?: string | undefined }): Promise<boolean> {
    if (isPersona(user)) return false; // a demo persona has no chat of its own
    try {
      const res = await this.d.outbox.once(key, async () => {
        let contact = await this.d.store.contact(user.id);
        if (!contact) {
          const where = via ?? (near?.delivery.post ? { serviceUrl: near.delivery.post.serviceUrl } : undefined);
          if (!where) throw new DeliveryError(`no personal chat with ${user.id}`, undefined, 0);
          const conversationId = await this.d.sender.createPersonal({ serviceUrl: where.serviceUrl, tenantId: where.tenantId, userId: user.id });
          contact = { user, serviceUrl: where.serviceUrl, ...(where.tenantId ? { tenantId: where.tenantId } : {}), conversationId, updatedAt: this.d.now().toISOString() };
          await this.d.store.putContact(contact);
        }
        const activityId = await this.d.sender.send({ serviceUrl: contact.serviceUrl, conversationId: contact.conversationId, tenantId: contact.tenantId }, activity);
        return { conversationId: contact.conversationId, activityId };
      });
      return res.status === "done";
    } catch (err) {
      if (err instanceof UnreachableError || err instanceof DeliveryError) {
        this.d.log.warn("could not reach a user in personal chat", { key, error: err.name });
        return false;
      }
      throw err;
    }
  }

  /** 403/404 from a channel: mark its registrations unreachable and tell the administrators, once. */
  async channelUnreachable(reg: Registration, why: string): Promise<void> {
    const at = this.d.now().toISOString();
    let first = false;
    await this.d.store.updateRegistration(reg.authorityId, reg.teamId, reg.role, (r) => {
      first = !r.unreachable;
      return r.unreachable ? r : { ...r, unreachable: { at, why } };
    });
    this.d.log.error("channel unreachable", { authority: reg.authorityId, role: reg.role, channelId: reg.channel.channelId, why });
    if (!first) return;
    const text = `Stepwise can't post in ${reg.channel.teamName} › ${reg.channel.channelName}, the channel registered for ${reg.roleTitle}${reg.teamName && !reg.roleTitle.includes(reg.teamName) ? ` (${reg.teamName})` : ""}, ${reg.authorityId}: ${why}. Is Stepwise still in that team? Add it back, or register another channel ("register this channel as ${reg.authorityId} ${reg.teamId ? `${reg.teamId} ` : ""}${reg.role}"). Requests for that role wait until then.`;
    const admins: Person[] = [...(reg.registeredBy.id !== SYSTEM.id ? [reg.registeredBy] : []), ...this.d.admins.filter((id) => id !== reg.registeredBy.id).map((id) => ({ id, name: "Administrator" }))];
    let told = 0;
    for (const admin of admins) {
      if (await this.notifyUser(admin, `admin:${roleKey(reg.authorityId, reg.teamId, reg.role)}:${at}:${admin.id}`, textActivity(text), undefined, { serviceUrl: reg.channel.serviceUrl, tenantId: reg.channel.tenantId })) told++;
    }
    if (!told) this.d.log.error("no administrator could be told that a channel is unreachable", { authority: reg.authorityId, role: reg.role });
  }

  // -------------------------------------------------------------------------
  // Card actions

  /** Answer an approval card's Action.Execute; undefined if the invoke is not one of ours. */
  async handleInvoke(context: TurnContext): Promise<AdaptiveCardInvokeResponse> {
    const a = context.activity;
    const parsed = parseApprovalAction(a.value);
    if (!parsed.ok) return this.cardResponse(noticeCard("That didn't work", `That card action was not valid (${parsed.problem}), so nothing has changed.`));
    const action = parsed.action;
    const user = personOf(a.from);
    const actor = this.d.demo.actor(a, user);
    const cur = await this.d.store.getRequest(action.data.requestId);
    if (!cur) return this.cardResponse(noticeCard("Request not found", `There is no transfer request ${action.data.requestId}. Nothing has changed.`));
    if (action.verb === "giveInfo") return this.giveInfo(cur.request, actor, action);
    const approvers = await this.approversOf(cur.request);
    const mayAct = actors(cur.request, approvers).some((p) => p.id === actor.id);
    // A button on one of the escalation ladder's cards (issue 5): the answer is that card, brought up to date.
    const origin = "card" in action.data && action.data.card ? { kind: action.data.card, track: action.data.track ?? (action.data.card === "dispute" ? ("dispute" as const) : ("decision" as const)), level: action.data.level ?? 1 } : undefined;
    const answer = async (r: TransferRequest, notice?: Notice): Promise<AdaptiveCardInvokeResponse> => {
      const card =
        origin && this.ladder
          ? await this.ladder.invokeCard(r, origin, notice).catch((err: unknown) => {
              this.d.log.warn("could not rebuild a ladder card; answering with the approval card", { transferRequestId: r.id, error: (err as Error).name, message: (err as Error).message });
              return undefined;
            })
          : undefined;
      return card ? this.cardResponse(card) : this.viewFor(r, await this.approversOf(r), actor, notice);
    };

    if (action.verb === "refreshView") {
      if (mayAct) {
        const viewed = await this.change(cur.request.id, actor, { kind: "view", approvers });
        const r = viewed && !("refused" in viewed) ? viewed.request : cur.request;
        return this.viewFor(r, approvers, actor);
      }
      const notice = parsed.automatic ? undefined : { tone: "accent" as const, text: await this.whyNotYou(cur.request, actor, approvers) };
      return this.viewFor(cur.request, approvers, actor, notice);
    }

    if (action.verb === "dispute" || action.verb === "resolveDispute") {
      if (!this.ladder) return answer(cur.request, { tone: "attention", text: "Disagreements are not followed up by this Stepwise: take it to your service manager directly. Nothing has changed." });
      const out = action.verb === "dispute" ? await this.ladder.raise(cur.request, actor, action.data.reason) : await this.ladder.resolve(cur.request, actor, action.data.outcome, action.data.reason);
      this.d.log.info(out.refused ? "card action refused" : "card action", { transferRequestId: cur.request.id, verb: action.verb });
      return answer(out.request, { tone: out.refused ? "attention" : "good", text: out.said });
    }

    const requestAction = this.toRequestAction(action, approvers);
    const result = await this.change(cur.request.id, actor, requestAction);
    if (!result) return this.cardResponse(noticeCard("Request not found", `There is no transfer request ${action.data.requestId}.`));
    if ("refused" in result) {
      this.d.log.info("card action refused", { transferRequestId: cur.request.id, verb: action.verb, code: result.refused.code });
      const escalated = lastEscalation(result.request, "decision");
      const text =
        result.refused.code === "not-approver" && escalated
          ? `This request was escalated on ${ukDateTime(escalated.at)} to the ${deciderLabel(escalated.holder)}: only approvers for that role can act on it now, and you are not one. Nothing has changed.`
          : result.refused.message;
      return answer(result.request, { tone: "attention", text });
    }
    this.d.log.info("card action", { transferRequestId: result.request.id, verb: action.verb, event: result.event.type });
    await this.withinBudget(this.track(this.afterChange(result.request, result.event), "after change"));
    return answer(result.request, { tone: "good", text: this.doneText(result.request, result.event) });
  }

  private toRequestAction(action: Exclude<ApprovalAction, { verb: "refreshView" | "giveInfo" | "dispute" | "resolveDispute" }>, approvers: Person[]): RequestAction {
    switch (action.verb) {
      case "approve":
        return { kind: "approve", approvers, ...(action.data.comment !== undefined ? { comment: action.data.comment } : {}) };
      case "decline":
        return { kind: "decline", approvers, ...(action.data.reason !== undefined ? { reason: action.data.reason } : {}) };
      case "askInfo":
        return { kind: "ask-info", approvers, ...(action.data.question !== undefined ? { question: action.data.question } : {}) };
      case "reassign":
        return { kind: "reassign", approvers, ...(action.data.to !== undefined ? { to: action.data.to } : {}), ...(action.data.why !== undefined ? { why: action.data.why } : {}) };
    }
  }

  /** The managers who may disagree with the request's decision (issue 5); none without the ladder. */
  async disputersOf(r: TransferRequest): Promise<Person[]> {
    return this.ladder ? this.ladder.disputersOf(r) : [];
  }

  private async whyNotYou(r: TransferRequest, actor: Person, approvers: Person[]): Promise<string> {
    if (r.decision) {
      const canDispute = (await this.disputersOf(r)).some((p) => p.id === actor.id);
      return canDispute ? `${decidedWords(r)}. As a manager of a team involved, you can disagree with it: "Disagree…" starts the council's disagreement process.` : `${decidedWords(r)}.`;
    }
    if (actor.id === r.requester.id) return "You made this request, so another approver decides it. You'll be told in your chat with Stepwise.";
    const escalated = lastEscalation(r, "decision");
    if (escalated && !approvers.some((p) => p.id === actor.id)) return `This request was escalated on ${ukDateTime(escalated.at)} to the ${deciderLabel(escalated.holder)}: only approvers for that role can decide it now.`;
    if (!approvers.some((p) => p.id === actor.id)) return `Only an approver for ${deciderLabel(r.decider)} can decide this request.`;
    return "";
  }

  private doneText(r: TransferRequest, e: RequestEvent): string {
    switch (e.type) {
      case "decided":
        return `${e.outcome === "approved" ? "Approved" : "Declined"}. ${r.requester.name} is being told.`;
      case "info-asked":
        return `Your question has gone to ${r.requester.name}; the answer will appear on this card.`;
      case "reassigned":
        return `Reassigned to ${e.to.name}.`;
      case "info-given":
        return "Sent: your answer is on the request's card now.";
      default:
        return "Done.";
    }
  }

  private async viewFor(r: TransferRequest, approvers: Person[], actor: Person, notice?: Notice): Promise<AdaptiveCardInvokeResponse> {
    const disputers = await this.disputersOf(r);
    const view: ApprovalView = actors(r, approvers).some((p) => p.id === actor.id) ? "approver" : disputers.some((p) => p.id === actor.id) ? "disputer" : "readonly";
    return this.cardResponse(approvalCard({ request: r, approvers, view, disputers, ...(notice && notice.text ? { notice } : {}) }));
  }

  private cardResponse(card: CardJson): AdaptiveCardInvokeResponse {
    return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card };
  }

  private async giveInfo(r0: TransferRequest, actor: Person, action: Extract<ApprovalAction, { verb: "giveInfo" }>): Promise<AdaptiveCardInvokeResponse> {
    const lastAsked = r0.events.filter((e) => e.type === "info-asked").at(-1)?.seq ?? 0;
    const asked = action.data.askedSeq ?? lastAsked;
    if (asked !== lastAsked || r0.status !== "info-requested") {
      return this.cardResponse(infoCard(r0, asked, r0.decision || asked !== lastAsked ? undefined : { tone: "accent", text: "That question has already been answered." }));
    }
    const result = await this.change(r0.id, actor, { kind: "give-info", ...(action.data.answer !== undefined ? { answer: action.data.answer } : {}) });
    if (!result) return this.cardResponse(noticeCard("Request not found", `There is no transfer request ${r0.id}.`));
    if ("refused" in result) return this.cardResponse(infoCard(result.request, asked, { tone: "attention", text: result.refused.message }));
    await this.withinBudget(this.track(this.afterChange(result.request, result.event), "after change"));
    return this.cardResponse(infoCard(result.request, asked, { tone: "good", text: "Sent: your answer is on the request's card in the managers' channel." }));
  }

  /** What follows a stored change: the card for everyone, and the people who need to know. */
  async afterChange(r: TransferRequest, e: RequestEvent): Promise<void> {
    if (e.type === "viewed") return;
    await this.refreshCard(r.id);
    const key = `event:${r.id}:${e.seq}`;
    switch (e.type) {
      case "decided": {
        await this.d.store.releaseOpenKey(this.openKey(r), r.id);
        // A decision at any level closes the escalation clock and updates every card of the ladder.
        await this.ladder?.onDecided(r).catch((err: unknown) => this.d.log.error("could not close the escalation clock", { transferRequestId: r.id, error: (err as Error).name, message: (err as Error).message }));
        const why = e.why ? ` ${e.outcome === "declined" ? "Reason" : "Comment"}: "${e.why}"` : "";
        const next = e.outcome === "approved" ? " Follow the protocol's next steps and deadlines on the card." : "";
        await this.notifyUser(r.requester, key, textActivity(`Transfer request ${r.id} (case ${r.caseReference}, ${directionLabel(r.direction).toLowerCase()} to ${r.toTeam.name}) was ${e.outcome} by ${e.by.name} on ${ukDateTime(e.at)}.${why}${next}`), r);
        return;
      }
      case "info-asked":
        await this.notifyUser(r.requester, key, cardActivity(infoCard(r, e.seq)), r);
        return;
      case "info-given": {
        const asker = [...r.events].reverse().find((x) => x.type === "info-asked" && x.seq < e.seq)?.by;
        const who = asker ? [asker] : [];
        await this.replyInThread(r, key, mentionActivity(`${who.map((p) => `<at>${p.name}</at>`).join(" ")}${who.length ? ": " : ""}${r.requester.name} answered the question on ${r.id}: "${e.why ?? ""}"`, who));
        return;
      }
      case "reassigned":
        await this.replyInThread(r, key, mentionActivity(`<at>${e.to.name}</at>: ${e.by.name} reassigned transfer request ${r.id} (case ${r.caseReference}) to you${e.why ? `: "${e.why}"` : ""}.`, [e.to]));
        await this.notifyUser(r.requester, `${key}:requester`, textActivity(`Transfer request ${r.id} (case ${r.caseReference}) is now with ${e.to.name}.`), r);
        return;
      default:
        return;
    }
  }

  // -------------------------------------------------------------------------
  // Commands

  /** An approvals command typed to Stepwise; false if the text is not one (the triage takes it). */
  async handleCommand(context: TurnContext, text: string): Promise<boolean> {
    const command = parseCommand(text);
    if (!command) return false;
    await this.rememberFromTurn(context).catch(() => undefined);
    const reply = await this.runCommand(context, command);
    await context.sendActivity(textActivity(reply));
    return true;
  }

  private isAdmin(context: TurnContext): boolean {
    if (!this.d.admins.length) return true;
    const from = context.activity.from;
    return this.d.admins.includes(from.id) || (!!from.aadObjectId && this.d.admins.includes(from.aadObjectId));
  }

  private channelOf(context: TurnContext): ChannelTarget | undefined {
    const a = context.activity;
    const cd = channelDataOf(a);
    const teamId = cd.team?.id;
    const channelId = cd.channel?.id ?? (a.conversation?.conversationType === "channel" ? a.conversation.id.split(";")[0] : undefined);
    if (a.conversation?.conversationType !== "channel" || !teamId || !channelId) return undefined;
    return {
      serviceUrl: a.serviceUrl,
      ...(cd.tenant?.id ?? a.conversation.tenantId ? { tenantId: cd.tenant?.id ?? a.conversation.tenantId } : {}),
      teamId,
      teamName: cd.team?.name ?? "",
      channelId,
      channelName: cd.channel?.name ?? (channelId === teamId ? "General" : ""),
    };
  }

  /** Fill in team and channel names from what the bot has seen of the team. */
  private async named(target: ChannelTarget): Promise<ChannelTarget> {
    const team = await this.d.store.team(target.teamId);
    return {
      ...target,
      teamName: target.teamName || team?.teamName || "the team",
      channelName: target.channelName || team?.channels.find((c) => c.id === target.channelId)?.name || "a channel",
    };
  }

  private async runCommand(context: TurnContext, command: Command): Promise<string> {
    const a = context.activity;
    if (command.kind === "help") return APPROVALS_HELP;
    if (command.kind === "history") return this.history(context, command.requestId, command.raw);
    const channel = this.channelOf(context);
    if (!channel) return `That works in a team channel: @mention Stepwise there. ${command.kind === "register" ? "Go to the channel of the managers who decide, and say it there." : ""}`.trim();
    if (command.kind !== "channels" && !(command.kind === "approvers" && command.op === "list") && !this.isAdmin(context)) {
      return "Only Stepwise's administrators can change channel registrations and approvers here.";
    }
    const user = this.d.demo.actor(a, personOf(a.from));
    switch (command.kind) {
      case "register":
        return this.register(context, await this.named(channel), command.spec, user);
      case "unregister": {
        const rows = await this.d.store.registrationsInChannel(channel.channelId);
        for (const row of rows) await this.d.store.deleteRegistration(row.value);
        return rows.length ? `This channel no longer receives requests for: ${rows.map((r) => this.regLabel(r.value)).join("; ")}.` : "Nothing is registered to this channel.";
      }
      case "channels": {
        const rows = await this.d.store.registrationsInTeam(channel.teamId);
        if (!rows.length) return `Nothing is registered in this team yet. ${APPROVALS_HELP.split("\n")[1] ?? ""}`;
        return ["Registered in this team:", ...rows.map((r) => `- ${this.regLabel(r.value)} → ${r.value.channel.channelName} (${r.value.approvers.length} approver${r.value.approvers.length === 1 ? "" : "s"})${r.value.unreachable ? " (unreachable)" : ""}`)].join("\n");
      }
      case "approvers":
        return this.approvers(context, channel, command.op, user);
    }
  }

  private regLabel(r: Registration): string {
    return `${r.authorityId} ${r.roleTitle}${r.teamName && !r.roleTitle.includes(r.teamName) ? ` (${r.teamName})` : ""}`;
  }

  /** The team's members (all pages), without the bot. */
  private async members(context: TurnContext): Promise<Person[]> {
    const out: Person[] = [];
    let token: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(context, 100, token);
      for (const m of page.members) if (m.id !== context.activity.recipient.id) out.push(personOf(m));
      token = page.continuationToken;
    } while (token);
    return out;
  }

  private async register(context: TurnContext, channel: ChannelTarget, spec: string, by: Person): Promise<string> {
    const parsed = parseRoleSpec(spec, this.d.packs);
    if (!parsed.ok) return parsed.problem;
    const { pack, teamId, teamName, role, roleTitle } = parsed.value;
    let approvers: Person[] = [];
    let source: Registration["approversSource"] = "members";
    let note: string;
    try {
      const members = await this.members(context);
      if (members.length <= MAX_MEMBERS_AS_APPROVERS) {
        approvers = this.d.demo.appliesTo(context.activity) ? members.map((m) => this.d.demo.actor(context.activity, m)) : members;
        note = `Approvers: ${approvers.map((p) => p.name).join(", ") || "nobody yet"} (the members of this channel). Change them with "approvers add @name" or "approvers remove @name".`;
      } else {
        source = "command";
        note = `This team has ${members.length} members, too many to make them all approvers: add the approvers with "approvers add @name".`;
      }
    } catch (err) {
      source = "command";
      this.d.log.warn("could not read the channel's members", { error: (err as Error).name });
      note = 'I could not read this channel\'s members, so there are no approvers yet: add them with "approvers add @name".';
    }
    const existing = await this.d.store.registration(pack.id, teamId, role);
    const reg: Registration = {
      authorityId: pack.id,
      teamId,
      teamName,
      role,
      roleTitle,
      channelId: channel.channelId,
      channel,
      approvers,
      approversSource: source,
      registeredBy: by,
      registeredAt: this.d.now().toISOString(),
      unreachable: null,
      demo: false,
    };
    await this.d.store.putRegistration(reg);
    this.d.log.info("channel registered", { authority: pack.id, team: teamId, role, channelId: channel.channelId });
    // The channel's daily digest of what waits for it (issue 5).
    await this.ladder?.channelRegistered(pack.id, teamId, role).catch((err: unknown) => this.d.log.warn("could not schedule the channel's digest", { error: (err as Error).name }));
    const moved = existing && existing.value.channelId !== channel.channelId ? ` (it was ${existing.value.channel.teamName} › ${existing.value.channel.channelName})` : "";
    const posted = await this.flushWaiting(pack.id, teamId, role);
    return `This channel now receives ${pack.name}'s transfer requests for ${this.regLabel(reg)}${moved}. ${note}${posted ? ` ${posted} waiting request${posted === 1 ? " has" : "s have"} been posted here.` : ""}`;
  }

  private async approvers(context: TurnContext, channel: ChannelTarget, op: "list" | "add" | "remove" | "sync", by: Person): Promise<string> {
    const rows = await this.d.store.registrationsInChannel(channel.channelId);
    if (!rows.length) return 'Nothing is registered to this channel yet: "register this channel as <council> <team> <role>" first.';
    const a = context.activity;
    const mentioned = (a.entities ?? [])
      .filter((e) => e.type === "mention")
      .map((e) => (e as { mentioned?: { id?: string; name?: string } }).mentioned)
      .filter((m): m is { id: string; name?: string } => !!m?.id && m.id !== a.recipient.id)
      .map((m) => this.d.demo.actor(a, personOf(m)));
    if (op === "list") return rows.map((r) => `${this.regLabel(r.value)}: ${r.value.approvers.map((p) => p.name).join(", ") || "no approvers yet"}`).join("\n");
    let members: Person[] | undefined;
    if (op === "sync") {
      try {
        members = (await this.members(context)).map((m) => this.d.demo.actor(a, m));
      } catch {
        return "I could not read this channel's members just now; try again in a moment.";
      }
      if (members.length > MAX_MEMBERS_AS_APPROVERS) return `This team has ${members.length} members, too many to make them all approvers; use "approvers add @name".`;
    } else if (!mentioned.length) return `@mention the people to ${op}, e.g. "approvers ${op} @Alex Manager".`;
    const changed: string[] = [];
    for (const row of rows) {
      const next = await this.d.store.updateRegistration(row.value.authorityId, row.value.teamId, row.value.role, (r) => {
        const list = op === "sync" ? (members ?? []) : op === "add" ? [...r.approvers, ...mentioned.filter((m) => !r.approvers.some((x) => x.id === m.id))] : r.approvers.filter((x) => !mentioned.some((m) => m.id === x.id));
        return { ...r, approvers: list.slice(0, MAX_MEMBERS_AS_APPROVERS), approversSource: op === "sync" ? "members" : "command" };
      });
      if (next) changed.push(`${this.regLabel(next)}: ${next.approvers.map((p) => p.name).join(", ") || "no approvers"}`);
    }
    this.d.log.info("approvers changed", { op, channelId: channel.channelId, by: by.id });
    return ["Approvers now:", ...changed].join("\n");
  }

  private async history(context: TurnContext, id: string | undefined, raw: string): Promise<string> {
    if (!id) return raw ? `"${raw.slice(0, 30)}" is not a request id: they look like TR-7K3F9Q.` : 'Say "history" and the request id, e.g. "history TR-7K3F9Q".';
    const cur = await this.d.store.getRequest(id);
    if (!cur) return `There is no transfer request ${id}.`;
    const r = cur.request;
    const a = context.activity;
    const user = personOf(a.from);
    const actor = this.d.demo.actor(a, user);
    const approvers = await this.approversOf(r);
    const inItsChannel = !!r.delivery.post && a.conversation?.id?.split(";")[0] === r.delivery.post.conversationId.split(";")[0];
    const allowed = user.id === r.requester.id || approvers.some((p) => p.id === actor.id || p.id === user.id) || inItsChannel || (this.d.admins.length > 0 && this.isAdmin(context));
    if (!allowed) return `Only the requester, the approvers for ${deciderLabel(r.decider)} and the channel it was posted in can see the history of ${id}.`;
    const head = `${r.id}: ${directionLabel(r.direction)} of case ${r.caseReference} to ${r.toTeam.name} (${r.authority.name}). Now: ${this.whereItIs(r)}.`;
    return [head, ...timeline(r).map((line) => `- ${line}`)].join("\n");
  }

  // -------------------------------------------------------------------------
  // Installs

  /** The bot was added to a team, or a channel was created or renamed: keep the team's reference. */
  async onConversationUpdate(context: TurnContext): Promise<void> {
    const a = context.activity;
    const cd = channelDataOf(a);
    const teamId = cd.team?.id;
    if (!teamId || !a.serviceUrl) return;
    const botAdded = (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id) || (a.type === "installationUpdate" && a.action === "add");
    const botRemoved = (a.membersRemoved ?? []).some((m) => m.id === a.recipient?.id) || (a.type === "installationUpdate" && a.action === "remove");
    const known = await this.d.store.team(teamId);
    const channels = [...(known?.channels ?? [])];
    const seen = cd.channel?.id ? { id: cd.channel.id, name: cd.channel.name ?? (cd.channel.id === teamId ? "General" : "") } : { id: teamId, name: "General" };
    const i = channels.findIndex((c) => c.id === seen.id);
    if (i < 0) channels.push(seen);
    else if (seen.name) channels[i] = seen;
    const record: TeamRecord = {
      teamId,
      teamName: cd.team?.name ?? known?.teamName ?? "",
      serviceUrl: a.serviceUrl,
      ...(cd.tenant?.id ?? a.conversation?.tenantId ? { tenantId: cd.tenant?.id ?? a.conversation?.tenantId } : {}),
      channels,
      installedBy: botAdded ? personOf(a.from) : (known?.installedBy ?? null),
      updatedAt: this.d.now().toISOString(),
    };
    await this.d.store.putTeam(record);
    const regs = await this.d.store.registrationsInTeam(teamId);
    if (botRemoved) {
      for (const r of regs) await this.channelUnreachable(r.value, "Stepwise was removed from the team");
      return;
    }
    if (botAdded) {
      this.d.log.info("added to a team", { teamId });
      // Back in the team: channels marked unreachable work again, and what waited for them is posted.
      for (const r of regs) {
        if (!r.value.unreachable) continue;
        await this.d.store.updateRegistration(r.value.authorityId, r.value.teamId, r.value.role, (x) => ({ ...x, unreachable: null, channel: { ...x.channel, serviceUrl: a.serviceUrl } }));
        await this.flushWaiting(r.value.authorityId, r.value.teamId, r.value.role);
      }
    }
    if (this.d.demo.appliesTo(a)) await this.flushDemo();
  }

  /** In the demo: post every waiting request now that a Playground channel is known. */
  private async flushDemo(): Promise<void> {
    for (const r of await this.d.store.waiting()) {
      const o = await this.deliver(r.id);
      await this.tellRequesterDelivery(o);
    }
  }
}
