/** The clock's rules on the mini fixture pack: guards, policy options, disputes, digests. */
import { loadPack } from "../../domain/check";
import miniPack from "../fixtures/mini-pack.json";
import {
  channelKeyOf,
  digestFor,
  fire,
  IllegalTransitionError,
  LadderError,
  levelExpired,
  nextDigestAt,
  pickDecisionDeadline,
  raiseDispute,
  reminderDue,
  resolveRole,
  startClock,
  timersOf,
  decided,
  type CaseSummary,
} from "../../domain/escalation";

const pack = loadPack(miniPack);
const at = (iso: string) => new Date(iso);
const summary: CaseSummary = { caseReference: "CR-1001", heading: "Step up to MASH", direction: "step-up", fromTeam: "Early Help", toTeam: "MASH", requestedBy: null, requestedAt: "2026-12-24T15:00:00.000Z" };
const base = { pack, ladderId: "step-up", requestId: "TR-AAAAAA", case: summary, context: { currentTeam: "mash" } };
const urgentDeadline = { id: "final-decision", wording: "Final decision within 24 hours", at: "2026-12-25T15:00:00.000Z", urgent: true, offset: { amount: 24, unit: "calendar-hours" as const } };

describe("startClock", () => {
  it("enters at the decider's level and resolves every level to a role and a channel", () => {
    const s = startClock({ ...base, startedAt: at("2026-12-24T15:00:00.000Z"), decider: { teamId: "mash", role: "service-manager" } });
    expect(s.level).toBe(2);
    expect(s.ladder.steps.map((x) => x.channelKey)).toEqual(["mini/mash/team-manager", "mini/mash/service-manager", "mini/*/hos-3"]);
    expect(channelKeyOf("mini", { teamId: null, role: "hos-3" })).toBe("mini/*/hos-3");
  });

  it("names the ladder it cannot find, and a team it cannot resolve", () => {
    expect(() => startClock({ ...base, ladderId: "nope", startedAt: at("2026-12-24T15:00:00Z") })).toThrow(/no ladder "nope"/);
    expect(() => resolveRole(pack, { team: "$current", role: "team-manager" }, {})).toThrow(LadderError);
  });

  it("a 24-hour urgent clock goes out when due on Christmas Day; the same clock with defer-all waits for working hours", () => {
    const urgent = startClock({ ...base, startedAt: at("2026-12-24T15:00:00.000Z"), decisionDeadline: urgentDeadline });
    expect(urgent.plan).toMatchObject({ deadlineAt: "2026-12-25T15:00:00.000Z", escalateDeliverAt: "2026-12-25T15:00:00.000Z", urgent: true, remindDeliverAt: "2026-12-25T09:00:00.000Z" });
    const deferred = startClock({ ...base, startedAt: at("2026-12-24T15:00:00.000Z"), decisionDeadline: urgentDeadline, policy: { workingHours: "defer-all" } });
    expect(deferred.plan.escalateDeliverAt).toBe("2026-12-29T09:00:00.000Z");
    expect(deferred.plan.remindDeliverAt).toBeNull(); // would arrive after the deadline
  });

  it("immediate danger makes any clock urgent; when-due never defers", () => {
    const slow = { ...urgentDeadline, urgent: false, offset: { amount: 72, unit: "calendar-hours" as const }, at: "2026-12-27T15:00:00.000Z" };
    expect(startClock({ ...base, startedAt: at("2026-12-24T15:00:00.000Z"), decisionDeadline: slow }).plan).toMatchObject({ urgent: false, escalateDeliverAt: "2026-12-29T09:00:00.000Z" });
    expect(startClock({ ...base, startedAt: at("2026-12-24T15:00:00.000Z"), decisionDeadline: slow, immediateDanger: true }).plan).toMatchObject({ urgent: true, urgentBecause: "immediate danger", escalateDeliverAt: "2026-12-27T15:00:00.000Z" });
    expect(startClock({ ...base, startedAt: at("2026-12-24T15:00:00.000Z"), decisionDeadline: slow, policy: { workingHours: "when-due" } }).plan.escalateDeliverAt).toBe("2026-12-27T15:00:00.000Z");
  });

  it("reminders: a fixed lead in working hours, or a fraction of the window; none when there is no room", () => {
    const slow = { ...urgentDeadline, urgent: false, offset: { amount: 72, unit: "calendar-hours" as const }, at: "2026-12-27T15:00:00.000Z" };
    const lead = startClock({ ...base, startedAt: at("2026-12-24T10:00:00.000Z"), decisionDeadline: slow });
    expect(lead.plan.remindDeliverAt).toBe("2026-12-24T15:00:00.000Z"); // 2 working hours before Thursday 5pm, the last working moment
    const half = startClock({ ...base, startedAt: at("2026-12-21T10:00:00.000Z"), decisionDeadline: { ...slow, at: "2026-12-24T10:00:00.000Z" }, policy: { reminders: { normal: { fraction: 0.5 } } } });
    expect(half.plan).toMatchObject({ remindAt: "2026-12-22T22:00:00.000Z", remindDeliverAt: "2026-12-23T09:00:00.000Z" });
    // Halfway falls on Boxing Day and would be delivered after the Sunday deadline: no reminder.
    const late = startClock({ ...base, startedAt: at("2026-12-24T10:00:00.000Z"), decisionDeadline: slow, policy: { reminders: { normal: { fraction: 0.5 } } } });
    expect(late.plan.remindDeliverAt).toBeNull();
    const none = startClock({ ...base, startedAt: at("2026-12-24T10:00:00.000Z"), decisionDeadline: slow, policy: { reminders: { normal: null } } });
    expect(timersOf(none).map((t) => t.kind)).toEqual(["escalate"]);
  });
});

describe("transitions are guarded", () => {
  const s0 = startClock({ ...base, startedAt: at("2026-12-24T15:00:00.000Z"), decisionDeadline: urgentDeadline });

  it("fire refuses a timer that does not match the clock, and never acts twice", () => {
    expect(fire(s0, { kind: "escalate", level: 2 }, at("2026-12-25T15:00:00Z"))).toEqual({ ok: false, refusal: "other-level" });
    expect(fire(s0, { kind: "escalate", level: 1 }, at("2026-12-25T14:59:59Z"))).toEqual({ ok: false, refusal: "not-due" });
    const r = fire(s0, { kind: "remind", level: 1 }, at("2026-12-25T09:00:00Z"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(fire(r.state, { kind: "remind", level: 1 }, at("2026-12-25T09:00:00Z"))).toEqual({ ok: false, refusal: "already-reminded" });
    const e = fire(r.state, { kind: "escalate", level: 1 }, at("2026-12-25T15:00:00Z"));
    expect(e.ok && e.state.level).toBe(2);
    if (!e.ok) return;
    expect(fire(e.state, { kind: "escalate", level: 1 }, at("2026-12-25T15:00:00Z"))).toEqual({ ok: false, refusal: "other-level" });
    const closed = decided(e.state, { by: { id: "u1", name: "Sam" }, outcome: "approved" }, at("2026-12-25T16:00:00Z"));
    expect(fire(closed, { kind: "escalate", level: 2 }, at("2026-12-26T15:00:00Z"))).toEqual({ ok: false, refusal: "closed" });
    expect(closed.history.map((h) => h.step)).toEqual(["started", "reminded", "escalated", "decided"]);
  });

  it("the throwing steps name the step and the reason", () => {
    const err = (() => {
      try {
        levelExpired(s0, at("2026-12-25T14:00:00Z"));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect(err).toMatchObject({ step: "levelExpired", reason: "not-due" });
    expect(() => reminderDue(s0, at("2026-12-24T16:00:00Z"))).toThrow(/reminderDue.*not-due/);
  });
});

describe("disputes", () => {
  it("a manager's disagreement starts the dispute ladder with the reason, followed up the same way", () => {
    const withDispute = loadPack({ ...miniPack, ladders: [...miniPack.ladders, { ...miniPack.ladders[0], id: "dispute", name: "Disagreements" }] });
    const d = raiseDispute({ pack: withDispute, requestId: "TR-AAAAAA", case: summary, context: { currentTeam: "mash" }, startedAt: at("2026-12-29T10:00:00Z"), by: { id: "u2", name: "Kim" }, reason: "Threshold is met", about: "Declined by Sam" });
    expect(d).toMatchObject({ track: "dispute", level: 1, dispute: { reason: "Threshold is met" } });
    expect(d.history[0]).toMatchObject({ step: "dispute-raised", by: { name: "Kim" }, note: "Threshold is met" });
    expect(timersOf(d).map((t) => t.kind)).toEqual(["remind", "escalate"]);
    expect(() => raiseDispute({ pack: withDispute, requestId: "x", case: summary, context: { currentTeam: "mash" }, startedAt: at("2026-12-29T10:00:00Z"), by: { id: "u2", name: "Kim" }, reason: "  ", about: "" })).toThrow(/reason/);
    expect(() => raiseDispute({ pack, requestId: "x", case: summary, context: { currentTeam: "mash" }, startedAt: at("2026-12-29T10:00:00Z"), by: { id: "u2", name: "Kim" }, reason: "r", about: "" })).toThrow(/no ladder "dispute"/);
  });
});

describe("picking the decision deadline", () => {
  it("takes the decider's earliest deadline anchored on the request, with the pack's offset", () => {
    expect(pickDecisionDeadline(pack, "step-up-via-mash", [{ id: "final-decision", wording: "w", at: "2026-12-25T15:00:00.000Z", urgent: true }])).toEqual({
      id: "final-decision",
      wording: "w",
      at: "2026-12-25T15:00:00.000Z",
      urgent: true,
      offset: { amount: 24, unit: "calendar-hours" },
    });
    expect(pickDecisionDeadline(pack, "step-up-via-mash", [{ id: "final-decision", wording: "w", at: null, urgent: true }])).toBeNull();
  });
});

describe("digests", () => {
  it("lists what waits at a channel, what is overdue there, and what was escalated to or from it", () => {
    const a = startClock({ ...base, requestId: "TR-AAAAAA", startedAt: at("2026-12-24T15:00:00.000Z"), decisionDeadline: urgentDeadline });
    const b = levelExpired(startClock({ ...base, requestId: "TR-BBBBBB", startedAt: at("2026-12-24T12:00:00.000Z"), decisionDeadline: { ...urgentDeadline, at: "2026-12-25T12:00:00.000Z" } }), at("2026-12-25T12:00:00.000Z")).state;
    const c = startClock({ ...base, requestId: "TR-CCCCCC", startedAt: at("2026-12-28T10:00:00.000Z"), decisionDeadline: { ...urgentDeadline, at: "2026-12-29T10:00:00.000Z" } });
    const now = at("2026-12-29T09:00:00.000Z");
    const tm = digestFor([a, b, c], "mini/mash/team-manager", now, at("2026-12-24T09:00:00.000Z"));
    expect(tm.overdue.map((i) => i.requestId)).toEqual(["TR-AAAAAA"]);
    expect(tm.waiting.map((i) => i.requestId)).toEqual(["TR-CCCCCC"]);
    expect(tm.escalated.map((i) => [i.requestId, i.direction])).toEqual([["TR-BBBBBB", "from"]]);
    const sm = digestFor([a, b, c], "mini/mash/service-manager", now, at("2026-12-24T09:00:00.000Z"));
    expect(sm.overdue.map((i) => i.requestId)).toEqual(["TR-BBBBBB"]); // its 24 hours at level 2 ran out on Boxing Day
    expect(sm.escalated.map((i) => [i.requestId, i.direction])).toEqual([["TR-BBBBBB", "to"]]);
  });

  it("goes out at the next start of working hours", () => {
    expect(nextDigestAt(at("2026-12-24T08:00:00Z")).toISOString()).toBe("2026-12-24T09:00:00.000Z");
    expect(nextDigestAt(at("2026-12-24T09:00:00Z")).toISOString()).toBe("2026-12-29T09:00:00.000Z");
    expect(nextDigestAt(at("2027-03-26T12:00:00Z")).toISOString()).toBe("2027-03-30T08:00:00.000Z"); // Easter, then BST
  });
});
