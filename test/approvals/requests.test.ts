/**
 * The transfer request state machine (domain/requests.ts): creation, every transition from every
 * status, and the authorisation rules, table-driven.
 */
import { loadPack } from "../../domain/check";
import { recommend } from "../../domain/engine";
import {
  actors,
  apply,
  createRequest,
  isRefused,
  parseRequestId,
  requestIdFrom,
  timeline,
  TransferRequest,
  type Person,
  type RequestAction,
  type RequestStatus,
  type Transition,
} from "../../domain/requests";
import mini from "../fixtures/mini-pack.json";

const pack = loadPack(mini);
const now = new Date("2026-11-23T10:00:00Z"); // a Monday
const later = new Date("2026-11-23T11:30:00Z");

const requester: Person = { id: "29:practitioner", name: "Pat Practitioner" };
const manager: Person = { id: "29:manager-a", name: "Alex Manager" };
const manager2: Person = { id: "29:manager-b", name: "Bo Manager" };
const stranger: Person = { id: "29:stranger", name: "Sam Stranger" };
const approvers = [manager, manager2];

const stepUp = recommend(pack, { currentTeam: "early-help", concern: "significant-harm" }, now);

function created(over: Partial<Parameters<typeof createRequest>[0]> = {}): TransferRequest {
  const t = createRequest({ id: "TR-7K3F9Q", pack, recommendation: stepUp, caseReference: "1234567", requester, ...over }, now);
  if (isRefused(t)) throw new Error(t.refused.message);
  return t.request;
}

function ok(t: Transition): TransferRequest {
  if (isRefused(t)) throw new Error(`refused: ${t.refused.code} ${t.refused.message}`);
  return TransferRequest.parse(t.request);
}

/** A request brought to a status by legal transitions. */
function inStatus(status: RequestStatus): TransferRequest {
  const r = created();
  switch (status) {
    case "pending":
      return r;
    case "info-requested":
      return ok(apply(r, manager, { kind: "ask-info", approvers, question: "Is the ICPC booked?" }, later));
    case "approved":
      return ok(apply(r, manager, { kind: "approve", approvers }, later));
    case "declined":
      return ok(apply(r, manager, { kind: "decline", approvers, reason: "Threshold not met on these facts" }, later));
  }
}

describe("creating a request", () => {
  it("copies the recommendation as it stood, the decider, deadlines, checklist and the safe early-warning fields", () => {
    const r = created();
    expect(TransferRequest.parse(r)).toEqual(r);
    expect(r).toMatchObject({
      id: "TR-7K3F9Q",
      authority: { id: "mini", name: "Mini Borough (test fixture)" },
      caseReference: "1234567",
      direction: "step-up",
      fromTeam: { teamId: "early-help", name: "Early Help" },
      toTeam: { teamId: "mash", name: "MASH" },
      decider: { teamId: "mash", role: "team-manager", title: "MASH Team Manager" },
      status: "pending",
      assignee: null,
      decision: null,
      requester,
      delivery: { state: "new", attempt: 0, post: null },
    });
    expect(r.deadlines).toEqual([
      { id: "final-decision", wording: "Final decisions for all safeguarding step-up escalations within 24 hours", at: "2026-11-24T10:00:00.000Z", atLondon: "2026-11-24 10:00", urgent: true },
    ]);
    expect(r.checklist.advisory).toMatch(/never block or delay/);
    expect(r.escalation?.levels.map((l) => l.title)).toEqual(["MASH Team Manager", "MASH Service Manager", "Head of Service (HoS 3), Social Care"]);
    // The name-and-DOB field of the form is sensitive and never copied.
    expect(r.earlyWarning.fields).toEqual([{ id: "category-of-need", label: "Category of Need", value: "Significant harm, or likely significant harm (child protection)" }]);
    expect(r.events).toEqual([{ seq: 1, type: "created", at: now.toISOString(), by: requester }]);
  });

  it("normalises the case reference", () => {
    expect(created({ caseReference: " ab-12345 " }).caseReference).toBe("AB-12345");
  });

  it.each([
    ["no case reference", { caseReference: null }, "no-case-reference"],
    ["a blank case reference", { caseReference: "  " }, "no-case-reference"],
    ["a date of birth as the case reference", { caseReference: "03/04/2012" }, "bad-case-reference"],
    ["a name as the case reference", { caseReference: "Jane Smith" }, "bad-case-reference"],
    ["a recommendation that still needs answers", { recommendation: recommend(pack, {}, now) }, "not-requestable"],
    ["a recommendation that the case stays", { recommendation: recommend(pack, { currentTeam: "cpcin", concern: "additional-needs", consent: "refused" }, now) }, "not-requestable"],
  ] as const)("refuses %s", (_name, over, code) => {
    const t = createRequest({ id: "TR-7K3F9Q", pack, recommendation: stepUp, caseReference: "1234567", requester, ...over }, now);
    expect(isRefused(t) && t.refused.code).toBe(code);
  });

  it("makes readable ids", () => {
    expect(requestIdFrom([0, 1, 2, 30, 31, 255])).toBe("TR-012YZZ");
    expect(parseRequestId(" tr-012yzz ")).toBe("TR-012YZZ");
    expect(parseRequestId("TR012YZZ")).toBe("TR-012YZZ");
    expect(parseRequestId("TR-01")).toBeUndefined();
    expect(parseRequestId("TR-0123IL")).toBeUndefined(); // I and L are not Crockford digits
  });
});

// ---------------------------------------------------------------------------
// Every manager action × every status × every kind of actor

type Kind = "approve" | "decline" | "ask-info" | "reassign";
const ACTION: Record<Kind, RequestAction> = {
  approve: { kind: "approve", approvers },
  decline: { kind: "decline", approvers, reason: "Not enough evidence of significant harm" },
  "ask-info": { kind: "ask-info", approvers, question: "When is the strategy meeting?" },
  reassign: { kind: "reassign", approvers, to: manager2.id },
};
const AFTER: Record<Kind, { status: RequestStatus; event: string }> = {
  approve: { status: "approved", event: "decided" },
  decline: { status: "declined", event: "decided" },
  "ask-info": { status: "info-requested", event: "info-asked" },
  reassign: { status: "pending", event: "reassigned" },
};

describe.each(["approve", "decline", "ask-info", "reassign"] as Kind[])("%s", (kind) => {
  it.each([
    // status, actor, expected refusal (null: allowed)
    ["pending", "an approver", manager, null],
    ["pending", "the requester", requester, "own-request"],
    ["pending", "the requester even when an approver of the role", requester, "own-request"],
    ["pending", "someone who is not an approver", stranger, "not-approver"],
    ["info-requested", "an approver", manager, kind === "ask-info" ? "question-open" : null],
    ["info-requested", "someone who is not an approver", stranger, "not-approver"],
    ["approved", "an approver", manager, "already-decided"],
    ["approved", "the requester", requester, "already-decided"],
    ["declined", "an approver", manager, "already-decided"],
    ["declined", "someone who is not an approver", stranger, "already-decided"],
  ] as const)("on a %s request by %s", (status, label, actor, refusal) => {
    const before = inStatus(status);
    const action = label.includes("even when") ? { ...ACTION[kind], approvers: [...approvers, requester] } : ACTION[kind];
    const t = apply(before, actor, action, later);
    if (refusal) {
      expect(isRefused(t) && t.refused.code).toBe(refusal);
      if (refusal === "already-decided") expect(isRefused(t) && t.refused.message).toMatch(/(Approved|Declined) by Alex Manager on Monday 23 November 2026, 11:30am/);
      return;
    }
    const after = ok(t);
    const expected = kind === "reassign" ? status : AFTER[kind].status;
    expect(after.status).toBe(expected);
    expect(after.events).toHaveLength(before.events.length + 1);
    expect(after.events.slice(0, -1)).toEqual(before.events); // append-only
    expect(after.events.at(-1)).toMatchObject({ type: AFTER[kind].event, by: actor, at: later.toISOString(), seq: before.events.length + 1 });
  });
});

describe("inputs", () => {
  it.each([
    ["a decline without a reason", { kind: "decline", approvers, reason: "  " }, "reason-required"],
    ["a decline with a name in the reason", { kind: "decline", approvers, reason: "Mrs Smith says the child is safe" }, "sensitive"],
    ["a decline with a date of birth in the reason", { kind: "decline", approvers, reason: "DOB 03/04/2012 is wrong" }, "sensitive"],
    ["a decline with a very long reason", { kind: "decline", approvers, reason: "x".repeat(1001) }, "too-long"],
    ["a question without words", { kind: "ask-info", approvers }, "question-required"],
    ["a reassignment to someone who is not an approver", { kind: "reassign", approvers, to: stranger.id }, "bad-assignee"],
    ["a reassignment to oneself", { kind: "reassign", approvers, to: manager.id }, "bad-assignee"],
    ["a reassignment to the requester", { kind: "reassign", approvers: [...approvers, requester], to: requester.id }, "bad-assignee"],
  ] as const)("refuses %s", (_name, action, code) => {
    const t = apply(created(), manager, action as RequestAction, later);
    expect(isRefused(t) && t.refused.code).toBe(code);
  });

  it("records the decline reason and an approval's optional comment", () => {
    const declined = ok(apply(created(), manager, { kind: "decline", approvers, reason: "  Threshold   not met " }, later));
    expect(declined.decision).toEqual({ outcome: "declined", by: manager, at: later.toISOString(), why: "Threshold not met" });
    const approved = ok(apply(created(), manager, { kind: "approve", approvers, comment: "Agreed at the transfer meeting" }, later));
    expect(approved.decision?.why).toBe("Agreed at the transfer meeting");
    expect(ok(apply(created(), manager, { kind: "approve", approvers, comment: " " }, later)).decision).not.toHaveProperty("why");
  });

  it("a reassignment changes the assignee, not the status, and cannot repeat", () => {
    const r = ok(apply(created(), manager, { kind: "reassign", approvers, to: manager2.id, why: "On leave this week" }, later));
    expect(r.assignee).toEqual(manager2);
    expect(r.events.at(-1)).toMatchObject({ type: "reassigned", to: manager2, why: "On leave this week" });
    const again = apply(r, manager, { kind: "reassign", approvers, to: manager2.id }, later);
    expect(isRefused(again) && again.refused.code).toBe("bad-assignee");
    // Any approver of the role may still decide after a reassignment: the role decides.
    expect(ok(apply(r, manager, { kind: "approve", approvers }, later)).status).toBe("approved");
  });
});

describe("more information", () => {
  it("the requester's answer returns the request to pending, with the exchange in the events", () => {
    const asked = inStatus("info-requested");
    expect(asked.openQuestion).toEqual({ question: "Is the ICPC booked?", by: manager, at: later.toISOString() });
    const answered = ok(apply(asked, requester, { kind: "give-info", answer: "Yes, 30 November" }, later));
    expect(answered.status).toBe("pending");
    expect(answered.openQuestion).toBeNull();
    expect(answered.events.map((e) => e.type)).toEqual(["created", "info-asked", "info-given"]);
    // and a second round is allowed
    expect(ok(apply(answered, manager, { kind: "ask-info", approvers, question: "Who chairs it?" }, later)).status).toBe("info-requested");
  });

  it.each([
    ["an approver", "info-requested", manager, "not-requester"],
    ["the requester when nothing was asked", "pending", requester, "no-open-question"],
    ["the requester after the decision", "approved", requester, "already-decided"],
  ] as const)("refuses an answer from %s", (_n, status, actor, code) => {
    const t = apply(inStatus(status), actor, { kind: "give-info", answer: "Here it is" }, later);
    expect(isRefused(t) && t.refused.code).toBe(code);
  });

  it("refuses an empty answer", () => {
    const t = apply(inStatus("info-requested"), requester, { kind: "give-info", answer: "" }, later);
    expect(isRefused(t) && t.refused.code).toBe("answer-required");
  });
});

describe("views and delivery", () => {
  it("records a decider's first view only", () => {
    const viewed = ok(apply(created(), manager, { kind: "view", approvers }, later));
    const twice = apply(viewed, manager, { kind: "view", approvers }, later);
    expect(isRefused(twice) && twice.refused.code).toBe("already-viewed");
    const byRequester = apply(created(), requester, { kind: "view", approvers }, later);
    expect(isRefused(byRequester)).toBe(true);
  });

  it("waiting, posted and unreachable are Stepwise's own events", () => {
    let r = ok(apply(created(), requester, { kind: "waiting", why: "no channel registered for MASH Team Manager" }, later));
    expect(r.delivery.state).toBe("waiting");
    expect(isRefused(apply(r, requester, { kind: "waiting", why: "again" }, later))).toBe(true);
    const post = { serviceUrl: "https://smba.example/", conversationId: "19:c@thread.tacv2;messageid=1", activityId: "1", channelName: "MASH managers" };
    r = ok(apply(r, requester, { kind: "posted", post }, later));
    expect(r.delivery).toEqual({ state: "posted", attempt: 0, post });
    expect(r.events.at(-1)).toMatchObject({ type: "posted", by: { id: "stepwise" }, channel: "MASH managers" });
    r = ok(apply(r, requester, { kind: "unreachable", why: "403 BotNotInConversationRoster" }, later));
    expect(r.delivery.state).toBe("unreachable");
  });

  it("the people who may act exclude the requester and everyone once decided", () => {
    expect(actors(created(), [manager, requester])).toEqual([manager]);
    expect(actors(inStatus("approved"), approvers)).toEqual([]);
  });

  it("the timeline says who did what, when and why", () => {
    const r = ok(apply(inStatus("info-requested"), requester, { kind: "give-info", answer: "Yes" }, later));
    const d = ok(apply(r, manager2, { kind: "decline", approvers, reason: "Stay with EH" }, later));
    expect(timeline(d)).toEqual([
      "Monday 23 November 2026, 10am: requested by Pat Practitioner",
      'Monday 23 November 2026, 11:30am: Alex Manager asked for more information: "Is the ICPC booked?"',
      'Monday 23 November 2026, 11:30am: Pat Practitioner answered: "Yes"',
      'Monday 23 November 2026, 11:30am: declined by Bo Manager: "Stay with EH"',
    ]);
  });
});
