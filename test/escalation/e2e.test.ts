/**
 * Issue 5 end to end, through the bot's HTTP endpoint (createServer), with real Azurite, the loopback
 * Teams connector and an injected clock; the server's own escalation sweeper does the sweeping.
 *
 *   - For each council: a request made in chat is posted to its decider's channel and not answered →
 *     a reminder before the deadline, in the same channel, @mentioning the approvers → an escalation
 *     card in the channel registered for the next level's role, with the history so far; the original
 *     card says where the request went and when → a decision at that level closes the clock, and
 *     every card about the request says so. Only the current level's approvers may decide; never the
 *     requester.
 *   - Over Christmas 2026 (weekend and bank holidays), with the working-hours rule: a non-urgent
 *     escalation waits for the next 09:00, an urgent 24-hour clock goes out at once on a Sunday and
 *     on a bank holiday; a level with no channel is retried and an administrator told once; daily
 *     digests at the start of working hours.
 *   - A manager disagrees with a decision from its card: the dispute ladder is followed up the same
 *     way, and a resolution closes it.
 * Every card the bot sends validates; no child's name or date of birth is posted.
 */
import { availablePacks } from "../../bot/packs";
import { loadPack } from "../../domain/check";
import { channelKeyOf, type ClockState, type Track } from "../../domain/escalation";
import { ukDateTime } from "../../domain/format";
import type { PolicyPack } from "../../domain/pack";
import { deciderLabel, type RequestEvent, type TransferRequest } from "../../domain/requests";
import { cardProblems } from "../helpers/cards";
import type { Held } from "../helpers/connector";
import mini from "../fixtures/mini-pack.json";
import { ApprovalsHarness, cardOf, invokeCard, user, verbs, words, type Card, type Channel, type User } from "../approvals/harness";
import { requestableCase, simulate, triageAndRequest, type Answer } from "../approvals/triage";

const { packs } = availablePacks();

// ---------------------------------------------------------------------------
// Helpers

class Clock {
  constructor(public t: Date) {}
  readonly now = (): Date => this.t;
  set(iso: string | Date): void {
    this.t = new Date(iso);
  }
}

async function waitFor(what: string, test: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What a post is, as it was posted: "remind", "escalate", "dispute", "digest"; undefined for the approval card. */
const kindOf = (p: Held): string | undefined => (p.versions[0]?.channelData as { kind?: string } | undefined)?.kind;
const ladderPosts = (c: Channel, kind: string): Held[] => c.posts().filter((p) => kindOf(p) === kind);
const approvalPost = (c: Channel): Held | undefined => c.posts().find((p) => kindOf(p) === undefined);
const mentionIds = (card: Card): string[] => ((card.msteams as { entities?: { mentioned: { id: string } }[] } | undefined)?.entities ?? []).map((e) => e.mentioned.id);

/** Every Action.Execute on a card, with its data (inside Action.ShowCard forms too). */
function executes(card: Card): { verb: string; data: Record<string, unknown> }[] {
  const out: { verb: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.type === "Action.Execute") out.push({ verb: String(o.verb), data: (o.data ?? {}) as Record<string, unknown> });
      for (const [k, v] of Object.entries(o)) if (k !== "data" && typeof v === "object") walk(v);
    }
  };
  walk(card);
  return out;
}

function dataOf(card: Card, verb: string): Record<string, unknown> {
  const found = executes(card).find((x) => x.verb === verb);
  if (!found) throw new Error(`no ${verb} on the card: ${verbs(card).join(", ")}`);
  return found.data;
}

const spec = (pack: PolicyPack, role: { teamId: string | null; role: string }): string => `${pack.id} ${role.teamId ? `${role.teamId} ` : ""}${role.role}`;

interface World {
  h: ApprovalsHarness;
  clock: Clock;
}

async function start(packsToUse: Readonly<Record<string, PolicyPack>>, at: string): Promise<World> {
  const clock = new Clock(new Date(at));
  const h = await ApprovalsHarness.start({
    packs: packsToUse,
    now: clock.now,
    sweeper: { intervalMs: 30 },
    approvals: { escalation: { workingHours: "defer-unless-urgent" } },
  });
  return { h, clock };
}

/** A team of managers with one channel registered for a role; its members are the role's approvers. */
async function registerRole(w: World, pack: PolicyPack, role: { teamId: string | null; role: string }, managers: User[], admin: User): Promise<Channel> {
  const team = w.h.team(`${pack.name} ${role.teamId ?? "council"} ${role.role}`, managers);
  await team.installed(admin);
  const channel = team.channel(`${role.teamId ?? "council"} ${role.role}s`);
  const reply = await channel.as(admin).say(`register this channel as ${spec(pack, role)}`);
  expect(reply.status).toBe(200);
  const reg = await w.h.approvals.store.registration(pack.id, role.teamId, role.role);
  expect(reg?.value.approvers.map((p) => p.id).sort()).toEqual(managers.map((m) => m.id).sort());
  return channel;
}

async function stored(w: World, id: string): Promise<TransferRequest> {
  return (await w.h.approvals.store.getRequest(id))!.request;
}

async function clockOf(w: World, id: string, track: Track = "decision"): Promise<ClockState> {
  return (await w.h.approvals.escalation!.store.getClock(id, track))!.state;
}

async function makeRequest(w: World, pack: PolicyPack, pat: User, answers: Answer[], channel: Channel): Promise<{ id: string; post: Held }> {
  const before = channel.posts().length;
  await triageAndRequest(w.h.personal(pat), pack, answers);
  await w.h.settle();
  expect(channel.posts()).toHaveLength(before + 1);
  const post = channel.posts().at(-1)!;
  const id = /TR-[0-9A-Z]{6}/.exec(words(cardOf(post.activity)))![0];
  return { id, post };
}

/** Nothing is posted for the request when a sweep runs just before `iso`. */
async function nothingBefore(w: World, iso: string, id: string): Promise<void> {
  const before = (await stored(w, id)).events.length;
  w.clock.set(new Date(Date.parse(iso) - 1000));
  await w.h.approvals.escalation!.sweepNow();
  await w.h.settle();
  expect((await stored(w, id)).events.length).toBe(before);
}

const latest = (c: Channel, p: Held): Card => cardOf(c.posts().find((x) => x.activityId === p.activityId)!.activity);

function lastEvent<T extends RequestEvent["type"]>(r: TransferRequest, type: T): Extract<RequestEvent, { type: T }> {
  const e = [...r.events].reverse().find((x) => x.type === type);
  if (!e) throw new Error(`no ${type} event`);
  return e as Extract<RequestEvent, { type: T }>;
}

/** Every version of every card the bot posted validates; no child's name or date of birth anywhere. */
function checkEverything(w: World, sensitiveLabels: string[]): void {
  for (const p of w.h.connector.posts()) for (const v of p.versions) expect(cardProblems(cardOf(v))).toEqual([]);
  for (const payload of w.h.connector.allPayloads()) {
    expect(payload).not.toMatch(/\b\d{1,2}[/.]\d{1,2}[/.](19|20)?\d{2}\b/); // a date of birth as people write it
    for (const label of sensitiveLabels) expect(payload).not.toContain(label);
  }
}

const sensitiveOf = (ps: PolicyPack[]): string[] => ps.flatMap((p) => p.earlyWarningForm.fields.filter((f) => f.sensitive).map((f) => f.label));

// ---------------------------------------------------------------------------
// Each council: reminded, escalated, decided at the level it reached

describe.each(Object.keys(packs).map((id, i) => [id, i % 2 === 0 ? "approve" : "decline"] as const))("%s: an unanswered request climbs the ladder", (councilId, decision) => {
  const pack = packs[councilId]!;
  let w: World;
  const admin = user("Ari Admin");
  const pat = user("Pat Practitioner");
  const first = [user("Fran First"), user("Flo First")];
  const second = [user("Sid Second"), user("Sol Second")];

  beforeAll(async () => {
    w = await start({ [councilId]: pack }, "2026-11-23T10:00:00.000Z"); // Monday 10am
  });
  afterAll(() => w.h.stop());

  it("reminder before the deadline → escalation to the next level with the history → decided there; every card says so", async () => {
    const { answers, recommendation: rec } = requestableCase(pack, "CASE-5001", w.clock.t);
    const decider = rec.decider!;
    const ch1 = await registerRole(w, pack, decider, first, admin);
    const { id, post: approval } = await makeRequest(w, pack, pat, answers, ch1);

    // The clock started with the request, at the decider's level of the council's ladder.
    const c0 = await clockOf(w, id);
    const entry = c0.ladder.steps.find((s) => s.level === c0.entryLevel)!;
    expect(entry.channelKey).toBe(channelKeyOf(pack.id, decider));
    expect(c0.startedAt).toBe((await stored(w, id)).createdAt);
    const next = c0.ladder.steps.find((s) => s.level === c0.plan.nextLevel)!;
    expect(next).toBeDefined();
    const { deadlineAt, remindDeliverAt, escalateDeliverAt } = c0.plan;
    expect(deadlineAt && remindDeliverAt && escalateDeliverAt).toBeTruthy();
    expect(Date.parse(remindDeliverAt!)).toBeLessThan(Date.parse(deadlineAt!));
    const ch2 = await registerRole(w, pack, next.role, second, admin);

    // --- the reminder: not before it is due; then in the decider's channel, @mentioning the approvers
    await nothingBefore(w, remindDeliverAt!, id);
    w.clock.set(remindDeliverAt!);
    await waitFor("the reminder", async () => (await clockOf(w, id)).reminded);
    await w.h.settle();
    const reminders = ladderPosts(ch1, "remind");
    expect(reminders).toHaveLength(1);
    const reminder = cardOf(reminders[0]!.activity);
    expect(cardProblems(reminder)).toEqual([]);
    const rt = words(reminder);
    expect(rt).toContain(`Reminder: a decision is due by ${ukDateTime(deadlineAt!)}`);
    expect(rt).toContain("CASE-5001");
    expect(rt).toContain(`<at>${first[0]!.name}</at>, <at>${first[1]!.name}</at>: a decision is due`);
    expect(mentionIds(reminder).sort()).toEqual(first.map((m) => m.id).sort());
    expect((reminders[0]!.activity.entities as { mentioned: { id: string } }[]).map((e) => e.mentioned.id).sort()).toEqual(first.map((m) => m.id).sort());
    expect(mentionIds(reminder)).not.toContain(pat.id);
    expect(verbs(reminder)).toEqual(expect.arrayContaining(["approve", "decline", "askInfo", "reassign"]));
    expect(lastEvent(await stored(w, id), "reminded")).toMatchObject({ track: "decision", level: entry.level, at: remindDeliverAt, post: { activityId: reminders[0]!.activityId } });

    // --- the escalation: not before it is due; then in the next level's channel, with the history so far
    await nothingBefore(w, escalateDeliverAt!, id);
    w.clock.set(escalateDeliverAt!);
    await waitFor("the escalation", async () => (await clockOf(w, id)).level === next.level);
    await w.h.settle();
    const escalations = ladderPosts(ch2, "escalate");
    expect(escalations).toHaveLength(1);
    const escalation = cardOf(escalations[0]!.activity);
    expect(cardProblems(escalation)).toEqual([]);
    const et = words(escalation);
    for (const s of [
      "Escalated to you",
      `Level ${next.level} of ${c0.ladder.steps.length}: ${next.role.title}`,
      `No decision came from the ${entry.role.title} by ${ukDateTime(deadlineAt!)}`,
      "History so far",
      `Request made by ${pat.name}; waiting for the ${entry.role.title}`,
      `Reminder sent to the ${entry.role.title}`,
      `escalated to the ${next.role.title} (level ${next.level})`,
      "CASE-5001",
      `<at>${second[0]!.name}</at>, <at>${second[1]!.name}</at>: this has come to you for a decision`,
    ])
      expect(et).toContain(s);
    expect(mentionIds(escalation).sort()).toEqual(second.map((m) => m.id).sort());
    expect(verbs(escalation)).toEqual(expect.arrayContaining(["approve", "decline", "askInfo", "reassign"]));
    expect(ladderPosts(ch1, "escalate")).toHaveLength(0);

    // The original card says where the request went and when; the reminder is no longer live.
    const r1 = await stored(w, id);
    const escalated = lastEvent(r1, "escalated");
    expect(escalated).toMatchObject({ track: "decision", fromLevel: entry.level, level: next.level, at: escalateDeliverAt, post: { activityId: escalations[0]!.activityId } });
    const original = latest(ch1, approval);
    expect(words(original)).toContain(`Escalated on ${ukDateTime(escalateDeliverAt!)} to the ${deciderLabel(escalated.holder)} (level ${next.level}) in ${escalated.channel}`);
    expect(words(original)).toContain(`A decision now rests with the ${next.role.title}`);
    const reminderNow = latest(ch1, reminders[0]!);
    expect(words(reminderNow)).toContain(`Escalated further on ${ukDateTime(escalateDeliverAt!)} to the ${next.role.title} (level ${next.level})`);
    expect(verbs(reminderNow)).toEqual([]);
    expect(words(reminderNow)).toContain(`If there is no decision by then, the protocol says it goes to the ${next.role.title}.`);

    // --- only the level it is with now decides: not the level below, never the requester
    const below = invokeCard(await ch1.as(first[0]!, approval.conversationId).execute("approve", { requestId: id }))!;
    expect(words(below)).toContain("only approvers for that role can act on it now");
    const own = invokeCard(await ch2.as(pat, escalations[0]!.conversationId).execute("approve", dataOf(escalation, "approve")))!;
    expect(words(own)).toContain("You made this request");
    expect((await stored(w, id)).status).toBe("pending");

    // --- the decision at that level, on the escalation card
    const decider2 = second[1]!;
    const answer = invokeCard(
      await ch2.as(decider2, escalations[0]!.conversationId).execute(decision, { ...dataOf(escalation, decision), ...(decision === "decline" ? { reason: "Not at this level: back to the allocated team" } : {}) }),
    )!;
    const outcome = decision === "approve" ? `Approved by ${decider2.name}` : `Declined by ${decider2.name}`;
    expect(words(answer)).toContain(outcome);
    expect(verbs(answer)).toEqual([]);
    await w.h.settle();

    const closed = await clockOf(w, id);
    expect(closed.status).toBe("closed");
    expect(closed.history.at(-1)).toMatchObject({ step: "decided", level: next.level, by: { id: decider2.id } });
    expect(await w.h.approvals.escalation!.store.due(new Date("2030-01-01T00:00:00Z"), 100).then((d) => d.timers.filter((t) => t.value.kind !== "digest"))).toEqual([]);
    // Every card about the request says so, and none has buttons left.
    for (const [channel, post] of [
      [ch1, approval],
      [ch1, reminders[0]!],
      [ch2, escalations[0]!],
    ] as const) {
      const card = latest(channel, post);
      expect(words(card)).toContain(outcome);
      expect(verbs(card).filter((v) => v !== "refreshView")).toEqual([]);
    }
    const chat = w.h.personal(pat);
    expect(chat.texts().at(-1)).toContain(`was ${decision === "approve" ? "approved" : "declined"} by ${decider2.name}`);
    // The audit trail, as "history" shows it.
    const r2 = await stored(w, id);
    expect(r2.events.map((e) => e.type)).toEqual(["created", "posted", "reminded", "escalated", "decided"]);
    await chat.say(`history ${id}`);
    const history = chat.texts().at(-1)!;
    expect(history).toContain(`reminder sent to the ${deciderLabel(lastEvent(r2, "reminded").holder)}`);
    expect(history).toContain(`no decision from the ${entry.role.title} in time: escalated to the ${deciderLabel(escalated.holder)} (level ${next.level}) in ${escalated.channel}`);
    checkEverything(w, sensitiveOf([pack]));
  });
});

// ---------------------------------------------------------------------------
// Christmas 2026: the working-hours rule, a level with no channel, digests

describe("over Christmas and the bank holidays, with the working-hours rule", () => {
  const herts = packs.hertfordshire!;
  const miniPack = loadPack(mini);
  let w: World;
  const admin = user("Ari Admin");
  const pat = user("Pat Practitioner");
  const [ht1, ht2, mt1, mt2, mt3] = ["Hana", "Hugo", "Mo", "Mel", "Max"].map((n) => [user(`${n} One`), user(`${n} Two`)] as const);

  beforeAll(async () => {
    w = await start({ hertfordshire: herts, mini: miniPack }, "2026-12-24T10:00:00.000Z"); // Thursday 24 December, 10am
  });
  afterAll(() => w.h.stop());

  it("a non-urgent escalation waits for 09:00 after the holidays; an urgent 24-hour one goes out at once on a Sunday and a bank holiday", async () => {
    // A: Hertfordshire, one working day: the deadline skips Christmas, the weekend and the substitute bank holiday.
    const a = requestableCase(herts, "HT-1001", w.clock.t);
    const aDecider = a.recommendation.decider!;
    const hCh1 = await registerRole(w, herts, aDecider, [...ht1!], admin);
    // B: the mini pack's safeguarding step up, a 24-hour urgent clock at every level.
    const bLevels = [
      { teamId: "mash", role: "team-manager" },
      { teamId: "mash", role: "service-manager" },
      { teamId: null, role: "hos-3" },
    ];
    const [mCh1, mCh2, mCh3] = [await registerRole(w, miniPack, bLevels[0]!, [...mt1!], admin), await registerRole(w, miniPack, bLevels[1]!, [...mt2!], admin), await registerRole(w, miniPack, bLevels[2]!, [...mt3!], admin)];

    const A = await makeRequest(w, herts, pat, a.answers, hCh1);
    const ca = await clockOf(w, A.id);
    expect(ca.plan).toMatchObject({
      deadlineAt: "2026-12-29T17:00:00.000Z", // Tuesday 5pm: 25 Dec, the weekend and 28 Dec are not working days
      remindDeliverAt: "2026-12-29T15:00:00.000Z",
      escalateDeliverAt: "2026-12-30T09:00:00.000Z", // deferred from 5pm to the next start of working hours
      urgent: false,
    });

    w.clock.set("2026-12-26T10:00:00.000Z"); // Saturday
    const B = await makeRequest(w, miniPack, pat, simulate(miniPack, { currentTeam: "early-help", concern: "significant-harm" }, "MB-2002", w.clock.t).answers, mCh1);
    expect((await clockOf(w, B.id)).plan).toMatchObject({ deadlineAt: "2026-12-27T10:00:00.000Z", remindDeliverAt: "2026-12-27T04:00:00.000Z", escalateDeliverAt: "2026-12-27T10:00:00.000Z", urgent: true });

    // Sunday 4am: B's reminder goes out at once (urgent); A has nothing due.
    w.clock.set("2026-12-27T04:00:00.000Z");
    await waitFor("B's reminder", async () => (await clockOf(w, B.id)).reminded);
    await w.h.settle();
    expect(ladderPosts(mCh1, "remind")).toHaveLength(1);
    expect(words(cardOf(ladderPosts(mCh1, "remind")[0]!.activity))).toContain("Urgent: the protocol marks this deadline urgent");
    // Sunday 10am: B escalates to the service manager at once.
    w.clock.set("2026-12-27T10:00:00.000Z");
    await waitFor("B's first escalation", async () => (await clockOf(w, B.id)).level === 2);
    await w.h.settle();
    expect(lastEvent(await stored(w, B.id), "escalated")).toMatchObject({ at: "2026-12-27T10:00:00.000Z", level: 2 });
    expect(ladderPosts(mCh2, "escalate")).toHaveLength(1);
    // Monday 28 December (a bank holiday), 10am: on to the head of service, at once.
    w.clock.set("2026-12-28T10:00:00.000Z");
    await waitFor("B's second escalation", async () => (await clockOf(w, B.id)).level === 3);
    await w.h.settle();
    expect(lastEvent(await stored(w, B.id), "escalated")).toMatchObject({ at: "2026-12-28T10:00:00.000Z", level: 3, holder: { role: "hos-3" } });
    const bTop = ladderPosts(mCh3, "escalate");
    expect(bTop).toHaveLength(1);
    const bTopCard = cardOf(bTop[0]!.activity);
    expect(words(bTopCard)).toContain("You are the last level of the protocol's ladder");
    expect(words(bTopCard)).toContain("No decision from the MASH Service Manager in time: escalated to the Head of Service (HoS 3), Social Care (level 3)");
    // The level-2 card says it went further; the original card says where it is.
    expect(words(latest(mCh2, ladderPosts(mCh2, "escalate")[0]!))).toContain("Escalated further on Monday 28 December 2026, 10am to the Head of Service (HoS 3), Social Care (level 3)");
    expect(words(latest(mCh1, B.post))).toContain("Escalated on Monday 28 December 2026, 10am to the Head of Service (HoS 3), Social Care (level 3)");
    // The head of service declines it there.
    const declined = invokeCard(await mCh3.as(mt3![0], bTop[0]!.conversationId).execute("decline", { ...dataOf(bTopCard, "decline"), reason: "Keep with Early Help: a plan is in place" }))!;
    expect(words(declined)).toContain(`Declined by ${mt3![0].name}`);
    await w.h.settle();
    expect((await clockOf(w, B.id)).status).toBe("closed");
    for (const [c, p] of [
      [mCh1, B.post],
      [mCh1, ladderPosts(mCh1, "remind")[0]!],
      [mCh2, ladderPosts(mCh2, "escalate")[0]!],
      [mCh3, bTop[0]!],
    ] as const)
      expect(words(latest(c, p))).toContain(`Declined by ${mt3![0].name}`);
    expect((await stored(w, A.id)).events.map((e) => e.type)).toEqual(["created", "posted"]); // A still waits quietly

    // Tuesday 29 December, 9am, the first working morning: A's decider channel gets its daily digest.
    w.clock.set("2026-12-29T09:00:00.000Z");
    await waitFor("the digest", () => ladderPosts(hCh1, "digest").length === 1);
    const digest = cardOf(ladderPosts(hCh1, "digest")[0]!.activity);
    expect(cardProblems(digest)).toEqual([]);
    expect(words(digest)).toContain("Waiting for you");
    expect(words(digest)).toContain(`**HT-1001** (${A.id})`);
    expect(words(digest)).toContain("due Tuesday 29 December 2026, 5pm");
    // B is closed: the mini channels have nothing waiting, so no (empty) digest is posted there.
    expect([mCh1, mCh2, mCh3].flatMap((c) => ladderPosts(c, "digest"))).toEqual([]);

    // A: reminded at 3pm; nothing at the 5pm deadline (outside working hours) nor overnight.
    w.clock.set("2026-12-29T15:00:00.000Z");
    await waitFor("A's reminder", async () => (await clockOf(w, A.id)).reminded);
    await nothingBefore(w, "2026-12-29T17:00:01.000Z", A.id);
    await nothingBefore(w, "2026-12-30T09:00:00.000Z", A.id);

    // Wednesday 30 December, 9am: A is due to escalate, but its service manager has no channel yet:
    // the sweeper tries again later, and the administrator is told once.
    const adminChat = () => w.h.connector.personalTo(admin.id).map((x) => String(x.activity.text ?? ""));
    const failures = () => w.h.logLines.filter((l) => l.includes("escalation post failed")).length;
    w.clock.set("2026-12-30T09:00:00.000Z");
    await waitFor("the administrator told", () => adminChat().length === 1);
    const next = ca.ladder.steps.find((s) => s.level === ca.plan.nextLevel)!;
    expect(adminChat()[0]).toContain(`escalate transfer request ${A.id} to the ${deciderLabel({ ...next.role })}`);
    expect(adminChat()[0]).toContain(`register this channel as hertfordshire ${next.role.teamId} ${next.role.role}`);
    const failed = failures();
    w.clock.set("2026-12-30T09:01:00.000Z"); // past the first retry delay (30 s)
    await waitFor("a second attempt", () => failures() > failed);
    expect(adminChat()).toHaveLength(1);
    expect((await clockOf(w, A.id)).level).toBe(ca.level); // nothing lost, nothing skipped
    const hCh2 = await registerRole(w, herts, next.role, [...ht2!], admin);
    w.clock.set("2026-12-30T09:05:00.000Z");
    await waitFor("A's escalation", async () => (await clockOf(w, A.id)).level === next.level);
    await w.h.settle();
    expect(ladderPosts(hCh2, "escalate")).toHaveLength(1);
    expect(words(latest(hCh1, A.post))).toContain(`Escalated on Wednesday 30 December 2026, 9:05am to the ${deciderLabel({ ...next.role })} (level ${next.level})`);
    const aCard = cardOf(ladderPosts(hCh2, "escalate")[0]!.activity);
    expect(invokeCard(await hCh2.as(ht2![1], ladderPosts(hCh2, "escalate")[0]!.conversationId).execute("approve", dataOf(aCard, "approve")))).toBeDefined();
    await w.h.settle();
    expect((await clockOf(w, A.id)).status).toBe("closed");
    expect(words(latest(hCh1, A.post))).toContain(`Approved by ${ht2![1].name}`);
    checkEverything(w, sensitiveOf([herts, miniPack]));
  });
});

// ---------------------------------------------------------------------------
// Disagreeing with a decision: the dispute ladder

describe("a manager disagrees with a decision from its card", () => {
  const enfield = packs.enfield!;
  let w: World;
  const admin = user("Ari Admin");
  const pat = user("Pat Practitioner");
  const lac = [user("Lee Lac"), user("Lou Lac")];
  const mashTm = [user("Mia Mash"), user("Max Mash")];
  const mashSm = [user("Sam Senior"), user("Sky Senior")];

  beforeAll(async () => {
    w = await start({ enfield }, "2026-11-23T10:00:00.000Z");
  });
  afterAll(() => w.h.stop());

  it("starts the council's dispute ladder with the reason; it is reminded, escalated and resolved, and every card says so", async () => {
    const { answers, recommendation: rec } = requestableCase(enfield, "EN-3003", w.clock.t);
    expect(rec.decider).toMatchObject({ teamId: "lac", role: "team-manager" });
    expect(rec.facts.currentTeam).toBe("mash");
    const lacCh = await registerRole(w, enfield, { teamId: "lac", role: "team-manager" }, lac, admin);
    const tmCh = await registerRole(w, enfield, { teamId: "mash", role: "team-manager" }, mashTm, admin);
    const smCh = await registerRole(w, enfield, { teamId: "mash", role: "service-manager" }, mashSm, admin);
    const { id, post } = await makeRequest(w, enfield, pat, answers, lacCh);
    const inThread = (u: User) => lacCh.as(u, post.conversationId);

    // The LAC team manager declines it on the card.
    await inThread(lac[0]!).execute("decline", { requestId: id, reason: "LAC criteria not met yet" });
    await w.h.settle();
    expect((await clockOf(w, id)).status).toBe("closed");
    const decided = latest(lacCh, post);
    expect(verbs(decided)).toEqual(["refreshView", "refreshView"]); // "Disagree with this decision?" and the refresh
    expect(words(decided)).toContain("Disagree with this decision?");
    expect((decided.refresh as { userIds: string[] }).userIds.sort()).toEqual([lac[1]!, ...mashTm, ...mashSm].map((u) => u.id).sort());

    // Who may disagree: the managers of the teams involved, not the one who decided, not the requester.
    expect(verbs(invokeCard(await inThread(mashTm[0]!).execute("refreshView", { requestId: id }))!)).toContain("dispute");
    expect(verbs(invokeCard(await inThread(lac[0]!).execute("refreshView", { requestId: id }))!)).not.toContain("dispute");
    expect(verbs(invokeCard(await inThread(pat).execute("refreshView", { requestId: id }))!)).not.toContain("dispute");
    expect(words(invokeCard(await inThread(lac[0]!).execute("dispute", { requestId: id, reason: "Second thoughts" }))!)).toContain("You made this decision");
    expect(words(invokeCard(await inThread(pat).execute("dispute", { requestId: id, reason: "I disagree" }))!)).toContain("Only a manager of the teams involved");
    expect(words(invokeCard(await inThread(mashTm[0]!).execute("dispute", { requestId: id, reason: "  " }))!)).toContain("a disagreement needs a reason");
    expect((await stored(w, id)).events.some((e) => e.type === "disputed")).toBe(false);

    // Mia (MASH team manager) disagrees: the dispute ladder starts on the MASH managers' line.
    const said = invokeCard(await inThread(mashTm[0]!).execute("dispute", { requestId: id, reason: "Under 16 and unaccompanied: LAC criteria are met" }))!;
    await w.h.settle();
    const d0 = await clockOf(w, id, "dispute");
    const [l1, l2] = d0.ladder.steps;
    expect(words(said)).toContain(`Your disagreement has gone to the ${deciderLabel({ ...l1!.role })} in `);
    expect(words(said)).toContain(`to be resolved by ${ukDateTime(d0.plan.deadlineAt!)}`);
    expect(verbs(said)).not.toContain("dispute");
    expect(d0).toMatchObject({ track: "dispute", level: 1, status: "waiting", dispute: { by: { id: mashTm[0]!.id }, reason: "Under 16 and unaccompanied: LAC criteria are met" } });
    expect(d0.ladder.steps.map((s) => s.channelKey)).toEqual(["enfield/mash/team-manager", "enfield/mash/service-manager", "enfield/*/head-of-service"]);
    const disputeCards = ladderPosts(tmCh, "dispute");
    expect(disputeCards).toHaveLength(1);
    const dc = cardOf(disputeCards[0]!.activity);
    expect(words(dc)).toContain(`Disputed by ${mashTm[0]!.name}: Declined by ${lac[0]!.name}`);
    expect(words(dc)).toContain("Reason: Under 16 and unaccompanied: LAC criteria are met");
    expect(mentionIds(dc)).toEqual([mashTm[1]!.id]); // not the manager who disagreed
    expect(verbs(dc)).toEqual(["resolveDispute"]);
    const original = latest(lacCh, post);
    expect(words(original)).toContain(`${mashTm[0]!.name} disagreed with the decision on`);
    expect(verbs(original)).toEqual([]); // one disagreement per decision
    expect(w.h.personal(pat).texts().at(-1)).toContain(`${mashTm[0]!.name} disagreed with the decision on transfer request ${id}`);
    // The manager who disagreed cannot resolve it.
    expect(words(invokeCard(await tmCh.as(mashTm[0]!, disputeCards[0]!.conversationId).execute("resolveDispute", { ...dataOf(dc, "resolveDispute"), outcome: "stands", reason: "Fine" }))!)).toContain("You raised this disagreement");

    // Followed up the same way: a reminder at its level, then the service managers.
    w.clock.set(d0.plan.remindDeliverAt!);
    await waitFor("the disagreement's reminder", async () => (await clockOf(w, id, "dispute")).reminded);
    await w.h.settle();
    expect(ladderPosts(tmCh, "remind")).toHaveLength(1);
    expect(verbs(cardOf(ladderPosts(tmCh, "remind")[0]!.activity))).toEqual(["resolveDispute"]);
    w.clock.set(d0.plan.escalateDeliverAt!);
    await waitFor("the disagreement's escalation", async () => (await clockOf(w, id, "dispute")).level === 2);
    await w.h.settle();
    const up = ladderPosts(smCh, "escalate");
    expect(up).toHaveLength(1);
    const upCard = cardOf(up[0]!.activity);
    expect(words(upCard)).toContain(`Level 2 of 3: ${l2!.role.title}`);
    expect(words(upCard)).toContain("Reason: Under 16 and unaccompanied: LAC criteria are met");
    expect(mentionIds(upCard).sort()).toEqual(mashSm.map((u) => u.id).sort());
    expect(words(latest(lacCh, post))).toContain("The disagreement was escalated on");
    expect(words(latest(tmCh, disputeCards[0]!))).toContain("Escalated further on");

    // The service manager resolves it: the clock closes and every card says how.
    const resolved = invokeCard(await smCh.as(mashSm[0]!, up[0]!.conversationId).execute("resolveDispute", { ...dataOf(upCard, "resolveDispute"), outcome: "changed", reason: "Agreed with the LAC service manager: LAC takes the case" }))!;
    expect(words(resolved)).toContain("Recorded: the decision is changed");
    await w.h.settle();
    expect((await clockOf(w, id, "dispute")).status).toBe("closed");
    const line = `Disagreement resolved by ${mashSm[0]!.name} on`;
    for (const [c, p] of [
      [lacCh, post],
      [tmCh, disputeCards[0]!],
      [tmCh, ladderPosts(tmCh, "remind")[0]!],
      [smCh, up[0]!],
    ] as const) {
      expect(words(latest(c, p))).toContain(line);
      expect(verbs(latest(c, p))).toEqual([]);
    }
    expect(words(latest(lacCh, post))).toContain("the decision is changed");
    expect((await stored(w, id)).events.map((e) => e.type)).toEqual(["created", "posted", "decided", "disputed", "reminded", "escalated", "dispute-resolved"]);
    expect(w.h.personal(pat).texts().at(-1)).toContain(`${mashSm[0]!.name} resolved the disagreement about transfer request ${id}`);
    expect(w.h.connector.personalTo(mashTm[0]!.id).map((x) => String(x.activity.text)).at(-1)).toContain("the decision is changed");
    checkEverything(w, sensitiveOf([enfield]));
  });
});

// ---------------------------------------------------------------------------
// At the level it reached, the escalation card works like the approval card

describe("on an escalation card, the level it reached reassigns, asks for information and decides", () => {
  const miniPack = loadPack(mini);
  let w: World;
  const admin = user("Ari Admin");
  const pat = user("Pat Practitioner");
  const tms = [user("Tam One"), user("Tam Two")];
  const sms = [user("Sue One"), user("Sue Two")];

  beforeAll(async () => {
    w = await start({ mini: miniPack }, "2026-11-23T10:00:00.000Z");
  });
  afterAll(() => w.h.stop());

  it("the replies go to the escalation card's thread, the next reminder @mentions the new assignee, and a decision on the reminder closes it", async () => {
    const l1 = await registerRole(w, miniPack, { teamId: "mash", role: "team-manager" }, tms, admin);
    const l2 = await registerRole(w, miniPack, { teamId: "mash", role: "service-manager" }, sms, admin);
    const chat = w.h.personal(pat);
    const { id, post } = await makeRequest(w, miniPack, pat, simulate(miniPack, { currentTeam: "early-help", concern: "significant-harm" }, "MC-4004", w.clock.t).answers, l1);
    // 24 hours later the reminder and the escalation are both due: in order, the reminder first.
    w.clock.set("2026-11-24T10:00:00.000Z");
    await waitFor("the escalation", async () => (await clockOf(w, id)).level === 2);
    await w.h.settle();
    const r1 = await stored(w, id);
    expect(r1.events.map((e) => e.type)).toEqual(["created", "posted", "reminded", "escalated"]);
    const esc = ladderPosts(l2, "escalate")[0]!;
    const card = cardOf(esc.activity);
    const thread = (u: User) => l2.as(u, esc.conversationId);
    const replies = () => w.h.connector.sentTo(esc.conversationId).map((x) => x.activity);

    // Reassigned at this level: only to another approver of this level, told in this thread.
    const reassign = dataOf(card, "reassign");
    expect(JSON.stringify(card)).toContain(`"value":"${sms[1]!.id}"`);
    expect(JSON.stringify(card)).not.toContain(`"value":"${tms[0]!.id}"`);
    expect(words(invokeCard(await thread(sms[0]!).execute("reassign", { ...reassign, to: tms[0]!.id }))!)).toContain("can only be reassigned to another approver");
    expect(words(invokeCard(await thread(sms[0]!).execute("reassign", { ...reassign, to: sms[1]!.id }))!)).toContain(`Reassigned to ${sms[1]!.name}.`);
    await w.h.settle();
    expect(String(replies().at(-1)?.text)).toContain(`<at>${sms[1]!.name}</at>: ${sms[0]!.name} reassigned transfer request ${id}`);
    expect((replies().at(-1)?.entities as { mentioned: { id: string } }[])[0]?.mentioned.id).toBe(sms[1]!.id);

    // More information, asked on the escalation card: the practitioner's answer comes back to this thread.
    expect(words(invokeCard(await thread(sms[1]!).execute("askInfo", { ...dataOf(card, "askInfo"), question: "Is the strategy discussion booked?" }))!)).toContain(`Your question has gone to ${pat.name}`);
    await w.h.settle();
    const info = chat.cards().at(-1)!;
    expect(words(info)).toContain("Is the strategy discussion booked?");
    await chat.execute("giveInfo", { ...dataOf(info, "giveInfo"), answer: "Yes, tomorrow at 10" });
    await w.h.settle();
    expect(String(replies().at(-1)?.text)).toContain(`<at>${sms[1]!.name}</at>: ${pat.name} answered the question on ${id}: "Yes, tomorrow at 10"`);
    expect(words(latest(l1, post))).toContain("Yes, tomorrow at 10"); // and on the request's own card

    // The level's reminder @mentions the assignee only; a decision on it closes the request.
    const c2 = await clockOf(w, id);
    w.clock.set(c2.plan.remindDeliverAt!);
    await waitFor("the level-2 reminder", async () => (await clockOf(w, id)).reminded);
    await w.h.settle();
    const rem = ladderPosts(l2, "remind")[0]!;
    const remCard = cardOf(rem.activity);
    expect(mentionIds(remCard)).toEqual([sms[1]!.id]);
    expect(words(remCard)).toContain(`<at>${sms[1]!.name}</at>: a decision is due`);
    const done = invokeCard(await l2.as(sms[1]!, rem.conversationId).execute("approve", { ...dataOf(remCard, "approve"), comment: "Agreed after the strategy discussion" }))!;
    expect(words(done)).toContain(`Approved by ${sms[1]!.name}`);
    expect(words(done)).toContain(`Approved. ${pat.name} is being told.`);
    await w.h.settle();
    expect((await clockOf(w, id)).status).toBe("closed");
    for (const [c, p] of [
      [l1, post],
      [l1, ladderPosts(l1, "remind")[0]!],
      [l2, esc],
      [l2, rem],
    ] as const) {
      expect(words(latest(c, p))).toContain(`Approved by ${sms[1]!.name}`);
      expect(verbs(latest(c, p)).filter((v) => v !== "refreshView")).toEqual([]);
    }
    expect(chat.texts().at(-1)).toContain(`was approved by ${sms[1]!.name}`);
    checkEverything(w, sensitiveOf([miniPack]));
  });
});
