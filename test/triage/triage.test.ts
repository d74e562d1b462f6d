/** The triage conversation as a pure state machine, on the stable mini pack. */
import { loadPack } from "../../domain/check";
import type { PolicyPack } from "../../domain/pack";
import { initialState, parseCommand, parseDate, parseState, step, type Reply, type StepResult, type TriageEnv, type TriageInput, type TriageState } from "../../domain/triage";

const raw = () => JSON.parse(JSON.stringify(require("../fixtures/mini-pack.json")));
const mini = loadPack(raw());
const other = loadPack({ ...raw(), id: "other", name: "Other Borough (test fixture)" });
const NOW = new Date("2026-12-24T10:00:00Z");
const env: TriageEnv = { packs: { mini, other }, now: NOW };

const say = (text: string): TriageInput => ({ type: "text", text });

/** Run inputs from a state; returns the last result. */
function run(state: TriageState, ...inputs: (TriageInput | string)[]): StepResult {
  let result: StepResult = { state, replies: [] };
  for (const i of inputs) result = step(result.state, typeof i === "string" ? say(i) : i, env);
  return result;
}

const question = (r: StepResult) => r.replies.find((x): x is Extract<Reply, { type: "question" }> => x.type === "question");
const error = (r: StepResult) => r.replies.find((x): x is Extract<Reply, { type: "error" }> => x.type === "error");
const texts = (r: StepResult) => r.replies.flatMap((x) => (x.type === "text" || x.type === "error" ? [x.text] : []));
const recommendation = (r: StepResult) => r.replies.find((x): x is Extract<Reply, { type: "recommendation" }> => x.type === "recommendation");

/** A case in progress: CPCiN, additional needs, now asked about consent. */
function atConsentQuestion(): StepResult {
  return run(initialState("mini"), "where should this case go?", "Child Protection and Child in Need Service", "4");
}

describe("choosing the council", () => {
  it("asks which council first, and remembers a council chosen by name", () => {
    const first = run(initialState(null), "where should this case go?");
    expect(first.state).toEqual(initialState(null));
    expect(first.replies.map((r) => r.type)).toEqual(["text", "choose-council"]);
    const chosen = run(first.state, "Mini Borough");
    expect(chosen.state.authorityId).toBe("mini");
    expect(chosen.state.stage).toBe("describe");
  });

  it("refuses a council it has no pack for, and changes nothing", () => {
    const r = run(initialState(null), { type: "chooseCouncil", councilId: "atlantis" });
    expect(error(r)?.code).toBe("unknown-council");
    expect(r.state).toEqual(initialState(null));
  });

  it("clears the answers when the council changes mid-case", () => {
    const r = run(atConsentQuestion().state, { type: "chooseCouncil", councilId: "other" });
    expect(r.state.authorityId).toBe("other");
    expect(r.state.history).toEqual([]);
    expect(texts(r).join(" ")).toMatch(/cleared the answers/);
  });
});

describe("a triage from a first sentence to a recommendation", () => {
  it("says back what it understood and asks only what is still needed", () => {
    const r = run(initialState("mini"), "Open to Early Help, there are safeguarding concerns now");
    expect(texts(r)[0]).toMatch(/^I understood: /);
    expect(texts(r)[0]).toMatch(/open to Early Help/);
    expect(texts(r)[0]).toMatch(/child protection/);
    expect(r.state.facts).toEqual({ currentTeam: "early-help", concern: "significant-harm" });
    // The engine has decided, so the only question left is the case reference.
    expect(question(r)?.question.id).toBe("caseReference");
    expect(question(r)?.question.text).toMatch(/case reference/);
  });

  it("asks one question at a time, accepts option numbers, labels and values, and ends with the recommendation", () => {
    let r = run(initialState("mini"), "where should this case go?");
    expect(question(r)?.question).toMatchObject({ id: "currentTeam", kind: "team" });
    expect(question(r)?.number).toBe(1);
    r = run(r.state, "CPCiN"); // a team alias
    expect(question(r)?.question.id).toBe("concern");
    expect(question(r)?.number).toBe(2);
    r = run(r.state, "Additional needs (early help)"); // the label
    expect(question(r)?.question.id).toBe("consent");
    r = run(r.state, { type: "answer", questionId: "consent", value: "given" }); // a card button
    expect(r.ack).toEqual({ title: "Has the family consented?", text: "Yes, consent given" });
    expect(question(r)?.question.id).toBe("caseReference");
    r = run(r.state, "LCS-204518");
    expect(r.state.stage).toBe("decided");
    expect(r.state.caseReference).toBe("LCS-204518");
    const rec = recommendation(r);
    expect(rec?.recommendation).toMatchObject({ status: "decided", direction: "step-down", destination: { teamId: "early-help" } });
    expect(rec?.caseReference).toBe("LCS-204518");
  });

  it("takes a sentence typed at a question as more about the case", () => {
    const asked = run(initialState("mini"), "where should this case go?");
    expect(question(asked)?.question.id).toBe("currentTeam");
    const r = run(asked.state, "it's open to Early Help and there are safeguarding concerns");
    expect(texts(r)[0]).toMatch(/^I understood: /);
    expect(r.state.facts).toEqual({ currentTeam: "early-help", concern: "significant-harm" });
    expect(question(r)?.question.id).toBe("caseReference");
    expect(question(run(r.state, "back"))?.question.id).toBe("currentTeam");
  });

  it("does not ask for the case reference when the first sentence gives it", () => {
    const r = run(initialState("mini"), "case ref 7731904, open to Early Help, safeguarding concerns");
    expect(r.state.caseReference).toBe("7731904");
    expect(r.state.stage).toBe("decided");
    expect(texts(r)[0]).toMatch(/Case reference 7731904/);
  });

  it("lets the case reference be skipped", () => {
    const r = run(initialState("mini"), "Open to Early Help, safeguarding concerns", "skip");
    expect(r.state.stage).toBe("decided");
    expect(r.state.caseReference).toBeNull();
    expect(recommendation(r)?.caseReference).toBeNull();
  });

  it("starts a new case when a new case is described after a recommendation", () => {
    const done = run(initialState("mini"), "Open to Early Help, safeguarding concerns", "skip");
    const next = run(done.state, "new case: open to CPCiN");
    expect(next.state.facts).toEqual({ currentTeam: "cpcin" });
    expect(texts(next)[0]).toMatch(/^Starting a new case/);
  });
});

describe("commands at every step", () => {
  it("back re-asks the previous question, then returns to the start, then has nothing to go back to", () => {
    const at = atConsentQuestion();
    let r = run(at.state, "back");
    expect(question(r)?.question.id).toBe("concern");
    expect(r.state.facts).toEqual({ currentTeam: "cpcin" });
    r = run(r.state, "back", "Back.");
    expect(r.state.stage).toBe("describe");
    expect(texts(r)[0]).toBe("Back to the start.");
    r = run(r.state, "/back");
    expect(error(r)?.code).toBe("nothing-to-do");
  });

  it("back from a recommendation re-asks the last question", () => {
    const done = run(atConsentQuestion().state, "given", "skip");
    const r = run(done.state, "back");
    expect(question(r)?.question.id).toBe("caseReference");
  });

  it("change an answer lists the answers, re-asks the one chosen and recomputes the recommendation", () => {
    const done = run(atConsentQuestion().state, "1", "9876543");
    expect(recommendation(done)?.recommendation.direction).toBe("step-down");
    const menu = run(done.state, "change an answer");
    const items = menu.replies.find((x) => x.type === "choose-change");
    expect(items).toEqual({
      type: "choose-change",
      items: [
        { id: "currentTeam", question: "Which team or service holds the case now?", answer: "Child Protection and Child in Need Service" },
        { id: "concern", question: "What is the level of concern now?", answer: "Additional needs (early help)" },
        { id: "consent", question: "Has the family consented?", answer: "Yes, consent given" },
        { id: "caseReference", question: "Case reference", answer: "9876543" },
      ],
    });
    const asked = run(menu.state, "3");
    expect(question(asked)?.question.id).toBe("consent");
    const changed = run(asked.state, "No, consent refused");
    expect(changed.state.stage).toBe("decided");
    expect(recommendation(changed)?.recommendation.direction).toBe("stay");
    expect(changed.state.caseReference).toBe("9876543");
  });

  it("change an answer from a card names the answer, and a stale one is refused", () => {
    const done = run(atConsentQuestion().state, "1", "skip");
    const r = run(done.state, { type: "changeAnswer", questionId: "concern" });
    expect(question(r)?.question.id).toBe("concern");
    expect(r.state.facts.concern).toBeUndefined();
    const stale = run(done.state, { type: "changeAnswer", questionId: "uasc" });
    expect(error(stale)?.code).toBe("stale");
    expect(stale.state).toBe(done.state);
  });

  it("back or cancel in the change menu keeps the answers", () => {
    const done = run(atConsentQuestion().state, "1", "skip");
    const menu = run(done.state, "change an answer");
    expect(menu.state.stage).toBe("choosing-change");
    for (const cmd of ["back", "cancel"]) {
      const r = run(menu.state, cmd);
      expect(r.state.stage).toBe("decided");
      expect(r.state.history).toEqual(done.state.history);
    }
  });

  it("start again and cancel clear the case but keep the council", () => {
    const at = atConsentQuestion();
    for (const cmd of ["start again", "cancel"]) {
      const r = run(at.state, cmd);
      expect(r.state).toEqual(initialState("mini"));
    }
  });

  it("help explains the commands and repeats the question, changing nothing", () => {
    const at = atConsentQuestion();
    const r = run(at.state, "help");
    expect(r.state).toBe(at.state);
    expect(texts(r)[0]).toMatch(/back.*change an answer.*start again.*cancel.*help/);
    expect(question(r)?.question.id).toBe("consent");
  });

  it("recognises commands however they are typed", () => {
    expect(["Back", " back. ", "/back", "go back"].map(parseCommand)).toEqual(["back", "back", "back", "back"]);
    expect(["Change an answer", "change answer", "Start again!", "Cancel", "HELP", "?", "council"].map(parseCommand)).toEqual(["change", "change", "restart", "cancel", "help", "help", "council"]);
    expect(parseCommand("the case went back to early help")).toBeNull();
  });
});

describe("bad input gets a clear reply and leaves the conversation where it was", () => {
  const cases: [string, TriageInput, string, RegExp][] = [
    ["an empty message", say("   "), "empty", /didn't get any words/],
    ["an unknown command", say("/frobnicate"), "unknown-command", /don't know the command "\/frobnicate"/],
    ["an answer that is not an option", say("banana"), "not-an-option", /"banana" is not one of the answers to "Has the family consented\?"/],
    ["an option number out of range", say("9"), "not-an-option", /Choose one of its 3 options \(the number is enough\)/],
    ["a card answer to another question", { type: "answer", questionId: "concern", value: "universal" }, "stale", /not the one open now/],
    ["a card answer that is not an option", { type: "answer", questionId: "consent", value: "maybe" }, "not-an-option", /not one of the answers/],
    ["an invalid card payload", { type: "invalid", problem: "data.questionId: expected a non-empty id" }, "invalid-action", /not valid \(data\.questionId/],
    ["a transfer request before a recommendation", { type: "requestTransfer" }, "stale", /no recommendation to request yet/],
  ];
  it.each(cases)("%s", (_name, input, code, message) => {
    const at = atConsentQuestion();
    const r = step(at.state, input, env);
    expect(r.state).toBe(at.state);
    expect(error(r)).toEqual({ type: "error", code, text: expect.stringMatching(message) });
    expect(question(r)?.question.id).toBe("consent"); // asked again
  });

  it("a number question wants one whole number in range", () => {
    const begun = run(initialState("mini"), "where should this case go?").state;
    const atAge: TriageState = { ...begun, history: [...begun.history, { kind: "change", id: "ageYears" }], pending: { id: "ageYears", text: "How old?", kind: "number", options: [] } };
    expect(error(run(atAge, "about 40"))?.text).toMatch(/25/);
    expect(error(run(atAge, "15 or 16"))?.text).toMatch(/whole number/);
    expect(run(atAge, "15 years old").state.facts).toEqual({ ageYears: 15 });
  });
});

describe("names and dates of birth", () => {
  it("refuses a first sentence with a name or date of birth and keeps nothing of it", () => {
    const start = initialState("mini");
    const r = run(start, "Child named Jasmine Patel, DOB 14/03/2011, open to Early Help with safeguarding concerns");
    expect(error(r)?.code).toBe("sensitive");
    expect(error(r)?.text).toMatch(/a name and a date of birth.*haven't kept/);
    expect(r.state).toBe(start);
    expect(JSON.stringify(r.state)).not.toMatch(/Jasmine|Patel|14\/03\/2011/);
  });

  it("refuses a date of birth given as the case reference", () => {
    const at = run(initialState("mini"), "Open to Early Help, safeguarding concerns");
    const r = run(at.state, "14/03/2011");
    expect(error(r)?.code).toBe("sensitive");
    expect(r.state).toBe(at.state);
  });

  it("refuses words that are not a case reference", () => {
    const at = run(initialState("mini"), "Open to Early Help, safeguarding concerns");
    const r = run(at.state, "Jasmine Patel");
    expect(error(r)?.text).toMatch(/doesn't look like a case reference/);
    expect(r.state).toBe(at.state);
  });
});

describe("state and answers", () => {
  it("stores as JSON and reads back the same; anything else is not a state", () => {
    const at = atConsentQuestion().state;
    expect(parseState(JSON.parse(JSON.stringify(at)))).toEqual(at);
    expect(parseState({ v: 2 })).toBeNull();
    expect(parseState(undefined)).toBeNull();
    expect(parseState({ ...at, facts: { name: "x" } })).toBeNull();
  });

  it("is deterministic: the same inputs give the same state", () => {
    expect(atConsentQuestion()).toEqual(atConsentQuestion());
  });

  it("reads dates in UK forms", () => {
    expect(parseDate("29/12/2026", NOW)).toBe("2026-12-29");
    expect(parseDate("2026-12-29", NOW)).toBe("2026-12-29");
    expect(parseDate("29 December 2026", NOW)).toBe("2026-12-29");
    expect(parseDate("Tuesday 29th Dec 2026", NOW)).toBe("2026-12-29");
    expect(parseDate("today", NOW)).toBe("2026-12-24");
    expect(parseDate("tomorrow", NOW)).toBe("2026-12-25");
    expect(parseDate("31/02/2026", NOW)).toBeNull();
    expect(parseDate("soon", NOW)).toBeNull();
  });

  it("hands a transfer request over once there is a recommendation", () => {
    const done = run(atConsentQuestion().state, "1", "1234567");
    const r = run(done.state, { type: "requestTransfer" });
    expect(r.state).toBe(done.state);
    expect(r.replies).toEqual([
      expect.objectContaining({ type: "transfer-request", authorityId: "mini", caseReference: "1234567", facts: { currentTeam: "cpcin", concern: "additional-needs", consent: "given" } }),
    ]);
  });

  it("uses only the packs it is given", () => {
    const onlyOther: TriageEnv = { packs: { other } as Record<string, PolicyPack>, now: NOW };
    const r = step(atConsentQuestion().state, say("help"), onlyOther);
    expect(r.replies.map((x) => x.type)).toEqual(["text", "choose-council"]);
  });
});
