/**
 * The escalation ladder in the bot (issue 5): the approvals shell wired to the ladder clock
 * (domain/escalation.ts), its durable store and sweeper (bot/escalation/), and its cards.
 *
 *   - A transfer request's decision clock starts when the request is made (`startFor`): the ladder
 *     its rule names, the request's decision deadline from the pack, its decider's level, immediate
 *     danger from the case facts. A decider the ladder does not name (some rules name a duty manager
 *     or a panel, the ladder starts with the team manager) is put in front of the ladder as its first
 *     level, so that the request waits with the decider first and only then goes up the ladder.
 *   - `post` is the sweeper's post function: it finds the channel registered for the level's role,
 *     builds the reminder / escalation / digest card (@mentioning the role's approvers, with the
 *     approval card's verbs for the same request), sends it through the approvals Sender and outbox
 *     (one post per idempotency key, the key also in channelData), records `reminded` / `escalated`
 *     on the request's audit trail and, for an escalation, brings the original approval card (and the
 *     ladder's earlier cards) up to date: where the request went, and when. With no channel for the
 *     role it throws, so that the sweeper tries again later, and tells the council's administrators once.
 *   - A decision at any level closes the clock and updates every card about the request (`onDecided`).
 *   - Disputes: a manager of a team involved disagrees with a decision from its card (`raise`): the
 *     council's dispute ladder starts with the reason, is followed up the same way, and the level that
 *     has it resolves it on its card (`resolve`), which closes it.
 *   - Digests: a channel gets its daily digest scheduled when it is registered (`channelRegistered`).
 *
 * Who may decide: the approvers of the level the request is with now (the latest `escalated` event
 * on its audit trail, else the decider), never the requester; a disagreement: the approvers of the
 * level it is with (at its first level also the manager who decided), never the manager who raised it.
 */
import { randomUUID } from "node:crypto";
import { CardFactory, MessageFactory, type Activity } from "botbuilder";
import {
  channelKeyOf,
  LadderError,
  ladderIdForRule,
  levelOfRole,
  pickDecisionDeadline,
  raiseDispute,
  startClock,
  type CaseSummary,
  type ClockState,
  type DecisionInput,
  type EscalationPolicy,
  type Track,
} from "../../domain/escalation";
import { ukDateTime } from "../../domain/format";
import type { PolicyPack } from "../../domain/pack";
import {
  apply,
  deciderLabel,
  decidedWords,
  directionLabel,
  disputeOf,
  disputeOutcomeWords,
  disputeResolutionOf,
  isRefused,
  lastEscalation,
  SYSTEM,
  type Decider,
  type DisputeOutcome,
  type Person,
  type Post,
  type RequestAction,
  type TransferRequest,
} from "../../domain/requests";
import {
  disputeCardData,
  escalationCardData,
  expandCard,
  noticeFor,
  reminderCardData,
  withActions,
  withMentions,
  withNotice,
  withOutcome,
  type CardAction,
  type CardJson,
  type CardTone,
  type DigestCardData,
  type EscalationCardData,
  type ReminderCardData,
} from "../escalation/cards";
import type { EscalationStore } from "../escalation/store";
import { startSweeper, sweep, type EscalationPost, type PostResult, type SweeperHandle, type SweepResult } from "../escalation/sweeper";
import type { Logger } from "../log";
import { mentionId, type Notice } from "./cardData";
import type { Outbox } from "./outbox";
import type { LadderCardKind } from "./payloads";
import { DeliveryError, UnreachableError, type Sender } from "./sender";
import type { ApprovalsService } from "./service";
import { all, type ApprovalStore, type Registration } from "./store";

export interface LadderDeps {
  escalations: EscalationStore;
  store: ApprovalStore;
  sender: Sender;
  outbox: Outbox;
  packs: Readonly<Record<string, PolicyPack>>;
  now: () => Date;
  log: Logger;
  policy: EscalationPolicy;
  /** Teams user ids of Stepwise's administrators (besides those who registered the council's channels). */
  admins: readonly string[];
}

export interface SweeperOptions {
  /** The sweeper's clock (default: the approvals' clock). */
  now?: () => Date;
  /** Pause between sweeps that found nothing more to do (default 15 s). */
  intervalMs?: number;
  /** How long a claim on a due timer lasts (default 5 min: a post may wait out Teams' throttling). */
  leaseMs?: number;
  instanceId?: string;
  /** Delay before a failed post is tried again (default 30 s · 2^(attempt-1), at most 15 min), in the sweeper's clock. */
  retryDelayMs?: (attempt: number) => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A card of the ladder posted about a request: where it is, and what it was. */
export interface LadderCardRef {
  kind: LadderCardKind;
  track: Track;
  /** The level the card is about (for an escalation: the level it went to). */
  level: number;
  post: Post;
  /** Its idempotency key (also in the activity's channelData), when known. */
  key?: string;
}

interface Holders {
  /** May act on the card. */
  people: Person[];
  /** Are @mentioned on it. */
  mentioned: Person[];
}

const POST_KIND: Record<LadderCardKind, string> = { reminder: "remind", escalation: "escalate", dispute: "dispute" };

/** The post no longer applies (the request was decided meanwhile): the sweeper tries again and finds the timer stale. */
export class StaleLadderPost extends Error {
  override readonly name = "StaleLadderPost";
}

const DIRECTION_HEADING = (r: TransferRequest): string => `${directionLabel(r.direction)}: ${r.fromTeam ? `${r.fromTeam.name} → ` : ""}${r.toTeam.name}`;

/** The facts a manager needs about the case on the ladder's cards: never a child's name or date of birth. */
export function caseSummary(r: TransferRequest): CaseSummary {
  return {
    caseReference: r.caseReference,
    heading: DIRECTION_HEADING(r),
    direction: r.direction,
    fromTeam: r.fromTeam?.name ?? null,
    toTeam: r.toTeam.name,
    requestedBy: r.requester,
    requestedAt: r.createdAt,
  };
}

/** The pack with the request's decider in front of the ladder, for a decider the ladder does not name. */
function withDeciderFirst(pack: PolicyPack, ladderId: string, decider: Decider): PolicyPack {
  return {
    ...pack,
    ladders: pack.ladders.map((l) =>
      l.id !== ladderId
        ? l
        : {
            ...l,
            levels: [
              {
                level: 1,
                role: decider.teamId ? { team: decider.teamId, role: decider.role } : { role: decider.role },
                wording: `The ${deciderLabel(decider)} decides, as the protocol's rule for this case says; if no decision comes, the ${l.name.toLowerCase()} follows.`,
              },
              ...l.levels.map((x) => ({ ...x, level: x.level + 1 })),
            ],
          },
    ),
  };
}

function holderOf(role: { teamId: string | null; teamName: string | null; role: string; title: string }): Decider {
  return { teamId: role.teamId, teamName: role.teamName, role: role.role, title: role.title };
}

const channelName = (reg: Registration): string => `${reg.channel.teamName} › ${reg.channel.channelName}`;

function cardActivity(card: CardJson, mentions: { id: string; name: string }[], channelData: Record<string, unknown>): Partial<Activity> {
  const activity: Partial<Activity> = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  if (mentions.length) activity.entities = mentions.map((m) => ({ type: "mention", text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } }));
  activity.channelData = channelData;
  return activity;
}

const disputeKey = (requestId: string): string => `dispute:${requestId}:raised`;

const uniqueById = (people: readonly Person[]): Person[] => [...new Map(people.map((p) => [p.id, p] as const)).values()];

/** Of two versions of a clock, the one that is further on (closed, or with more history). */
function newest(a: ClockState | undefined, b: ClockState | undefined): ClockState | undefined {
  if (!a || !b) return a ?? b;
  if (a.status !== b.status) return a.status === "closed" ? a : b;
  return b.history.length > a.history.length ? b : a;
}

export class Ladder {
  private sweeper: SweeperHandle | undefined;
  /** Set while the sweeper stops: a sweep cut short by the shutdown (storage gone) is not an error. */
  private stopping = false;

  constructor(
    private readonly d: LadderDeps,
    private readonly svc: ApprovalsService,
  ) {}

  get store(): EscalationStore {
    return this.d.escalations;
  }

  get policy(): EscalationPolicy {
    return this.d.policy;
  }

  // -------------------------------------------------------------------------
  // Clocks

  /** The decision clock of a request the ladder follows up, or undefined (no ladder, or none that resolves). */
  decisionClock(r: TransferRequest): ClockState | undefined {
    const pack = this.d.packs[r.authority.id];
    if (!pack) return undefined;
    const ladderId = ladderIdForRule(pack, r.recommendation.ruleId);
    if (!ladderId) return undefined;
    const context = { currentTeam: r.decider.teamId ?? r.fromTeam?.teamId ?? null, previousTeam: r.fromTeam?.teamId ?? null };
    const decider = { teamId: r.decider.teamId, role: r.decider.role };
    try {
      const onLadder = levelOfRole(pack, ladderId, decider, context) !== undefined;
      return startClock({
        pack: onLadder ? pack : withDeciderFirst(pack, ladderId, r.decider),
        ladderId,
        requestId: r.id,
        case: caseSummary(r),
        context,
        startedAt: new Date(r.createdAt),
        decider,
        decisionDeadline: pickDecisionDeadline(pack, r.recommendation.ruleId, r.deadlines),
        immediateDanger: r.facts.concern === "immediate-danger",
        policy: this.d.policy,
      });
    } catch (err) {
      if (!(err instanceof LadderError)) throw err;
      this.d.log.warn("no escalation ladder can follow this request up", { transferRequestId: r.id, authority: r.authority.id, ladder: ladderId, problem: err.message });
      return undefined;
    }
  }

  /** Start the request's decision clock (idempotent: its start is fixed by the request). Nothing for a decided request. */
  async startFor(r: TransferRequest): Promise<ClockState | undefined> {
    if (r.decision) return undefined;
    const state = this.decisionClock(r);
    if (!state) return undefined;
    const opened = await this.d.escalations.open(state, this.d.now());
    if (opened.created) this.d.log.info("escalation clock started", { transferRequestId: r.id, ladder: state.ladder.id, level: state.level, deadlineAt: state.plan.deadlineAt });
    return opened.state;
  }

  /** A channel was registered for a role: its daily digest is scheduled. */
  async channelRegistered(authorityId: string, teamId: string | null, role: string): Promise<void> {
    await this.d.escalations.ensureDigests([channelKeyOf(authorityId, { teamId, role })], this.d.now(), this.d.policy);
  }

  // -------------------------------------------------------------------------
  // Who holds the request now

  /**
   * The approvers of the level the request's decision (or its disagreement) is with now, when the
   * ladder has moved it from its decider; undefined while it is still with the decider.
   */
  async holdersNow(r: TransferRequest, track: Track): Promise<Person[] | undefined> {
    const where = lastEscalation(r, track) ?? (track === "dispute" ? disputeOf(r) : undefined);
    if (!where) return undefined;
    return (await this.registrationOf(r, where.holder))?.approvers ?? [];
  }

  private registrationOf(r: TransferRequest, role: { teamId: string | null; teamName: string | null; role: string; title: string }): Promise<Registration | undefined> {
    return this.svc.registrationForRole(r.authority.id, role.teamId, role.teamName, role.role, role.title, r.requester);
  }

  /**
   * Who may act on a ladder card (the level's approvers, never the requester, nor the manager who
   * disagreed) and who is @mentioned: the assignee, when someone at that level reassigned it to them.
   * An escalation never goes to the assignee of the level below (`fresh`).
   */
  private holdersFor(r: TransferRequest, track: Track, approvers: readonly Person[], fresh: boolean): Holders {
    const excluded = new Set([r.requester.id, ...(track === "dispute" ? [disputeOf(r)?.by.id ?? ""] : [])]);
    const people = approvers.filter((p) => !excluded.has(p.id));
    const mentioned = track === "decision" && r.assignee && !fresh ? [r.assignee] : people;
    return { people, mentioned };
  }

  /** The managers of the teams involved in the transfer, who may disagree with its decision (not the one who made it). */
  async disputersOf(r: TransferRequest): Promise<Person[]> {
    if (!r.decision || disputeOf(r)) return [];
    const pack = this.d.packs[r.authority.id];
    if (!pack?.ladders.some((l) => l.id === "dispute")) return [];
    const teams = new Set([r.fromTeam?.teamId, r.toTeam.teamId, r.decider.teamId].filter((t): t is string => !!t));
    const regs = await all(this.d.store.channels.list(r.authority.id));
    const people = regs.filter((row) => row.value.teamId !== null && teams.has(row.value.teamId)).flatMap((row) => row.value.approvers);
    return uniqueById(people).filter((p) => p.id !== r.decision?.by.id);
  }

  /** The team whose managers' line a disagreement climbs: the disputing manager's team (the sending side first). */
  private async disputerTeam(r: TransferRequest, actor: Person): Promise<string | null> {
    const regs = (await all(this.d.store.channels.list(r.authority.id))).map((row) => row.value).filter((x) => x.approvers.some((p) => p.id === actor.id));
    for (const team of [r.fromTeam?.teamId, r.toTeam.teamId, r.decider.teamId]) if (team && regs.some((x) => x.teamId === team)) return team;
    return r.decider.teamId;
  }

  // -------------------------------------------------------------------------
  // The sweeper's post

  /** Posts a reminder, escalation or digest for the sweeper; throws when it cannot (the sweeper tries again later). */
  readonly post = async (p: EscalationPost): Promise<PostResult> => {
    if (p.kind === "digest") return this.postDigest(p);
    const id = p.requestId;
    const track = p.track;
    const level = p.level;
    const role = p.role;
    if (!id || !track || level === null || !role) throw new TypeError(`post ${p.idempotencyKey}: not about a request`);
    const now = this.d.now();
    const cur = await this.d.store.getRequest(id);
    if (!cur) {
      await this.d.escalations.close(id, track, { by: SYSTEM, outcome: "withdrawn", why: "the request no longer exists" }, now);
      throw new StaleLadderPost(`${id} no longer exists`);
    }
    const r = cur.request;
    const closing = this.closingOf(r, track);
    if (closing) {
      // Decided (or resolved) but the clock not yet closed: close it; the retry finds the timer stale.
      await this.d.escalations.close(id, track, closing, now);
      throw new StaleLadderPost(`${id} was decided before its ${p.kind} went out`);
    }
    const reg = await this.registrationOf(r, role);
    if (!reg || reg.unreachable) {
      await this.noChannel(p, r, reg);
      throw new Error(`no working channel is registered for ${p.channelKey}`);
    }
    const holders = this.holdersFor(r, track, reg.approvers, p.kind === "escalate");
    const kind: LadderCardKind = p.kind === "remind" ? "reminder" : "escalation";
    const data = p.card.data as EscalationCardData | ReminderCardData;
    const card = this.decorate(r, { kind, track, level }, data, holders, true);
    const mentions = holders.mentioned.slice(0, 10).map((x) => ({ id: mentionId(x), name: x.name }));
    const post = await this.postInChannel(p.idempotencyKey, reg, cardActivity(card, mentions, { stepwiseKey: p.idempotencyKey, kind: p.kind, requestId: id, track, level, redelivery: p.redelivery }));

    const holder = holderOf(role);
    const action: RequestAction =
      p.kind === "remind"
        ? { kind: "reminded", track, level, holder, channel: post.channelName, key: p.idempotencyKey, post }
        : { kind: "escalated", track, fromLevel: p.previous?.level ?? level - 1, fromTitle: p.previous?.role.title ?? "level before", level, holder, channel: post.channelName, key: p.idempotencyKey, post };
    const recorded = await this.svc.change(id, SYSTEM, action);
    const after = recorded?.request ?? r;
    this.d.log.info(p.kind === "remind" ? "reminder posted" : "escalation posted", { transferRequestId: id, track, level, channelKey: p.channelKey });
    if (this.closingOf(after, track)) {
      // Decided while it was being posted: the card says so at once.
      void this.svc.track(this.refreshLadderCards(id), "ladder cards after a late post");
    } else if (p.kind === "escalate") {
      // The original card (and the ladder's earlier cards) say where the request went, and when.
      if (track === "decision") void this.svc.track(this.svc.refreshCard(id), "approval card after an escalation");
      else void this.svc.track(this.svc.refreshCard(id), "approval card after a disagreement's escalation");
      void this.svc.track(this.refreshLadderCards(id, p.clock ?? undefined, post.activityId), "ladder cards after an escalation");
    }
    return { activityId: post.activityId, conversationId: post.conversationId };
  };

  private async postDigest(p: EscalationPost): Promise<PostResult> {
    const [authorityId, team, role] = p.channelKey.split("/");
    if (!authorityId || !team || !role) throw new TypeError(`digest for "${p.channelKey}": not a channel key`);
    const found = await this.d.store.registration(authorityId, team === "*" ? null : team, role);
    const reg = found?.value;
    if (!reg || reg.unreachable) {
      // Nowhere to post it (unregistered since, or unreachable): this day's digest is skipped.
      this.d.log.warn("daily digest skipped: no working channel", { channelKey: p.channelKey });
      return {};
    }
    const data = p.card.data as DigestCardData;
    const card = expandCard("digest", data);
    const post = await this.postInChannel(p.idempotencyKey, reg, cardActivity(card, [], { stepwiseKey: p.idempotencyKey, kind: "digest", channelKey: p.channelKey }));
    this.d.log.info("daily digest posted", { channelKey: p.channelKey, waiting: data.waiting.length, overdue: data.overdue.length, escalated: data.escalated.length });
    return { activityId: post.activityId, conversationId: post.conversationId };
  }

  /** A new thread in the channel, once per key (the outbox), under the Sender's retry policy. */
  private async postInChannel(key: string, reg: Registration, activity: Partial<Activity>): Promise<Post> {
    let result;
    try {
      result = await this.d.outbox.once(`ladder:${key}`, () => this.d.sender.createThread(reg.channel, activity));
    } catch (err) {
      if (err instanceof UnreachableError) await this.svc.channelUnreachable(reg, `Teams answered ${err.status}${err.code ? ` ${err.code}` : ""}`);
      throw err;
    }
    if (result.status === "busy") throw new Error(`${key} is being posted by another instance`);
    return { serviceUrl: reg.channel.serviceUrl, conversationId: result.result.conversationId, activityId: result.result.activityId, channelName: channelName(reg) };
  }

  /** What closes a track's clock on this request, if it has happened. */
  private closingOf(r: TransferRequest, track: Track): DecisionInput | undefined {
    if (track === "decision") return r.decision ? { by: r.decision.by, outcome: r.decision.outcome, why: r.decision.why ?? null } : undefined;
    const done = disputeResolutionOf(r);
    return done ? { by: done.by, outcome: disputeOutcomeWords(done.outcome), why: done.why ?? null } : undefined;
  }

  /** No channel for a level's role: the council's administrators are told, once per role. */
  private async noChannel(p: EscalationPost, r: TransferRequest, reg: Registration | undefined): Promise<void> {
    const role = p.role;
    if (!role) return;
    this.d.log.warn("no working channel for a ladder post; it will be tried again", { transferRequestId: r.id, kind: p.kind, channelKey: p.channelKey, unreachable: !!reg?.unreachable });
    if (reg?.unreachable) return; // its administrators were told when it became unreachable
    const what = p.track === "dispute" ? `the disagreement about transfer request ${r.id}` : `transfer request ${r.id}`;
    const doing = p.kind === "remind" ? `remind the ${deciderLabel(holderOf(role))} about ${what}` : `escalate ${what} to the ${deciderLabel(holderOf(role))}`;
    const text =
      `Stepwise needs to ${doing} (${r.authority.name}, case ${r.caseReference}), but no channel is registered for that role. ` +
      `In the channel of those managers, @mention Stepwise and say "register this channel as ${r.authority.id} ${role.teamId ? `${role.teamId} ` : ""}${role.role}". ` +
      "Until then Stepwise keeps trying, and the protocol's clock keeps running.";
    await this.tellAdmins(r.authority.id, `admin:no-channel:${p.channelKey}`, text);
  }

  /** Tell the council's administrators (who registered its channels, and Stepwise's own), once per key. */
  private async tellAdmins(authorityId: string, key: string, text: string): Promise<number> {
    const regs = (await all(this.d.store.channels.list(authorityId))).map((row) => row.value);
    const admins = uniqueById([...regs.map((x) => x.registeredBy).filter((p) => p.id !== SYSTEM.id), ...this.d.admins.map((id) => ({ id, name: "Administrator" }))]);
    const via = regs[0]?.channel;
    let told = 0;
    for (const admin of admins) {
      if (await this.svc.notifyUser(admin, `${key}:${admin.id}`, MessageFactory.text(text), undefined, via ? { serviceUrl: via.serviceUrl, tenantId: via.tenantId } : undefined)) told++;
    }
    if (!told) this.d.log.error("no administrator could be told about a ladder post that has no channel", { authorityId, key });
    return told;
  }

  // -------------------------------------------------------------------------
  // The ladder's cards

  /** Every card of the ladder posted about a request: from its audit trail, and the sweeper's effect records. */
  async cardsOf(r: TransferRequest): Promise<LadderCardRef[]> {
    const cards: LadderCardRef[] = [];
    for (const e of r.events) {
      if (e.type === "reminded" && e.post) cards.push({ kind: "reminder", track: e.track, level: e.level, post: e.post, key: e.key });
      if (e.type === "escalated" && e.post) cards.push({ kind: "escalation", track: e.track, level: e.level, post: e.post, key: e.key });
      if (e.type === "disputed" && e.post) cards.push({ kind: "dispute", track: "dispute", level: e.level, post: e.post, key: disputeKey(r.id) });
    }
    // A post whose audit event was not written (the process stopped in between) is still known to the store.
    const known = new Set(cards.map((c) => c.post.activityId));
    for (const fx of await this.d.escalations.effectsOf(r.id)) {
      if (fx.status !== "posted" || !fx.activityId || !fx.conversationId || known.has(fx.activityId) || !fx.track || fx.level === null || fx.kind === "digest") continue;
      const [authorityId, team, role] = fx.channelKey.split("/");
      const reg = authorityId && team && role ? (await this.d.store.registration(authorityId, team === "*" ? null : team, role))?.value : undefined;
      if (!reg) continue;
      cards.push({ kind: fx.kind === "remind" ? "reminder" : "escalation", track: fx.track, level: fx.level, key: fx.key, post: { serviceUrl: reg.channel.serviceUrl, conversationId: fx.conversationId, activityId: fx.activityId, channelName: channelName(reg) } });
    }
    return cards;
  }

  /** Bring every ladder card about the request up to date (after a decision, an escalation, a resolution). */
  async refreshLadderCards(id: string, newer?: ClockState, skipActivityId?: string): Promise<void> {
    const cur = await this.d.store.getRequest(id);
    if (!cur) return;
    const r = cur.request;
    const clocks = new Map<Track, ClockState | undefined>();
    for (const c of await this.cardsOf(r)) {
      if (c.post.activityId === skipActivityId) continue;
      if (!clocks.has(c.track)) clocks.set(c.track, newest((await this.d.escalations.getClock(id, c.track))?.state, newer?.track === c.track ? newer : undefined));
      const clock = clocks.get(c.track);
      if (!clock) continue;
      try {
        const card = await this.render(r, clock, c);
        const channelData = { ...(c.key ? { stepwiseKey: c.key } : {}), kind: POST_KIND[c.kind], requestId: id, track: c.track, level: c.level };
        await this.d.sender.update({ serviceUrl: c.post.serviceUrl, conversationId: c.post.conversationId, isGroup: true }, c.post.activityId, cardActivity(card, [], channelData));
      } catch (err) {
        this.d.log.warn("could not update a ladder card", { transferRequestId: id, kind: c.kind, level: c.level, error: (err as Error).name, message: (err as Error).message });
      }
    }
  }

  /** A ladder card as it should look now; `notice` for the person who pressed one of its buttons. */
  async render(r: TransferRequest, clock: ClockState, c: Pick<LadderCardRef, "kind" | "track" | "level">, notice?: Notice): Promise<CardJson> {
    let data: EscalationCardData | ReminderCardData | undefined;
    if (c.kind === "dispute") data = disputeCardData(clock);
    else {
      const n = noticeFor(clock, c.kind === "reminder" ? "remind" : "escalate", c.level);
      if (n?.kind === "remind") data = reminderCardData(clock, n);
      else if (n?.kind === "escalate") data = escalationCardData(clock, n);
    }
    if (!data) throw new Error(`${r.id}: cannot rebuild the ${c.kind} card of level ${c.level}`);
    const live = clock.status === "waiting" && clock.level === c.level && !this.closingOf(r, c.track);
    let holders: Holders = { people: [], mentioned: [] };
    if (live) {
      const step = clock.ladder.steps.find((s) => s.level === c.level);
      const reg = step ? await this.registrationOf(r, step.role) : undefined;
      holders = this.holdersFor(r, c.track, reg?.approvers ?? [], false);
    } else {
      const outcome = this.outcomeText(r, clock, c);
      if (outcome) data = withOutcome(data, outcome.text, outcome.tone);
    }
    if (notice?.text) data = withNotice(data, notice.text, notice.tone);
    return this.decorate(r, c, data, holders, live);
  }

  /** Mentions and buttons on a ladder card (only while it is live: the level it is about still has the request). */
  private decorate(r: TransferRequest, c: Pick<LadderCardRef, "kind" | "track" | "level">, data: EscalationCardData | ReminderCardData, holders: Holders, live: boolean): CardJson {
    const lead = c.track === "dispute" ? "please resolve this disagreement" : c.kind === "reminder" ? "a decision is due" : "this has come to you for a decision";
    let out = live ? withMentions(data, holders.mentioned.map((p) => ({ id: mentionId(p), name: p.name })), lead) : data;
    out = withActions(out, live ? this.actionsFor(r, c, holders.people) : []);
    return expandCard(c.kind === "reminder" ? "reminder" : "escalation", out);
  }

  /** The approval card's verbs for the same request (or a disagreement's resolution), routed back to this card. */
  private actionsFor(r: TransferRequest, c: Pick<LadderCardRef, "kind" | "track" | "level">, holders: Person[]): CardAction[] {
    const data = { requestId: r.id, card: c.kind, track: c.track, level: c.level };
    if (c.track === "dispute") {
      return [
        {
          title: "Resolve…",
          verb: "resolveDispute",
          data,
          submitTitle: "Record the resolution",
          inputs: [
            { kind: "choice", id: "outcome", label: "Outcome", required: true, error: "Choose the outcome.", choices: [{ title: "The decision stands", value: "stands" }, { title: "The decision is changed", value: "changed" }] },
            { kind: "text", id: "reason", label: "How was it resolved? (required; both teams see it; no names or dates of birth)", required: true, error: "Say how it was resolved." },
          ],
        },
      ];
    }
    const actions: CardAction[] = [
      { title: "Approve", verb: "approve", data },
      { title: "Decline…", verb: "decline", data, submitTitle: "Decline", inputs: [{ kind: "text", id: "reason", label: "Why is it declined? (required; no names or dates of birth)", required: true, error: "A decline needs a reason." }] },
    ];
    if (r.status === "pending") {
      actions.push({
        title: "Ask for information…",
        verb: "askInfo",
        data,
        submitTitle: "Send the question",
        inputs: [{ kind: "text", id: "question", label: `What do you need to know? (goes to ${r.requester.name}; no names or dates of birth)`, required: true, error: "Write the question." }],
      });
    }
    const others = holders.filter((p) => p.id !== r.assignee?.id);
    if (holders.length > 1 && others.length > 0) {
      actions.push({
        title: "Reassign…",
        verb: "reassign",
        data,
        submitTitle: "Reassign",
        inputs: [
          { kind: "choice", id: "to", label: "Reassign to another approver of this level", required: true, error: "Choose who takes it.", choices: others.map((p) => ({ title: p.name, value: p.id })) },
          { kind: "text", id: "why", label: "Why (optional)", required: false },
        ],
      });
    }
    return actions;
  }

  /** What became of the request since a ladder card was posted. */
  private outcomeText(r: TransferRequest, clock: ClockState, c: Pick<LadderCardRef, "track" | "level">): { text: string; tone: CardTone } | undefined {
    if (c.track === "decision" && r.decision) {
      const why = r.decision.why ? ` ${r.decision.outcome === "declined" ? "Reason" : "Comment"}: ${r.decision.why}` : "";
      return { text: `${decidedWords(r)}.${why} Nothing more is needed on this card.`, tone: r.decision.outcome === "approved" ? "good" : "attention" };
    }
    const resolved = c.track === "dispute" ? disputeResolutionOf(r) : undefined;
    if (resolved) return { text: `Disagreement resolved by ${resolved.by.name} on ${ukDateTime(resolved.at)}: ${disputeOutcomeWords(resolved.outcome)}. ${resolved.why ?? ""}`.trim(), tone: "good" };
    if (clock.status === "closed" && clock.closed) return { text: `Closed on ${ukDateTime(clock.closed.at)}: ${clock.closed.outcome}.`, tone: "default" };
    const moved = [...clock.history].reverse().find((h) => h.step === "escalated" && h.level > c.level);
    if (moved) {
      const where = lastEscalation(r, c.track);
      return {
        text: `Escalated further on ${ukDateTime(moved.at)} to the ${moved.title} (level ${moved.level})${where && where.level === moved.level ? ` in ${where.channel}` : ""}: it is no longer with this level.`,
        tone: "warning",
      };
    }
    return undefined;
  }

  /** The answer to a button pressed on a ladder card: that card as it is now, with a notice. */
  async invokeCard(r: TransferRequest, c: Pick<LadderCardRef, "kind" | "track" | "level">, notice?: Notice): Promise<CardJson | undefined> {
    const clock = (await this.d.escalations.getClock(r.id, c.track))?.state;
    if (!clock) return undefined;
    return this.render(r, clock, c, notice);
  }

  // -------------------------------------------------------------------------
  // Decisions and disagreements

  /** A decision at any level closes the clock and updates every ladder card about the request. */
  async onDecided(r: TransferRequest): Promise<void> {
    const d = r.decision;
    if (!d) return;
    await this.d.escalations.close(r.id, "decision", { by: d.by, outcome: d.outcome, why: d.why ?? null }, this.d.now());
    await this.refreshLadderCards(r.id);
  }

  /**
   * A manager disagrees with the decision: the council's dispute ladder starts (on the line of the
   * disputing manager's team) with the reason, its card is posted to the first level's channel,
   * and it is followed up like an unanswered request. Returns what to tell the manager.
   */
  async raise(r0: TransferRequest, actor: Person, reason: string): Promise<{ request: TransferRequest; refused?: string; said: string }> {
    const pack = this.d.packs[r0.authority.id];
    const disputers = await this.disputersOf(r0);
    const now = this.d.now();
    const placeholder: Decider = { teamId: null, teamName: null, role: "dispute", title: "dispute" };
    const check = apply(r0, actor, { kind: "dispute", disputers, reason, level: 1, holder: placeholder, ladder: "", channel: null }, now);
    if (isRefused(check)) return { request: r0, refused: check.refused.message, said: check.refused.message };
    if (!pack?.ladders.some((l) => l.id === "dispute")) {
      const said = `${r0.authority.name}'s protocol has no process for disagreements that Stepwise can follow: take it to your service manager directly.`;
      return { request: r0, refused: said, said };
    }
    const team = await this.disputerTeam(r0, actor);
    let state: ClockState;
    try {
      state = raiseDispute({
        pack,
        requestId: r0.id,
        case: caseSummary(r0),
        context: { currentTeam: team, previousTeam: r0.fromTeam?.teamId ?? null },
        startedAt: now,
        by: actor,
        reason: reason.trim(),
        about: decidedWords(r0),
        policy: this.d.policy,
      });
    } catch (err) {
      if (!(err instanceof LadderError)) throw err;
      const said = `Stepwise can't follow ${pack.name}'s disagreement process for this case (${err.message}): take it to your service manager directly.`;
      return { request: r0, refused: said, said };
    }
    const opened = await this.d.escalations.open(state, now);
    const clock = opened.state;
    if (!opened.created && clock.dispute?.by.id !== actor.id) {
      const said = `${clock.dispute?.by.name ?? "Another manager"} already disagreed with this decision; it is being followed up under the ${clock.ladder.name}.`;
      return { request: r0, refused: said, said };
    }
    const step = clock.ladder.steps.find((s) => s.level === clock.entryLevel) ?? clock.ladder.steps[0]!;
    const reg = await this.registrationOf(r0, step.role);
    let post: Post | undefined;
    // The disagreement's card, in the first level's channel (the record carries it, so a retry posts nothing twice).
    const withDispute = apply(r0, actor, { kind: "dispute", disputers, reason, level: clock.entryLevel, holder: holderOf(step.role), ladder: clock.ladder.name, channel: reg ? channelName(reg) : null }, now);
    if (reg && !reg.unreachable && !isRefused(withDispute)) {
      const holders = this.holdersFor(withDispute.request, "dispute", reg.approvers, true);
      const card = this.decorate(withDispute.request, { kind: "dispute", track: "dispute", level: step.level }, disputeCardData(clock), holders, true);
      const key = disputeKey(r0.id);
      try {
        post = await this.postInChannel(key, reg, cardActivity(card, holders.mentioned.slice(0, 10).map((x) => ({ id: mentionId(x), name: x.name })), { stepwiseKey: key, kind: "dispute", requestId: r0.id, track: "dispute", level: step.level }));
      } catch (err) {
        if (!(err instanceof UnreachableError || err instanceof DeliveryError)) throw err;
        this.d.log.warn("could not post a disagreement's card; its reminders and escalations follow it up", { transferRequestId: r0.id, error: err.name });
      }
    } else {
      await this.noChannel(
        { kind: "escalate", idempotencyKey: `dispute:${r0.id}`, attempt: 1, redelivery: false, requestId: r0.id, track: "dispute", authority: clock.authority, level: step.level, role: step.role, channelKey: step.channelKey, previous: null, dueAt: now.toISOString(), card: { template: "escalation", data: disputeCardData(clock) }, clock },
        r0,
        reg,
      );
    }
    const changed = await this.svc.change(r0.id, actor, { kind: "dispute", disputers, reason, level: clock.entryLevel, holder: holderOf(step.role), ladder: clock.ladder.name, channel: post?.channelName ?? (reg ? channelName(reg) : null), ...(post ? { post } : {}) });
    if (!changed) throw new Error(`request ${r0.id} disappeared`);
    if ("refused" in changed) return { request: changed.request, refused: changed.refused.message, said: changed.refused.message };
    const r = changed.request;
    this.d.log.info("disagreement raised", { transferRequestId: r.id, ladder: clock.ladder.id, level: clock.entryLevel, channelKey: step.channelKey, posted: !!post });
    const by = clock.plan.deadlineAt ? `, to be resolved by ${ukDateTime(clock.plan.deadlineAt)}` : "";
    const said = post
      ? `Your disagreement has gone to the ${deciderLabel(holderOf(step.role))} in ${post.channelName}${by}, under the ${clock.ladder.name}. Stepwise follows it up.`
      : `Your disagreement is recorded and its clock is running under the ${clock.ladder.name}, but no channel is registered for the ${deciderLabel(holderOf(step.role))} yet: an administrator has been told, and Stepwise follows it up.`;
    // The approval card shows the disagreement; the requester and the manager who decided are told.
    void this.svc.track(this.svc.refreshCard(r.id), "approval card after a disagreement");
    const text = `${actor.name} disagreed with the decision on transfer request ${r.id} (case ${r.caseReference}): "${reason.trim()}". It has gone to the ${deciderLabel(holderOf(step.role))} under the ${clock.ladder.name}.`;
    void this.svc.track(this.svc.notifyUser(r.requester, `dispute:${r.id}:requester`, MessageFactory.text(text), r), "tell the requester about a disagreement");
    if (r.decision && r.decision.by.id !== r.requester.id) void this.svc.track(this.svc.notifyUser(r.decision.by, `dispute:${r.id}:decider`, MessageFactory.text(text), r), "tell the decider about a disagreement");
    return { request: r, said };
  }

  /** The level a disagreement is with resolves it: the clock closes, every card says so, both sides are told. */
  async resolve(r0: TransferRequest, actor: Person, outcome: DisputeOutcome, reason: string): Promise<{ request: TransferRequest; refused?: string; said: string }> {
    const now = await this.holdersNow(r0, "dispute");
    const atFirstLevel = !lastEscalation(r0, "dispute");
    const resolvers = uniqueById([...(now ?? []), ...(atFirstLevel && r0.decision ? [r0.decision.by] : [])]);
    const changed = await this.svc.change(r0.id, actor, { kind: "resolve-dispute", resolvers, outcome, reason });
    if (!changed) throw new Error(`request ${r0.id} disappeared`);
    if ("refused" in changed) return { request: changed.request, refused: changed.refused.message, said: changed.refused.message };
    const r = changed.request;
    await this.d.escalations.close(r.id, "dispute", { by: actor, outcome: disputeOutcomeWords(outcome), why: reason.trim() }, this.d.now());
    this.d.log.info("disagreement resolved", { transferRequestId: r.id, outcome });
    void this.svc.track(this.svc.refreshCard(r.id), "approval card after a resolution");
    void this.svc.track(this.refreshLadderCards(r.id), "ladder cards after a resolution");
    const raised = disputeOf(r);
    const text = `${actor.name} resolved the disagreement about transfer request ${r.id} (case ${r.caseReference}): ${disputeOutcomeWords(outcome)}. "${reason.trim()}"`;
    if (raised) void this.svc.track(this.svc.notifyUser(raised.by, `dispute:${r.id}:resolved:disputer`, MessageFactory.text(text), r), "tell the manager who disagreed");
    if (raised?.by.id !== r.requester.id) void this.svc.track(this.svc.notifyUser(r.requester, `dispute:${r.id}:resolved:requester`, MessageFactory.text(text), r), "tell the requester about a resolution");
    return { request: r, said: `Recorded: ${disputeOutcomeWords(outcome)}. Both teams are being told.` };
  }

  // -------------------------------------------------------------------------
  // The sweeper

  /** Start sweeping (once per process; any number of processes may sweep one store). */
  startSweeper(options: SweeperOptions = {}): SweeperHandle {
    if (this.sweeper) return this.sweeper;
    const log = this.d.log;
    this.sweeper = startSweeper({
      store: this.d.escalations,
      post: this.post,
      now: options.now ?? this.d.now,
      intervalMs: options.intervalMs ?? 15_000,
      leaseMs: options.leaseMs ?? 300_000,
      instanceId: options.instanceId ?? `stepwise-${randomUUID()}`,
      ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      onSweep: (s) => {
        if (s.posted || s.failed || s.recovered) log.info("escalation sweep", { posted: s.posted, recovered: s.recovered, skipped: s.skipped, failed: s.failed, read: s.read, ms: Math.round(s.ms) });
      },
      onEvent: (e) => {
        if (e.type === "failed") log.warn("escalation post failed; it will be tried again", { key: e.key, error: e.error });
      },
      onError: (err) => (this.stopping ? log.debug : log.error).call(log, "escalation sweep failed", { error: (err as Error)?.name, message: (err as Error)?.message }),
    });
    log.info("escalation sweeper started", { instanceId: this.sweeper.instanceId, workingHours: this.d.policy.workingHours });
    return this.sweeper;
  }

  /** Stop sweeping; resolves when the sweep in progress has ended. */
  async stopSweeper(): Promise<void> {
    const handle = this.sweeper;
    this.sweeper = undefined;
    this.stopping = true;
    await handle?.stop();
    this.stopping = false;
  }

  /** One sweep now (scripts and tests). */
  sweepNow(now?: Date): Promise<SweepResult> {
    return sweep({ store: this.d.escalations, post: this.post, now: now ?? this.d.now(), instanceId: `manual-${randomUUID()}`, leaseMs: 300_000 });
  }
}

