/**
 * The approval cards (cards/approval.json, cards/info-request.json, cards/approval-notice.json):
 * every view of every state parses and validates as an Adaptive Card 1.5, and renders the data it was
 * given; only the people who may act get buttons; nothing of a child's identity is on them.
 */
import { approvalCard, approvalCardData, infoCard, noticeCard, type ApprovalView } from "../../bot/approvals/cardData";
import { availablePacks } from "../../bot/packs";
import { loadPack } from "../../domain/check";
import { recommend } from "../../domain/engine";
import { apply, createRequest, isRefused, type Person, type RequestAction, type TransferRequest } from "../../domain/requests";
import { cardProblems } from "../helpers/cards";
import mini from "../fixtures/mini-pack.json";
import { requestableCase } from "./triage";
import { verbs, words } from "./harness";

const pack = loadPack(mini);
const now = new Date("2026-11-23T10:00:00Z");
const pat: Person = { id: "29:pat", name: "Pat Practitioner" };
const alex: Person = { id: "29:alex", name: "Alex Manager" };
const bo: Person = { id: "29:bo", name: "Bo Manager" };
const cy: Person = { id: "29:cy", name: "Cy Manager" };
const approvers = [alex, bo, cy];

function base(): TransferRequest {
  const t = createRequest({ id: "TR-ABC123", pack, recommendation: recommend(pack, { currentTeam: "early-help", concern: "significant-harm" }, now), caseReference: "1234567", requester: pat }, now);
  if (isRefused(t)) throw new Error(t.refused.message);
  return t.request;
}

function then(r: TransferRequest, actor: Person, action: RequestAction): TransferRequest {
  const t = apply(r, actor, action, new Date(now.getTime() + 3_600_000));
  if (isRefused(t)) throw new Error(t.refused.message);
  return t.request;
}

const STATES: [string, () => TransferRequest][] = [
  ["pending", base],
  ["info-requested", () => then(base(), alex, { kind: "ask-info", approvers, question: "Is the ICPC booked?" })],
  ["answered", () => then(then(base(), alex, { kind: "ask-info", approvers, question: "Is the ICPC booked?" }), pat, { kind: "give-info", answer: "Yes, for Friday" })],
  ["reassigned", () => then(base(), alex, { kind: "reassign", approvers, to: bo.id, why: "Leave" })],
  ["approved", () => then(base(), alex, { kind: "approve", approvers, comment: "Agreed" })],
  ["declined", () => then(base(), bo, { kind: "decline", approvers, reason: "Threshold not met, stay with EH" })],
];

describe.each(STATES)("a %s request", (_state, make) => {
  it.each(["shared", "approver", "readonly"] as ApprovalView[])("the %s view validates and shows its data", (view) => {
    const r = make();
    const card = approvalCard({ request: r, approvers, view, notice: { tone: "attention", text: "A notice for this person" } });
    expect(cardProblems(card)).toEqual([]);
    expect(card.version).toBe("1.5");
    const data = approvalCardData({ request: r, approvers, view });
    const text = words(card);
    // every value the data gives for display is on the card
    for (const key of ["subtitle", "heading", "statusLabel", "explanation", "checklistTitle", "checklistAdvisory", "footer"]) expect(text).toContain(String(data[key]));
    for (const list of ["facts", "earlyWarning"]) for (const f of data[list] as { title: string; value: string }[]) expect(text).toContain(`${f.title}\n${f.value}`);
    for (const d of data.deadlines as { when: string; wording: string }[]) expect(text).toContain(`**${d.when}**: ${d.wording}`);
    for (const c of data.checklist as { text: string }[]) expect(text).toContain(`- ${c.text}`);
    for (const e of data.exchanges as { title: string; text: string }[]) expect(text).toContain(`**${e.title}**: ${e.text}`);
    for (const h of data.history as { text: string }[]) expect(text).toContain(h.text);
    expect(text).toContain("A notice for this person");
    if (r.decision) {
      expect(text).toContain(String(data.decisionLine));
      if (r.decision.why) expect(text).toContain(r.decision.why);
    }
    // buttons only for the people who may act, only while open
    const open = !r.decision;
    const v = verbs(card);
    if (view === "approver" && open) {
      expect(v).toEqual(expect.arrayContaining(["approve", "decline", "reassign"]));
      expect(v.includes("askInfo")).toBe(r.status === "pending");
    } else expect(v.filter((x) => x !== "refreshView")).toEqual([]);
    expect(v.includes("refreshView")).toBe(open);
    if (open) expect((card.refresh as { userIds: string[] }).userIds).toEqual(approvers.map((a) => a.id));
    else expect(card.refresh).toBeUndefined();
  });
});

it("the shared view @mentions the approvers, or the assignee after a reassignment, never the requester", () => {
  const mentions = (r: TransferRequest, list: Person[]) => (approvalCard({ request: r, approvers: list, view: "shared" }).msteams as { entities: { text: string; mentioned: { id: string; name: string } }[] }).entities;
  expect(mentions(base(), [...approvers, pat]).map((e) => e.mentioned.id)).toEqual([alex.id, bo.id, cy.id]);
  expect(mentions(base(), approvers)[0]).toEqual({ type: "mention", text: "<at>Alex Manager</at>", mentioned: { id: alex.id, name: "Alex Manager" } });
  expect(mentions(STATES[3]![1](), approvers).map((e) => e.mentioned.id)).toEqual([bo.id]);
  expect(mentions(STATES[4]![1](), approvers)).toEqual([]);
});

it("refresh names at most 60 people, and reassignment offers the other approvers", () => {
  const many = Array.from({ length: 75 }, (_, i) => ({ id: `29:m${i}`, name: `Manager ${i}` }));
  const card = approvalCard({ request: base(), approvers: many, view: "approver" });
  expect((card.refresh as { userIds: string[] }).userIds).toHaveLength(60);
  expect(cardProblems(card)).toEqual([]);
  const reassigned = STATES[3]![1]();
  const choices = JSON.stringify(approvalCard({ request: reassigned, approvers, view: "approver" }));
  expect(choices).toContain('"value":"29:alex"');
  expect(choices).not.toContain('"value":"29:bo"'); // already has it
});

it("text that looks like a template expression is shown as it is", () => {
  const r = then(base(), bo, { kind: "decline", approvers, reason: "Costs ${1+1} {x} and 100% $root" });
  const card = approvalCard({ request: r, approvers, view: "shared" });
  expect(words(card)).toContain("Reason: Costs ${1+1} {x} and 100% $root");
});

it("the information card: open, answered, and closed by a decision", () => {
  const asked = STATES[1]![1]();
  const seq = asked.events.at(-1)!.seq;
  const open = infoCard(asked, seq);
  expect(cardProblems(open)).toEqual([]);
  expect(words(open)).toContain("Is the ICPC booked?");
  expect(verbs(open)).toEqual(["giveInfo"]);
  expect(JSON.stringify(open)).toContain(`"askedSeq":${seq}`);
  const answered = infoCard(then(asked, pat, { kind: "give-info", answer: "Yes, for Friday" }), seq);
  expect(cardProblems(answered)).toEqual([]);
  expect(words(answered)).toContain("You answered on");
  expect(words(answered)).toContain("Yes, for Friday");
  expect(verbs(answered)).toEqual([]);
  const closed = infoCard(then(asked, alex, { kind: "approve", approvers }), seq);
  expect(words(closed)).toContain("No answer is needed now: approved by Alex Manager");
  expect(verbs(closed)).toEqual([]);
  expect(cardProblems(noticeCard("Title", "Text"))).toEqual([]);
});

describe("with the councils' real packs", () => {
  const { packs } = availablePacks();
  it.each(Object.keys(packs))("%s: the card validates, fits Teams' size limit and carries no sensitive form field", (id) => {
    const p = packs[id]!;
    const { recommendation } = requestableCase(p, "1234567", now);
    const t = createRequest({ id: "TR-ABC123", pack: p, recommendation, caseReference: "1234567", requester: pat }, now);
    if (isRefused(t)) throw new Error(t.refused.message);
    const card = approvalCard({ request: t.request, approvers, view: "approver" });
    expect(cardProblems(card)).toEqual([]);
    expect(JSON.stringify(card).length).toBeLessThan(25_000);
    const text = words(card);
    for (const f of p.earlyWarningForm.fields.filter((x) => x.sensitive)) expect(text).not.toContain(f.label);
    for (const item of p.checklist.items) expect(text).toContain(item.text);
    expect(text).toContain(p.checklist.advisory);
  });
});
