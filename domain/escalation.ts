/**
 * The escalation ladder: the clocks that follow an unanswered request (or a disputed decision) up a
 * council's ladder. Pure: no I/O, every instant is passed in, nothing reads the system clock.
 *
 * One open request has one *clock* per track ("decision": waiting for the decider; "dispute": a
 * manager disagreed with a decision). A clock is a small guarded state machine whose rungs are named
 * steps, after the Temporal samples:
 *
 *                ┌─ reminderDue ─┐
 *                ▼               │
 *     started ─▶ waiting at level L ──levelExpired──▶ waiting at level L+1 … ─▶ waiting at the last level
 *                    │                                                             (overdue after its deadline,
 *                    └──────────────── decided (at any level) ──▶ closed            shown in digests)
 *
 * - `startClock` / `raiseDispute` begin a clock at a level; the ladder's levels are resolved to roles
 *   and channels once, at the start, so an open clock never changes when a pack is edited later.
 * - `reminderDue`, `levelExpired` and `decided` are the only transitions. Each checks its guard and
 *   throws IllegalTransitionError otherwise; `fire(state, timer, now)` is the refusing (non-throwing)
 *   form the sweeper uses, so a stale timer is recognised and dropped instead of acting twice.
 * - A decision at any level closes the clock: nothing is due after it (`timersOf` is empty).
 *
 * Deadlines of a level (`planLevel`)
 *   - the level the request enters at: the request's own decision deadline from the pack when there is
 *     one (it is the protocol's clock for the decision), else the level's `within`;
 *   - every later level: its own `within` from the pack;
 *   - a level the protocol gives no time (Suffolk gives the ladder 7 days as a whole; Leicester City
 *     names no time per level): `policy.unstatedWindow` says what to use, in order — the ladder's
 *     `resolveWithin` ("ladder"), then the duration of the request's decision deadline
 *     ("decision-clock"), then `policy.defaultWindow`; with none, the level has no deadline and the
 *     request waits there (it is listed in digests) without escalating;
 *   - each level's window runs from the instant the level before it ran out, so a ladder's dates are
 *     fixed when it starts and never drift with sweep timing or overnight deferral;
 *   - the last level has no further escalation: after its deadline (if any) the clock stays overdue.
 *
 * Working hours (`policy.workingHours`): a reminder or escalation that falls outside working hours
 * (Europe/London, bank holidays) is delivered at the next start of working hours, EXCEPT where the
 * clock is urgent — a deadline the pack marks `urgent`, a calendar-hours window of
 * `policy.urgentCalendarHours` (24) or less, or immediate danger — which goes out when due.
 * "defer-all" and "when-due" switch the exception off or defer nothing.
 *
 * Reminders (`policy.reminders`): before each deadline, to the current decider, either a fixed lead
 * ("2 working hours before") or a fraction of the level's window (elapsed time); none when the
 * reminder would fall before the level started or would be delivered at or after its deadline.
 */
import { z } from "zod";
import { WorkingCalendar } from "./calendar";
import { calendarDuration } from "./conditions";
import { Duration, type PolicyPack, type RoleRef } from "./pack";

// ---------------------------------------------------------------------------
// Schema (the store validates every clock it reads or writes against it)

const Iso = z.string().refine((s) => /T/.test(s) && !Number.isNaN(Date.parse(s)), "expected an ISO date-time");

export const Person = z.object({ id: z.string().min(1), name: z.string().min(1) }).strict();
export type Person = z.infer<typeof Person>;

/** A ladder role resolved to a team of the pack (null for an authority-wide role). */
export const ResolvedRole = z
  .object({ teamId: z.string().nullable(), teamName: z.string().nullable(), role: z.string().min(1), title: z.string().min(1) })
  .strict();
export type ResolvedRole = z.infer<typeof ResolvedRole>;

export const ReminderRule = z.union([
  /** A fixed lead before the deadline, e.g. { amount: 2, unit: "working-hours" }. */
  z.object({ lead: Duration }).strict(),
  /** A point in the level's window, as a fraction of its elapsed time (0.75: three quarters through). */
  z.object({ fraction: z.number().gt(0).lt(1) }).strict(),
]);
export type ReminderRule = z.infer<typeof ReminderRule>;

export const WORKING_HOURS_RULES = ["defer-unless-urgent", "defer-all", "when-due"] as const;
export const WINDOW_FALLBACKS = ["ladder", "decision-clock"] as const;

export const EscalationPolicy = z
  .object({
    /** Working hours of the councils' managers (Europe/London). */
    calendar: z.object({ dayStart: z.string(), dayEnd: z.string() }).strict(),
    workingHours: z.enum(WORKING_HOURS_RULES),
    /** A calendar-hours window of this many hours or fewer is urgent (never deferred). */
    urgentCalendarHours: z.number().min(0),
    reminders: z.object({ normal: ReminderRule.nullable(), urgent: ReminderRule.nullable() }).strict(),
    /** Where a level's window comes from when the pack gives the level none, in order. */
    unstatedWindow: z.array(z.enum(WINDOW_FALLBACKS)),
    /** Last resort for a level with no window from the pack (null: no deadline, no escalation). */
    defaultWindow: Duration.nullable(),
  })
  .strict();
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

export const DEFAULT_POLICY: EscalationPolicy = {
  calendar: { dayStart: "09:00", dayEnd: "17:00" },
  workingHours: "defer-unless-urgent",
  urgentCalendarHours: 24,
  reminders: { normal: { lead: { amount: 2, unit: "working-hours" } }, urgent: { fraction: 0.75 } },
  unstatedWindow: ["ladder", "decision-clock"],
  defaultWindow: null,
};

export type PolicyOverrides = Partial<Omit<EscalationPolicy, "reminders" | "calendar">> & {
  reminders?: Partial<EscalationPolicy["reminders"]>;
  calendar?: Partial<EscalationPolicy["calendar"]>;
};

export function resolvePolicy(overrides: PolicyOverrides = {}): EscalationPolicy {
  return EscalationPolicy.parse({
    ...DEFAULT_POLICY,
    ...overrides,
    calendar: { ...DEFAULT_POLICY.calendar, ...overrides.calendar },
    reminders: { ...DEFAULT_POLICY.reminders, ...overrides.reminders },
  });
}

export const LadderStep = z
  .object({
    level: z.number().int().min(1),
    role: ResolvedRole,
    /** Where posts for this level go: see channelKeyOf. */
    channelKey: z.string().min(1),
    wording: z.string(),
    within: Duration.nullable(),
  })
  .strict();
export type LadderStep = z.infer<typeof LadderStep>;

/** The facts a manager needs about the case. Never a child's name or date of birth. */
export const CaseSummary = z
  .object({
    caseReference: z.string().min(1),
    heading: z.string().min(1),
    direction: z.string().nullable(),
    fromTeam: z.string().nullable(),
    toTeam: z.string().nullable(),
    requestedBy: Person.nullable(),
    requestedAt: Iso,
  })
  .strict();
export type CaseSummary = z.infer<typeof CaseSummary>;

/** The request's own decision deadline, from the pack (engine `Deadline` + the spec's offset). */
export const DecisionDeadline = z
  .object({ id: z.string(), wording: z.string(), at: Iso, urgent: z.boolean(), offset: Duration.nullable() })
  .strict();
export type DecisionDeadline = z.infer<typeof DecisionDeadline>;

export const WINDOW_SOURCES = ["decision-deadline", "level", "ladder", "decision-clock", "policy-default", "none"] as const;
export type WindowSource = (typeof WINDOW_SOURCES)[number];

export const LevelPlan = z
  .object({
    level: z.number().int().min(1),
    startedAt: Iso,
    window: z.object({ source: z.enum(WINDOW_SOURCES), duration: Duration.nullable() }).strict(),
    deadlineAt: Iso.nullable(),
    urgent: z.boolean(),
    urgentBecause: z.string().nullable(),
    remindAt: Iso.nullable(),
    /** When the reminder is posted (remindAt, or the next start of working hours). */
    remindDeliverAt: Iso.nullable(),
    /** When the escalation to nextLevel is posted; null on the last level or without a deadline. */
    escalateDeliverAt: Iso.nullable(),
    nextLevel: z.number().int().nullable(),
  })
  .strict();
export type LevelPlan = z.infer<typeof LevelPlan>;

export const HISTORY_STEPS = ["started", "dispute-raised", "reminded", "escalated", "decided"] as const;
export const HistoryEntry = z
  .object({
    at: Iso,
    step: z.enum(HISTORY_STEPS),
    level: z.number().int(),
    /** Role title and channel of the level the step concerns (for "escalated": the new level). */
    title: z.string(),
    channelKey: z.string(),
    fromLevel: z.number().int().nullable(),
    fromChannelKey: z.string().nullable(),
    by: Person.nullable(),
    note: z.string().nullable(),
  })
  .strict();
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const TRACKS = ["decision", "dispute"] as const;
export type Track = (typeof TRACKS)[number];

export const ClockState = z
  .object({
    v: z.literal(1),
    requestId: z.string().min(1),
    track: z.enum(TRACKS),
    authority: z.object({ id: z.string(), name: z.string() }).strict(),
    ladder: z
      .object({ id: z.string(), name: z.string(), resolveWithin: Duration.nullable(), steps: z.array(LadderStep).min(1) })
      .strict(),
    case: CaseSummary,
    decisionDeadline: DecisionDeadline.nullable(),
    immediateDanger: z.boolean(),
    dispute: z.object({ by: Person, reason: z.string().min(1), about: z.string() }).strict().nullable(),
    policy: EscalationPolicy,
    startedAt: Iso,
    /** The ladder as a whole must be resolved by then (ladder.resolveWithin), if the pack says so. */
    resolveBy: Iso.nullable(),
    entryLevel: z.number().int().min(1),
    level: z.number().int().min(1),
    plan: LevelPlan,
    reminded: z.boolean(),
    status: z.enum(["waiting", "closed"]),
    closed: z.object({ at: Iso, by: Person, outcome: z.string(), why: z.string().nullable() }).strict().nullable(),
    history: z.array(HistoryEntry),
  })
  .strict();
export type ClockState = z.infer<typeof ClockState>;

// ---------------------------------------------------------------------------
// Errors

export type StepName = "reminderDue" | "levelExpired" | "decided";

export class IllegalTransitionError extends Error {
  override readonly name = "IllegalTransitionError";
  constructor(
    readonly step: StepName,
    readonly reason: Refusal,
    state: ClockState,
  ) {
    super(`${step} is not allowed for ${state.requestId} (${state.track}, level ${state.level}, ${state.status}): ${reason}`);
  }
}

export class LadderError extends Error {
  override readonly name = "LadderError";
}

// ---------------------------------------------------------------------------
// Roles and channels

/**
 * The team a clock climbs the ladder on. A ladder level `{ team: "$current" }` (or a team role with
 * no team) resolves to `currentTeam`: for an unanswered request pass the decider's team (the side
 * that owes the answer), for a dispute the disputing manager's team. `$previous` → `previousTeam`.
 */
export interface RoleContext {
  currentTeam?: string | null;
  previousTeam?: string | null;
}

export function resolveRole(pack: PolicyPack, ref: RoleRef, ctx: RoleContext): ResolvedRole {
  const authorityRole = ref.team ? undefined : pack.roles.find((r) => r.id === ref.role);
  if (authorityRole) return { teamId: null, teamName: null, role: ref.role, title: authorityRole.title };
  const teamId = ref.team === "$previous" ? ctx.previousTeam : ref.team === "$current" || ref.team === undefined ? ctx.currentTeam : ref.team;
  const team = teamId ? pack.teams.find((t) => t.id === teamId) : undefined;
  if (!team) {
    throw new LadderError(
      `${pack.id}: cannot resolve ${JSON.stringify(ref)} to a team: ${teamId ? `no team "${teamId}"` : `${ref.team ?? "$current"} is not known`}`,
    );
  }
  const title = team.roles.find((r) => r.id === ref.role)?.title ?? `${humanise(ref.role)} (${team.name})`;
  return { teamId: team.id, teamName: team.name, role: ref.role, title };
}

const humanise = (id: string): string => id.replace(/-/g, " ").replace(/^./, (c) => c.toUpperCase());

/**
 * The key of the channel that holds a role: "<authority>/<team or *>/<role>", e.g.
 * "enfield/lac/team-manager", "suffolk/* /head-of-service" (without the space). The channel
 * registry maps it to a registered Teams channel.
 */
export function channelKeyOf(authorityId: string, role: Pick<ResolvedRole, "teamId" | "role">): string {
  return `${authorityId}/${role.teamId ?? "*"}/${role.role}`;
}

/** The level of a ladder held by this role (the decider's level), or undefined. */
export function levelOfRole(pack: PolicyPack, ladderId: string, role: Pick<ResolvedRole, "teamId" | "role">, ctx: RoleContext): number | undefined {
  const ladder = ladderOf(pack, ladderId);
  return ladder.levels.find((l) => {
    const r = resolveRole(pack, l.role, ctx);
    return r.role === role.role && r.teamId === role.teamId;
  })?.level;
}

function ladderOf(pack: PolicyPack, ladderId: string) {
  const ladder = pack.ladders.find((l) => l.id === ladderId);
  if (!ladder) throw new LadderError(`${pack.id}: no ladder "${ladderId}" (ladders: ${pack.ladders.map((l) => l.id).join(", ")})`);
  return ladder;
}

// ---------------------------------------------------------------------------
// Picking the decision deadline of a request from the pack

export interface DeadlineLike {
  id: string;
  wording: string;
  at: string | null;
  urgent: boolean;
}

/**
 * The deadline that is the decider's clock: among the outcome's deadlines anchored on the request
 * and owed by the decider (no `who`, or `who` is the decider), not "before" an event, the earliest. With the rule id the
 * pack's offset comes along (used for levels the protocol gives no time of their own).
 */
export function pickDecisionDeadline(pack: PolicyPack, ruleId: string | null, deadlines: readonly DeadlineLike[]): DecisionDeadline | null {
  const outcome = ruleId ? pack.rules.find((r) => r.id === ruleId)?.then : pack.fallback.then;
  const specs = new Map((outcome?.deadlines ?? []).map((d) => [d.id, d] as const));
  const candidates = deadlines
    .filter((d): d is DeadlineLike & { at: string } => d.at !== null)
    .filter((d) => {
      const spec = specs.get(d.id);
      const who = spec?.who;
      const owedByDecider = !who || (outcome !== undefined && who.role === outcome.decider.role && (who.team ?? null) === (outcome.decider.team ?? null));
      return !spec || (spec.from === "request" && owedByDecider && !spec.before);
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const first = candidates[0];
  if (!first) return null;
  const spec = specs.get(first.id);
  return { id: first.id, wording: first.wording, at: new Date(first.at).toISOString(), urgent: first.urgent, offset: spec ? spec.offset : null };
}

/** The ladder a rule's outcome names (the fallback's when ruleId is null). */
export function ladderIdForRule(pack: PolicyPack, ruleId: string | null): string | null {
  const outcome = ruleId ? pack.rules.find((r) => r.id === ruleId)?.then : pack.fallback.then;
  return outcome?.ladder ?? null;
}

// ---------------------------------------------------------------------------
// Planning a level

const calendars = new Map<string, WorkingCalendar>();
export function calendarOf(policy: EscalationPolicy): WorkingCalendar {
  const key = `${policy.calendar.dayStart}-${policy.calendar.dayEnd}`;
  let cal = calendars.get(key);
  if (!cal) calendars.set(key, (cal = new WorkingCalendar(policy.calendar)));
  return cal;
}

const iso = (d: Date): string => d.toISOString();

interface PlanInput {
  steps: readonly LadderStep[];
  resolveWithin: Duration | null;
  entryLevel: number;
  decisionDeadline: DecisionDeadline | null;
  immediateDanger: boolean;
  policy: EscalationPolicy;
}

/** Deadline, urgency, reminder and escalation times of `level`, which started at `startedAt`. */
export function planLevel(input: PlanInput, level: number, startedAt: Date): LevelPlan {
  const { steps, policy } = input;
  const cal = calendarOf(policy);
  const index = steps.findIndex((s) => s.level === level);
  const step = steps[index];
  if (!step) throw new LadderError(`no level ${level} (levels: ${steps.map((s) => s.level).join(", ")})`);
  const next = steps[index + 1];

  let source: WindowSource = "none";
  let duration: Duration | null = null;
  let deadline: Date | null = null;
  let urgentBecause: string | null = input.immediateDanger ? "immediate danger" : null;
  const dd = input.decisionDeadline;

  if (level === input.entryLevel && dd) {
    source = "decision-deadline";
    duration = dd.offset;
    deadline = new Date(dd.at);
    if (dd.urgent) urgentBecause ??= "the protocol marks this deadline urgent";
  } else if (step.within) {
    source = "level";
    duration = step.within;
  } else {
    for (const fallback of policy.unstatedWindow) {
      if (fallback === "ladder" && input.resolveWithin) {
        source = "ladder";
        duration = input.resolveWithin;
        break;
      }
      if (fallback === "decision-clock" && dd?.offset) {
        source = "decision-clock";
        duration = dd.offset;
        if (dd.urgent) urgentBecause ??= "the protocol marks the decision deadline urgent";
        break;
      }
    }
    if (source === "none" && policy.defaultWindow) {
      source = "policy-default";
      duration = policy.defaultWindow;
    }
  }
  if (!deadline && duration) deadline = cal.add(startedAt, calendarDuration(duration));
  if (duration?.unit === "calendar-hours" && duration.amount <= policy.urgentCalendarHours) {
    urgentBecause ??= `a ${duration.amount}-hour clock`;
  }
  const urgent = urgentBecause !== null;

  const deliver = (t: Date): Date => {
    if (policy.workingHours === "when-due") return t;
    if (urgent && policy.workingHours === "defer-unless-urgent") return t;
    return cal.nextWorkingStart(t);
  };

  const escalateDeliverAt = deadline && next ? deliver(deadline) : null;
  let remindAt: Date | null = null;
  let remindDeliverAt: Date | null = null;
  const rule = urgent ? policy.reminders.urgent : policy.reminders.normal;
  if (deadline && rule) {
    const at =
      "lead" in rule
        ? cal.subtract(deadline, calendarDuration(rule.lead))
        : new Date(startedAt.getTime() + Math.round(rule.fraction * (deadline.getTime() - startedAt.getTime())));
    const delivered = deliver(at);
    if (at.getTime() > startedAt.getTime() && delivered.getTime() < deadline.getTime()) {
      remindAt = at;
      remindDeliverAt = delivered;
    }
  }
  return {
    level,
    startedAt: iso(startedAt),
    window: { source, duration },
    deadlineAt: deadline ? iso(deadline) : null,
    urgent,
    urgentBecause,
    remindAt: remindAt ? iso(remindAt) : null,
    remindDeliverAt: remindDeliverAt ? iso(remindDeliverAt) : null,
    escalateDeliverAt: escalateDeliverAt ? iso(escalateDeliverAt) : null,
    nextLevel: next?.level ?? null,
  };
}

// ---------------------------------------------------------------------------
// Starting a clock

export interface StartClockInput {
  pack: PolicyPack;
  ladderId: string;
  requestId: string;
  case: CaseSummary;
  context: RoleContext;
  startedAt: Date;
  /** The level the request is at (default: the decider's level of the ladder, else 1). */
  level?: number;
  decider?: Pick<ResolvedRole, "teamId" | "role">;
  decisionDeadline?: DecisionDeadline | null;
  immediateDanger?: boolean;
  policy?: PolicyOverrides | EscalationPolicy;
}

function resolveSteps(pack: PolicyPack, ladderId: string, ctx: RoleContext): { steps: LadderStep[]; name: string; resolveWithin: Duration | null } {
  const ladder = ladderOf(pack, ladderId);
  const steps = [...ladder.levels]
    .sort((a, b) => a.level - b.level)
    .map((l) => {
      const role = resolveRole(pack, l.role, ctx);
      return { level: l.level, role, channelKey: channelKeyOf(pack.id, role), wording: l.wording, within: l.within ?? null };
    });
  return { steps, name: ladder.name, resolveWithin: ladder.resolveWithin ?? null };
}

function checkDate(what: string, d: Date): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError(`${what}: expected a valid Date`);
}

function begin(input: StartClockInput, track: Track, dispute: ClockState["dispute"], by: Person | null): ClockState {
  checkDate("startedAt", input.startedAt);
  const policy = resolvePolicy(input.policy as PolicyOverrides | undefined);
  const { steps, name, resolveWithin } = resolveSteps(input.pack, input.ladderId, input.context);
  const entryLevel =
    input.level ??
    (input.decider ? steps.find((s) => s.role.role === input.decider?.role && s.role.teamId === input.decider?.teamId)?.level : undefined) ??
    steps[0]!.level;
  const step = steps.find((s) => s.level === entryLevel);
  if (!step) throw new LadderError(`${input.pack.id}/${input.ladderId}: no level ${entryLevel}`);
  const decisionDeadline = input.decisionDeadline ? DecisionDeadline.parse(input.decisionDeadline) : null;
  const planInput: PlanInput = { steps, resolveWithin, entryLevel, decisionDeadline, immediateDanger: input.immediateDanger ?? false, policy };
  const plan = planLevel(planInput, entryLevel, input.startedAt);
  const state: ClockState = {
    v: 1,
    requestId: input.requestId,
    track,
    authority: { id: input.pack.id, name: input.pack.name },
    ladder: { id: input.ladderId, name, resolveWithin, steps },
    case: CaseSummary.parse(input.case),
    decisionDeadline,
    immediateDanger: input.immediateDanger ?? false,
    dispute,
    policy,
    startedAt: iso(input.startedAt),
    resolveBy: resolveWithin ? iso(calendarOf(policy).add(input.startedAt, calendarDuration(resolveWithin))) : null,
    entryLevel,
    level: entryLevel,
    plan,
    reminded: false,
    status: "waiting",
    closed: null,
    history: [
      {
        at: iso(input.startedAt),
        step: track === "dispute" ? "dispute-raised" : "started",
        level: entryLevel,
        title: step.role.title,
        channelKey: step.channelKey,
        fromLevel: null,
        fromChannelKey: null,
        by,
        note: dispute ? dispute.reason : null,
      },
    ],
  };
  return ClockState.parse(state);
}

/** The decision clock of a request waiting for its decider. */
export function startClock(input: StartClockInput): ClockState {
  return begin(input, "decision", null, input.case.requestedBy);
}

export interface DisputeInput extends Omit<StartClockInput, "ladderId" | "decisionDeadline"> {
  /** The council's dispute ladder (default "dispute"). */
  ladderId?: string;
  by: Person;
  reason: string;
  /** What is disputed, e.g. "Declined by Sam Patel on Tuesday 29 December 2026, 10am". */
  about: string;
}

/**
 * A manager disagrees with a decision: the council's dispute ladder starts at its first level (or
 * `level`), with the reason. It is followed up exactly like an unanswered request.
 */
export function raiseDispute(input: DisputeInput): ClockState {
  const reason = input.reason.trim();
  if (!reason) throw new LadderError("a dispute needs a reason");
  return begin({ ...input, ladderId: input.ladderId ?? "dispute", decisionDeadline: null }, "dispute", { by: input.by, reason, about: input.about }, input.by);
}

// ---------------------------------------------------------------------------
// Timers and transitions

export type TimerKind = "remind" | "escalate";

export interface TimerSpec {
  kind: TimerKind;
  level: number;
  /** When the timer fires: the delivery instant (already moved into working hours where the rule says so). */
  dueAt: string;
}

/** What must happen next, and when. Empty for a closed clock or one waiting without a deadline. */
export function timersOf(state: ClockState): TimerSpec[] {
  if (state.status !== "waiting") return [];
  const timers: TimerSpec[] = [];
  if (!state.reminded && state.plan.remindDeliverAt) timers.push({ kind: "remind", level: state.level, dueAt: state.plan.remindDeliverAt });
  if (state.plan.escalateDeliverAt) timers.push({ kind: "escalate", level: state.level, dueAt: state.plan.escalateDeliverAt });
  return timers;
}

export type Refusal = "closed" | "other-level" | "already-reminded" | "no-reminder" | "not-due" | "last-level" | "no-deadline";

/** A reminder to the current decider (posted in their channel, @mentioning them). */
export interface ReminderNotice {
  kind: "remind";
  level: number;
  step: LadderStep;
  deadlineAt: string;
  urgent: boolean;
}

/** The request goes to the next level (posted in the next level's channel, @mentioning its holder). */
export interface EscalationNotice {
  kind: "escalate";
  fromLevel: number;
  from: LadderStep;
  level: number;
  step: LadderStep;
  /** When the level before ran out. */
  expiredAt: string;
  /** The new level's own deadline (null where the protocol gives it none). */
  deadlineAt: string | null;
  urgent: boolean;
  last: boolean;
}

export type Notice = ReminderNotice | EscalationNotice;

function stepAt(state: ClockState, level: number): LadderStep {
  const step = state.ladder.steps.find((s) => s.level === level);
  if (!step) throw new LadderError(`${state.requestId}: no level ${level}`);
  return step;
}

function guardReminder(state: ClockState, now: Date): Refusal | null {
  if (state.status !== "waiting") return "closed";
  if (state.reminded) return "already-reminded";
  if (!state.plan.remindDeliverAt) return "no-reminder";
  if (now.getTime() < Date.parse(state.plan.remindDeliverAt)) return "not-due";
  return null;
}

function guardExpiry(state: ClockState, now: Date): Refusal | null {
  if (state.status !== "waiting") return "closed";
  if (state.plan.nextLevel === null) return "last-level";
  if (!state.plan.escalateDeliverAt) return "no-deadline";
  if (now.getTime() < Date.parse(state.plan.escalateDeliverAt)) return "not-due";
  return null;
}

/** Step "reminderDue": the current decider is reminded once per level. */
export function reminderDue(state: ClockState, now: Date): { state: ClockState; notice: ReminderNotice } {
  checkDate("now", now);
  const refusal = guardReminder(state, now);
  if (refusal) throw new IllegalTransitionError("reminderDue", refusal, state);
  const step = stepAt(state, state.level);
  const next: ClockState = {
    ...state,
    reminded: true,
    history: [
      ...state.history,
      { at: iso(now), step: "reminded", level: state.level, title: step.role.title, channelKey: step.channelKey, fromLevel: null, fromChannelKey: null, by: null, note: null },
    ],
  };
  return { state: next, notice: { kind: "remind", level: state.level, step, deadlineAt: state.plan.deadlineAt!, urgent: state.plan.urgent } };
}

/** Step "levelExpired": the level's deadline passed without a decision; the next level is asked. */
export function levelExpired(state: ClockState, now: Date): { state: ClockState; notice: EscalationNotice } {
  checkDate("now", now);
  const refusal = guardExpiry(state, now);
  if (refusal) throw new IllegalTransitionError("levelExpired", refusal, state);
  const from = stepAt(state, state.level);
  const nextLevel = state.plan.nextLevel!;
  const step = stepAt(state, nextLevel);
  const expiredAt = state.plan.deadlineAt!;
  const plan = planLevel(
    { steps: state.ladder.steps, resolveWithin: state.ladder.resolveWithin, entryLevel: state.entryLevel, decisionDeadline: state.decisionDeadline, immediateDanger: state.immediateDanger, policy: state.policy },
    nextLevel,
    new Date(expiredAt),
  );
  const next: ClockState = {
    ...state,
    level: nextLevel,
    plan,
    reminded: false,
    history: [
      ...state.history,
      { at: iso(now), step: "escalated", level: nextLevel, title: step.role.title, channelKey: step.channelKey, fromLevel: from.level, fromChannelKey: from.channelKey, by: null, note: null },
    ],
  };
  return {
    state: next,
    notice: { kind: "escalate", fromLevel: from.level, from, level: nextLevel, step, expiredAt, deadlineAt: plan.deadlineAt, urgent: plan.urgent, last: plan.nextLevel === null },
  };
}

export interface DecisionInput {
  by: Person;
  /** e.g. "approved", "declined", "resolved". */
  outcome: string;
  why?: string | null;
}

/** Step "decided": a decision at any level closes the clock; the first decision is final. */
export function decided(state: ClockState, decision: DecisionInput, now: Date): ClockState {
  checkDate("now", now);
  if (state.status !== "waiting") throw new IllegalTransitionError("decided", "closed", state);
  const step = stepAt(state, state.level);
  return {
    ...state,
    status: "closed",
    closed: { at: iso(now), by: decision.by, outcome: decision.outcome, why: decision.why ?? null },
    history: [
      ...state.history,
      { at: iso(now), step: "decided", level: state.level, title: step.role.title, channelKey: step.channelKey, fromLevel: null, fromChannelKey: null, by: decision.by, note: decision.why ?? decision.outcome },
    ],
  };
}

export type FireResult = { ok: true; state: ClockState; notice: Notice } | { ok: false; refusal: Refusal };

/**
 * Apply a due timer (the non-throwing form the sweeper uses): a timer for another level, for a
 * reminder already sent, or for a closed clock is refused, so a stale or repeated timer never acts.
 */
export function fire(state: ClockState, timer: Pick<TimerSpec, "kind" | "level">, now: Date): FireResult {
  if (state.status !== "waiting") return { ok: false, refusal: "closed" };
  if (timer.level !== state.level) return { ok: false, refusal: "other-level" };
  if (timer.kind === "remind") {
    const refusal = guardReminder(state, now);
    return refusal ? { ok: false, refusal } : { ok: true, ...reminderDue(state, now) };
  }
  const refusal = guardExpiry(state, now);
  return refusal ? { ok: false, refusal } : { ok: true, ...levelExpired(state, now) };
}

/** Past its level's deadline and still waiting (at the last level, or awaiting the escalation's delivery). */
export function isOverdue(state: ClockState, now: Date): boolean {
  return state.status === "waiting" && state.plan.deadlineAt !== null && now.getTime() >= Date.parse(state.plan.deadlineAt);
}

// ---------------------------------------------------------------------------
// Digests

export interface DigestItem {
  requestId: string;
  track: Track;
  authority: string;
  caseReference: string;
  heading: string;
  level: number;
  /** Who holds it now. */
  title: string;
  channelKey: string;
  waitingSince: string;
  deadlineAt: string | null;
  urgent: boolean;
}

export interface EscalatedItem extends DigestItem {
  /** "to": it was escalated to this channel; "from": this channel's level ran out. */
  direction: "to" | "from";
  escalatedAt: string;
  fromTitle: string;
  toTitle: string;
}

export interface Digest {
  channelKey: string;
  at: string;
  since: string;
  waiting: DigestItem[];
  overdue: DigestItem[];
  escalated: EscalatedItem[];
}

function item(state: ClockState): DigestItem {
  const step = stepAt(state, state.level);
  return {
    requestId: state.requestId,
    track: state.track,
    authority: state.authority.name,
    caseReference: state.case.caseReference,
    heading: state.case.heading,
    level: state.level,
    title: step.role.title,
    channelKey: step.channelKey,
    waitingSince: state.plan.startedAt,
    deadlineAt: state.plan.deadlineAt,
    urgent: state.plan.urgent,
  };
}

const byDeadline = (a: DigestItem, b: DigestItem): number =>
  (a.deadlineAt ? Date.parse(a.deadlineAt) : Infinity) - (b.deadlineAt ? Date.parse(b.deadlineAt) : Infinity) || a.requestId.localeCompare(b.requestId);

/**
 * The daily summary for one channel: open clocks waiting at its level (not yet due / overdue), and
 * clocks escalated to or away from it in (since, now].
 */
export function digestFor(states: readonly ClockState[], channelKey: string, now: Date, since: Date): Digest {
  checkDate("now", now);
  checkDate("since", since);
  const waiting: DigestItem[] = [];
  const overdue: DigestItem[] = [];
  const escalated: EscalatedItem[] = [];
  for (const state of states) {
    if (state.status !== "waiting") continue;
    const current = stepAt(state, state.level);
    if (current.channelKey === channelKey) (isOverdue(state, now) ? overdue : waiting).push(item(state));
    for (const h of state.history) {
      const t = Date.parse(h.at);
      if (h.step !== "escalated" || t <= since.getTime() || t > now.getTime()) continue;
      const direction = h.channelKey === channelKey ? "to" : h.fromChannelKey === channelKey ? "from" : null;
      if (!direction) continue;
      escalated.push({ ...item(state), direction, escalatedAt: h.at, fromTitle: stepAt(state, h.fromLevel ?? h.level).role.title, toTitle: h.title });
    }
  }
  waiting.sort(byDeadline);
  overdue.sort(byDeadline);
  escalated.sort((a, b) => Date.parse(a.escalatedAt) - Date.parse(b.escalatedAt) || a.requestId.localeCompare(b.requestId));
  return { channelKey, at: iso(now), since: iso(since), waiting, overdue, escalated };
}

/** The next start of working hours strictly after `now`: when the next daily digest goes out. */
export function nextDigestAt(now: Date, policy: EscalationPolicy = DEFAULT_POLICY): Date {
  checkDate("now", now);
  const cal = calendarOf(policy);
  const start = cal.nextWorkingStart(now);
  if (start.getTime() > now.getTime()) return start;
  return cal.nextWorkingStart(cal.atLondon(cal.londonDate(now), cal.dayEnd));
}

/** Channels a clock has touched (current and earlier levels): the digests it may appear in. */
export function channelsOf(state: ClockState): string[] {
  const keys = new Set<string>();
  for (const h of state.history) {
    keys.add(h.channelKey);
    if (h.fromChannelKey) keys.add(h.fromChannelKey);
  }
  return [...keys];
}
