/**
 * Every council's ladders, walked with an injected clock: each level's deadline, reminder and
 * escalation instant as literal ISO values, across weekends, bank holidays (25 & 28 Dec 2026,
 * 1 Jan 2027, Good Friday 26 Mar and Easter Monday 29 Mar 2027) and both clock changes (BST ends
 * 25 Oct 2026 and 31 Oct 2027, starts 28 Mar 2027); and the card of every step.
 */
import { getPack, AUTHORITY_IDS } from "../../domain/packs";
import { defaultCalendar } from "../../domain/calendar";
import {
  decided,
  digestFor,
  IllegalTransitionError,
  isOverdue,
  ladderIdForRule,
  levelExpired,
  pickDecisionDeadline,
  raiseDispute,
  reminderDue,
  startClock,
  timersOf,
  type CaseSummary,
  type ClockState,
  type DecisionDeadline,
} from "../../domain/escalation";
import { calendarDuration } from "../../domain/conditions";
import { escalationCard, escalationCardData, reminderCard, reminderCardData, digestCard, digestCardData, withMentions } from "../../bot/escalation/cards";
import { expectValidCard } from "../helpers/cards";

const MANAGER = { id: "29:manager-1", name: "Alex Morgan" };

function summary(at: string): CaseSummary {
  return { caseReference: "CR-2026/0417", heading: "Step up to the receiving team", direction: "step-up", fromTeam: "Early Help", toTeam: "Receiving team", requestedBy: { id: "29:pract", name: "Jo Practitioner" }, requestedAt: at };
}

/** The rule's own decision deadline, computed from the pack's DeadlineSpec as the engine does. */
function decisionDeadlineOf(packId: string, ruleId: string, deadlineId: string, from: Date): DecisionDeadline {
  const pack = getPack(packId)!;
  const spec = pack.rules.find((r) => r.id === ruleId)!.then.deadlines.find((d) => d.id === deadlineId)!;
  const at = defaultCalendar.add(from, calendarDuration(spec.offset)).toISOString();
  const picked = pickDecisionDeadline(pack, ruleId, [{ id: spec.id, wording: spec.wording, at, urgent: spec.urgent ?? false }]);
  expect(picked).not.toBeNull();
  return picked!;
}

interface Level {
  level: number;
  /** "<team or *>/<role>" of the level's holder. */
  holder: string;
  deadlineAt: string | null;
  remindAt: string | null;
  escalateAt: string | null;
  urgent: boolean;
}

interface Walk {
  name: string;
  pack: string;
  ladder: string;
  /** The rule whose outcome names the ladder (and whose decision deadline is used), if any. */
  rule?: { id: string; deadline: string };
  dispute?: boolean;
  team: string;
  startedAt: string;
  level?: number;
  levels: Level[];
}

const WALKS: Walk[] = [
  {
    name: "Hertfordshire step up: 24-hour urgent decision on 23 Dec, then one working day a level over Christmas and the substitute bank holiday",
    pack: "hertfordshire",
    ladder: "step-up",
    rule: { id: "step-up-eh-to-assessment", deadline: "decision-24-hours" },
    team: "assessment",
    startedAt: "2026-12-23T16:00:00.000Z",
    levels: [
      { level: 1, holder: "assessment/team-manager", deadlineAt: "2026-12-24T16:00:00.000Z", remindAt: "2026-12-24T10:00:00.000Z", escalateAt: "2026-12-24T16:00:00.000Z", urgent: true },
      { level: 2, holder: "assessment/service-manager", deadlineAt: "2026-12-29T17:00:00.000Z", remindAt: "2026-12-29T15:00:00.000Z", escalateAt: "2026-12-30T09:00:00.000Z", urgent: false },
      { level: 3, holder: "assessment/head-of-service", deadlineAt: "2026-12-30T17:00:00.000Z", remindAt: "2026-12-30T15:00:00.000Z", escalateAt: "2026-12-31T09:00:00.000Z", urgent: false },
      { level: 4, holder: "*/director", deadlineAt: "2026-12-31T17:00:00.000Z", remindAt: "2026-12-31T15:00:00.000Z", escalateAt: null, urgent: false },
    ],
  },
  {
    name: "Hertfordshire case allocation dispute across the end of BST (25 Oct 2026): four levels, one working day each",
    pack: "hertfordshire",
    ladder: "dispute",
    dispute: true,
    team: "assessment",
    startedAt: "2026-10-23T14:00:00.000Z", // Friday 3pm BST
    levels: [
      { level: 1, holder: "assessment/team-manager", deadlineAt: "2026-10-26T17:00:00.000Z", remindAt: "2026-10-26T15:00:00.000Z", escalateAt: "2026-10-27T09:00:00.000Z", urgent: false },
      { level: 2, holder: "assessment/service-manager", deadlineAt: "2026-10-27T17:00:00.000Z", remindAt: "2026-10-27T15:00:00.000Z", escalateAt: "2026-10-28T09:00:00.000Z", urgent: false },
      { level: 3, holder: "assessment/head-of-service", deadlineAt: "2026-10-28T17:00:00.000Z", remindAt: "2026-10-28T15:00:00.000Z", escalateAt: "2026-10-29T09:00:00.000Z", urgent: false },
      { level: 4, holder: "*/director", deadlineAt: "2026-10-29T17:00:00.000Z", remindAt: "2026-10-29T15:00:00.000Z", escalateAt: null, urgent: false },
    ],
  },
  {
    name: "Enfield safeguarding step up: 24 hours a level, sent when due over the weekend, the start of BST (28 Mar 2027) and Easter Monday",
    pack: "enfield",
    ladder: "step-up",
    rule: { id: "eh-step-up", deadline: "final-decision" },
    team: "mash",
    startedAt: "2027-03-27T10:00:00.000Z", // Saturday 10am GMT
    levels: [
      { level: 1, holder: "mash/team-manager", deadlineAt: "2027-03-28T10:00:00.000Z", remindAt: "2027-03-28T04:00:00.000Z", escalateAt: "2027-03-28T10:00:00.000Z", urgent: true },
      { level: 2, holder: "mash/service-manager", deadlineAt: "2027-03-29T10:00:00.000Z", remindAt: "2027-03-29T04:00:00.000Z", escalateAt: "2027-03-29T10:00:00.000Z", urgent: true },
      { level: 3, holder: "*/head-of-service", deadlineAt: "2027-03-30T10:00:00.000Z", remindAt: "2027-03-30T04:00:00.000Z", escalateAt: null, urgent: true },
    ],
  },
  {
    name: "Enfield case transfer dispute: TM → SM → HoS one working day each, over Good Friday, Easter Monday and into BST",
    pack: "enfield",
    ladder: "dispute",
    dispute: true,
    team: "lac",
    startedAt: "2027-03-25T11:00:00.000Z", // Thursday before Good Friday
    levels: [
      { level: 1, holder: "lac/team-manager", deadlineAt: "2027-03-30T16:00:00.000Z", remindAt: "2027-03-30T14:00:00.000Z", escalateAt: "2027-03-31T08:00:00.000Z", urgent: false },
      { level: 2, holder: "lac/service-manager", deadlineAt: "2027-03-31T16:00:00.000Z", remindAt: "2027-03-31T14:00:00.000Z", escalateAt: "2027-04-01T08:00:00.000Z", urgent: false },
      { level: 3, holder: "*/head-of-service", deadlineAt: "2027-04-01T16:00:00.000Z", remindAt: "2027-04-01T14:00:00.000Z", escalateAt: null, urgent: false },
    ],
  },
  {
    name: "Enfield step down: the EH manager's 72 hours, then levels the protocol gives no time (they wait, listed in digests)",
    pack: "enfield",
    ladder: "step-down",
    team: "early-help",
    startedAt: "2027-03-25T11:00:00.000Z",
    levels: [
      { level: 1, holder: "early-help/team-manager", deadlineAt: "2027-03-28T11:00:00.000Z", remindAt: "2027-03-25T15:00:00.000Z", escalateAt: "2027-03-30T08:00:00.000Z", urgent: false },
      { level: 2, holder: "early-help/head-of-service", deadlineAt: null, remindAt: null, escalateAt: null, urgent: false },
    ],
  },
  {
    name: "Leicestershire transfer dispute: five working days a level (the ladder's time) across the end of BST (31 Oct 2027)",
    pack: "leicestershire",
    ladder: "dispute",
    dispute: true,
    team: "cic",
    startedAt: "2027-10-25T09:00:00.000Z", // Monday 10am BST
    levels: [
      { level: 1, holder: "cic/team-manager", deadlineAt: "2027-11-01T17:00:00.000Z", remindAt: "2027-11-01T15:00:00.000Z", escalateAt: "2027-11-02T09:00:00.000Z", urgent: false },
      { level: 2, holder: "cic/service-manager", deadlineAt: "2027-11-08T17:00:00.000Z", remindAt: "2027-11-08T15:00:00.000Z", escalateAt: "2027-11-09T09:00:00.000Z", urgent: false },
      { level: 3, holder: "*/head-of-service", deadlineAt: "2027-11-15T17:00:00.000Z", remindAt: "2027-11-15T15:00:00.000Z", escalateAt: null, urgent: false },
    ],
  },
  {
    name: "Suffolk differences of opinion: seven days a level over Christmas, the substitute bank holiday and New Year's Day",
    pack: "suffolk",
    ladder: "dispute",
    dispute: true,
    team: "social-care",
    startedAt: "2026-12-21T10:00:00.000Z",
    levels: [
      { level: 1, holder: "social-care/practice-manager", deadlineAt: "2026-12-28T10:00:00.000Z", remindAt: "2026-12-24T15:00:00.000Z", escalateAt: "2026-12-29T09:00:00.000Z", urgent: false },
      { level: 2, holder: "*/area-service-manager", deadlineAt: "2027-01-04T10:00:00.000Z", remindAt: "2026-12-31T16:00:00.000Z", escalateAt: "2027-01-04T10:00:00.000Z", urgent: false },
      { level: 3, holder: "*/head-of-service", deadlineAt: "2027-01-11T10:00:00.000Z", remindAt: "2027-01-08T16:00:00.000Z", escalateAt: null, urgent: false },
    ],
  },
  {
    name: "Leicester City step up: the 24-hour CSC clock at every level, across the end of BST (25 Oct 2026), sent when due on a Sunday",
    pack: "leicester-city",
    ladder: "step-up",
    rule: { id: "contact-csc-threshold-met-to-das", deadline: "csc-initial-contact-24h" },
    team: "das",
    level: 1,
    startedAt: "2026-10-24T11:00:00.000Z", // Saturday noon BST
    levels: [
      { level: 1, holder: "das/social-worker", deadlineAt: "2026-10-25T11:00:00.000Z", remindAt: "2026-10-25T05:00:00.000Z", escalateAt: "2026-10-25T11:00:00.000Z", urgent: true },
      { level: 2, holder: "das/team-manager", deadlineAt: "2026-10-26T11:00:00.000Z", remindAt: "2026-10-26T05:00:00.000Z", escalateAt: "2026-10-26T11:00:00.000Z", urgent: true },
      { level: 3, holder: "*/head-of-service", deadlineAt: "2026-10-27T11:00:00.000Z", remindAt: "2026-10-27T05:00:00.000Z", escalateAt: null, urgent: true },
    ],
  },
  {
    name: "Leicester City step down: 72 hours (working days only) from the EH Response team manager over Christmas and New Year",
    pack: "leicester-city",
    ladder: "step-down",
    rule: { id: "das-threshold-not-met-to-ehr", deadline: "eh-initial-contact-72h" },
    team: "ehr",
    startedAt: "2026-12-24T10:00:00.000Z",
    levels: [
      { level: 2, holder: "ehr/team-manager", deadlineAt: "2026-12-31T10:00:00.000Z", remindAt: "2026-12-30T16:00:00.000Z", escalateAt: "2026-12-31T10:00:00.000Z", urgent: false },
      { level: 3, holder: "*/head-of-service", deadlineAt: "2027-01-06T10:00:00.000Z", remindAt: "2027-01-05T16:00:00.000Z", escalateAt: null, urgent: false },
    ],
  },
];

function begin(w: Walk): ClockState {
  const pack = getPack(w.pack)!;
  const startedAt = new Date(w.startedAt);
  if (w.dispute) {
    return raiseDispute({ pack, ladderId: w.ladder, requestId: "TR-7K3F9Q", case: summary(w.startedAt), context: { currentTeam: w.team }, startedAt, by: MANAGER, reason: "We do not agree that threshold is met.", about: "Declined by the receiving team manager" });
  }
  if (w.rule) expect(ladderIdForRule(pack, w.rule.id)).toBe(w.ladder);
  const rule = w.rule ? pack.rules.find((r) => r.id === w.rule!.id)! : undefined;
  const decider = rule ? { teamId: rule.then.decider.team ?? null, role: rule.then.decider.role } : undefined;
  return startClock({
    pack,
    ladderId: w.ladder,
    requestId: "TR-7K3F9Q",
    case: summary(w.startedAt),
    context: { currentTeam: w.team },
    startedAt,
    decider,
    level: w.level,
    decisionDeadline: w.rule ? decisionDeadlineOf(w.pack, w.rule.id, w.rule.deadline, startedAt) : null,
  });
}

const before = (iso: string) => new Date(Date.parse(iso) - 1);

describe.each(WALKS)("$name", (w) => {
  it("has a literal deadline, reminder and escalation instant at every level, and posts a valid card at each step", () => {
    let state = begin(w);
    const pack = getPack(w.pack)!;
    const ladder = pack.ladders.find((l) => l.id === w.ladder)!;
    expect(state.ladder.steps.map((s) => s.level)).toEqual(ladder.levels.map((l) => l.level));
    expect(state.level).toBe(w.levels[0]!.level);

    for (const [i, expected] of w.levels.entries()) {
      const step = state.ladder.steps.find((s) => s.level === state.level)!;
      expect({
        level: state.level,
        holder: `${step.role.teamId ?? "*"}/${step.role.role}`,
        deadlineAt: state.plan.deadlineAt,
        remindAt: state.plan.remindDeliverAt,
        escalateAt: state.plan.escalateDeliverAt,
        urgent: state.plan.urgent,
      }).toEqual(expected);
      expect(step.channelKey).toBe(`${w.pack}/${expected.holder}`);
      expect(timersOf(state).map((t) => [t.kind, t.dueAt])).toEqual([
        ...(expected.remindAt ? [["remind", expected.remindAt]] : []),
        ...(expected.escalateAt ? [["escalate", expected.escalateAt]] : []),
      ]);
      // Deferred deliveries land at the start of working hours; urgent ones exactly when due.
      if (expected.escalateAt && expected.deadlineAt) {
        if (expected.urgent) expect(expected.escalateAt).toBe(expected.deadlineAt);
        else expect(expected.escalateAt).toBe(defaultCalendar.nextWorkingStart(new Date(expected.deadlineAt)).toISOString());
      }

      if (expected.remindAt) {
        expect(() => reminderDue(state, before(expected.remindAt!))).toThrow(IllegalTransitionError);
        const reminded = reminderDue(state, new Date(expected.remindAt));
        const card = reminderCard(withMentions(reminderCardData(reminded.state, reminded.notice), [MANAGER]));
        expectValidCard(card);
        const text = JSON.stringify(card);
        expect(text).toContain("CR-2026/0417");
        expect(text).toContain(`<at>${MANAGER.name}</at>`);
        expect(() => reminderDue(reminded.state, new Date(expected.remindAt!))).toThrow(/already-reminded/);
        state = reminded.state;
      }

      const next = w.levels[i + 1];
      if (!expected.escalateAt) {
        expect(next).toBeUndefined();
        if (expected.deadlineAt) {
          expect(() => levelExpired(state, new Date(expected.deadlineAt!))).toThrow(/last-level/);
          expect(isOverdue(state, before(expected.deadlineAt))).toBe(false);
          expect(isOverdue(state, new Date(expected.deadlineAt))).toBe(true);
          const digest = digestFor([state], step.channelKey, new Date(Date.parse(expected.deadlineAt) + 86_400_000), new Date(expected.deadlineAt));
          expect(digest.overdue.map((d) => d.requestId)).toEqual(["TR-7K3F9Q"]);
          expectValidCard(digestCard(digestCardData(digest, step.role.title, pack.name)));
        } else {
          expect(() => levelExpired(state, new Date("2030-01-01T00:00:00Z"))).toThrow(/last-level|no-deadline/);
          const digest = digestFor([state], step.channelKey, new Date("2030-01-01T09:00:00Z"), new Date("2029-12-31T09:00:00Z"));
          expect(digest.waiting.map((d) => d.requestId)).toEqual(["TR-7K3F9Q"]);
        }
        break;
      }
      expect(() => levelExpired(state, before(expected.escalateAt!))).toThrow(/not-due/);
      const escalated = levelExpired(state, new Date(expected.escalateAt));
      expect(escalated.notice.fromLevel).toBe(expected.level);
      expect(escalated.notice.level).toBe(next!.level);
      expect(escalated.notice.expiredAt).toBe(expected.deadlineAt);
      const card = escalationCard(withMentions(escalationCardData(escalated.state, escalated.notice), [MANAGER]));
      expectValidCard(card);
      const text = JSON.stringify(card);
      expect(text).toContain("CR-2026/0417");
      expect(text).toContain("TR-7K3F9Q");
      expect(text).toContain(escalated.notice.step.role.title.replace(/"/g, '\\"'));
      expect(text).not.toMatch(/date of birth|DOB/i);
      state = escalated.state;
      expect(state.plan.startedAt).toBe(expected.deadlineAt);
    }

    // A decision at the level it reached closes the clock: nothing more is due, and it cannot be decided twice.
    const closed = decided(state, { by: MANAGER, outcome: "approved" }, new Date("2030-01-01T00:00:00Z"));
    expect(closed.status).toBe("closed");
    expect(timersOf(closed)).toEqual([]);
    expect(() => decided(closed, { by: MANAGER, outcome: "declined" }, new Date("2030-01-01T00:00:01Z"))).toThrow(/closed/);
  });
});

describe("every ladder of every council can be walked to its last level", () => {
  const ladders = AUTHORITY_IDS.flatMap((id) => getPack(id)!.ladders.map((l) => [id, l.id] as const));
  it("covers all five councils", () => {
    expect(new Set(ladders.map(([id]) => id))).toEqual(new Set(["hertfordshire", "suffolk", "leicestershire", "enfield", "leicester-city"]));
  });

  it.each(ladders)("%s / %s", (packId, ladderId) => {
    const pack = getPack(packId)!;
    // A team that has the ladder's team roles where it names none, else the first team.
    const ladder = pack.ladders.find((l) => l.id === ladderId)!;
    const team = pack.teams.find((t) => ladder.levels.every((l) => l.role.team || pack.roles.some((r) => r.id === l.role.role) || t.roles.some((r) => r.id === l.role.role))) ?? pack.teams[0]!;
    let state = startClock({
      pack,
      ladderId,
      requestId: "TR-0000AA",
      case: summary("2026-12-23T16:00:00.000Z"),
      context: { currentTeam: team.id, previousTeam: team.id },
      startedAt: new Date("2026-12-23T16:00:00.000Z"),
      level: ladder.levels[0]!.level,
      policy: { defaultWindow: { amount: 1, unit: "working-days" } }, // so that levels without a time still move on
    });
    const seen = [state.level];
    while (state.plan.escalateDeliverAt) {
      const at = new Date(state.plan.escalateDeliverAt);
      expect(at.getTime()).toBeGreaterThanOrEqual(Date.parse(state.plan.deadlineAt!));
      if (!state.plan.urgent) expect(defaultCalendar.isWorkingTime(at)).toBe(true);
      const { state: next, notice } = levelExpired(state, at);
      expectValidCard(escalationCard(escalationCardData(next, notice)));
      state = next;
      seen.push(state.level);
    }
    expect(seen).toEqual(ladder.levels.map((l) => l.level));
  });
});
