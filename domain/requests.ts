/**
 * Transfer requests: a practitioner's recommendation turned into a request that the manager of the
 * decider role approves or declines. Pure: no I/O, the clock is passed in, ids are made by the caller.
 *
 * The request is a guarded state machine:
 *
 *     pending ──ask──▶ info-requested ──answer──▶ pending
 *        │                   │
 *        └──approve/decline──┴──▶ approved | declined      (the first decision is final)
 *
 * Every transition is a function `(request, actor, input, now) → { request, event } | { refused }`
 * with the authorisation rules inside it:
 *  - only approvers of the decider role (the list is passed in) may approve, decline, ask for
 *    information or reassign; the requester may never decide (or otherwise act as a manager on)
 *    their own request, even when they are an approver of that role;
 *  - a decline needs a reason, a request for information a question, an answer some words;
 *  - a reassignment goes only to another approver of the same role;
 *  - anything done to a decided request is refused, saying who decided it and when.
 * A decision may also be made while an answer is awaited (the manager may have heard by phone): the
 * protocols say a transfer must not be delayed, so waiting for the card's answer is never required.
 *
 * A request carries the case reference, never a child's name or date of birth: the early-warning
 * fields the pack marks `sensitive` are never copied, and free text (reasons, questions, answers)
 * that looks like a name or a date of birth is refused.
 *
 * Every change appends an event (who, when, why) to the request's own append-only list.
 */
import { z } from "zod";
import type { Recommendation } from "./engine";
import { CaseFacts, DateFact, type FactName } from "./facts";
import { ukDateTime } from "./format";
import type { PolicyPack } from "./pack";
import { questionFor } from "./questions";

// ---------------------------------------------------------------------------
// Schema

export const REQUEST_STATUSES = ["pending", "info-requested", "approved", "declined"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const OPEN_STATUSES: readonly RequestStatus[] = ["pending", "info-requested"];

/** The directions that move a case and so can be requested. */
export const TRANSFER_DIRECTIONS = ["step-up", "step-down", "transfer"] as const;
export type TransferDirection = (typeof TRANSFER_DIRECTIONS)[number];

/** "TR-" and six characters of Crockford's base32 (no I, L, O, U): easy to read out and type. */
export const REQUEST_ID = /^TR-[0-9A-HJKMNP-TV-Z]{6}$/;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A request id from six random bytes (the caller supplies the randomness). */
export function requestIdFrom(bytes: ArrayLike<number>): string {
  if (bytes.length < 6) throw new RangeError("requestIdFrom: expected at least 6 random bytes");
  let id = "TR-";
  for (let i = 0; i < 6; i++) id += CROCKFORD[(bytes[i] ?? 0) % 32];
  return id;
}

/** Normalise "tr-7k3f9q" to "TR-7K3F9Q"; undefined if it cannot be a request id. */
export function parseRequestId(text: string): string | undefined {
  const id = text.trim().toUpperCase().replace(/^TR(?=[0-9A-Z]{6}$)/, "TR-");
  return REQUEST_ID.test(id) ? id : undefined;
}

/** A case management system reference: letters, digits, "/" and "-", with at least one digit; never a date. */
export const CaseReference = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(
    z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9/-]{2,24}$/, "expected the case reference from the case management system (letters, digits, / or -)")
      .refine((s) => /\d/.test(s), "expected a case reference with at least one digit")
      .refine((s) => !/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(s), "that looks like a date (of birth?), not a case reference"),
  );

const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /T/.test(s), "expected an ISO date-time");

export const Person = z.object({ id: z.string().min(1).max(300), name: z.string().min(1).max(200) }).strict();
export type Person = z.infer<typeof Person>;

/** The actor of the events Stepwise itself causes (posting, waiting for a channel). */
export const SYSTEM: Person = { id: "stepwise", name: "Stepwise" };

const TeamRefSchema = z.object({ teamId: z.string(), name: z.string() }).strict();

export const Decider = z
  .object({ teamId: z.string().nullable(), teamName: z.string().nullable(), role: z.string().min(1), title: z.string().min(1) })
  .strict();
export type Decider = z.infer<typeof Decider>;

export const RequestDeadline = z
  .object({
    id: z.string(),
    wording: z.string(),
    at: Iso.nullable(),
    atLondon: z.string().nullable(),
    urgent: z.boolean(),
    note: z.string().optional(),
  })
  .strict();
export type RequestDeadline = z.infer<typeof RequestDeadline>;

const Cite = z.object({ file: z.string(), section: z.string(), quote: z.string() }).strict();

/** Where the card was posted: enough for the shell to update it in place later. */
export const Post = z
  .object({
    serviceUrl: z.string().min(1),
    conversationId: z.string().min(1),
    activityId: z.string().min(1),
    channelName: z.string(),
  })
  .strict();
export type Post = z.infer<typeof Post>;

export const DELIVERY_STATES = ["new", "waiting", "posted", "unreachable"] as const;
export const Delivery = z
  .object({
    state: z.enum(DELIVERY_STATES),
    /** How many times the request has been (or is being) posted; the outbox key includes it. */
    attempt: z.number().int().min(0),
    post: Post.nullable(),
    why: z.string().optional(),
  })
  .strict();
export type Delivery = z.infer<typeof Delivery>;

const base = { seq: z.number().int().min(1), at: Iso, by: Person, why: z.string().optional() };
const LadderTrack = z.enum(["decision", "dispute"]);
export type LadderTrack = z.infer<typeof LadderTrack>;
export const DISPUTE_OUTCOMES = ["stands", "changed"] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];
export const RequestEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("created"), ...base }).strict(),
  /** No channel is registered for the decider role yet: the request waits for one. */
  z.object({ type: z.literal("waiting"), ...base }).strict(),
  z.object({ type: z.literal("posted"), ...base, channel: z.string() }).strict(),
  /** Teams refused the post (403/404): an administrator has been told. */
  z.object({ type: z.literal("unreachable"), ...base }).strict(),
  /** A decider opened the card (first time only, per person). */
  z.object({ type: z.literal("viewed"), ...base }).strict(),
  z.object({ type: z.literal("decided"), ...base, outcome: z.enum(["approved", "declined"]) }).strict(),
  z.object({ type: z.literal("info-asked"), ...base }).strict(),
  z.object({ type: z.literal("info-given"), ...base }).strict(),
  z.object({ type: z.literal("reassigned"), ...base, to: Person }).strict(),
  // The escalation ladder (issue 5). `track` "decision": the request waiting for its decision;
  // "dispute": a manager's disagreement with the decision. `holder` is the role the level belongs to.
  /** A reminder before the level's deadline was posted in the holder's channel. */
  z.object({ type: z.literal("reminded"), ...base, track: LadderTrack, level: z.number().int(), holder: Decider, channel: z.string(), key: z.string(), post: Post.optional() }).strict(),
  /** No decision by the level's deadline: the next level of the ladder was asked, in its channel. */
  z.object({
    type: z.literal("escalated"),
    ...base,
    track: LadderTrack,
    fromLevel: z.number().int(),
    fromTitle: z.string(),
    level: z.number().int(),
    holder: Decider,
    channel: z.string(),
    key: z.string(),
    post: Post.optional(),
  }).strict(),
  /** A manager disagreed with the decision (why: the reason): the council's dispute ladder started. */
  z.object({ type: z.literal("disputed"), ...base, level: z.number().int(), holder: Decider, ladder: z.string(), channel: z.string().nullable(), post: Post.optional() }).strict(),
  /** The disagreement was resolved (why: how): the decision stands or is changed. */
  z.object({ type: z.literal("dispute-resolved"), ...base, outcome: z.enum(DISPUTE_OUTCOMES) }).strict(),
]);
export type RequestEvent = z.infer<typeof RequestEvent>;
export type EventType = RequestEvent["type"];

export const TransferRequest = z
  .object({
    v: z.literal(1),
    id: z.string().regex(REQUEST_ID),
    authority: z.object({ id: z.string(), name: z.string() }).strict(),
    caseReference: CaseReference,
    direction: z.enum(TRANSFER_DIRECTIONS),
    fromTeam: TeamRefSchema.nullable(),
    toTeam: TeamRefSchema,
    decider: Decider,
    /** The recommendation as it stood when the request was made. */
    recommendation: z
      .object({
        at: Iso,
        ruleId: z.string().nullable(),
        title: z.string().nullable(),
        explanation: z.string(),
        transferPoint: z.string().nullable(),
        actions: z.array(z.string()),
        documents: z.array(z.string()),
        warnings: z.array(z.string()),
        citations: z.array(Cite),
      })
      .strict(),
    /** The case facts the recommendation rests on (the schema has no names or dates of birth). */
    facts: CaseFacts,
    /** The pack's early-warning / transfer-alert fields that case facts fill; never the sensitive ones. */
    earlyWarning: z
      .object({
        title: z.string(),
        fields: z.array(z.object({ id: z.string(), label: z.string(), value: z.string().nullable() }).strict()),
      })
      .strict(),
    deadlines: z.array(RequestDeadline),
    escalation: z
      .object({
        name: z.string(),
        levels: z.array(z.object({ level: z.number(), title: z.string(), within: z.string().nullable(), wording: z.string() }).strict()),
      })
      .strict()
      .nullable(),
    /** Advisory only: the protocols say the checklist must never block or delay a transfer. */
    checklist: z
      .object({
        title: z.string(),
        advisory: z.string(),
        items: z.array(z.object({ section: z.string(), text: z.string() }).strict()),
      })
      .strict(),
    requester: Person,
    status: z.enum(REQUEST_STATUSES),
    /** Who the request is with after a reassignment (null: any approver of the role). */
    assignee: Person.nullable(),
    decision: z.object({ outcome: z.enum(["approved", "declined"]), by: Person, at: Iso, why: z.string().optional() }).strict().nullable(),
    openQuestion: z.object({ question: z.string(), by: Person, at: Iso }).strict().nullable(),
    delivery: Delivery,
    createdAt: Iso,
    updatedAt: Iso,
    events: z.array(RequestEvent).min(1),
  })
  .strict();
export type TransferRequest = z.infer<typeof TransferRequest>;

// ---------------------------------------------------------------------------
// Results

export const REFUSAL_CODES = [
  "not-requestable",
  "no-case-reference",
  "bad-case-reference",
  "already-decided",
  "own-request",
  "not-approver",
  "not-requester",
  "reason-required",
  "question-required",
  "answer-required",
  "too-long",
  "sensitive",
  "question-open",
  "no-open-question",
  "bad-assignee",
  "already-viewed",
  "already-posted",
  "already-waiting",
  "already-recorded",
  "not-decided",
  "own-decision",
  "not-manager",
  "already-disputed",
  "no-dispute",
  "dispute-resolved",
  "own-dispute",
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];
export interface Refusal {
  code: RefusalCode;
  message: string;
}

export type Transition = { request: TransferRequest; event: RequestEvent } | { refused: Refusal };

export function isRefused(t: Transition): t is { refused: Refusal } {
  return "refused" in t;
}

const refuse = (code: RefusalCode, message: string): { refused: Refusal } => ({ refused: { code, message } });

// ---------------------------------------------------------------------------
// Words

const DIRECTION_WORDS: Record<TransferDirection, string> = { "step-up": "Step up", "step-down": "Step down", transfer: "Transfer" };

export function directionLabel(d: TransferDirection): string {
  return DIRECTION_WORDS[d];
}

/** "MASH Team Manager (MASH)" */
export function deciderLabel(d: Decider): string {
  return d.teamName && !d.title.includes(d.teamName) ? `${d.title} (${d.teamName})` : d.title;
}

export function statusLabel(r: TransferRequest): string {
  switch (r.status) {
    case "pending":
      return "Waiting for a decision";
    case "info-requested":
      return "More information requested";
    case "approved":
      return "Approved";
    case "declined":
      return "Declined";
  }
}

/** "Tuesday 24 November 2026" for a YYYY-MM-DD date or an instant, in Europe/London. */
function ukDate(value: string): string {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", weekday: "long", day: "numeric", month: "long", year: "numeric" })
    .format(instant)
    .replace(",", "");
}

/** A case fact's value in words, as the question's options say it. */
export function factValueLabel(fact: FactName, value: unknown, pack: PolicyPack): string {
  if (fact === "currentTeam" || fact === "previousTeam" || fact === "proposedTeam") {
    if (value === "none") return "None";
    return pack.teams.find((t) => t.id === value)?.name ?? String(value);
  }
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string" && DateFact.safeParse(value).success && /^\d{4}-\d{2}-\d{2}/.test(value)) return ukDate(value);
  const option = questionFor(fact, pack).options.find((o) => String(o.value) === String(value));
  return option?.label ?? String(value);
}

// ---------------------------------------------------------------------------
// Free text: reasons, questions and answers are shown in the channel, so they must not carry a
// child's name or date of birth. The same patterns as domain/understand.ts uses for case descriptions.

const MAX_TEXT = 1000;

export function looksSensitive(text: string): "name" | "date-of-birth" | null {
  if (/\b(DOB|D\.O\.B|date of birth|born on)\b/i.test(text) || /\b\d{1,2}[/.]\d{1,2}[/.](19|20)?\d{2}\b/.test(text)) return "date-of-birth";
  if (/\b(named|called|name is|name's)\s+[A-Z][a-z]+/.test(text) || /\b(Mr|Mrs|Ms|Miss)\.?\s+[A-Z][a-z]+/.test(text)) return "name";
  return null;
}

/** Trimmed free text, or a refusal (empty, too long, or seems to contain a name or date of birth). */
function freeText(raw: string | undefined, emptyCode: RefusalCode, emptyMessage: string): { text: string } | { refused: Refusal } {
  const text = (raw ?? "").replace(/\s+/g, " ").trim();
  if (!text) return refuse(emptyCode, emptyMessage);
  if (text.length > MAX_TEXT) return refuse("too-long", `Please keep it under ${MAX_TEXT} characters (that was ${text.length}).`);
  const sensitive = looksSensitive(text);
  if (sensitive) {
    return refuse(
      "sensitive",
      `That seems to contain ${sensitive === "name" ? "a name" : "a date of birth"}. Cards in channels never carry a child's name or date of birth: refer to the case reference instead and send it again.`,
    );
  }
  return { text };
}

/** An optional comment: undefined when blank, otherwise checked like any free text. */
function optionalText(raw: string | undefined): { text: string | undefined } | { refused: Refusal } {
  if (!raw || !raw.trim()) return { text: undefined };
  return freeText(raw, "reason-required", "");
}

// ---------------------------------------------------------------------------
// Creating a request

export interface CreateInput {
  id: string;
  pack: PolicyPack;
  recommendation: Recommendation;
  caseReference: string | null | undefined;
  requester: Person;
}

/** A new pending request from a decided recommendation that moves the case. */
export function createRequest(input: CreateInput, now: Date): Transition {
  const { pack, recommendation: rec } = input;
  if (!REQUEST_ID.test(input.id)) throw new RangeError(`createRequest: "${input.id}" is not a request id`);
  if (rec.authority.id !== pack.id) throw new RangeError(`createRequest: recommendation is for ${rec.authority.id}, pack is ${pack.id}`);
  if (rec.status !== "decided" || !rec.direction) return refuse("not-requestable", "There is no recommendation to request yet: finish the questions first.");
  const direction = rec.direction;
  if (!(TRANSFER_DIRECTIONS as readonly string[]).includes(direction) || !rec.destination || !rec.decider) {
    const why = direction === "stay" ? "the recommendation is that the case stays where it is" : "the protocol says the proposed team cannot accept this case";
    return refuse("not-requestable", `There is nothing to request: ${why}.`);
  }
  if (input.caseReference === null || input.caseReference === undefined || input.caseReference.trim() === "") {
    return refuse("no-case-reference", 'A transfer request needs the case reference (the number in the case management system). Say "change an answer" and give it, then ask again.');
  }
  const ref = CaseReference.safeParse(input.caseReference);
  if (!ref.success) return refuse("bad-case-reference", `The case reference can't be used: ${ref.error.issues[0]?.message ?? "not valid"}.`);

  const facts = rec.facts;
  const fromTeam = facts.currentTeam && facts.currentTeam !== "none" ? pack.teams.find((t) => t.id === facts.currentTeam) : undefined;
  const fields = pack.earlyWarningForm.fields
    .filter((f) => !f.sensitive && f.fact !== undefined)
    .map((f) => {
      const fact = f.fact as FactName;
      const value = facts[fact];
      return { id: f.id, label: f.label, value: value === undefined ? null : factValueLabel(fact, value, pack) };
    });
  const at = now.toISOString();
  const event: RequestEvent = { seq: 1, type: "created", at, by: input.requester };
  const request: TransferRequest = {
    v: 1,
    id: input.id,
    authority: { id: pack.id, name: pack.name },
    caseReference: ref.data,
    direction: direction as TransferDirection,
    fromTeam: fromTeam ? { teamId: fromTeam.id, name: fromTeam.name } : null,
    toTeam: { teamId: rec.destination.teamId, name: rec.destination.name },
    decider: { teamId: rec.decider.teamId, teamName: rec.decider.teamName, role: rec.decider.role, title: rec.decider.title },
    recommendation: {
      at: rec.now,
      ruleId: rec.ruleId,
      title: rec.title,
      explanation: rec.explanation,
      transferPoint: rec.transferPoint,
      actions: rec.actions,
      documents: rec.documents,
      warnings: rec.warnings,
      citations: rec.citations.map((c) => ({ file: c.file, section: c.section, quote: c.quote })),
    },
    facts,
    earlyWarning: { title: pack.earlyWarningForm.title, fields },
    deadlines: rec.deadlines.map((d) => ({ id: d.id, wording: d.wording, at: d.at, atLondon: d.atLondon, urgent: d.urgent, ...(d.note ? { note: d.note } : {}) })),
    escalation: rec.escalation
      ? { name: rec.escalation.name, levels: rec.escalation.levels.map((l) => ({ level: l.level, title: l.role.title, within: l.within, wording: l.wording })) }
      : null,
    checklist: {
      title: pack.checklist.title,
      advisory: pack.checklist.advisory,
      items: pack.checklist.items.map((i) => ({ section: i.section, text: i.text })),
    },
    requester: input.requester,
    status: "pending",
    assignee: null,
    decision: null,
    openQuestion: null,
    delivery: { state: "new", attempt: 0, post: null },
    createdAt: at,
    updatedAt: at,
    events: [event],
  };
  return { request, event };
}

// ---------------------------------------------------------------------------
// Guards

const sameId = (a: Person, b: Person) => a.id === b.id;

/** Who decided and when, for refusals on a decided request. */
export function decidedWords(r: TransferRequest): string {
  const d = r.decision;
  if (!d) return "";
  return `${d.outcome === "approved" ? "Approved" : "Declined"} by ${d.by.name} on ${ukDateTime(d.at)}`;
}

function guardDecided(r: TransferRequest): { refused: Refusal } | null {
  if (!r.decision) return null;
  return refuse("already-decided", `This request has already been decided: ${decidedWords(r)}. The first decision is final.`);
}

/** The checks every manager action shares: still open, not the requester, an approver of the role. */
function guardManager(r: TransferRequest, actor: Person, approvers: readonly Person[]): { refused: Refusal } | null {
  const decided = guardDecided(r);
  if (decided) return decided;
  if (sameId(actor, r.requester)) {
    return refuse("own-request", "You made this request, so you can't decide it or act on it as a manager: another approver of the role must.");
  }
  if (!approvers.some((a) => sameId(a, actor))) {
    return refuse("not-approver", `Only an approver for ${deciderLabel(r.decider)} can act on this request, and you are not one. Nothing has changed.`);
  }
  return null;
}

type NewEvent = RequestEvent extends infer E ? (E extends RequestEvent ? Omit<E, "seq" | "at"> : never) : never;

function append(r: TransferRequest, event: NewEvent, now: Date, changes: Partial<TransferRequest>): { request: TransferRequest; event: RequestEvent } {
  const full = { ...event, seq: r.events.length + 1, at: now.toISOString() } as RequestEvent;
  return { request: { ...r, ...changes, updatedAt: full.at, events: [...r.events, full] }, event: full };
}

// ---------------------------------------------------------------------------
// Manager actions

export interface ApproverInput {
  /** The approvers of the request's decider role, as registered now. */
  approvers: readonly Person[];
}

export function approve(r: TransferRequest, actor: Person, input: ApproverInput & { comment?: string }, now: Date): Transition {
  const guard = guardManager(r, actor, input.approvers);
  if (guard) return guard;
  const comment = optionalText(input.comment);
  if ("refused" in comment) return comment;
  const why = comment.text;
  return append(r, { type: "decided", outcome: "approved", by: actor, ...(why ? { why } : {}) }, now, {
    status: "approved",
    decision: { outcome: "approved", by: actor, at: now.toISOString(), ...(why ? { why } : {}) },
    openQuestion: null,
  });
}

export function decline(r: TransferRequest, actor: Person, input: ApproverInput & { reason?: string }, now: Date): Transition {
  const guard = guardManager(r, actor, input.approvers);
  if (guard) return guard;
  const reason = freeText(input.reason, "reason-required", "A decline needs a reason: say why, so the practitioner knows what to do next.");
  if ("refused" in reason) return reason;
  return append(r, { type: "decided", outcome: "declined", by: actor, why: reason.text }, now, {
    status: "declined",
    decision: { outcome: "declined", by: actor, at: now.toISOString(), why: reason.text },
    openQuestion: null,
  });
}

export function askForInfo(r: TransferRequest, actor: Person, input: ApproverInput & { question?: string }, now: Date): Transition {
  const guard = guardManager(r, actor, input.approvers);
  if (guard) return guard;
  if (r.status === "info-requested" && r.openQuestion) {
    return refuse("question-open", `${r.openQuestion.by.name} already asked "${r.openQuestion.question}"; wait for the answer before asking again.`);
  }
  const question = freeText(input.question, "question-required", "Asking for more information needs a question: say what you need to know.");
  if ("refused" in question) return question;
  return append(r, { type: "info-asked", by: actor, why: question.text }, now, {
    status: "info-requested",
    openQuestion: { question: question.text, by: actor, at: now.toISOString() },
  });
}

export function reassign(r: TransferRequest, actor: Person, input: ApproverInput & { to?: string; why?: string }, now: Date): Transition {
  const guard = guardManager(r, actor, input.approvers);
  if (guard) return guard;
  const target = input.approvers.find((a) => a.id === input.to);
  if (!target) return refuse("bad-assignee", `A request can only be reassigned to another approver for ${deciderLabel(r.decider)}.`);
  if (sameId(target, actor)) return refuse("bad-assignee", "Choose another approver: you can't reassign the request to yourself.");
  if (sameId(target, r.requester)) return refuse("bad-assignee", `${target.name} made this request, so it can't be reassigned to them.`);
  if (r.assignee && sameId(target, r.assignee)) return refuse("bad-assignee", `The request is already with ${target.name}.`);
  const why = optionalText(input.why);
  if ("refused" in why) return why;
  return append(r, { type: "reassigned", by: actor, to: target, ...(why.text ? { why: why.text } : {}) }, now, { assignee: target });
}

/** A decider opened the card: recorded once per person. */
export function recordView(r: TransferRequest, actor: Person, input: ApproverInput, now: Date): Transition {
  const guard = guardManager(r, actor, input.approvers);
  if (guard) return guard;
  if (r.events.some((e) => e.type === "viewed" && sameId(e.by, actor))) return refuse("already-viewed", "Already recorded as viewed.");
  return append(r, { type: "viewed", by: actor }, now, {});
}

// ---------------------------------------------------------------------------
// The requester's answer

export function giveInfo(r: TransferRequest, actor: Person, input: { answer?: string }, now: Date): Transition {
  const decided = guardDecided(r);
  if (decided) return decided;
  if (!sameId(actor, r.requester)) return refuse("not-requester", `Only ${r.requester.name}, who made the request, can answer its questions.`);
  if (r.status !== "info-requested" || !r.openQuestion) return refuse("no-open-question", "There is no question waiting for an answer on this request.");
  const answer = freeText(input.answer, "answer-required", "Please write an answer to the question.");
  if ("refused" in answer) return answer;
  return append(r, { type: "info-given", by: actor, why: answer.text }, now, { status: "pending", openQuestion: null });
}

// ---------------------------------------------------------------------------
// Delivery (Stepwise's own events)

/** The card is in the decider's channel. */
export function markPosted(r: TransferRequest, post: Post, now: Date): Transition {
  if (r.delivery.state === "posted" && r.delivery.post?.activityId === post.activityId) return refuse("already-posted", "Already posted.");
  return append(r, { type: "posted", by: SYSTEM, channel: post.channelName }, now, { delivery: { state: "posted", attempt: r.delivery.attempt, post } });
}

/** No channel is registered for the decider role: the request waits for one. */
export function markWaiting(r: TransferRequest, why: string, now: Date): Transition {
  if (r.delivery.state === "waiting") return refuse("already-waiting", "Already waiting for a channel.");
  return append(r, { type: "waiting", by: SYSTEM, why }, now, { delivery: { state: "waiting", attempt: r.delivery.attempt, post: r.delivery.post, why } });
}

/**
 * Teams refused the post or the card's update (403/404): the request waits until the channel is fixed
 * or registered again, and the next post is a new attempt (the outbox key includes the number).
 */
export function markUnreachable(r: TransferRequest, why: string, now: Date): Transition {
  return append(r, { type: "unreachable", by: SYSTEM, why }, now, { delivery: { state: "unreachable", attempt: r.delivery.attempt + 1, post: r.delivery.post, why } });
}

// ---------------------------------------------------------------------------
// The escalation ladder (issue 5): what Stepwise posted, and disagreements with a decision

export interface LadderPostInput {
  track: LadderTrack;
  level: number;
  holder: Decider;
  /** Where it was posted, as people see it ("Team › Channel"). */
  channel: string;
  /** The post's idempotency key: a post is recorded once. */
  key: string;
  post?: Post;
}

const recorded = (r: TransferRequest, key: string): boolean => r.events.some((e) => (e.type === "reminded" || e.type === "escalated") && e.key === key);

/** A reminder was posted to the level's holders (recorded whatever the request's status: a dispute's reminders follow a decision). */
export function recordReminder(r: TransferRequest, input: LadderPostInput, now: Date): Transition {
  if (recorded(r, input.key)) return refuse("already-recorded", "Already recorded.");
  const { track, level, holder, channel, key, post } = input;
  return append(r, { type: "reminded", by: SYSTEM, track, level, holder, channel, key, ...(post ? { post } : {}) }, now, {});
}

/**
 * The request (or the disagreement) went to the next level. An assignee chosen at the level below
 * no longer holds an open request: it is with the new level's approvers now.
 */
export function recordEscalation(r: TransferRequest, input: LadderPostInput & { fromLevel: number; fromTitle: string }, now: Date): Transition {
  if (recorded(r, input.key)) return refuse("already-recorded", "Already recorded.");
  const { track, fromLevel, fromTitle, level, holder, channel, key, post } = input;
  const changes: Partial<TransferRequest> = track === "decision" && !r.decision ? { assignee: null } : {};
  return append(r, { type: "escalated", by: SYSTEM, track, fromLevel, fromTitle, level, holder, channel, key, ...(post ? { post } : {}) }, now, changes);
}

/** The disagreement with the decision, if one was raised. */
export function disputeOf(r: TransferRequest): Extract<RequestEvent, { type: "disputed" }> | undefined {
  return r.events.find((e): e is Extract<RequestEvent, { type: "disputed" }> => e.type === "disputed");
}

/** How the disagreement was resolved, if it was. */
export function disputeResolutionOf(r: TransferRequest): Extract<RequestEvent, { type: "dispute-resolved" }> | undefined {
  return r.events.find((e): e is Extract<RequestEvent, { type: "dispute-resolved" }> => e.type === "dispute-resolved");
}

/** The latest escalation on a track (where the request, or the disagreement, is now). */
export function lastEscalation(r: TransferRequest, track: LadderTrack): Extract<RequestEvent, { type: "escalated" }> | undefined {
  return [...r.events].reverse().find((e): e is Extract<RequestEvent, { type: "escalated" }> => e.type === "escalated" && e.track === track);
}

export interface DisputeInput {
  /** Who may disagree: the managers of the teams involved (the person who decided is refused anyway). */
  disputers: readonly Person[];
  reason?: string;
  /** The dispute ladder's first level: who it goes to, under which ladder, in which channel (null: none registered yet). */
  level: number;
  holder: Decider;
  ladder: string;
  channel: string | null;
  post?: Post;
}

const OUTCOME_WORDS: Record<DisputeOutcome, string> = { stands: "the decision stands", changed: "the decision is changed" };

/** A manager of a team involved disagrees with the decision: the council's dispute ladder starts, with the reason. Once per request. */
export function dispute(r: TransferRequest, actor: Person, input: DisputeInput, now: Date): Transition {
  if (!r.decision) return refuse("not-decided", "There is no decision to disagree with yet.");
  if (sameId(actor, r.decision.by)) return refuse("own-decision", "You made this decision, so you can't start a disagreement about it.");
  const open = disputeOf(r);
  if (open) return refuse("already-disputed", `${open.by.name} already disagreed with this decision on ${ukDateTime(open.at)}; it is being followed up under the ${open.ladder}.`);
  if (!input.disputers.some((p) => sameId(p, actor))) {
    return refuse("not-manager", "Only a manager of the teams involved in this transfer can disagree with the decision here. Nothing has changed.");
  }
  const reason = freeText(input.reason, "reason-required", "A disagreement needs a reason: say why the decision should be looked at again.");
  if ("refused" in reason) return reason;
  const { level, holder, ladder, channel, post } = input;
  return append(r, { type: "disputed", by: actor, why: reason.text, level, holder, ladder, channel, ...(post ? { post } : {}) }, now, {});
}

/** The holders of the disagreement's current level resolve it (never the manager who raised it), with a reason. */
export function resolveDispute(r: TransferRequest, actor: Person, input: { resolvers: readonly Person[]; outcome: DisputeOutcome; reason?: string }, now: Date): Transition {
  const raised = disputeOf(r);
  if (!raised) return refuse("no-dispute", "Nobody has disagreed with this decision, so there is nothing to resolve.");
  const done = disputeResolutionOf(r);
  if (done) return refuse("dispute-resolved", `This disagreement was already resolved by ${done.by.name} on ${ukDateTime(done.at)}: ${OUTCOME_WORDS[done.outcome]}.`);
  if (sameId(actor, raised.by)) return refuse("own-dispute", "You raised this disagreement, so another manager must resolve it.");
  if (!input.resolvers.some((p) => sameId(p, actor))) return refuse("not-approver", "Only the managers the disagreement is with now can resolve it, and you are not one. Nothing has changed.");
  const reason = freeText(input.reason, "reason-required", "Say how the disagreement was resolved, so both teams know what happens next.");
  if ("refused" in reason) return reason;
  return append(r, { type: "dispute-resolved", by: actor, outcome: input.outcome, why: reason.text }, now, {});
}

export function disputeOutcomeWords(outcome: DisputeOutcome): string {
  return OUTCOME_WORDS[outcome];
}

// ---------------------------------------------------------------------------
// One entry point for the shell's read–apply–replace loop

export type RequestAction =
  | { kind: "approve"; approvers: readonly Person[]; comment?: string }
  | { kind: "decline"; approvers: readonly Person[]; reason?: string }
  | { kind: "ask-info"; approvers: readonly Person[]; question?: string }
  | { kind: "reassign"; approvers: readonly Person[]; to?: string; why?: string }
  | { kind: "view"; approvers: readonly Person[] }
  | { kind: "give-info"; answer?: string }
  | { kind: "posted"; post: Post }
  | { kind: "waiting"; why: string }
  | { kind: "unreachable"; why: string }
  | ({ kind: "reminded" } & LadderPostInput)
  | ({ kind: "escalated"; fromLevel: number; fromTitle: string } & LadderPostInput)
  | ({ kind: "dispute" } & DisputeInput)
  | { kind: "resolve-dispute"; resolvers: readonly Person[]; outcome: DisputeOutcome; reason?: string };

export function apply(r: TransferRequest, actor: Person, action: RequestAction, now: Date): Transition {
  switch (action.kind) {
    case "approve":
      return approve(r, actor, action, now);
    case "decline":
      return decline(r, actor, action, now);
    case "ask-info":
      return askForInfo(r, actor, action, now);
    case "reassign":
      return reassign(r, actor, action, now);
    case "view":
      return recordView(r, actor, action, now);
    case "give-info":
      return giveInfo(r, actor, action, now);
    case "posted":
      return markPosted(r, action.post, now);
    case "waiting":
      return markWaiting(r, action.why, now);
    case "unreachable":
      return markUnreachable(r, action.why, now);
    case "reminded":
      return recordReminder(r, action, now);
    case "escalated":
      return recordEscalation(r, action, now);
    case "dispute":
      return dispute(r, actor, action, now);
    case "resolve-dispute":
      return resolveDispute(r, actor, action, now);
  }
}

/** Who may act as a manager on the request now (for user-specific views): approvers other than the requester. */
export function actors(r: TransferRequest, approvers: readonly Person[]): Person[] {
  if (r.decision) return [];
  return approvers.filter((a) => !sameId(a, r.requester));
}

/** One line per event, oldest first: "Tuesday 24 November 2026, 10am: approved by Sam Patel: reason". */
export function timeline(r: TransferRequest): string[] {
  return r.events.map((e) => {
    const when = ukDateTime(e.at);
    const why = e.why ? `: "${e.why}"` : "";
    switch (e.type) {
      case "created":
        return `${when}: requested by ${e.by.name}`;
      case "waiting":
        return `${when}: waiting for a channel (${e.why ?? "none registered"})`;
      case "posted":
        return `${when}: posted in ${e.channel}`;
      case "unreachable":
        return `${when}: could not be posted (${e.why ?? "channel unreachable"}); an administrator was told`;
      case "viewed":
        return `${when}: opened by ${e.by.name}`;
      case "decided":
        return `${when}: ${e.outcome} by ${e.by.name}${why}`;
      case "info-asked":
        return `${when}: ${e.by.name} asked for more information${why}`;
      case "info-given":
        return `${when}: ${e.by.name} answered${why}`;
      case "reassigned":
        return `${when}: ${e.by.name} reassigned it to ${e.to.name}${why}`;
      case "reminded":
        return `${when}: ${e.track === "dispute" ? "the disagreement is waiting: " : ""}reminder sent to the ${deciderLabel(e.holder)} in ${e.channel}`;
      case "escalated":
        return e.track === "dispute"
          ? `${when}: the disagreement was not resolved by the ${e.fromTitle} in time: escalated to the ${deciderLabel(e.holder)} (level ${e.level}) in ${e.channel}`
          : `${when}: no decision from the ${e.fromTitle} in time: escalated to the ${deciderLabel(e.holder)} (level ${e.level}) in ${e.channel}`;
      case "disputed":
        return `${when}: ${e.by.name} disagreed with the decision${why}; it went to the ${deciderLabel(e.holder)} under the ${e.ladder}${e.channel ? ` in ${e.channel}` : ""}`;
      case "dispute-resolved":
        return `${when}: ${e.by.name} resolved the disagreement: ${OUTCOME_WORDS[e.outcome]}${why}`;
    }
  });
}
