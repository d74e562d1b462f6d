/**
 * The bot through its real HTTP endpoint with Teams activities, state in an in-process Azurite and a
 * loopback connector capturing the replies, on the stable mini pack. (The five councils' packs have
 * their own end-to-end test, councils.test.ts.)
 */
import { createServer as createNetServer } from "node:net";
import { loadPack } from "../../domain/check";
import { createServer } from "../../bot/server";
import type { TransferRequest } from "../../bot/bot";
import { BotHarness, buttons, cardText, cardsIn, invokeCard, questionIn, recommendationIn, textsIn, type Chat } from "../helpers/bot";
import { expectValidCard } from "../helpers/cards";

const raw = () => JSON.parse(JSON.stringify(require("../fixtures/mini-pack.json")));
const mini = loadPack(raw());
const other = loadPack({ ...raw(), id: "other", name: "Other Borough (test fixture)" });
const NOW = new Date("2026-12-24T10:00:00Z");

let h: BotHarness;
const requests: TransferRequest[] = [];
beforeAll(async () => {
  h = await BotHarness.start({
    packs: { mini, other },
    council: "mini",
    now: () => NOW,
    requestTransfer: async (request) => {
      requests.push(request);
      return `Transfer request for ${request.caseReference ?? "(no reference)"} sent to the decider.`;
    },
  });
});
afterAll(async () => {
  await h?.stop();
});

/** A personal chat that has reached the consent question (CPCiN, additional needs). */
async function atConsent(): Promise<Chat> {
  const chat = h.personal();
  await chat.say("where should this case go?");
  await chat.say("CPCiN");
  const x = await chat.say("additional needs");
  expect(questionIn(x)?.id).toBe("consent");
  return chat;
}

describe("a triage in a personal chat", () => {
  it("welcomes the practitioner when the bot is installed", async () => {
    const x = await h.personal().installed();
    expect(x.status).toBe(200);
    expect(textsIn(x)[0]).toMatch(/^Hello, I'm Stepwise.*Mini Borough.*never need a child's name or date of birth/);
    expect(textsIn(x)[1]).toMatch(/^Describe the case in a sentence/);
  });

  it("answers a first sentence with what it understood and the first question still needed, as a card with buttons", async () => {
    const chat = h.personal();
    const x = await chat.say("Case is open to CPCiN, additional needs only now");
    expect(x.status).toBe(200);
    expect(textsIn(x)[0]).toMatch(/^I understood: /);
    const q = questionIn(x);
    expect(q?.id).toBe("consent");
    expect(q?.answers.map((b) => b.title)).toEqual(["Yes, consent given", "No, consent refused", "Not sought: asking would put the child at risk"]);
    expect(x.replies.every((r) => r.type === "message")).toBe(true);
  });

  it("takes answers from card buttons and typed text through to the recommendation card", async () => {
    const chat = h.personal();
    let x = await chat.say("where should this case go?");
    let q = questionIn(x);
    expect(q?.id).toBe("currentTeam");

    // A button: the invoke answers with the clicked card, now showing the answer; the next question follows.
    x = await chat.execute("answer", q?.answers.find((b) => b.title === "Child Protection and Child in Need Service")?.data);
    expect(x.status).toBe(200);
    expect(cardText(invokeCard(x) ?? {})).toMatch(/Which team or service holds the case now\?\n✓ Child Protection and Child in Need Service/);
    q = questionIn(x);
    expect(q?.id).toBe("concern");

    x = await chat.say("4"); // typed: the option number
    expect(questionIn(x)?.id).toBe("consent");
    x = await chat.say("yes, consent given");
    q = questionIn(x);
    expect(q?.id).toBe("caseReference");
    expect(q?.input).toBe("Input.Text");

    // The reference through the card's text input: Input.Text "value" merges into the action data.
    x = await chat.execute("answer", { questionId: "caseReference", value: "lcs-448120" });
    const card = recommendationIn(x);
    expect(card).toBeDefined();
    const words = cardText(card ?? {});
    expect(words).toMatch(/Step down to Early Help/);
    expect(words).toMatch(/Who decides\nEarly Help Manager/);
    expect(words).toMatch(/Case reference\nLCS-448120/);
    expect(words).toMatch(/\*\*Sunday 27 December 2026, 10am\*\*: EH will confirm a decision within 72 hours/);
    expect(words).toMatch(/19\.2 Step Down: "EH will confirm a decision/);
    expect(buttons(card ?? {}).map((b) => `${b.title}:${b.verb}`)).toEqual(["Request this transfer:requestTransfer", "Change an answer:changeAnswer", "Start again:startAgain"]);
  });

  it("hands 'Request this transfer' to the hook, with the case and who asked, and leaves the card in place", async () => {
    const chat = await atConsent();
    await chat.say("1");
    await chat.say("5550123");
    const x = await chat.execute("requestTransfer");
    expect(x.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.activity.message" });
    expect(textsIn(x)).toEqual(["Transfer request for 5550123 sent to the decider."]);
    const request = requests[requests.length - 1];
    expect(request).toMatchObject({ authorityId: "mini", caseReference: "5550123", requestedBy: { id: chat.user.id }, recommendation: { direction: "step-down" } });
    expect(request?.conversation.conversation?.id).toBe(chat.conversation.id);
  });

  it("says that transfer requests are coming when no hook is installed", async () => {
    const plain = await BotHarness.start({ packs: { mini }, council: "mini", now: () => NOW, approvals: false });
    try {
      const chat = plain.personal();
      await chat.say("Open to Early Help, safeguarding concerns");
      await chat.say("skip");
      const x = await chat.execute("requestTransfer");
      expect(textsIn(x)[0]).toMatch(/^Sending transfer requests through Stepwise is coming soon\. For now, take it to MASH Team Manager/);
    } finally {
      await plain.stop();
    }
  });
});

describe("restarting the bot mid-conversation loses nothing", () => {
  it("carries on at the same question after a new server starts over the same storage", async () => {
    const chat = await atConsent();
    const before = await chat.stored();
    await h.restart();
    expect(await chat.stored()).toEqual(before);
    const again = await chat.say("help");
    expect(questionIn(again)?.id).toBe("consent");
    expect(questionIn(again)?.card.body?.[0]).toMatchObject({ text: "Question 3" });
    const x = await chat.say("2");
    expect(cardText(recommendationIn(await chat.say("skip")) ?? {})).toMatch(/Stays with/);
    expect(x.status).toBe(200);
  });
});

describe("bad input gets a clear reply and leaves the conversation where it was", () => {
  const typed: [string, string, RegExp][] = [
    ["an unknown command", "/frobnicate", /I don't know the command "\/frobnicate"/],
    ["an empty message", "", /didn't get any words/],
    ["an answer that is not an option", "perhaps", /"perhaps" is not one of the answers to "Has the family consented\?"/],
  ];
  it.each(typed)("%s", async (_name, text, message) => {
    const chat = await atConsent();
    const before = await chat.stored();
    const x = await chat.say(text);
    expect(textsIn(x)[0]).toMatch(message);
    expect(questionIn(x)?.id).toBe("consent");
    expect(await chat.stored()).toEqual(before);
  });

  const invalid: [string, unknown, RegExp][] = [
    ["an unknown verb", { action: { type: "Action.Execute", verb: "explode" } }, /verb "answer", "chooseCouncil"/],
    ["an answer without data", { action: { type: "Action.Execute", verb: "answer" } }, /data/],
    ["a question id that is not text", { action: { type: "Action.Execute", verb: "answer", data: { questionId: 42, value: "given" } } }, /data\.questionId/],
    ["an answer too long", { action: { type: "Action.Execute", verb: "answer", data: { questionId: "consent", value: "x".repeat(500) } } }, /at most 200 characters/],
    ["no action at all", {}, /action/],
    ["an Action.Submit", { action: { type: "Action.Submit", verb: "answer" } }, /Action\.Execute/],
    ["a stale answer to another question", { action: { type: "Action.Execute", verb: "answer", data: { questionId: "concern", value: "universal" } } }, /not the one open now/],
    ["an answer that is not an option", { action: { type: "Action.Execute", verb: "answer", data: { questionId: "consent", value: "perhaps" } } }, /not one of the answers/],
  ];
  it.each(invalid)("a card payload with %s gets an error card", async (_name, value, message) => {
    const chat = await atConsent();
    const before = await chat.stored();
    const x = await chat.invokeRaw(value);
    expect(x.status).toBe(200);
    const card = invokeCard(x);
    expectValidCard(card);
    expect(cardText(card ?? {})).toMatch(/^Nothing has changed\n/);
    expect(cardText(card ?? {})).toMatch(message);
    expect(questionIn(x)?.id).toBe("consent"); // the question is posted again to carry on
    expect(await chat.stored()).toEqual(before);
  });
});

describe("commands at every step", () => {
  it("back (typed and from the card) re-asks the previous question", async () => {
    const chat = await atConsent();
    let x = await chat.execute("back");
    expect(questionIn(x)?.id).toBe("concern");
    x = await chat.say("back");
    expect(questionIn(x)?.id).toBe("currentTeam");
  });

  it("change an answer from the recommendation card, then pick the answer on the menu card", async () => {
    const chat = await atConsent();
    await chat.say("given");
    await chat.say("skip");
    let x = await chat.execute("changeAnswer");
    const menu = cardsIn(x)[0];
    expect(cardText(menu ?? {})).toMatch(/Which answer do you want to change\?\n1\. Which team or service holds the case now\?\nChild Protection and Child in Need Service/);
    const change = buttons(menu ?? {}).filter((b) => b.verb === "changeAnswer");
    expect(change.map((b) => b.data.questionId)).toEqual(["currentTeam", "concern", "consent"]);
    x = await chat.execute("changeAnswer", { questionId: "consent" });
    expect(cardText(invokeCard(x) ?? {})).toMatch(/Change an answer\n✓ Has the family consented\?/);
    expect(questionIn(x)?.id).toBe("consent");
    x = await chat.say("refused");
    expect(cardText(recommendationIn(x) ?? {})).toMatch(/Stays with/);
  });

  it("start again and cancel clear the case", async () => {
    let chat = await atConsent();
    let x = await chat.execute("startAgain");
    expect(textsIn(x)).toEqual(["Starting again: I've cleared the answers.", expect.stringMatching(/^Describe the case/)]);
    expect(await chat.stored()).toMatchObject({ stage: "describe", history: [], facts: {} });
    chat = await atConsent();
    x = await chat.say("cancel");
    expect(textsIn(x)[0]).toMatch(/^Cancelled/);
    expect(await chat.stored()).toMatchObject({ stage: "describe", history: [] });
  });

  it("help lists the commands and repeats the question", async () => {
    const chat = await atConsent();
    const x = await chat.say("help");
    expect(textsIn(x)[0]).toMatch(/"back", "change an answer", "start again", "cancel", "council" or "help"/);
    expect(questionIn(x)?.id).toBe("consent");
  });
});

describe("names and dates of birth", () => {
  it("refuses them, and they are neither stored nor logged", async () => {
    const chat = h.personal();
    const x = await chat.say("Girl named Jasmine Okonkwo, DOB 14/03/2011, open to CPCiN, additional needs");
    expect(textsIn(x)[0]).toMatch(/seems to contain a name and a date of birth.*haven't kept any of it/);
    expect(await chat.stored()).toMatchObject({ history: [] });
    const stored = await h.storedText();
    expect(stored).not.toMatch(/Jasmine|Okonkwo|14\/03\/2011/);
    expect(h.logLines.join("\n")).not.toMatch(/Jasmine|Okonkwo|14\/03\/2011/);
  });
});

describe("channels, group chats and the council", () => {
  it("answers in a channel only when @mentioned, with the mention removed", async () => {
    const chat = h.channel("19:team-a@thread.tacv2", "19:general-a@thread.tacv2", "29:user-ch-1");
    expect((await chat.say("where should this case go?", { mention: false })).replies).toEqual([]);
    const x = await chat.say("where should this case go?");
    expect(textsIn(x)[0]).toBe("Let's work it out: I'll ask a few questions, one at a time.");
    expect(questionIn(x)?.id).toBe("currentTeam");
  });

  it("asks for the council once per team or user and remembers it, across restarts", async () => {
    const ask = await BotHarness.start({ packs: { mini, other }, now: () => NOW });
    try {
      const alice = ask.channel("19:team-b@thread.tacv2", "19:general-b@thread.tacv2", "29:alice");
      let x = await alice.say("where should this case go?");
      expect(textsIn(x)[0]).toBe("First, which council's protocol should I use?");
      const councilCard = cardsIn(x)[0];
      expect(buttons(councilCard ?? {}).map((b) => `${b.title}:${String(b.data.councilId)}`)).toEqual(["Mini Borough (test fixture):mini", "Other Borough (test fixture):other"]);
      x = await alice.execute("chooseCouncil", { councilId: "other" });
      expect(cardText(invokeCard(x) ?? {})).toMatch(/Council\n✓ Other Borough/);
      expect(textsIn(x)[0]).toBe("I'll use Other Borough (test fixture)'s protocol.");

      await ask.restart();
      // A colleague in another channel of the same team: the team's council, not asked again.
      const bob = ask.channel("19:team-b@thread.tacv2", "19:managers-b@thread.tacv2", "29:bob");
      x = await bob.say("where should this case go?");
      expect(questionIn(x)?.id).toBe("currentTeam");
      expect(await bob.stored()).toMatchObject({ authorityId: "other" });

      // A group chat and a personal chat are their own scopes.
      expect(textsIn(await ask.groupChat("29:bob").say("where should this case go?"))[0]).toBe("First, which council's protocol should I use?");
      const personal = ask.personal("29:carol");
      await personal.say("mini");
      await personal.say("start again");
      x = await personal.say("where should this case go?");
      expect(questionIn(x)?.id).toBe("currentTeam");
      expect(await personal.stored()).toMatchObject({ authorityId: "mini" });
    } finally {
      await ask.stop();
    }
  });
});

describe("concurrency", () => {
  it("two answers sent at once are both kept (ETag conflict → recomputed, not overwritten)", async () => {
    // Slow reads make both turns load the same state before either saves.
    const slow = await BotHarness.start({
      packs: { mini },
      council: "mini",
      now: () => NOW,
      wrapStorage: (storage) => ({
        read: async (keys) => {
          const items = await storage.read(keys);
          await new Promise((resolve) => setTimeout(resolve, 150));
          return items;
        },
        write: (changes) => storage.write(changes),
        delete: (keys) => storage.delete(keys),
      }),
    });
    try {
      const chat = slow.personal();
      await chat.say("where should this case go?");
      const [first, second] = await Promise.all([chat.say("3"), chat.say("4")]);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(slow.logLines.some((l) => l.includes("recomputing"))).toBe(true);
      const state = (await chat.stored()) as { history: unknown[]; facts: Record<string, unknown> };
      expect(state.history).toHaveLength(3);
      expect(Object.keys(state.facts).sort()).toEqual(["concern", "currentTeam"]);
    } finally {
      await slow.stop();
    }
  });
});

describe("GET /health", () => {
  it("is 200 when storage answers", async () => {
    expect(await h.health()).toBe(200);
  });

  it("is 503 when storage does not answer", async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const dead = h.azurite.connectionString.replace(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+/, `TableEndpoint=http://127.0.0.1:${port}`);
    const server = createServer({ storageConnectionString: dead, port: 0, playground: false, logLevel: "error" }, { packs: { mini } });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "unavailable", storage: "not reachable" });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
