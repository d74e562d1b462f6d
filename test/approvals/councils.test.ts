/**
 * For each of the five councils, with its real policy pack: an administrator registers the channel
 * of the role that decides; a practitioner's triage in chat ends in a request that lands, as a valid
 * card, in that channel (and no other), @mentioning its approvers; an approver decides it on the
 * card; the requester is told. The registration command also understands every team and role of
 * every pack, by id and by name.
 */
import { availablePacks } from "../../bot/packs";
import { parseRoleSpec } from "../../bot/approvals/commands";
import { AUTHORITY_IDS } from "../../domain/packs";
import { cardProblems } from "../helpers/cards";
import { ApprovalsHarness, cardOf, invokeCard, user, verbs, words, type Channel } from "./harness";
import { requestableCase, triageAndRequest } from "./triage";

const { packs, problems } = availablePacks();

it("all five councils' packs load", () => {
  expect(problems).toEqual([]);
  expect(Object.keys(packs).sort()).toEqual([...AUTHORITY_IDS].sort());
});

describe.each(Object.values(packs).flatMap((p) => [...p.teams.flatMap((t) => t.roles.map((r) => [p.id, t.id, t.name, r.id, r.title] as const)), ...p.roles.map((r) => [p.id, null, null, r.id, r.title] as const)]))(
  "%s: %s %s",
  (packId, teamId, teamName, roleId, roleTitle) => {
    it.each([
      ["by ids", `${packId} ${teamId ?? ""} ${roleId}`],
      ["by names", `${packs[packId]!.name} ${teamName ?? ""} ${roleTitle}`],
      ["in the plural", `${packId} ${teamId ?? ""} ${roleId.replace(/-/g, " ")}${roleId.endsWith("s") ? "" : "s"}`],
    ])("registers %s", (_how, spec) => {
      const parsed = parseRoleSpec(spec.replace(/\s+/g, " "), packs);
      expect(parsed).toMatchObject({ ok: true, value: { teamId, role: roleId } });
    });
  },
);

describe("a request for each council lands in the right channel and is decided there", () => {
  let h: ApprovalsHarness;
  const admin = user("Ari Admin");
  const managerA = user("Morgan Manager");
  const managerB = user("Nic Manager");
  const practitioner = user("Pat Practitioner");
  let decoy: Channel;

  beforeAll(async () => {
    h = await ApprovalsHarness.start({ packs });
    const team = h.team("Decoy", [admin]);
    decoy = team.channel("Wrong channel");
    await team.installed(admin);
  });
  afterAll(() => h.stop());

  it.each(Object.keys(packs))("%s", async (id) => {
    const pack = packs[id]!;
    const ref = `CASE-${id.length}${id.charCodeAt(0)}`;
    const { answers, recommendation: rec } = requestableCase(pack, ref);
    const decider = rec.decider!;
    // Each role of this council's decider team gets its own channel: only the decider's may receive it.
    const team = h.team(`${pack.name} managers`, [admin, managerA, managerB]);
    await team.installed(admin);
    const channels = new Map<string, Channel>();
    const deciderTeam = pack.teams.find((t) => t.id === decider.teamId)!;
    for (const role of deciderTeam.roles) {
      const channel = team.channel(`${deciderTeam.name} ${role.title}`);
      channels.set(role.id, channel);
      await channel.as(admin).say(`register this channel as ${pack.id} ${deciderTeam.id} ${role.id}`);
    }
    await decoy.as(admin).say(`register this channel as ${pack.id} ${pack.teams.find((t) => t.id !== decider.teamId)!.id} ${pack.teams.find((t) => t.id !== decider.teamId)!.roles[0]!.id}`);

    const chat = h.personal(practitioner);
    await triageAndRequest(chat, pack, answers);
    await h.settle();
    const target = channels.get(decider.role)!;
    expect(target.posts()).toHaveLength(1);
    for (const [role, channel] of channels) if (role !== decider.role) expect(channel.posts()).toHaveLength(0);
    expect(decoy.posts()).toHaveLength(0);

    const post = target.posts()[0]!;
    const card = cardOf(post.activity);
    expect(cardProblems(card)).toEqual([]);
    expect(JSON.stringify(post.activity).length).toBeLessThan(28_000); // Teams' limit for a message with a card
    const text = words(card);
    expect(text).toContain(pack.name);
    expect(text).toContain(ref);
    expect(text).toContain(rec.destination!.name);
    expect(text).toContain(decider.title);
    expect(text).toContain(pack.checklist.advisory);
    for (const d of rec.deadlines) expect(text).toContain(d.wording);
    expect(text).toContain(`<at>${managerA.name}</at>`);
    const reqId = /TR-[0-9A-Z]{6}/.exec(text)![0];

    const view = invokeCard(await target.as(managerA, post.conversationId).execute("refreshView", { requestId: reqId }, "automatic"))!;
    expect(verbs(view)).toContain("approve");
    const decided = invokeCard(await target.as(managerB, post.conversationId).execute("approve", { requestId: reqId, comment: "Agreed at the transfer meeting" }))!;
    expect(words(decided)).toContain(`Approved by ${managerB.name}`);
    await h.settle();
    expect(words(cardOf(target.posts()[0]!.activity))).toContain("Comment: Agreed at the transfer meeting");
    expect(chat.texts().at(-1)).toContain(`Transfer request ${reqId} (case ${ref}`);
    expect(chat.texts().at(-1)).toContain(`was approved by ${managerB.name}`);

    // A second case: reassigned, bounced for information and answered, then declined.
    const ref2 = `${ref}-2`;
    const second = requestableCase(pack, ref2);
    await triageAndRequest(chat, pack, second.answers);
    await h.settle();
    expect(target.posts()).toHaveLength(2);
    const post2 = target.posts()[1]!;
    const id2 = /TR-[0-9A-Z]{6}/.exec(words(cardOf(post2.activity)))![0];
    const inThread = (u: typeof managerA) => target.as(u, post2.conversationId);
    expect(words(invokeCard(await inThread(managerA).execute("reassign", { requestId: id2, to: managerB.id }))!)).toContain(`Reassigned to ${managerB.name}.`);
    expect(words(invokeCard(await inThread(managerB).execute("askInfo", { requestId: id2, question: "Is the chronology up to date?" }))!)).toContain(`More information requested: waiting for ${practitioner.name}`);
    await h.settle();
    const info = chat.cards().at(-1)!;
    expect(cardProblems(info)).toEqual([]);
    const data = (info.actions as { data: Record<string, unknown> }[])[0]!.data;
    expect(words(invokeCard(await chat.execute("giveInfo", { ...data, answer: "Yes, updated last week" }))!)).toContain("You answered on");
    const declined = invokeCard(await inThread(managerB).execute("decline", { requestId: id2, reason: "Hold at the next transfer meeting" }))!;
    expect(words(declined)).toContain(`Declined by ${managerB.name}`);
    await h.settle();
    const final = cardOf(target.posts()[1]!.activity);
    expect(cardProblems(final)).toEqual([]);
    for (const said of [`${managerA.name} reassigned it to ${managerB.name}`, "Is the chronology up to date?", "Yes, updated last week", `Declined by ${managerB.name}`, "Reason: Hold at the next transfer meeting"]) expect(words(final)).toContain(said);
    expect(chat.texts().at(-1)).toContain(`Transfer request ${id2} (case ${ref2}`);
    expect(chat.texts().at(-1)).toContain(`was declined by ${managerB.name}`);
    // every version of every card posted for this council validated
    for (const p of target.posts()) for (const v of p.versions) expect(cardProblems(cardOf(v))).toEqual([]);
  });
});
