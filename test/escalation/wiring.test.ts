/**
 * The small parts of the escalation wiring (issue 5): the audit trail's ladder events and their
 * guards, the disagreement payloads, the working-hours setting, the decision clock a request gets
 * (a decider the ladder does not name goes first), the ladder cards' forms, the decided approval
 * card's "Disagree…", and the sweeper started by the server and stopped when it closes.
 */
import type { AddressInfo } from "node:net";
import { createApprovals, type Approvals } from "../../bot/approvals";
import { approvalCard } from "../../bot/approvals/cardData";
import { Ladder, type LadderDeps } from "../../bot/approvals/ladder";
import type { ApprovalsService } from "../../bot/approvals/service";
import { parseApprovalAction } from "../../bot/approvals/payloads";
import { ConfigError, loadConfig } from "../../bot/config";
import { escalationCard, escalationCardData, reminderCard, reminderCardData, withActions } from "../../bot/escalation/cards";
import { createLogger, silentLogger } from "../../bot/log";
import { availablePacks } from "../../bot/packs";
import { createServer } from "../../bot/server";
import { startAzurite } from "../../bot/storage/azurite";
import { loadPack } from "../../domain/check";
import { recommend } from "../../domain/engine";
import { levelExpired, reminderDue, resolvePolicy } from "../../domain/escalation";
import { apply, createRequest, isRefused, timeline, type Decider, type Person, type RequestAction, type TransferRequest } from "../../domain/requests";
import { cardProblems } from "../helpers/cards";
import mini from "../fixtures/mini-pack.json";
import { requestableCase } from "../approvals/triage";
import { verbs, words } from "../approvals/harness";

const pack = loadPack(mini);
const now = new Date("2026-11-23T10:00:00Z");
const later = (h: number) => new Date(now.getTime() + h * 3_600_000);
const pat: Person = { id: "29:pat", name: "Pat Practitioner" };
const alex: Person = { id: "29:alex", name: "Alex Manager" };
const bo: Person = { id: "29:bo", name: "Bo Manager" };
const kim: Person = { id: "29:kim", name: "Kim Sender" };
const sam: Person = { id: "29:sam", name: "Sam Senior" };
const sm: Decider = { teamId: "mash", teamName: "MASH", role: "service-manager", title: "MASH Service Manager" };

function base(): TransferRequest {
  const t = createRequest({ id: "TR-ABC123", pack, recommendation: recommend(pack, { currentTeam: "early-help", concern: "significant-harm" }, now), caseReference: "1234567", requester: pat }, now);
  if (isRefused(t)) throw new Error(t.refused.message);
  return t.request;
}

function then(r: TransferRequest, actor: Person, action: RequestAction, at = later(1)): TransferRequest {
  const t = apply(r, actor, action, at);
  if (isRefused(t)) throw new Error(`${t.refused.code}: ${t.refused.message}`);
  return t.request;
}

const refusal = (r: TransferRequest, actor: Person, action: RequestAction) => {
  const t = apply(r, actor, action, later(2));
  return isRefused(t) ? t.refused.code : "accepted";
};

describe("the ladder on the audit trail", () => {
  it("records each reminder and escalation once; an escalation takes the request from the assignee of the level below", () => {
    const reassigned = then(base(), alex, { kind: "reassign", approvers: [alex, bo], to: bo.id });
    expect(reassigned.assignee).toEqual(bo);
    const post = { serviceUrl: "https://smba", conversationId: "19:c;messageid=1", activityId: "1", channelName: "Team › Channel" };
    const reminded = then(reassigned, { id: "stepwise", name: "Stepwise" }, { kind: "reminded", track: "decision", level: 1, holder: { ...sm, role: "team-manager", title: "MASH Team Manager" }, channel: "Team › MASH TMs", key: "k1", post });
    expect(refusal(reminded, { id: "stepwise", name: "Stepwise" }, { kind: "reminded", track: "decision", level: 1, holder: sm, channel: "x", key: "k1" })).toBe("already-recorded");
    const escalated = then(reminded, { id: "stepwise", name: "Stepwise" }, { kind: "escalated", track: "decision", fromLevel: 1, fromTitle: "MASH Team Manager", level: 2, holder: sm, channel: "Team › MASH SMs", key: "k2", post });
    expect(escalated.assignee).toBeNull();
    expect(escalated.status).toBe("pending");
    const lines = timeline(escalated);
    expect(lines.at(-2)).toContain("reminder sent to the MASH Team Manager in Team › MASH TMs");
    expect(lines.at(-1)).toContain("no decision from the MASH Team Manager in time: escalated to the MASH Service Manager (level 2) in Team › MASH SMs");
  });

  it("a disagreement: only after a decision, by a manager of a team involved, not the one who decided, with a reason; once", () => {
    const dispute = (reason?: string): RequestAction => ({ kind: "dispute", disputers: [kim, alex, sam], ...(reason !== undefined ? { reason } : {}), level: 1, holder: sm, ladder: "Disagreements", channel: "Team › SMs" });
    expect(refusal(base(), kim, dispute("No"))).toBe("not-decided");
    const declined = then(base(), alex, { kind: "decline", approvers: [alex, bo], reason: "Threshold not met" });
    expect(refusal(declined, alex, dispute("Second thoughts"))).toBe("own-decision");
    expect(refusal(declined, pat, dispute("I disagree"))).toBe("not-manager");
    expect(refusal(declined, kim, dispute("  "))).toBe("reason-required");
    expect(refusal(declined, kim, dispute("The child, named Alice, is at risk"))).toBe("sensitive");
    const disputed = then(declined, kim, dispute("Threshold is met: see the strategy discussion"));
    expect(refusal(disputed, sam, dispute("Me too"))).toBe("already-disputed");
    expect(timeline(disputed).at(-1)).toContain('Kim Sender disagreed with the decision: "Threshold is met: see the strategy discussion"; it went to the MASH Service Manager under the Disagreements in Team › SMs');
    // Resolved by the level that has it; never by the manager who raised it; with a reason; once.
    const resolve = (reason?: string): RequestAction => ({ kind: "resolve-dispute", resolvers: [sam, kim], outcome: "stands", ...(reason !== undefined ? { reason } : {}) });
    expect(refusal(declined, sam, resolve("x"))).toBe("no-dispute");
    expect(refusal(disputed, kim, resolve("Fine"))).toBe("own-dispute");
    expect(refusal(disputed, bo, resolve("Fine"))).toBe("not-approver");
    expect(refusal(disputed, sam, resolve(""))).toBe("reason-required");
    const resolved = then(disputed, sam, resolve("Agreed at the service managers' meeting"));
    expect(refusal(resolved, sam, resolve("Again"))).toBe("dispute-resolved");
    expect(timeline(resolved).at(-1)).toContain('Sam Senior resolved the disagreement: the decision stands: "Agreed at the service managers\' meeting"');
    expect(resolved.status).toBe("declined"); // the record keeps the decision and how the disagreement ended
  });
});

describe("payloads of the ladder's buttons", () => {
  const exec = (verb: string, data: unknown) => parseApprovalAction({ action: { type: "Action.Execute", verb, data } });
  it("dispute needs a reason; resolveDispute an outcome and a reason; the ladder cards' buttons say which card they are on", () => {
    expect(exec("dispute", { requestId: "TR-ABC123", reason: "Threshold met" })).toMatchObject({ ok: true, action: { verb: "dispute", data: { requestId: "TR-ABC123", reason: "Threshold met" } } });
    expect(exec("dispute", { requestId: "TR-ABC123" })).toEqual({ ok: false, problem: "reason: a disagreement needs a reason" });
    expect(exec("dispute", { requestId: "TR-ABC123", reason: "   " })).toEqual({ ok: false, problem: "reason: a disagreement needs a reason" });
    expect(exec("resolveDispute", { requestId: "TR-ABC123", outcome: "maybe", reason: "x" })).toEqual({ ok: false, problem: "outcome: expected the outcome: stands or changed" });
    expect(exec("resolveDispute", { requestId: "TR-ABC123", outcome: "changed", reason: "Agreed", card: "escalation", track: "dispute", level: "2" })).toMatchObject({
      ok: true,
      action: { verb: "resolveDispute", data: { outcome: "changed", reason: "Agreed", card: "escalation", track: "dispute", level: 2 } },
    });
    expect(exec("approve", { requestId: "TR-ABC123", card: "reminder", track: "decision", level: 1 })).toMatchObject({ ok: true, action: { data: { card: "reminder", level: 1 } } });
    expect(exec("approve", { requestId: "TR-ABC123", card: "poster" })).toMatchObject({ ok: false, problem: "card: expected the card: escalation, reminder, dispute" });
  });
});

describe("ESCALATION_WORKING_HOURS", () => {
  it("defaults to defer-unless-urgent (unset); accepts the three rules; names what is expected", () => {
    expect(loadConfig({}).escalationWorkingHours).toBeUndefined();
    expect(resolvePolicy().workingHours).toBe("defer-unless-urgent");
    for (const rule of ["defer-unless-urgent", "defer-all", "when-due"] as const) expect(loadConfig({ ESCALATION_WORKING_HOURS: rule }).escalationWorkingHours).toBe(rule);
    expect(loadConfig({ ESCALATION_WORKING_HOURS: " When-Due " }).escalationWorkingHours).toBe("when-due");
    let problems: string[] = [];
    try {
      loadConfig({ ESCALATION_WORKING_HOURS: "weekdays" });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual(['ESCALATION_WORKING_HOURS: expected "defer-unless-urgent" (the default: deferred to the next start of working hours unless the protocol\'s clock is urgent), "defer-all" or "when-due"']);
  });
});

describe("the decision clock of a request", () => {
  const { packs } = availablePacks();
  const ladder = (policy = resolvePolicy()) => new Ladder({ packs: { ...packs, mini: pack }, policy, log: silentLogger } as unknown as LadderDeps, undefined as unknown as ApprovalsService);

  it("starts at the decider's level of the rule's ladder, with the request's decision deadline and the working-hours rule", () => {
    const clock = ladder(resolvePolicy({ workingHours: "when-due" })).decisionClock(base())!;
    expect(clock).toMatchObject({ requestId: "TR-ABC123", track: "decision", entryLevel: 1, level: 1, startedAt: now.toISOString(), policy: { workingHours: "when-due" } });
    expect(clock.plan).toMatchObject({ deadlineAt: later(24).toISOString(), urgent: true, escalateDeliverAt: later(24).toISOString() });
    expect(clock.ladder.steps.map((s) => s.channelKey)).toEqual(["mini/mash/team-manager", "mini/mash/service-manager", "mini/*/hos-3"]);
    expect(clock.case).toEqual({ caseReference: "1234567", heading: "Step up: Early Help → MASH", direction: "step-up", fromTeam: "Early Help", toTeam: "MASH", requestedBy: pat, requestedAt: now.toISOString() });
  });

  it("a decider the ladder does not name goes first, then the ladder (Suffolk's duty CSW before the step-up ladder)", () => {
    const suffolk = packs.suffolk!;
    const { recommendation } = requestableCase(suffolk, "1234567", now);
    const t = createRequest({ id: "TR-ABC124", pack: suffolk, recommendation, caseReference: "1234567", requester: pat }, now);
    if (isRefused(t)) throw new Error(t.refused.message);
    const clock = ladder().decisionClock(t.request)!;
    expect(clock.ladder.steps[0]).toMatchObject({ level: 1, channelKey: `suffolk/${recommendation.decider!.teamId}/${recommendation.decider!.role}` });
    expect(clock.ladder.steps.slice(1).map((s) => s.level)).toEqual(suffolk.ladders.find((l) => l.id === clock.ladder.id)!.levels.map((l) => l.level + 1));
    expect(clock.entryLevel).toBe(1);
  });
});

describe("the ladder cards' buttons", () => {
  const { packs } = availablePacks();
  const l = new Ladder({ packs: { mini: pack }, policy: resolvePolicy(), log: silentLogger } as unknown as LadderDeps, undefined as unknown as ApprovalsService);
  const start = l.decisionClock(base())!;

  it("decline, ask and reassign are forms whose button sends the inputs; the cards validate", () => {
    const r = reminderDue(start, later(18));
    const e = levelExpired(r.state, later(24));
    const actions = [
      { title: "Approve", verb: "approve", data: { requestId: "TR-ABC123", card: "escalation", level: 2 } },
      { title: "Decline…", verb: "decline", data: { requestId: "TR-ABC123" }, submitTitle: "Decline", inputs: [{ kind: "text" as const, id: "reason", label: "Why?", required: true }] },
      {
        title: "Reassign…",
        verb: "reassign",
        data: { requestId: "TR-ABC123" },
        inputs: [
          { kind: "choice" as const, id: "to", label: "To", required: true, choices: [{ title: "Bo", value: "29:bo" }] },
          { kind: "text" as const, id: "why", label: "Why (optional)", required: false },
        ],
      },
    ];
    const esc = escalationCard(withActions(escalationCardData(e.state, e.notice), actions));
    const rem = reminderCard(withActions(reminderCardData(r.state, r.notice), actions));
    for (const card of [esc, rem]) {
      expect(cardProblems(card)).toEqual([]);
      expect(verbs(card)).toEqual(["approve", "decline", "reassign"]);
      const forms = (card.actions as { type: string; card?: { body: { id: string; type: string; isRequired: boolean }[] } }[]).filter((a) => a.type === "Action.ShowCard");
      expect(forms.map((f) => f.card!.body.map((b) => `${b.type}:${b.id}:${b.isRequired}`))).toEqual([["Input.Text:reason:true"], ["Input.ChoiceSet:to:true", "Input.Text:why:false"]]);
    }
    expect((esc.actions as unknown[])[0]).toEqual({ type: "Action.Execute", title: "Approve", verb: "approve", data: { requestId: "TR-ABC123", card: "escalation", level: 2 } });
  });

  it("a decided approval card offers \"Disagree…\" only to the managers who may disagree; all its views validate", () => {
    const declined = then(base(), alex, { kind: "decline", approvers: [alex, bo], reason: "Threshold not met" });
    const disputers = [kim, sam, alex];
    const shared = approvalCard({ request: declined, approvers: [alex, bo], view: "shared", disputers });
    expect(verbs(shared)).toEqual(["refreshView", "refreshView"]);
    expect(words(shared)).toContain("Disagree with this decision?");
    expect((shared.refresh as { userIds: string[] }).userIds).toEqual([kim.id, sam.id]); // not the manager who decided
    const mine = approvalCard({ request: declined, approvers: [alex, bo], view: "disputer", disputers });
    expect(verbs(mine)).toEqual(["refreshView", "dispute"]); // the refresh, and the form's button
    expect(JSON.stringify(mine)).toContain('"isRequired":true');
    const other = approvalCard({ request: declined, approvers: [alex, bo], view: "readonly", disputers });
    for (const card of [shared, mine, other]) expect(cardProblems(card)).toEqual([]);
    expect(verbs(other)).toEqual(["refreshView"]);
    void packs;
  });
});

describe("the server's sweeper", () => {
  it("starts with the server on the injected clock and interval, and stops when the server closes", async () => {
    const azurite = await startAzurite({ port: 0 });
    const lines: string[] = [];
    const log = createLogger("debug", (line) => lines.push(line));
    let approvals: Approvals | undefined;
    let ticks = 0;
    const clock = () => {
      ticks++;
      return now;
    };
    const server = createServer(
      { storageConnectionString: azurite.connectionString, port: 0, playground: false, logLevel: "debug" },
      {
        packs: { mini: pack },
        log,
        sweeper: { now: clock, intervalMs: 10, instanceId: "sweeper-under-test" },
        approvals: (adapter) => (approvals = createApprovals({ adapter, storageConnectionString: azurite.connectionString, packs: { mini: pack }, log, retryEveryMs: 0 })),
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    expect((server.address() as AddressInfo).port).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(lines.some((l) => l.includes("escalation sweeper started") && l.includes("sweeper-under-test"))).toBe(true);
    expect(ticks).toBeGreaterThan(2); // sweeping on the injected clock
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await approvals!.escalation!.stopSweeper();
    const after = ticks;
    await new Promise((r) => setTimeout(r, 100));
    expect(ticks).toBe(after);
    await azurite.stop();
  });
});
