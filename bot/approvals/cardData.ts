/**
 * The data behind the approval cards. The cards in cards/ are templates with no logic: every value
 * they show, and which parts show, is decided here, then expanded with adaptivecards-templating.
 *
 * Views of the approval card:
 *   - "shared": what everyone in the channel sees (posted, and kept up to date with updateActivity);
 *     no decision buttons, only "Open to decide", and a `refresh` naming the approvers (≤60) so that
 *     Teams asks Stepwise for their own view;
 *   - "approver": the user-specific view of someone who may act now: Approve, Decline…, Ask for
 *     information…, Reassign…;
 *   - "readonly": the user-specific view of anyone else (the requester, other colleagues).
 * Never a child's name or date of birth: the request has none (see domain/requests.ts).
 */
import { Template } from "adaptivecards-templating";
import { ukDateTime } from "../../domain/format";
import {
  actors,
  deciderLabel,
  directionLabel,
  disputeOf,
  disputeOutcomeWords,
  disputeResolutionOf,
  lastEscalation,
  statusLabel,
  timeline,
  type Person,
  type TransferRequest,
} from "../../domain/requests";
import approvalTemplate from "../../cards/approval.json";
import noticeTemplate from "../../cards/approval-notice.json";
import infoTemplate from "../../cards/info-request.json";

export type CardJson = Record<string, unknown>;
export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

/** Teams shows user-specific views to at most 60 users. */
export const MAX_REFRESH_USERS = 60;
/** Mentions kept to a readable number; the rest are still approvers. */
export const MAX_MENTIONS = 10;

export type ApprovalView = "shared" | "approver" | "readonly" | "disputer";
export type NoticeTone = "good" | "attention" | "warning" | "accent";

export interface Notice {
  tone: NoticeTone;
  text: string;
}

export interface ApprovalCardInput {
  request: TransferRequest;
  /** The approvers of the request's decider role, as registered now. */
  approvers: readonly Person[];
  view: ApprovalView;
  notice?: Notice;
  /**
   * Who may disagree with the decision now (issue 5: the managers of the teams involved, not the one
   * who decided; empty once a disagreement was raised). They get a view with "Disagree…".
   */
  disputers?: readonly Person[];
}

/** Demo personas act under their own id, but the @mention goes to the person behind them. */
export function mentionId(p: Person): string {
  return p.id.replace(/^demo-manager:/, "");
}

const STATUS_COLOR: Record<TransferRequest["status"], string> = { pending: "Accent", "info-requested": "Warning", approved: "Good", declined: "Attention" };
const STYLE: Record<NoticeTone, string> = { good: "good", attention: "attention", warning: "warning", accent: "accent" };

function when(iso: string | null): string {
  return iso ? ukDateTime(iso) : "Date not fixed yet";
}

/** Who the card @mentions: the assignee after a reassignment, else the approvers who may act (none once it was escalated: the escalation card mentions them). */
export function mentionsFor(request: TransferRequest, approvers: readonly Person[]): Person[] {
  if (request.decision || lastEscalation(request, "decision")) return [];
  if (request.assignee) return [request.assignee];
  return actors(request, approvers).slice(0, MAX_MENTIONS);
}

/**
 * Where the escalation ladder has taken the request (issue 5): where it went and when, a disagreement
 * with the decision and where that is, and how it was resolved. One line each, oldest first.
 */
export function ladderLines(r: TransferRequest): string[] {
  const lines: string[] = [];
  const escalated = lastEscalation(r, "decision");
  if (escalated) {
    lines.push(
      `Escalated on ${ukDateTime(escalated.at)} to the ${deciderLabel(escalated.holder)} (level ${escalated.level}) in ${escalated.channel}: no decision came from the ${escalated.fromTitle} in time.` +
        (r.decision ? "" : ` A decision now rests with the ${escalated.holder.title}.`),
    );
  }
  const disputed = disputeOf(r);
  if (disputed) {
    const where = lastEscalation(r, "dispute");
    lines.push(`${disputed.by.name} disagreed with the decision on ${ukDateTime(disputed.at)}: "${disputed.why ?? ""}". It went to the ${deciderLabel(disputed.holder)} under the ${disputed.ladder}${disputed.channel ? ` in ${disputed.channel}` : ""}.`);
    if (where) lines.push(`The disagreement was escalated on ${ukDateTime(where.at)} to the ${deciderLabel(where.holder)} (level ${where.level}) in ${where.channel}.`);
    const resolved = disputeResolutionOf(r);
    if (resolved) lines.push(`Disagreement resolved by ${resolved.by.name} on ${ukDateTime(resolved.at)}: ${disputeOutcomeWords(resolved.outcome)}. "${resolved.why ?? ""}"`);
  }
  return lines;
}

export function approvalCardData(input: ApprovalCardInput): Record<string, unknown> {
  const { request: r, approvers, view } = input;
  const open = !r.decision;
  const disputers = r.decision && !disputeOf(r) ? [...(input.disputers ?? [])].filter((p) => p.id !== r.decision?.by.id) : [];
  const escalated = open ? lastEscalation(r, "decision") : undefined;
  const holderTitle = escalated?.holder.title ?? r.decider.title;
  const ladder = ladderLines(r);
  const canAct = open && view === "approver";
  const mayAct = actors(r, approvers);
  const mentions = view === "shared" ? mentionsFor(r, approvers) : [];
  const facts = [
    { title: "Case reference", value: r.caseReference },
    { title: "Direction", value: directionLabel(r.direction) },
    { title: "From", value: r.fromTeam?.name ?? "Not open to a team" },
    { title: "To", value: r.toTeam.name },
    { title: "Who decides", value: deciderLabel(r.decider) },
    { title: "Requested by", value: r.requester.name },
    { title: "Requested", value: ukDateTime(r.createdAt) },
    ...(escalated ? [{ title: "Now with", value: `${deciderLabel(escalated.holder)} (escalated ${ukDateTime(escalated.at)})` }] : []),
    ...(r.assignee ? [{ title: "Assigned to", value: r.assignee.name }] : []),
    ...(r.recommendation.transferPoint ? [{ title: "Responsibility passes", value: r.recommendation.transferPoint }] : []),
  ];
  const exchanges = r.events.flatMap((e) =>
    e.type === "info-asked" ? [{ title: `${e.by.name} asked, ${ukDateTime(e.at)}`, text: e.why ?? "" }] : e.type === "info-given" ? [{ title: `${e.by.name} answered, ${ukDateTime(e.at)}`, text: e.why ?? "" }] : [],
  );
  const history = timeline({ ...r, events: r.events.filter((e) => e.type !== "viewed" && e.type !== "info-asked" && e.type !== "info-given") })
    .slice(-8)
    .map((text) => ({ text }));
  const decisionLine = r.decision ? `${r.decision.outcome === "approved" ? "Approved" : "Declined"} by ${r.decision.by.name} on ${ukDateTime(r.decision.at)}` : "";
  const others = mayAct.filter((a) => a.id !== r.assignee?.id);
  const ladderText = r.escalation?.levels.map((l) => `${l.title}${l.within ? ` (${l.within})` : ""}`).join(" → ");
  return {
    requestId: r.id,
    subtitle: `Transfer request ${r.id} · ${r.authority.name}`,
    heading: `${directionLabel(r.direction)}: ${r.fromTeam ? `${r.fromTeam.name} → ` : ""}${r.toTeam.name}`,
    statusLabel: r.decision ? decisionLine : r.status === "info-requested" ? `${statusLabel(r)}: waiting for ${r.requester.name}` : `${statusLabel(r)} from ${r.assignee ? r.assignee.name : `a ${holderTitle}`}`,
    statusColor: STATUS_COLOR[r.status],
    hasMentions: mentions.length > 0,
    mentionText: mentions.length ? `${mentions.map((m) => `<at>${m.name}</at>`).join(", ")}: ${r.assignee ? "this request is with you." : `this needs a decision by a ${holderTitle}.`}` : "",
    mentions: mentions.map((m) => ({ id: mentionId(m), name: m.name })),
    hasNotice: !!input.notice,
    noticeText: input.notice?.text ?? "",
    noticeStyle: STYLE[input.notice?.tone ?? "accent"],
    hasDecision: !!r.decision,
    decisionLine,
    decisionStyle: r.decision?.outcome === "approved" ? "good" : "attention",
    hasDecisionWhy: !!r.decision?.why,
    decisionWhy: r.decision?.why ? `${r.decision.outcome === "declined" ? "Reason" : "Comment"}: ${r.decision.why}` : "",
    facts,
    explanation: r.recommendation.explanation,
    hasEarlyWarning: r.earlyWarning.fields.length > 0,
    earlyWarningTitle: r.earlyWarning.title,
    earlyWarning: r.earlyWarning.fields.map((f) => ({ title: f.label, value: f.value ?? "Not given" })),
    hasDeadlines: r.deadlines.length > 0,
    deadlines: r.deadlines.map((d) => ({ when: `${when(d.at)}${d.urgent ? " (urgent)" : ""}`, wording: d.note ? `${d.wording} (${d.note})` : d.wording })),
    hasExchanges: exchanges.length > 0,
    exchanges,
    hasHistory: history.length > 0,
    history,
    checklistTitle: r.checklist.title,
    checklistAdvisory: r.checklist.advisory,
    checklist: r.checklist.items.map((i) => ({ text: `${i.section}: ${i.text}` })),
    hasEscalation: !!ladderText,
    escalationLine: ladderText ? `If no decision comes: ${ladderText}` : "",
    hasLadder: ladder.length > 0,
    ladderLines: ladder.map((text) => ({ text })),
    canDispute: view === "disputer" && disputers.length > 0,
    footer: "Stepwise never posts a child's name or date of birth: find the case by its reference. Stepwise supports professional judgement; it does not replace it.",
    requesterName: r.requester.name,
    deciderTitle: r.decider.title,
    canAct,
    canAsk: canAct && r.status === "pending",
    canReassign: canAct && others.length > 1,
    reassignChoices: others.map((a) => ({ title: a.name, value: a.id })),
    showOpenButton: view === "shared" && (open || disputers.length > 0),
    openButtonTitle: open ? "Open to decide" : "Disagree with this decision?",
    hasRefresh: (open && mayAct.length > 0) || disputers.length > 0,
    refreshUserIds: (open ? mayAct : disputers).slice(0, MAX_REFRESH_USERS).map((a) => a.id),
  };
}

/** Properties whose `$when` was false come out as null; Teams and the validator want them absent. */
function compact(card: CardJson): CardJson {
  return Object.fromEntries(Object.entries(card).filter(([, v]) => v !== null && v !== undefined));
}

export function expand(template: object, data: Record<string, unknown>): CardJson {
  return compact(new Template(template).expand({ $root: data }) as CardJson);
}

export function approvalCard(input: ApprovalCardInput): CardJson {
  return expand(approvalTemplate, approvalCardData(input));
}

export function noticeCard(title: string, text: string, tone: NoticeTone = "attention"): CardJson {
  return expand(noticeTemplate, { title, text, color: tone === "good" ? "Good" : tone === "attention" ? "Attention" : tone === "warning" ? "Warning" : "Accent" });
}

export type InfoCardState = "open" | "answered" | "closed";

export function infoCardData(r: TransferRequest, askedEventSeq: number, notice?: Notice): Record<string, unknown> {
  const asked = r.events.find((e) => e.seq === askedEventSeq && e.type === "info-asked");
  const answer = r.events.find((e) => e.seq > askedEventSeq && e.type === "info-given");
  const state: InfoCardState = answer ? "answered" : r.decision ? "closed" : r.openQuestion && r.events.filter((e) => e.type === "info-asked").at(-1)?.seq === askedEventSeq ? "open" : "closed";
  return {
    requestId: r.id,
    askedSeq: askedEventSeq,
    subtitle: `Transfer request ${r.id} · case ${r.caseReference} · ${directionLabel(r.direction)} to ${r.toTeam.name}`,
    askedLine: asked ? `${asked.by.name} (${deciderLabel(r.decider)}) asked on ${ukDateTime(asked.at)}:` : "The manager asked:",
    question: asked?.why ?? "",
    isOpen: state === "open",
    hasAnswer: state === "answered",
    answerLine: answer ? `You answered on ${ukDateTime(answer.at)}: ${answer.why ?? ""}` : "",
    isClosed: state === "closed",
    closedLine: r.decision ? `No answer is needed now: ${r.decision.outcome} by ${r.decision.by.name} on ${ukDateTime(r.decision.at)}.` : "This question has been replaced by a newer one.",
    hasNotice: !!notice,
    noticeText: notice?.text ?? "",
    noticeStyle: STYLE[notice?.tone ?? "accent"],
  };
}

export function infoCard(r: TransferRequest, askedEventSeq: number, notice?: Notice): CardJson {
  return expand(infoTemplate, infoCardData(r, askedEventSeq, notice));
}
