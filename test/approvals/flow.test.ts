/**
 * Transfer requests end to end through the bot's HTTP endpoint, with the test fixture pack: a request
 * made in chat lands in the decider's channel as a card, and is approved, declined, bounced for more
 * information and answered, reassigned; every card says what happened; the requester is told.
 */
import { loadPack } from "../../domain/check";
import { REQUEST_ID, TransferRequest } from "../../domain/requests";
import { cardProblems } from "../helpers/cards";
import mini from "../fixtures/mini-pack.json";
import { ApprovalsHarness, cardOf, invokeCard, user, verbs, words, type Channel, type Conversation, type Team, type User } from "./harness";
import { requestableCase, triageAndRequest } from "./triage";

const pack = loadPack(mini);

let h: ApprovalsHarness;
let team: Team;
let mash: Channel;
const alex = user("Alex Manager");
const bo = user("Bo Manager");
const pat = user("Pat Practitioner");
const sam = user("Sam Stranger");

beforeAll(async () => {
  h = await ApprovalsHarness.start({ packs: { mini: pack } });
  team = h.team("Mini managers", [alex, bo]);
  mash = team.channel("MASH managers");
  await team.installed(alex);
  const reply = await mash.as(alex).say("register this channel as mini mash team managers");
  expect(reply.status).toBe(200);
});
afterAll(async () => {
  await h.stop();
});

/** Pat asks for a transfer of a new case; returns the request id and the posted card's thread. */
async function newRequest(ref: string, chat: Conversation = h.personal(pat)) {
  const sim = requestableCase(pack, ref);
  const before = mash.posts().length;
  const x = await triageAndRequest(chat, pack, sim.answers);
  expect(x.status).toBe(200);
  await h.settle();
  const posts = mash.posts();
  expect(posts).toHaveLength(before + 1);
  const post = posts.at(-1)!;
  const card = cardOf(post.activity);
  const id = /TR-[0-9A-Z]{6}/.exec(words(card))?.[0] ?? "";
  expect(id).toMatch(REQUEST_ID);
  return { id, post, chat, thread: (u: User) => mash.as(u, post.conversationId) };
}

async function stored(id: string): Promise<TransferRequest> {
  return (await h.approvals.store.getRequest(id))!.request;
}

describe("a request made in chat", () => {
  it("is posted as a new thread in the decider's channel, @mentioning the approvers, with what a manager needs", async () => {
    const { id, post, chat } = await newRequest("1234567");
    const card = cardOf(post.activity);
    expect(cardProblems(card)).toEqual([]);
    const text = words(card);
    for (const expected of [
      `Transfer request ${id}`,
      "Mini Borough (test fixture)",
      "Step up: Early Help → MASH",
      "1234567",
      "MASH Team Manager",
      "Pat Practitioner",
      "Early Case Transfer Alert",
      "Category of Need",
      "Significant harm, or likely significant harm (child protection)",
      "Final decisions for all safeguarding step-up escalations within 24 hours",
      "Good practice for individual case transfers (advisory)",
      "Advisory only: the checklist must never block or delay a transfer.",
      "The file has been audited and the checklist agreed",
      "If no decision comes: MASH Team Manager (24 hours)",
    ])
      expect(text).toContain(expected);
    // deadlines as UK dates
    expect(text).toMatch(/\*\*(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ 20\d\d, \d{1,2}(:\d\d)?[ap]m \(urgent\)\*\*/);
    // @mention of the approvers, in the card and in the activity (so that they are notified)
    expect(text).toContain("<at>Alex Manager</at>, <at>Bo Manager</at>: this needs a decision by a MASH Team Manager.");
    const entities = (card.msteams as { entities: { mentioned: { id: string } }[] }).entities.map((e) => e.mentioned.id);
    expect(entities).toEqual([alex.id, bo.id]);
    expect((post.activity.entities as { mentioned: { id: string } }[]).map((e) => e.mentioned.id)).toEqual([alex.id, bo.id]);
    // everyone's view has no decision buttons; the approvers get their own view through refresh
    expect(verbs(card)).toEqual(["refreshView", "refreshView"]);
    expect(card.refresh).toEqual({ action: { type: "Action.Execute", title: "Refresh", verb: "refreshView", data: { requestId: id } }, userIds: [alex.id, bo.id] });
    // the practitioner is told where it went
    expect(chat.texts().at(-1)).toMatch(new RegExp(`Transfer request ${id} \\(case 1234567, step up to MASH\\) is in Mini managers › MASH managers`));
    const r = await stored(id);
    expect(r.events.map((e) => e.type)).toEqual(["created", "posted"]);
    expect(r.delivery.post?.activityId).toBe(post.activityId);
  });

  it("a second click on the same recommendation does not make a second request", async () => {
    const { id, chat } = await newRequest("2222222");
    const again = await chat.execute("requestTransfer");
    expect(again.status).toBe(200);
    await h.settle();
    expect(chat.texts().at(-1)).toContain(`You already have an open request for case 2222222 to MASH: ${id}`);
  });

  it("is approved on the card: the card updates for everyone, the approver sees it, the requester is told", async () => {
    const { id, post, thread, chat } = await newRequest("3333333");
    // Alex opens the card: the user-specific view has the decision buttons, and the view is recorded.
    const view = invokeCard(await thread(alex).execute("refreshView", { requestId: id }, "automatic", post.activityId))!;
    expect(verbs(view)).toEqual(expect.arrayContaining(["approve", "decline", "askInfo", "reassign"]));
    expect((await stored(id)).events.map((e) => e.type)).toEqual(["created", "posted", "viewed"]);
    // Approve.
    const answer = invokeCard(await thread(alex).execute("approve", { requestId: id }))!;
    expect(words(answer)).toContain("Approved by Alex Manager on");
    expect(words(answer)).toContain("Approved. Pat Practitioner is being told.");
    expect(verbs(answer)).not.toContain("approve");
    await h.settle();
    const updated = cardOf(mash.posts().find((p) => p.activityId === post.activityId)!.activity);
    expect(cardProblems(updated)).toEqual([]);
    expect(words(updated)).toMatch(/Approved by Alex Manager on \w+day \d+ \w+ 20\d\d/);
    expect(verbs(updated)).toEqual([]);
    expect(updated.refresh).toBeUndefined();
    expect(chat.texts().at(-1)).toMatch(new RegExp(`Transfer request ${id} \\(case 3333333, step up to MASH\\) was approved by Alex Manager on `));
    const r = await stored(id);
    expect(r.status).toBe("approved");
    expect(r.events.at(-1)).toMatchObject({ type: "decided", outcome: "approved", by: { id: alex.id, name: "Alex Manager" } });
  });

  it("a decline needs a reason; with one, the card and the requester say why", async () => {
    const { id, thread, chat, post } = await newRequest("4444444");
    const noReason = invokeCard(await thread(bo).execute("decline", { requestId: id, reason: "   " }))!;
    expect(words(noReason)).toContain("A decline needs a reason");
    expect(verbs(noReason)).toContain("decline"); // still open, still Bo's to decide
    expect((await stored(id)).status).toBe("pending");
    const declined = invokeCard(await thread(bo).execute("decline", { requestId: id, reason: "Threshold for MASH not met: continue with the EH plan" }))!;
    expect(words(declined)).toContain("Declined by Bo Manager on");
    expect(words(declined)).toContain("Reason: Threshold for MASH not met: continue with the EH plan");
    await h.settle();
    const updated = cardOf(mash.posts().find((p) => p.activityId === post.activityId)!.activity);
    expect(words(updated)).toContain("Reason: Threshold for MASH not met: continue with the EH plan");
    expect(chat.texts().at(-1)).toContain('was declined by Bo Manager on');
    expect(chat.texts().at(-1)).toContain('Reason: "Threshold for MASH not met: continue with the EH plan"');
  });

  it("is bounced for more information: the requester answers on a card in chat, and the answer comes back to the same card", async () => {
    const { id, thread, chat, post } = await newRequest("5555555");
    const noQuestion = invokeCard(await thread(alex).execute("askInfo", { requestId: id, question: "" }))!;
    expect(words(noQuestion)).toContain("needs a question");
    const asked = invokeCard(await thread(alex).execute("askInfo", { requestId: id, question: "Has the strategy discussion happened?" }))!;
    expect(words(asked)).toContain("More information requested: waiting for Pat Practitioner");
    await h.settle();
    // Pat gets the question as a card in the personal chat
    const infoCard = chat.cards().at(-1)!;
    expect(cardProblems(infoCard)).toEqual([]);
    expect(words(infoCard)).toContain("Has the strategy discussion happened?");
    expect(words(infoCard)).toContain("Alex Manager (MASH Team Manager) asked on");
    expect(verbs(infoCard)).toEqual(["giveInfo"]);
    const giveInfo = (infoCard.actions as { data: Record<string, unknown> }[])[0]!.data;
    // Only Pat can answer, and not with nothing
    expect(words(invokeCard(await mash.as(alex).execute("giveInfo", { ...giveInfo, answer: "yes" }))!)).toContain("Only Pat Practitioner, who made the request, can answer");
    expect(words(invokeCard(await chat.execute("giveInfo", { ...giveInfo, answer: "" }))!)).toContain("Please write an answer");
    const answered = invokeCard(await chat.execute("giveInfo", { ...giveInfo, answer: "Yes, this morning; S47 agreed" }))!;
    expect(words(answered)).toContain("You answered on");
    expect(words(answered)).toContain("Yes, this morning; S47 agreed");
    expect(verbs(answered)).toEqual([]);
    await h.settle();
    // The channel card shows the exchange, and the asker is @mentioned in the card's thread
    const updated = cardOf(mash.posts().find((p) => p.activityId === post.activityId)!.activity);
    expect(words(updated)).toContain("Has the strategy discussion happened?");
    expect(words(updated)).toContain("Yes, this morning; S47 agreed");
    expect(words(updated)).toContain("Waiting for a decision");
    const replies = h.connector.sentTo(post.conversationId).map((x) => x.activity);
    expect(replies.at(-1)?.text).toBe(`<at>Alex Manager</at>: Pat Practitioner answered the question on ${id}: "Yes, this morning; S47 agreed"`);
    expect((replies.at(-1)?.entities as { mentioned: { id: string } }[])[0]?.mentioned.id).toBe(alex.id);
    // and the manager can then decide
    expect(words(invokeCard(await thread(alex).execute("approve", { requestId: id }))!)).toContain("Approved by Alex Manager");
  });

  it("is reassigned to another approver of the role, who is @mentioned; anyone else is refused as a target", async () => {
    const { id, thread, post } = await newRequest("6666666");
    const bad = invokeCard(await thread(alex).execute("reassign", { requestId: id, to: sam.id }))!;
    expect(words(bad)).toContain("can only be reassigned to another approver");
    const done = invokeCard(await thread(alex).execute("reassign", { requestId: id, to: bo.id, why: "I am on leave tomorrow" }))!;
    expect(words(done)).toContain("Reassigned to Bo Manager.");
    await h.settle();
    const updated = cardOf(mash.posts().find((p) => p.activityId === post.activityId)!.activity);
    expect(words(updated)).toContain("Assigned to");
    expect(words(updated)).toContain("Alex Manager reassigned it to Bo Manager");
    expect(words(updated)).toContain("<at>Bo Manager</at>: this request is with you.");
    expect((updated.msteams as { entities: { mentioned: { id: string } }[] }).entities.map((e) => e.mentioned.id)).toEqual([bo.id]);
    const reply = h.connector.sentTo(post.conversationId).at(-1)?.activity;
    expect(reply?.text).toBe(`<at>Bo Manager</at>: Alex Manager reassigned transfer request ${id} (case 6666666) to you: "I am on leave tomorrow".`);
    expect(words(invokeCard(await thread(bo).execute("approve", { requestId: id }))!)).toContain("Approved by Bo Manager");
  });
});

describe("only the right people decide", () => {
  it.each([
    ["the requester, on their own request", () => pat, "You made this request"],
    ["someone who is not an approver", () => sam, "Only an approver for MASH Team Manager can act on this request"],
  ])("%s gets a clear message and nothing changes", async (_name, who, message) => {
    const { id, thread } = await newRequest(`77777${Math.floor(Math.random() * 90 + 10)}`);
    const before = await stored(id);
    const updatesBefore = h.connector.count("update");
    for (const [verb, data] of [
      ["approve", {}],
      ["decline", { reason: "no" }],
      ["askInfo", { question: "why?" }],
      ["reassign", { to: bo.id }],
    ] as const) {
      const card = invokeCard(await thread(who()).execute(verb, { requestId: id, ...data }))!;
      expect(words(card)).toContain(message);
      expect(verbs(card)).not.toContain("approve");
    }
    // opening the card shows them why they have no buttons
    const opened = invokeCard(await thread(who()).execute("refreshView", { requestId: id }))!;
    expect(verbs(opened)).not.toContain("approve");
    await h.settle();
    expect(await stored(id)).toEqual(before);
    expect(h.connector.count("update")).toBe(updatesBefore);
  });

  it("an approver who made the request cannot decide it either", async () => {
    const { id, thread } = await newRequest("8888888", h.personal(alex));
    const card = invokeCard(await thread(alex).execute("approve", { requestId: id }))!;
    expect(words(card)).toContain("You made this request");
    expect((await stored(id)).status).toBe("pending");
    // and the card's user-specific views leave the requester out
    const post = mash.posts().at(-1)!;
    expect((cardOf(post.activity).refresh as { userIds: string[] }).userIds).toEqual([bo.id]);
    expect(words(invokeCard(await thread(bo).execute("approve", { requestId: id }))!)).toContain("Approved by Bo Manager");
  });

  it("a payload that fails validation gets a clear answer and changes nothing", async () => {
    const x = await mash.as(alex).execute("approve", { requestId: "not-an-id" });
    expect(words(invokeCard(x)!)).toContain("That card action was not valid");
    const y = await mash.as(alex).execute("approve", { requestId: "TR-000000" });
    expect(words(invokeCard(y)!)).toContain("There is no transfer request TR-000000");
  });
});

describe("history", () => {
  it('"history <id>" shows the timeline to the requester and in the channel, and not to others', async () => {
    const { id, thread, chat } = await newRequest("9999999");
    await thread(alex).execute("decline", { requestId: id, reason: "Needs a CIN assessment first" });
    await h.settle();
    await chat.say(`history ${id.toLowerCase()}`);
    const text = chat.texts().at(-1)!;
    expect(text).toContain(`${id}: Step up of case 9999999 to MASH (Mini Borough (test fixture)). Now: Declined by Alex Manager on`);
    expect(text).toMatch(/- \w+day \d+ \w+ 20\d\d, [\d:]+[ap]m: requested by Pat Practitioner/);
    expect(text).toContain("posted in Mini managers › MASH managers");
    expect(text).toContain('declined by Alex Manager: "Needs a CIN assessment first"');
    const stranger = h.personal(sam);
    await stranger.say(`history ${id}`);
    expect(stranger.texts().at(-1)).toContain("Only the requester, the approvers");
  });
});
