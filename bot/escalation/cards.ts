/**
 * Escalation, reminder and digest cards: the data each template in cards/ is expanded with. The
 * templates hold layout only; every value shown is prepared here, from the clock (which carries the
 * case reference and the facts a manager needs — never a child's name or date of birth).
 *
 * The sweeper puts the card data in each post without mentions; whoever sends it adds the holders of
 * the role (`withMentions`) and the card's actions (`withActions`, e.g. the approval verbs) and
 * expands it (`escalationCard`, `reminderCard`, `digestCard`).
 */
import { Template } from "adaptivecards-templating";
import { planLevel, type ClockState, type Digest, type DigestItem, type EscalatedItem, type EscalationNotice, type HistoryEntry, type LevelPlan, type ReminderNotice } from "../../domain/escalation";
import { ukDateTime } from "../../domain/format";
import digestTemplate from "../../cards/digest.json";
import escalationTemplate from "../../cards/escalation.json";
import reminderTemplate from "../../cards/reminder.json";

export type CardJson = Record<string, unknown>;
export type CardTemplateName = "escalation" | "reminder" | "digest";

export interface Mentioned {
  id: string;
  name: string;
}

/** An input on an action's form (Action.ShowCard): a text box or a choice. */
export interface CardInput {
  kind: "text" | "choice";
  id: string;
  label: string;
  required: boolean;
  /** Shown when a required input is left empty. */
  error?: string;
  choices?: { title: string; value: string }[];
}

export interface CardAction {
  title: string;
  verb: string;
  data: Record<string, unknown>;
  /** With inputs the action is a form (Action.ShowCard) whose button (`submitTitle`) sends them with `data`. */
  inputs?: CardInput[];
  submitTitle?: string;
}

export interface Fact {
  title: string;
  value: string;
}

interface Common {
  subtitle: string;
  heading: string;
  mentions: Mentioned[];
  hasMentions: boolean;
  mentionText: string;
  actions: CardAction[];
  /** What became of the request since the card was posted (decided, escalated further, resolved). */
  hasOutcome: boolean;
  outcomeText: string;
  outcomeStyle: string;
  /** A message for the person who pressed a button (invoke answers only). */
  hasNotice: boolean;
  noticeText: string;
  noticeStyle: string;
}

export interface EscalationCardData extends Common {
  statusLabel: string;
  urgent: boolean;
  urgentText: string;
  summary: string;
  hasDispute: boolean;
  disputeLine: string;
  disputeReason: string;
  facts: Fact[];
  wording: string;
  ladderName: string;
  ladder: { text: string; weight: string }[];
  history: { when: string; text: string }[];
  requestId: string;
  level: number;
}

export interface ReminderCardData extends Common {
  urgent: boolean;
  urgentText: string;
  summary: string;
  facts: Fact[];
  history: { when: string; text: string }[];
  requestId: string;
  level: number;
}

export interface DigestCardData extends Common {
  counts: Fact[];
  waiting: { text: string; requestId: string }[];
  overdue: { text: string; requestId: string }[];
  escalated: { text: string; requestId: string }[];
  isEmpty: boolean;
}

export type AnyCardData = EscalationCardData | ReminderCardData | DigestCardData;

const when = (iso: string | null): string => (iso ? ukDateTime(iso) : "No time set by the protocol");

function durationWords(d: { amount: number; unit: string } | null): string {
  if (!d) return "no time set by the protocol";
  const unit = d.unit.replace(/-/g, " ");
  return `${d.amount} ${d.amount === 1 ? unit.replace(/s$/, "").replace(/days hours$/, "day hours") : unit}`;
}

function directionWords(direction: string | null): string {
  switch (direction) {
    case "step-up":
      return "Step up";
    case "step-down":
      return "Step down";
    case "transfer":
      return "Transfer";
    case "stay":
      return "Stays with the current team";
    case "refuse":
      return "Cannot be accepted";
    default:
      return direction ?? "Not stated";
  }
}

function historyText(state: ClockState, h: HistoryEntry): string {
  const from = h.fromLevel !== null ? state.ladder.steps.find((s) => s.level === h.fromLevel)?.role.title : undefined;
  switch (h.step) {
    case "started":
      return `Request ${h.by ? `made by ${h.by.name}` : "made"}; waiting for the ${h.title} (level ${h.level})`;
    case "dispute-raised":
      return `${h.by?.name ?? "A manager"} disagreed and started the ${state.ladder.name.toLowerCase()} with the ${h.title} (level ${h.level})`;
    case "reminded":
      return `Reminder sent to the ${h.title}`;
    case "escalated":
      return `No decision from the ${from ?? "level before"} in time: escalated to the ${h.title} (level ${h.level})`;
    case "decided":
      return `${h.by?.name ?? "A manager"} (${h.title}) decided: ${h.note ?? "decided"}`;
  }
}

function history(state: ClockState): { when: string; text: string }[] {
  return state.history.map((h) => ({ when: ukDateTime(h.at), text: historyText(state, h) }));
}

function ladderLines(state: ClockState): { text: string; weight: string }[] {
  return state.ladder.steps.map((s) => {
    const mark = s.level < state.level ? "✓" : s.level === state.level ? "▶" : "·";
    const window = s.level === state.level ? `by ${when(state.plan.deadlineAt)}` : s.within ? durationWords(s.within) : "";
    return { text: `${mark} Level ${s.level}: ${s.role.title}${window ? ` — ${window}` : ""}`, weight: s.level === state.level ? "Bolder" : "Default" };
  });
}

function caseFacts(state: ClockState): Fact[] {
  const c = state.case;
  const current = state.ladder.steps.find((s) => s.level === state.level);
  return [
    { title: "Case reference", value: c.caseReference },
    { title: "Request", value: state.requestId },
    { title: "Council", value: state.authority.name },
    { title: "Direction", value: directionWords(c.direction) },
    ...(c.fromTeam ? [{ title: "From", value: c.fromTeam }] : []),
    ...(c.toTeam ? [{ title: "To", value: c.toTeam }] : []),
    ...(c.requestedBy ? [{ title: "Requested by", value: c.requestedBy.name }] : []),
    { title: "Requested", value: ukDateTime(c.requestedAt) },
    { title: "Now with", value: `${current?.role.title ?? "?"} (level ${state.level} of ${state.ladder.steps.length})` },
    { title: "Decide by", value: when(state.plan.deadlineAt) },
    ...(state.decisionDeadline ? [{ title: "Protocol deadline", value: `${state.decisionDeadline.wording} (${when(state.decisionDeadline.at)})` }] : []),
    ...(state.resolveBy ? [{ title: "Ladder resolved by", value: when(state.resolveBy) }] : []),
  ];
}

function common(subtitle: string, heading: string): Common {
  return { subtitle, heading, mentions: [], hasMentions: false, mentionText: "", actions: [], hasOutcome: false, outcomeText: "", outcomeStyle: "default", hasNotice: false, noticeText: "", noticeStyle: "default" };
}

function urgentText(state: ClockState): string {
  return `Urgent: ${state.plan.urgentBecause ?? "the protocol's clock is urgent"}. This was sent when due, outside working hours if need be.`;
}

export function escalationCardData(state: ClockState, notice: EscalationNotice): EscalationCardData {
  const dispute = state.dispute;
  return {
    ...common(`${state.authority.name} · ${state.ladder.name}`, `Escalated to you: ${state.case.heading}`),
    statusLabel: `Level ${notice.level} of ${state.ladder.steps.length}: ${notice.step.role.title}`,
    urgent: notice.urgent,
    urgentText: urgentText(state),
    summary:
      `No decision came from the ${notice.from.role.title} by ${when(notice.expiredAt)}. ` +
      (notice.last
        ? "You are the last level of the protocol's ladder: there is no one further to escalate to."
        : `Under the protocol the request now comes to you${notice.deadlineAt ? `, to decide by ${when(notice.deadlineAt)}` : ""}.`),
    hasDispute: dispute !== null,
    disputeLine: dispute ? `Disputed by ${dispute.by.name}: ${dispute.about}` : "",
    disputeReason: dispute ? `Reason: ${dispute.reason}` : "",
    facts: caseFacts(state),
    wording: notice.step.wording,
    ladderName: state.ladder.name,
    ladder: ladderLines(state),
    history: history(state),
    requestId: state.requestId,
    level: notice.level,
  };
}

export function reminderCardData(state: ClockState, notice: ReminderNotice): ReminderCardData {
  // The level after the reminded one (not the clock's current next level: the card may be re-rendered after an escalation).
  const sorted = [...state.ladder.steps].sort((a, b) => a.level - b.level);
  const next = sorted[sorted.findIndex((s) => s.level === notice.level) + 1];
  return {
    ...common(`${state.authority.name} · ${state.case.caseReference}`, `Reminder: a decision is due by ${when(notice.deadlineAt)}`),
    urgent: notice.urgent,
    urgentText: urgentText(state),
    summary:
      `${state.case.heading} is waiting for the ${notice.step.role.title}. ` +
      (next ? `If there is no decision by then, the protocol says it goes to the ${next.role.title}.` : "This is the last level of the protocol's ladder."),
    facts: caseFacts(state),
    history: history(state),
    requestId: state.requestId,
    level: notice.level,
  };
}

function itemText(i: DigestItem, now: Date): string {
  const due = i.deadlineAt ? (Date.parse(i.deadlineAt) <= now.getTime() ? `overdue since ${ukDateTime(i.deadlineAt)}` : `due ${ukDateTime(i.deadlineAt)}`) : "no time set by the protocol";
  return `**${i.caseReference}** (${i.requestId}) ${i.heading} — level ${i.level}, ${i.title}, ${due}${i.urgent ? " — urgent" : ""}`;
}

function escalatedText(i: EscalatedItem): string {
  return i.direction === "to"
    ? `**${i.caseReference}** (${i.requestId}) came to you from the ${i.fromTitle} on ${ukDateTime(i.escalatedAt)}`
    : `**${i.caseReference}** (${i.requestId}) went from you to the ${i.toTitle} on ${ukDateTime(i.escalatedAt)}`;
}

export function digestCardData(digest: Digest, channelTitle: string, authorityName: string): DigestCardData {
  const now = new Date(digest.at);
  return {
    ...common(`${authorityName} · daily summary`, `${channelTitle}: ${ukDateTime(digest.at).replace(/, .*$/, "")}`),
    counts: [
      { title: "Overdue", value: String(digest.overdue.length) },
      { title: "Waiting", value: String(digest.waiting.length) },
      { title: "Escalated", value: String(digest.escalated.length) },
    ],
    overdue: digest.overdue.map((i) => ({ text: itemText(i, now), requestId: i.requestId })),
    waiting: digest.waiting.map((i) => ({ text: itemText(i, now), requestId: i.requestId })),
    escalated: digest.escalated.map((i) => ({ text: escalatedText(i), requestId: i.requestId })),
    isEmpty: digest.overdue.length + digest.waiting.length + digest.escalated.length === 0,
  };
}

/** Adds the people to @mention (the holders of the role, from the approvers registry). */
export function withMentions<T extends AnyCardData>(data: T, people: readonly Mentioned[], lead = "please look at this"): T {
  const mentions = people.slice(0, 10).map((p) => ({ id: p.id, name: p.name }));
  return { ...data, mentions, hasMentions: mentions.length > 0, mentionText: mentions.length ? `${mentions.map((m) => `<at>${m.name}</at>`).join(", ")}: ${lead}` : "" };
}

/**
 * Adds Action.Execute buttons (e.g. the approval card's verbs) to an escalation or reminder card; an
 * action with inputs becomes a form (Action.ShowCard) whose button sends the inputs with its data.
 */
export function withActions<T extends EscalationCardData | ReminderCardData>(data: T, actions: readonly CardAction[]): T {
  const prepared = actions.map((a) => ({ ...a, hasInput: (a.inputs?.length ?? 0) > 0, inputs: (a.inputs ?? []).map((i) => ({ error: "Please fill this in.", choices: [], ...i })), submitTitle: a.submitTitle ?? a.title }));
  return { ...data, actions: prepared };
}

export type CardTone = "good" | "attention" | "warning" | "accent" | "default";

/** Says on the card what became of the request since it was posted (no buttons are left then, unless given again). */
export function withOutcome<T extends AnyCardData>(data: T, text: string, tone: CardTone): T {
  return { ...data, hasOutcome: true, outcomeText: text, outcomeStyle: tone };
}

/** A message for the person who pressed a button on the card. */
export function withNotice<T extends AnyCardData>(data: T, text: string, tone: CardTone): T {
  return { ...data, hasNotice: text.length > 0, noticeText: text, noticeStyle: tone };
}

/**
 * The card that starts a disagreement: the dispute ladder's first level is asked to resolve it, with
 * the reason, the decision disputed and the ladder's clock. Rendered from the clock as it is now (the
 * history grows), always about the level the disagreement started at.
 */
export function disputeCardData(state: ClockState): EscalationCardData {
  const entry = state.ladder.steps.find((s) => s.level === state.entryLevel) ?? state.ladder.steps[0]!;
  const plan = noticeFor(state, "remind", entry.level);
  const deadlineAt = plan?.deadlineAt ?? (state.level === entry.level ? state.plan.deadlineAt : null);
  const next = state.ladder.steps[state.ladder.steps.indexOf(entry) + 1];
  const dispute = state.dispute;
  const notice: EscalationNotice = {
    kind: "escalate",
    fromLevel: entry.level,
    from: entry,
    level: entry.level,
    step: entry,
    expiredAt: state.startedAt,
    deadlineAt,
    urgent: plan?.urgent ?? state.plan.urgent,
    last: next === undefined,
  };
  return {
    ...escalationCardData(state, notice),
    heading: `Disagreement: ${state.case.heading}`,
    statusLabel: `Level ${entry.level} of ${state.ladder.steps.length}: ${entry.role.title}`,
    summary:
      `${dispute?.by.name ?? "A manager"} disagrees with the decision on this request. Under the protocol the ${entry.role.title} resolves it` +
      (deadlineAt ? ` by ${when(deadlineAt)}` : "") +
      (next ? `; if not, it goes to the ${next.role.title}.` : "."),
  };
}

/**
 * The notice a reminder or escalation card was made from, worked out again from the clock (its
 * levels' dates are fixed when it starts), so that the card can be re-rendered with what happened since.
 */
export function noticeFor(state: ClockState, kind: "remind" | "escalate", level: number): ReminderNotice | EscalationNotice | undefined {
  const input = { steps: state.ladder.steps, resolveWithin: state.ladder.resolveWithin, entryLevel: state.entryLevel, decisionDeadline: state.decisionDeadline, immediateDanger: state.immediateDanger, policy: state.policy };
  const plans: LevelPlan[] = [planLevel(input, state.entryLevel, new Date(state.startedAt))];
  for (let last = plans[0]!; last.level < level && last.nextLevel !== null && last.deadlineAt; last = plans[plans.length - 1]!) {
    plans.push(planLevel(input, last.nextLevel, new Date(last.deadlineAt)));
  }
  const at = plans.findIndex((p) => p.level === level);
  const plan = plans[at];
  const step = state.ladder.steps.find((s) => s.level === level);
  if (!plan || !step) return undefined;
  if (kind === "remind") return plan.deadlineAt ? { kind: "remind", level, step, deadlineAt: plan.deadlineAt, urgent: plan.urgent } : undefined;
  const before = plans[at - 1];
  const from = before ? state.ladder.steps.find((s) => s.level === before.level) : undefined;
  if (!before?.deadlineAt || !from) return undefined;
  return { kind: "escalate", fromLevel: from.level, from, level, step, expiredAt: before.deadlineAt, deadlineAt: plan.deadlineAt, urgent: plan.urgent, last: plan.nextLevel === null };
}

/** Properties whose `$when` was false come out as null; Teams and the validator want them absent. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(compact);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, compact(v)]));
  }
  return value;
}

const TEMPLATES: Record<CardTemplateName, object> = { escalation: escalationTemplate, reminder: reminderTemplate, digest: digestTemplate };

export function expandCard(name: CardTemplateName, data: AnyCardData): CardJson {
  const card = compact(new Template(TEMPLATES[name]).expand({ $root: data })) as CardJson;
  if (Array.isArray(card.actions) && card.actions.length === 0) delete card.actions;
  return card;
}

export const escalationCard = (data: EscalationCardData): CardJson => expandCard("escalation", data);
export const reminderCard = (data: ReminderCardData): CardJson => expandCard("reminder", data);
export const digestCard = (data: DigestCardData): CardJson => expandCard("digest", data);
