/** Every card the bot can send, expanded from cards/*.json, parses and validates as an Adaptive Card. */
import { loadPack } from "../../domain/check";
import { recommend } from "../../domain/engine";
import { FACT_NAMES } from "../../domain/facts";
import { questionFor } from "../../domain/questions";
import { answeredCard, cardFor, errorCard } from "../../bot/render";
import { availablePacks } from "../../bot/packs";
import { cardProblems } from "../helpers/cards";
import { buttons, cardText } from "../helpers/bot";

const mini = loadPack(require("../fixtures/mini-pack.json"));
const { packs } = availablePacks();
const NOW = new Date("2026-12-24T10:00:00Z");

describe("question cards", () => {
  const all = [mini, ...Object.values(packs)].flatMap((pack) => FACT_NAMES.map((fact) => [pack.id, fact, questionFor(fact, pack)] as const));
  it.each(all)("%s %s", (_pack, _fact, q) => {
    const card = cardFor({ type: "question", question: { ...q, options: q.options.map((o) => ({ value: String(o.value), label: o.label })) }, number: 3, canGoBack: true });
    expect(cardProblems(card)).toEqual([]);
    const answers = buttons(card ?? {}).filter((b) => b.verb === "answer");
    if (q.kind === "number" || q.kind === "date") expect(answers).toEqual([{ title: "Send", verb: "answer", data: { questionId: q.id } }]);
    else expect(answers.map((b) => b.data)).toEqual(q.options.map((o) => ({ questionId: q.id, value: String(o.value) })));
  });

  it("the case reference question has a text input and a skip button", () => {
    const card = cardFor({ type: "question", question: { id: "caseReference", text: "What is the case reference?", kind: "text", options: [{ value: "skip", label: "Skip for now" }], help: "No names." }, number: 4, canGoBack: false });
    expect(cardProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('"type":"Input.Text","id":"value"');
    expect(buttons(card ?? {}).map((b) => b.title)).toEqual(["Send", "Skip for now"]);
  });
});

describe("other cards", () => {
  it("council choice, change menu, answered and error cards", () => {
    const cards = [
      cardFor({ type: "choose-council", councils: [{ id: "mini", name: "Mini" }], current: null }),
      cardFor({ type: "choose-council", councils: [{ id: "mini", name: "Mini" }], current: "mini" }),
      cardFor({ type: "choose-change", items: [{ id: "concern", question: "What is the level of concern now?", answer: "Universal" }] }),
      answeredCard("What is the level of concern now?", "Universal"),
      errorCard("That card action was not valid."),
    ];
    for (const card of cards) expect(cardProblems(card)).toEqual([]);
  });

  it("recommendation cards, full and with nothing but the answer", () => {
    const full = recommend(mini, { currentTeam: "early-help", concern: "significant-harm" }, NOW);
    const card = cardFor({ type: "recommendation", recommendation: { ...full, transferPoint: "at the strategy meeting", alternatives: [{ teamId: "cpcin", name: "CPCiN", when: "if the MASH says so" }], documents: ["the EH assessment"], warnings: ["Consent first."] }, caseReference: "123456" });
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card ?? {})).toMatch(/Step up to MASH[\s\S]*Responsibility passes\nat the strategy meeting[\s\S]*Case reference\n123456\nDeadlines\n\*\*Friday 25 December 2026, 10am\*\*: Final decisions[\s\S]*What must travel with the case\n- the EH assessment[\s\S]*Warnings\n- Consent first\.[\s\S]*Alternatives\n- \*\*CPCiN\*\*: if the MASH says so/);
    const bare = { ...full, direction: "refuse" as const, destination: null, decider: null, deadlines: [], actions: [], documents: [], warnings: [], alternatives: [], citations: [] };
    const bareCard = cardFor({ type: "recommendation", recommendation: bare, caseReference: null });
    expect(cardProblems(bareCard)).toEqual([]);
    expect(cardText(bareCard ?? {})).toMatch(/This case cannot be accepted[\s\S]*Case reference\nNot given/);
    expect(cardText(bareCard ?? {})).not.toMatch(/Deadlines|Warnings/);
  });
});
