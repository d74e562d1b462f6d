/** The escalation, reminder and digest templates: valid Adaptive Cards that render the data given. */
import { loadPack } from "../../domain/check";
import miniPack from "../fixtures/mini-pack.json";
import { digestFor, levelExpired, raiseDispute, reminderDue, startClock } from "../../domain/escalation";
import { digestCard, digestCardData, escalationCard, escalationCardData, reminderCard, reminderCardData, withActions, withMentions } from "../../bot/escalation/cards";
import { expectValidCard } from "../helpers/cards";
import escalationTemplate from "../../cards/escalation.json";
import reminderTemplate from "../../cards/reminder.json";
import digestTemplate from "../../cards/digest.json";

const pack = loadPack({ ...miniPack, ladders: [...miniPack.ladders, { ...miniPack.ladders[0], id: "dispute", name: "Disagreements" }] });
const summary = { caseReference: "CR-2026/0417", heading: "Step up to MASH", direction: "step-up", fromTeam: "Early Help", toTeam: "MASH", requestedBy: { id: "29:p", name: "Jo Practitioner" }, requestedAt: "2026-12-24T15:00:00.000Z" };
const start = startClock({
  pack,
  ladderId: "step-up",
  requestId: "TR-7K3F9Q",
  case: summary,
  context: { currentTeam: "mash" },
  startedAt: new Date("2026-12-24T15:00:00.000Z"),
  decisionDeadline: { id: "final-decision", wording: "Final decisions within 24 hours", at: "2026-12-25T15:00:00.000Z", urgent: true, offset: { amount: 24, unit: "calendar-hours" } },
});
const people = [{ id: "29:sm-1", name: "Sam Patel" }];

it("the templates are Adaptive Card 1.5", () => {
  for (const t of [escalationTemplate, reminderTemplate, digestTemplate]) expect(t).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
});

it("an escalation card: the level, who it came from and when, the history, the @mention and the approval actions", () => {
  const reminded = reminderDue(start, new Date("2026-12-25T09:00:00.000Z")).state;
  const { state, notice } = levelExpired(reminded, new Date("2026-12-25T15:00:00.000Z"));
  const data = withActions(withMentions(escalationCardData(state, notice), people, "please decide"), [{ title: "Approve", verb: "approve", data: { requestId: "TR-7K3F9Q" } }]);
  const card = escalationCard(data);
  expectValidCard(card);
  const text = JSON.stringify(card);
  for (const s of ["CR-2026/0417", "TR-7K3F9Q", "Level 2 of 3: MASH Service Manager", "<at>Sam Patel</at>: please decide", "Friday 25 December 2026, 3pm", "Reminder sent to the MASH Team Manager", "escalated to the MASH Service Manager", "Urgent"]) {
    expect(text).toContain(s);
  }
  expect(card.msteams).toEqual({ width: "Full", entities: [{ type: "mention", text: "<at>Sam Patel</at>", mentioned: { id: "29:sm-1", name: "Sam Patel" } }] });
  expect(card.actions).toEqual([{ type: "Action.Execute", title: "Approve", verb: "approve", data: { requestId: "TR-7K3F9Q" } }]);
});

it("a reminder card and a dispute's escalation card", () => {
  const r = reminderDue(start, new Date("2026-12-25T09:00:00.000Z"));
  const reminder = reminderCard(reminderCardData(r.state, r.notice));
  expectValidCard(reminder);
  expect(JSON.stringify(reminder)).toContain("Reminder: a decision is due by Friday 25 December 2026, 3pm");
  expect(reminder.actions).toBeUndefined();

  const d = raiseDispute({ pack, requestId: "TR-7K3F9Q", case: summary, context: { currentTeam: "mash" }, startedAt: new Date("2026-12-29T10:00:00.000Z"), by: { id: "29:k", name: "Kim Lee" }, reason: "The threshold for a step up is met", about: "Declined by Sam Patel" });
  const e = levelExpired(d, new Date(d.plan.escalateDeliverAt!));
  const card = escalationCard(escalationCardData(e.state, e.notice));
  expectValidCard(card);
  expect(JSON.stringify(card)).toContain("Reason: The threshold for a step up is met");
});

it("a digest card lists overdue, waiting and escalated requests, and says so when there is nothing", () => {
  const { state } = levelExpired(start, new Date("2026-12-25T15:00:00.000Z"));
  const now = new Date("2026-12-29T09:00:00.000Z");
  const full = digestCard(withMentions(digestCardData(digestFor([state, start], "mini/mash/service-manager", now, new Date("2026-12-24T09:00:00.000Z")), "MASH Service Manager", pack.name), people));
  expectValidCard(full);
  expect(JSON.stringify(full)).toContain("came to you from the MASH Team Manager on Friday 25 December 2026, 3pm");
  const empty = digestCard(digestCardData(digestFor([], "mini/*/hos-3", now, now), "HoS 3", pack.name));
  expectValidCard(empty);
  expect(JSON.stringify(empty)).toContain("Nothing is waiting for this channel.");
});

it("never carries a child's name or date of birth: the card data has no field for them", () => {
  const { state, notice } = levelExpired(start, new Date("2026-12-25T15:00:00.000Z"));
  const keys = JSON.stringify(escalationCardData(state, notice)).match(/"[a-zA-Z]+":/g) ?? [];
  expect(keys.filter((k) => /name|dob|birth/i.test(k) && k !== '"ladderName":')).toEqual([]);
});
