/**
 * Approvals under stress, end to end: exactly one decision from 20 simultaneous clicks; Teams
 * throttling (429 with Retry-After) and failing (503) for a while loses no post and posts nothing
 * twice; 403 marks the channel unreachable and tells an administrator; a request with no channel
 * waits and is posted when one is registered; a restart keeps the registrations; and no child's name
 * or date of birth is ever posted in a channel.
 */
import { loadPack } from "../../domain/check";
import type { TransferRequest } from "../../domain/requests";
import { cardProblems } from "../helpers/cards";
import mini from "../fixtures/mini-pack.json";
import { ApprovalsHarness, cardOf, invokeCard, sleeps, user, words, type Channel, type Team } from "./harness";
import { simulate, triageAndRequest } from "./triage";

const pack = loadPack(mini);
const stepUp = (ref: string) => simulate(pack, { currentTeam: "early-help", concern: "significant-harm" }, ref).answers;
const stepDown = (ref: string) => simulate(pack, { currentTeam: "cpcin", concern: "additional-needs", consent: "given" }, ref).answers;

const alex = user("Alex Manager");
const bo = user("Bo Manager");
const pat = user("Pat Practitioner");

async function setup(): Promise<{ h: ApprovalsHarness; team: Team; mash: Channel }> {
  const h = await ApprovalsHarness.start({ packs: { mini: pack } });
  const team = h.team("Mini managers", [alex, bo]);
  const mash = team.channel("MASH managers");
  await team.installed(alex);
  await mash.as(alex).say("register this channel as mini mash team manager");
  return { h, team, mash };
}

async function requestId(h: ApprovalsHarness, ref: string): Promise<string> {
  for await (const row of h.approvals.store.requests.query("")) if (row.value.request.caseReference === ref) return row.value.request.id;
  throw new Error(`no request for ${ref}`);
}

async function stored(h: ApprovalsHarness, id: string): Promise<TransferRequest> {
  return (await h.approvals.store.getRequest(id))!.request;
}

describe("exactly one decision", () => {
  let h: ApprovalsHarness;
  let mash: Channel;
  beforeAll(async () => ({ h, mash } = await setup()));
  afterAll(() => h.stop());

  it("20 simultaneous approve and decline clicks give one decision and 19 clear answers", async () => {
    const chat = h.personal(pat);
    await triageAndRequest(chat, pack, stepUp("1000001"));
    await h.settle();
    const id = await requestId(h, "1000001");
    const post = mash.posts().at(-1)!;
    const updatesBefore = h.connector.count("update");
    const clicks = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? mash.as(alex, post.conversationId).execute("approve", { requestId: id }) : mash.as(bo, post.conversationId).execute("decline", { requestId: id, reason: `Not this time (${i})` }),
    );
    const answers = (await Promise.all(clicks)).map((x) => words(invokeCard(x)!));
    await h.settle();
    const r = await stored(h, id);
    const decisions = r.events.filter((e) => e.type === "decided");
    expect(decisions).toHaveLength(1);
    const winner = decisions[0]!;
    const done = answers.filter((t) => /^(Approved|Declined)\. Pat Practitioner is being told\.$/m.test(t));
    const refused = answers.filter((t) => t.includes("This request has already been decided:"));
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(19);
    // every refusal names who decided, and the same decision
    const by = winner.by.name;
    for (const t of refused) expect(t).toContain(`${winner.type === "decided" && winner.outcome === "approved" ? "Approved" : "Declined"} by ${by} on`);
    // the card in the channel was updated for the one decision only, and says it
    expect(h.connector.count("update") - updatesBefore).toBe(1);
    expect(words(cardOf(mash.posts().at(-1)!.activity))).toContain(`by ${by} on`);
    // and the requester was told once
    expect(chat.texts().filter((t) => t.includes(`Transfer request ${id}`) && / was (approved|declined) by /.test(t))).toHaveLength(1);
  });

  it("a repeated 'Request this transfer' (Teams resending a slow turn) makes one request and one post", async () => {
    const chat = h.personal(pat);
    const answers = stepUp("1000002");
    await chat.execute("chooseCouncil", { councilId: "mini" });
    await chat.say("where should this case go?");
    for (const a of answers) await chat.execute("answer", { ...a });
    const before = mash.posts().length;
    const activity = { ...chat.base("invoke"), name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb: "requestTransfer" }, trigger: "manual" } };
    await Promise.all([h.post(activity), h.post(activity), h.post(activity)]);
    await h.settle();
    expect(mash.posts().length - before).toBe(1);
    let count = 0;
    for await (const row of h.approvals.store.requests.query("")) if (row.value.request.caseReference === "1000002") count++;
    expect(count).toBe(1);
  });

  it("posting the same request three times at once posts it once (the outbox)", async () => {
    // the first post fails for good, so that the request is left unposted …
    h.connector.fail({ op: "create", status: 503, times: 6 });
    await triageAndRequest(h.personal(pat), pack, stepUp("1000003"));
    await h.settle();
    const id = await requestId(h, "1000003");
    expect((await stored(h, id)).delivery.state).toBe("new");
    // … then three deliveries race (say, two bot instances' retry sweeps and a registration)
    const before = mash.posts().length;
    const results = await Promise.all([h.approvals.service.deliver(id), h.approvals.service.deliver(id), h.approvals.service.deliver(id)]);
    expect(results.filter((o) => o.kind === "posted" && o.fresh)).toHaveLength(1);
    expect(mash.posts().length - before).toBe(1);
    expect((await stored(h, id)).events.filter((e) => e.type === "posted")).toHaveLength(1);
  });
});

describe("Teams throttling and failing", () => {
  let h: ApprovalsHarness;
  let mash: Channel;
  beforeEach(async () => ({ h, mash } = await setup()));
  afterEach(() => h.stop());

  it("429 (Retry-After honoured) and 503 (backoff) for a while: the card is posted once, the update and the notice arrive once", async () => {
    sleeps.length = 0;
    h.connector.fail({ op: "create", status: 429, headers: { "Retry-After": "2" }, times: 2 });
    h.connector.fail({ op: "create", status: 503, times: 2 });
    const chat = h.personal(pat);
    await triageAndRequest(chat, pack, stepUp("2000001"));
    await h.settle();
    expect(h.connector.calls.filter((c) => c.op === "create").map((c) => c.status)).toEqual([429, 429, 503, 503, 201]);
    expect(mash.posts()).toHaveLength(1);
    // Retry-After: 2 seconds, twice; then exponential backoff with jitter for the 3rd and 4th
    // attempts (base 1 s: half to all of 4 s, then of 8 s)
    expect(sleeps.slice(0, 2)).toEqual([2000, 2000]);
    expect(sleeps[2]).toBeGreaterThanOrEqual(2000);
    expect(sleeps[2]).toBeLessThanOrEqual(4000);
    expect(sleeps[3]).toBeGreaterThanOrEqual(4000);
    expect(sleeps[3]).toBeLessThanOrEqual(8000);
    const id = await requestId(h, "2000001");

    // The decision: the card update is throttled and fails, then goes through; the requester's notice too.
    h.connector.fail({ op: "update", status: 503, times: 2 });
    h.connector.fail({ op: "update", status: 429, headers: { "Retry-After": "1" }, times: 1 });
    h.connector.fail({ op: "send", status: 502, times: 1 });
    h.connector.fail({ op: "send", status: 504, times: 1 });
    await mash.as(alex, mash.posts()[0]!.conversationId).execute("approve", { requestId: id });
    await h.settle();
    expect(h.connector.calls.filter((c) => c.op === "update").map((c) => c.status)).toEqual([503, 503, 429, 200]);
    expect(mash.posts()).toHaveLength(1);
    expect(mash.posts()[0]!.versions).toHaveLength(2);
    expect(words(cardOf(mash.posts()[0]!.activity))).toContain("Approved by Alex Manager");
    expect(chat.texts().filter((t) => t.includes(`${id} (case 2000001, step up to MASH) was approved`))).toHaveLength(1);
  });

  it("when Teams keeps failing, the request is kept, the practitioner told, and a later retry posts it once", async () => {
    h.connector.fail({ op: "create", status: 503, times: 6 });
    const chat = h.personal(pat);
    await triageAndRequest(chat, pack, stepUp("2000002"));
    await h.settle();
    expect(mash.posts()).toHaveLength(0);
    const id = await requestId(h, "2000002");
    expect(chat.texts().at(-1)).toContain(`Transfer request ${id} (case 2000002, step up to MASH) is saved, but Teams did not accept the post just now. I'll keep trying`);
    expect((await stored(h, id)).delivery.state).toBe("new");
    expect(await h.approvals.retryUndelivered()).toBe(1);
    expect(await h.approvals.retryUndelivered()).toBe(0);
    await h.settle();
    expect(mash.posts()).toHaveLength(1);
    expect(chat.texts().at(-1)).toContain(`Transfer request ${id} (case 2000002, step up to MASH) is now in Mini managers › MASH managers`);
  });

  it("403 marks the channel unreachable and tells an administrator, without retrying; re-adding the bot posts what waited", async () => {
    h.connector.fail({ op: "create", status: 403, conversationId: mash.id, times: 1 });
    const chat = h.personal(pat);
    await triageAndRequest(chat, pack, stepUp("2000003"));
    await h.settle();
    expect(h.connector.calls.filter((c) => c.op === "create" && c.conversationId === mash.id).map((c) => c.status)).toEqual([403]);
    const id = await requestId(h, "2000003");
    expect(chat.texts().at(-1)).toContain("Teams would not let me post it in the managers' channel (Teams answered 403 BotNotInConversationRoster). An administrator has been told");
    const reg = (await h.approvals.store.registration("mini", "mash", "team-manager"))!.value;
    expect(reg.unreachable?.why).toBe("Teams answered 403 BotNotInConversationRoster");
    // Alex registered the channel: Alex is told, in a 1:1 chat Stepwise opens
    const toAlex = h.connector.personalTo(alex.id).map((x) => String(x.activity.text));
    expect(toAlex).toHaveLength(1);
    expect(toAlex[0]).toContain("Stepwise can't post in Mini managers › MASH managers, the channel registered for MASH Team Manager, mini: Teams answered 403");
    // A second request for the same role waits without trying Teams again
    await triageAndRequest(h.personal(bo), pack, stepUp("2000004"));
    await h.settle();
    expect(h.connector.calls.filter((c) => c.op === "create" && c.conversationId === mash.id)).toHaveLength(1);
    expect(h.connector.personalTo(alex.id)).toHaveLength(1);
    // Stepwise is added back to the team: both requests are posted, and their requesters told
    await mash.team.installed(alex);
    await h.settle();
    expect(mash.posts()).toHaveLength(2);
    expect((await stored(h, id)).events.map((e) => e.type)).toEqual(["created", "unreachable", "posted"]);
    expect(chat.texts().at(-1)).toContain("is now in Mini managers › MASH managers");
  });

  it("404 (conversation gone) is treated the same way", async () => {
    h.connector.fail({ op: "create", status: 404, times: 1 });
    await triageAndRequest(h.personal(pat), pack, stepUp("2000005"));
    await h.settle();
    expect((await h.approvals.store.registration("mini", "mash", "team-manager"))!.value.unreachable?.why).toBe("Teams answered 404 ConversationNotFound");
    expect(h.connector.calls.filter((c) => c.op === "create" && c.conversationId === mash.id)).toHaveLength(1);
  });
});

describe("channels and restarts", () => {
  let h: ApprovalsHarness;
  let mash: Channel;
  beforeAll(async () => ({ h, mash } = await setup()));
  afterAll(() => h.stop());

  it("a request for a role with no channel waits, the requester is told, and it is posted when one is registered", async () => {
    const chat = h.personal(pat);
    await triageAndRequest(chat, pack, stepDown("3000001"));
    await h.settle();
    const id = await requestId(h, "3000001");
    expect(chat.texts().at(-1)).toContain(`Transfer request ${id} (case 3000001, step down to Early Help) is saved, but it is waiting: no channel is registered yet for Early Help Manager`);
    expect(chat.texts().at(-1)).toContain('"register this channel as mini early-help manager"');
    const team = h.team("Early help", [bo]);
    const eh = team.channel("EH managers");
    await team.installed(bo);
    await eh.as(bo).say("register this channel as mini EH manager");
    await h.settle();
    expect(eh.posts()).toHaveLength(1);
    expect(words(cardOf(eh.posts()[0]!.activity))).toContain(`Transfer request ${id}`);
    expect(chat.texts().at(-1)).toContain(`Transfer request ${id} (case 3000001, step down to Early Help) is now in Early help › EH managers`);
    expect((await stored(h, id)).events.map((e) => e.type)).toEqual(["created", "waiting", "posted"]);
  });

  it("registrations and approvers survive a restart", async () => {
    const carol = user("Carol Manager");
    await mash.as(alex).say("approvers add", [carol]);
    await h.restart();
    const chat = h.personal(pat);
    await triageAndRequest(chat, pack, stepUp("3000002"));
    await h.settle();
    const id = await requestId(h, "3000002");
    const post = mash.posts().at(-1)!;
    expect(words(cardOf(post.activity))).toContain(`Transfer request ${id}`);
    expect((cardOf(post.activity).refresh as { userIds: string[] }).userIds).toEqual([alex.id, bo.id, carol.id]);
    expect(words(invokeCard(await mash.as(carol, post.conversationId).execute("approve", { requestId: id }))!)).toContain("Approved by Carol Manager");
  });

  it("approvers can be listed, removed and read again from the channel's members", async () => {
    const carol = user("Carol Manager");
    await mash.as(alex).say("approvers add", [carol]);
    const list = mash.as(alex);
    await list.say("approvers");
    expect(list.texts().at(-1)).toContain("mini MASH Team Manager: Alex Manager, Bo Manager");
    const rm = mash.as(alex);
    await rm.say("approvers remove", [bo]);
    expect(rm.texts().at(-1)).toContain("mini MASH Team Manager: Alex Manager, Carol Manager");
    const sync = mash.as(alex);
    await sync.say("approvers sync");
    expect(sync.texts().at(-1)).toContain("mini MASH Team Manager: Alex Manager, Bo Manager");
    const channels = mash.as(alex);
    await channels.say("channels");
    expect(channels.texts().at(-1)).toContain("- mini MASH Team Manager → MASH managers (2 approvers)");
  });

  it("commands in one channel change only that channel's registrations; a registration posts only its role's waiting requests", async () => {
    // (The in-process Azurite next to restify ignores query filters, so this also checks that the
    // approvals never rely on them alone.)
    const own = await setup();
    try {
      await triageAndRequest(own.h.personal(pat), pack, stepDown("3000003")); // waits for Early Help Manager
      const cpcinTeam = own.h.team("CPCiN", [bo]);
      const cpcin = cpcinTeam.channel("CPCiN managers");
      await cpcinTeam.installed(bo);
      await cpcin.as(bo).say("register this channel as mini cpcin team manager");
      await own.h.settle();
      expect(cpcin.posts()).toHaveLength(0);
      const id = await requestId(own.h, "3000003");
      expect((await stored(own.h, id)).delivery.state).toBe("waiting");
      const dana = user("Dana Manager");
      await cpcin.as(bo).say("approvers add", [dana]);
      expect((await own.h.approvals.store.registration("mini", "cpcin", "team-manager"))!.value.approvers.map((p) => p.name)).toEqual(["Bo Manager", "Dana Manager"]);
      expect((await own.h.approvals.store.registration("mini", "mash", "team-manager"))!.value.approvers.map((p) => p.name)).toEqual(["Alex Manager", "Bo Manager"]);
    } finally {
      await own.h.stop();
    }
  });

  it("a registration command it cannot read says what it expected", async () => {
    const c = mash.as(alex);
    await c.say("register this channel as mini mash boss");
    expect(c.texts().at(-1)).toContain('I can\'t tell which role "boss" is. MASH has the roles: team-manager (MASH Team Manager), service-manager (MASH Service Manager)');
    await c.say("register this channel as narnia mash team manager");
    expect(c.texts().at(-1)).toContain('I don\'t know the council in "narnia mash team manager"');
    const personal = h.personal(alex);
    await personal.say("register this channel as mini mash team manager");
    expect(personal.texts().at(-1)).toContain("That works in a team channel");
  });
});

describe("no child's name or date of birth in any channel post", () => {
  let h: ApprovalsHarness;
  let mash: Channel;
  beforeAll(async () => ({ h, mash } = await setup()));
  afterAll(() => h.stop());

  it("is never posted, even when someone types one", async () => {
    const chat = h.personal(pat);
    await chat.execute("chooseCouncil", { councilId: "mini" });
    await chat.say("Jane Smith DOB 03/04/2015, called Jane, open to early help with significant harm");
    expect(chat.texts().at(-1)).toMatch(/name|date of birth/);
    await triageAndRequest(chat, pack, stepUp("4000001"));
    await h.settle();
    const id = await requestId(h, "4000001");
    const post = mash.posts().at(-1)!;
    const thread = (u: typeof alex) => mash.as(u, post.conversationId);
    // managers' words that carry a name or a date of birth are refused, not posted
    expect(words(invokeCard(await thread(alex).execute("askInfo", { requestId: id, question: "Is Mrs Smith aware?" }))!)).toContain("seems to contain a name");
    expect(words(invokeCard(await thread(alex).execute("decline", { requestId: id, reason: "DOB 03/04/2015 means she is too young" }))!)).toContain("seems to contain a date of birth");
    await thread(alex).execute("askInfo", { requestId: id, question: "Is the family aware of the step up?" });
    await h.settle();
    const info = chat.cards().at(-1)!;
    const data = (info.actions as { data: Record<string, unknown> }[])[0]!.data;
    expect(words(invokeCard(await chat.execute("giveInfo", { ...data, answer: "Yes, her name is Jane" }))!)).toContain("seems to contain a name");
    await chat.execute("giveInfo", { ...data, answer: "Yes, both parents were told on Monday" });
    await thread(bo).execute("approve", { requestId: id });
    await h.settle();
    // every payload Stepwise sent to a channel conversation
    const channelCalls = h.connector.calls.filter((c) => c.body !== undefined && (c.conversationId?.startsWith("19:") ?? false));
    expect(channelCalls.length).toBeGreaterThan(3);
    for (const c of channelCalls) {
      const text = JSON.stringify(c.body);
      expect(text).not.toMatch(/Jane|Smith|03\/04\/2015|2015-04-03/);
    }
    // every card in the channel validates
    for (const p of mash.posts()) for (const v of p.versions) expect(cardProblems(cardOf(v))).toEqual([]);
    for (const c of h.invokeCards) expect(cardProblems(c)).toEqual([]);
  });
});
