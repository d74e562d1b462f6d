/**
 * The engine's own rules, on a small fixture pack: labelled exceptions, asking instead of guessing,
 * deadlines as instants, and bad facts named by field.
 */
import { loadPack } from "../../domain/check";
import { recommend } from "../../domain/engine";
import { FactsError } from "../../domain/facts";

const pack = loadPack(require("../fixtures/mini-pack.json"));
const now = new Date("2026-12-24T15:00:00Z"); // Thursday, Christmas Eve

describe("recommend", () => {
  it("asks questions and makes no guess when nothing is known", () => {
    const r = recommend(pack, {}, now);
    expect(r.status).toBe("needs-answers");
    expect(r.direction).toBeNull();
    expect(r.destination).toBeNull();
    expect(r.questions.map((q) => q.id)).toEqual(["currentTeam", "concern", "consent"]);
  });

  it("offers the pack's teams, and 'not open', as answers to the team question", () => {
    const q = recommend(pack, {}, now).questions[0]!;
    expect(q.kind).toBe("team");
    expect(q.options.map((o) => o.value)).toEqual(["early-help", "mash", "cpcin", "none"]);
  });

  it("asks only what can still change the answer", () => {
    const r = recommend(pack, { currentTeam: "early-help" }, now);
    expect(r.questions.map((q) => q.id)).toEqual(["concern"]);
  });

  it("decides a step up through MASH with a 24-hour urgent clock that ignores Christmas", () => {
    const r = recommend(pack, { currentTeam: "early-help", concern: "significant-harm" }, now);
    expect(r).toMatchObject({ status: "decided", direction: "step-up", destination: { teamId: "mash" }, decider: { teamId: "mash", role: "team-manager", title: "MASH Team Manager" } });
    expect(r.deadlines).toEqual([expect.objectContaining({ id: "final-decision", at: "2026-12-25T15:00:00.000Z", urgent: true })]);
    expect(r.escalation?.levels.map((l) => [l.level, l.role.title, l.within])).toEqual([
      [1, "MASH Team Manager", "24 hours"],
      [2, "MASH Service Manager", "24 hours"],
      [3, "Head of Service (HoS 3), Social Care", null],
    ]);
    expect(r.citations.map((c) => c.section)).toEqual(expect.arrayContaining(["19.1 Step Up", "19.3 Escalation", "2.3 Principle 2"]));
    expect(r.warnings).toContain("No case transfer should be delayed to the detriment of the child and their family.");
  });

  it("will not step down while the exception that overrides it (consent) is still unknown", () => {
    const r = recommend(pack, { currentTeam: "cpcin", concern: "additional-needs" }, now);
    expect(r.status).toBe("needs-answers");
    expect(r.questions.map((q) => q.id)).toEqual(["consent"]);
  });

  it("lets the exception win when it applies: without consent the case stays", () => {
    const r = recommend(pack, { currentTeam: "cpcin", concern: "additional-needs", consent: "refused" }, now);
    expect(r).toMatchObject({ direction: "stay", destination: { teamId: "cpcin" }, ruleId: "no-consent-stays" });
  });

  it("applies the default when the exception does not hold", () => {
    const r = recommend(pack, { currentTeam: "cpcin", concern: "additional-needs", consent: "given" }, now);
    expect(r).toMatchObject({ direction: "step-down", destination: { teamId: "early-help" }, decider: { role: "manager" } });
    expect(r.deadlines[0]?.at).toBe("2026-12-27T15:00:00.000Z");
  });

  it("falls back to the pack's default when no rule applies", () => {
    const r = recommend(pack, { currentTeam: "mash", concern: "universal" }, now);
    expect(r).toMatchObject({ status: "decided", direction: "stay", destination: { teamId: "mash" }, ruleId: null });
    expect(r.citations[0]?.section).toBe("2. Key principles");
  });

  it("is deterministic: the same facts and clock give the same answer", () => {
    const facts = { currentTeam: "early-help", concern: "immediate-danger" };
    expect(recommend(pack, facts, now)).toEqual(recommend(pack, facts, now));
  });

  it("names each bad field and what was expected", () => {
    expect.assertions(2);
    try {
      recommend(pack, { ageYears: 40, concern: "worried", currentTeam: "nowhere" }, now);
    } catch (e) {
      expect(e).toBeInstanceOf(FactsError);
      expect((e as FactsError).issues.map((i) => i.field)).toEqual(["ageYears", "concern"]);
    }
  });

  it("refuses a team the council does not have, listing the teams it has", () => {
    expect(() => recommend(pack, { currentTeam: "tyss" }, now)).toThrow(/currentTeam: expected one of "early-help", "mash", "cpcin", "none"/);
  });

  it("refuses facts it does not know and an invalid clock", () => {
    expect(() => recommend(pack, { childName: "x" }, now)).toThrow(/childName: not a known case fact/);
    expect(() => recommend(pack, {}, new Date("nonsense"))).toThrow(/now: expected a valid date-time/);
  });

  describe("assumptions", () => {
    const withDispute = () => {
      const p = JSON.parse(JSON.stringify(require("../fixtures/mini-pack.json")));
      p.rules.push({
        id: "dispute",
        title: "When the managers disagree the step up goes to the MASH service manager",
        when: { all: [{ fact: "currentTeam", teamKind: ["early-help"] }, { fact: "managersDisagree", is: true }] },
        overrides: ["step-up-via-mash"],
        then: { direction: "step-up", to: "mash", decider: { team: "mash", role: "service-manager" }, explanation: "The MASH service manager reviews a disputed decision." },
        cite: [{ file: "003_548f927fafe19a84.txt", section: "19.3 Escalation", quote: "Step Up - the decision maker is the MASH Service Manager" }],
      });
      return loadPack(p);
    };

    it("does not ask whether the managers disagree, assumes they agree, and says so", () => {
      const r = recommend(withDispute(), { currentTeam: "early-help", concern: "significant-harm" }, now);
      expect(r).toMatchObject({ status: "decided", decider: { role: "team-manager" } });
      expect(r.assumptions).toEqual([expect.objectContaining({ fact: "managersDisagree", value: false, text: expect.stringMatching(/disagree.*Assumed: No\./) })]);
    });

    it("lets the practitioner's answer replace the assumption", () => {
      const r = recommend(withDispute(), { currentTeam: "early-help", concern: "significant-harm", managersDisagree: true }, now);
      expect(r).toMatchObject({ ruleId: "dispute", decider: { role: "service-manager" }, assumptions: [] });
    });

    it("lists no assumption that the chosen rule did not rely on", () => {
      expect(recommend(pack, { currentTeam: "cpcin", concern: "additional-needs", consent: "given" }, now).assumptions).toEqual([]);
    });
  });

  it("counts a deadline anchored on the decision from now when the decision date is not given", () => {
    const p = JSON.parse(JSON.stringify(require("../fixtures/mini-pack.json")));
    p.rules[1].then.deadlines[0].from = "decisionOn";
    const r = recommend(loadPack(p), { currentTeam: "cpcin", concern: "additional-needs", consent: "given" }, now);
    expect(r.deadlines[0]?.at).toBe("2026-12-27T15:00:00.000Z");
    const given = recommend(loadPack(p), { currentTeam: "cpcin", concern: "additional-needs", consent: "given", decisionOn: "2026-12-21T10:00:00Z" }, now);
    expect(given.deadlines[0]?.at).toBe("2026-12-24T10:00:00.000Z");
  });
});
