/**
 * The local demo (docs/demo.md): one person plays the practitioner in personal chat and, through the
 * manager persona, the manager in the Playground's team channel. The persona is another identity, so
 * the self-approval rule still holds; without the demo the same person is refused.
 */
import { loadPack } from "../../domain/check";
import mini from "../fixtures/mini-pack.json";
import { ApprovalsHarness, cardOf, invokeCard, user, verbs, words } from "./harness";
import { simulate, triageAndRequest } from "./triage";

const pack = loadPack(mini);
const answers = (ref: string) => simulate(pack, { currentTeam: "early-help", concern: "significant-harm" }, ref).answers;
const me = user("Pat Practitioner");

describe("the demo", () => {
  let h: ApprovalsHarness;
  beforeAll(async () => {
    h = await ApprovalsHarness.start({ packs: { mini: pack }, approvals: { demo: {} } });
  });
  afterAll(() => h.stop());

  it("walks the whole path with one user: request in chat, card in the team channel, decision as the manager persona, requester told", async () => {
    // The Playground opens its team: Stepwise sees the team and its channels.
    const team = h.team("Stepwise demo", [me]);
    const managers = team.channel("Managers");
    await team.installed(me);
    await managers.as(me).event("conversationUpdate", { channelData: { eventType: "channelCreated" } });

    const chat = h.personal(me);
    await triageAndRequest(chat, pack, answers("1234567"));
    await h.settle();
    expect(managers.posts()).toHaveLength(1);
    const post = managers.posts()[0]!;
    const id = /TR-[0-9A-Z]{6}/.exec(words(cardOf(post.activity)))![0];
    expect(chat.texts().at(-1)).toContain(`is in Stepwise demo › Managers`);
    // The card @mentions the person behind the persona
    expect(words(cardOf(post.activity))).toContain("<at>Pat Practitioner (demo manager)</at>");
    expect((cardOf(post.activity).msteams as { entities: { mentioned: { id: string } }[] }).entities[0]?.mentioned.id).toBe(me.id);

    // In the channel the same person acts as the manager persona: buttons, then a decision.
    const view = invokeCard(await managers.as(me, post.conversationId).execute("refreshView", { requestId: id }))!;
    expect(verbs(view)).toContain("approve");
    const done = invokeCard(await managers.as(me, post.conversationId).execute("approve", { requestId: id }))!;
    expect(words(done)).toContain("Approved by Pat Practitioner (demo manager)");
    await h.settle();
    expect(words(cardOf(managers.posts()[0]!.activity))).toContain("Approved by Pat Practitioner (demo manager)");
    expect(chat.texts().at(-1)).toContain("was approved by Pat Practitioner (demo manager)");
    // The audit trail says which identity did what
    const r = (await h.approvals.store.getRequest(id))!.request;
    expect(r.requester.id).toBe(me.id);
    expect(r.decision?.by).toEqual({ id: `demo-manager:${me.id}`, name: "Pat Practitioner (demo manager)" });
  });

  it("the practitioner identity itself still cannot decide its own request", async () => {
    const chat = h.personal(me);
    await triageAndRequest(chat, pack, answers("7654321"));
    await h.settle();
    const r = (await h.approvals.store.requestsWhere("status eq 'pending'", (row) => row.status === "pending"))[0]!;
    // an approve sent from the personal chat (not a channel) is the practitioner, not the persona
    const refused = invokeCard(await chat.execute("approve", { requestId: r.id }))!;
    expect(words(refused)).toContain("You made this request");
    expect((await h.approvals.store.getRequest(r.id))!.request.status).toBe("pending");
  });
});

describe("the demo with the Playground's team not yet opened", () => {
  it("asks the Playground for its team, registers its Managers channel and posts there", async () => {
    const h = await ApprovalsHarness.start({ packs: { mini: pack }, approvals: { demo: {} } });
    try {
      const priya = user("Priya Shah");
      h.connector.playgroundConfig = {
        config: {
          tenantId: "tenant-1",
          currentUser: me,
          users: [priya],
          teams: [{ id: "19:childrens-services@thread.tacv2", name: "Children's Services", channels: [{ id: "19:childrens-services@thread.tacv2", name: "General" }, { id: "19:childrens-services-managers@thread.tacv2", name: "Managers" }] }],
        },
      };
      const chat = h.personal(me);
      await triageAndRequest(chat, pack, answers("1234567"));
      await h.settle();
      const posts = h.connector.posts("19:childrens-services-managers@thread.tacv2");
      expect(posts).toHaveLength(1);
      expect(chat.texts().at(-1)).toContain("is in Children's Services › Managers");
      const reg = (await h.approvals.store.registration("mini", "mash", "team-manager"))!.value;
      expect(reg).toMatchObject({ demo: true, approversSource: "demo" });
      expect(reg.approvers.map((p) => p.name)).toEqual(["Pat Practitioner (demo manager)", "Priya Shah (demo manager)"]);
      // Reassigning to another persona works too
      const id = /TR-[0-9A-Z]{6}/.exec(words(cardOf(posts[0]!.activity)))![0];
      const thread = { id: posts[0]!.conversationId, conversationType: "channel", isGroup: true };
      const channelData = { team: { id: "19:childrens-services@thread.tacv2" }, channel: { id: "19:childrens-services-managers@thread.tacv2" } };
      const act = (verb: string, data: Record<string, unknown>) =>
        h.post({ ...h.personal(me).base("invoke"), conversation: { ...thread, tenantId: "tenant-1" }, channelData: { tenant: { id: "tenant-1" }, ...channelData }, name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" } });
      expect(words(invokeCard(await act("reassign", { requestId: id, to: `demo-manager:${priya.id}` }))!)).toContain("Reassigned to Priya Shah (demo manager).");
    } finally {
      await h.stop();
    }
  });
});

describe("without the demo", () => {
  it("the same person in the channel is the requester, and is refused", async () => {
    const h = await ApprovalsHarness.start({ packs: { mini: pack } });
    try {
      const team = h.team("Stepwise demo", [me]);
      const managers = team.channel("Managers");
      await team.installed(me);
      await managers.as(me).say("register this channel as mini mash team manager");
      await triageAndRequest(h.personal(me), pack, answers("1234567"));
      await h.settle();
      const post = managers.posts()[0]!;
      // the only member is the requester: nobody may act, so there is no user-specific view
      expect(cardOf(post.activity).refresh).toBeUndefined();
      const id = /TR-[0-9A-Z]{6}/.exec(words(cardOf(post.activity)))![0];
      const refused = invokeCard(await managers.as(me, post.conversationId).execute("approve", { requestId: id }))!;
      expect(words(refused)).toContain("You made this request");
    } finally {
      await h.stop();
    }
  });
});
