/**
 * A full triage to a recommendation for each of the five councils, with their real packs, through the
 * bot's HTTP endpoint: a realistic first sentence, then every question the bot asks answered the way
 * a practitioner would (buttons, typed words, the card's date and number inputs), to the
 * recommendation card.
 */
import { availablePacks } from "../../bot/packs";
import { BotHarness, buttons, cardText, invokeCard, questionIn, recommendationIn, textsIn, type Exchange } from "../helpers/bot";

const NOW = new Date("2026-11-23T10:00:00Z"); // a Monday morning

const FIRST_SENTENCES: Record<string, string> = {
  hertfordshire: "16 year old, homeless, S20 for 14 weeks, open to TYSS",
  suffolk: "14 year old open to Social Care on a CP plan, CP plan ending at the review conference, parents have consented to step down to Early Help",
  leicestershire: "UASC, 15 years old, new referral, not open to any team",
  enfield: "Open to EH, 4 year old, DV at home, safeguarding concerns, consent given",
  "leicester-city": "11 years old on a CIN plan, additional needs only now, family consent to step down to Early Help",
};

const UK_DATE_TIME = /\*\*(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d, \d{1,2}(:\d\d)?(am|pm)\*\*: /;

const { packs, problems } = availablePacks();
let h: BotHarness;
beforeAll(async () => {
  h = await BotHarness.start({ packs, now: () => NOW });
});
afterAll(async () => {
  await h?.stop();
});

it("loads all five councils' packs", () => {
  expect(problems).toEqual([]);
  expect(Object.keys(packs).sort()).toEqual(["enfield", "hertfordshire", "leicester-city", "leicestershire", "suffolk"]);
});

it.each(Object.keys(FIRST_SENTENCES))("%s: from a first sentence to the recommendation card", async (council) => {
  const chat = h.personal();
  let x: Exchange = await chat.say("hello");
  expect(textsIn(x)[0]).toBe("First, which council's protocol should I use?");
  x = await chat.execute("chooseCouncil", { councilId: council });
  expect(textsIn(x)[0]).toBe(`I'll use ${packs[council]?.name}'s protocol.`);

  x = await chat.say(FIRST_SENTENCES[council] ?? "");
  expect(textsIn(x)[0]).toMatch(/^I understood: .+\./);

  const asked: string[] = [];
  for (let turn = 0; turn < 40 && !recommendationIn(x); turn++) {
    const q = questionIn(x);
    if (!q) throw new Error(`no question and no recommendation after ${asked.join(", ")}: ${JSON.stringify(x.replies)}`);
    asked.push(q.id);
    if (q.id === "caseReference") x = await chat.say(`LCS-${40000 + turn}`);
    else if (q.input === "Input.Date") x = await chat.execute("answer", { questionId: q.id, value: "2026-11-20" });
    else if (q.input === "Input.Number") x = await chat.execute("answer", { questionId: q.id, value: "10" });
    else if (q.answers.length === 2 && q.answers[1]?.title === "No") x = await chat.say("no");
    else x = await chat.execute("answer", q.answers[0]?.data);
    expect(x.status).toBe(200);
    expect(textsIn(x).filter((t) => /is not one of|doesn't fit|not the one open/.test(t))).toEqual([]);
    if (q.id !== "caseReference" && invokeCard(x)) expect(cardText(invokeCard(x) ?? {})).toMatch(/✓ /);
  }
  expect(asked[asked.length - 1]).toBe("caseReference");
  expect(new Set(asked).size).toBe(asked.length); // never asked twice

  const card = recommendationIn(x);
  const words = cardText(card ?? {});
  expect(words).toContain(packs[council]?.name);
  expect(words).toMatch(/Direction\n.+\nDestination\n.+\nWho decides\n.+/);
  expect(words).toMatch(/Case reference\nLCS-4\d{4}/);
  expect(words).toMatch(/What the protocol says\n.+: ".+" \(\d{3}_[0-9a-f]+\.txt\)/);
  if (/\nDeadlines\n/.test(words)) expect(words).toMatch(UK_DATE_TIME);
  expect(buttons(card ?? {}).map((b) => b.verb)).toEqual(["requestTransfer", "changeAnswer", "startAgain"]);
});
