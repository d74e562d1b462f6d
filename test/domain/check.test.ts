/** The pack checker behind `npm run policy:check`: what it refuses, and why. */
import { checkPack, loadPack, PackError } from "../../domain/check";

const fixture = () => JSON.parse(JSON.stringify(require("../fixtures/mini-pack.json")));

describe("policy pack checks", () => {
  it("accepts a pack whose overlapping rules are related as exceptions", () => {
    expect(checkPack(loadPack(fixture()))).toEqual([]);
  });

  it("reports two rules that claim the same facts with different answers, with an example", () => {
    const p = fixture();
    p.rules[2].overrides = [];
    const issues = checkPack(loadPack(p));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("rules(step-down-to-eh, no-consent-stays)");
    expect(issues[0]!.problem).toContain('"consent":"refused"');
  });

  it("refuses a rule without a citation", () => {
    const p = fixture();
    p.rules[1].cite = [];
    expect(() => loadPack(p)).toThrow(/rules\.1\.cite: every rule must cite/);
  });

  it("refuses a rule that names a team the pack does not have", () => {
    const p = fixture();
    p.rules[0].then.to = "nowhere";
    p.rules[0].when.all[0] = { fact: "currentTeam", is: "atlantis" };
    expect.assertions(2);
    try {
      loadPack(p);
    } catch (e) {
      expect(e).toBeInstanceOf(PackError);
      expect((e as PackError).issues.map((i) => i.problem)).toEqual([
        'names team "atlantis", which is not one of the pack\'s teams',
        'names team "nowhere", which is not one of the pack\'s teams',
      ]);
    }
  });

  it("refuses a decider role the team does not have, and a missing ladder", () => {
    const p = fixture();
    p.rules[0].then.decider = { team: "mash", role: "director" };
    p.rules[0].then.ladder = "sideways";
    expect(() => loadPack(p)).toThrow(/team "mash" has no role "director"[\s\S]*no ladder "sideways"/);
  });

  it("refuses a fact value that the fact cannot take", () => {
    const p = fixture();
    p.rules[0].when.all[1] = { fact: "concern", in: ["very-worried"] };
    expect(() => loadPack(p)).toThrow(/"very-worried" is not a possible value of concern/);
  });

  it("refuses citations of another council's protocol", () => {
    const p = fixture();
    p.rules[0].cite[0].file = "000_9507af15a214ca67.txt";
    expect(() => loadPack(p)).toThrow(/cites 000_9507af15a214ca67.txt, but the pack's protocol is 003_548f927fafe19a84.txt/);
  });

  it("reports a rule that can never apply", () => {
    const p = fixture();
    p.rules[1].when = { all: [{ fact: "ageYears", gte: 18 }, { fact: "ageYears", lt: 16 }] };
    expect(checkPack(loadPack(p))).toContainEqual({ path: "rules(step-down-to-eh).when", problem: "can never be true" });
  });

  it("finds conflicts that depend on a time window (the one month rule)", () => {
    const p = fixture();
    p.rules.push({
      id: "recently-closed",
      title: "A case closed to CPCiN in the last month goes back to CPCiN",
      when: { all: [{ fact: "previousTeam", is: "cpcin" }, { fact: "previousClosedOn", within: { amount: 1, unit: "months" } }] },
      then: { direction: "transfer", to: "cpcin", decider: { team: "cpcin", role: "team-manager" }, explanation: "Back to the team that knows the family." },
      cite: [{ file: "003_548f927fafe19a84.txt", section: "2. Key principles", quote: "Any changes to the team or social worker involvement should be minimal." }],
    });
    const issues = checkPack(loadPack(p));
    expect(issues.map((i) => i.path)).toContain("rules(step-up-via-mash, recently-closed)");
  });
});
