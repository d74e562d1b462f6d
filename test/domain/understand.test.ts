/**
 * Reading practitioners' sentences. Each case lists EXACTLY the facts the sentence states: an extra
 * fact is a failure, because Stepwise must never say back something the practitioner did not say.
 */
import { getPack } from "../../domain/packs";
import { understand } from "../../domain/understand";

const herts = getPack("hertfordshire")!;
const enfield = getPack("enfield")!;
const suffolk = getPack("suffolk")!;
const leics = getPack("leicestershire")!;

describe("understand", () => {
  it.each([
    [herts, "16 year old, homeless, S20 for 14 weeks, open to TYSS", { ageYears: 16, homeless16or17: true, legalStatus: "s20", weeksInCare: 14, currentTeam: "tyss" }],
    [herts, "where should this case go?", {}],
    [herts, "15yo on a CP plan with Family Safeguarding, CP plan ending at next conference", { ageYears: 15, plan: "cp", cpPlanEnding: true, currentTeam: "family-safeguarding" }],
    [herts, "Open to IFST, now child protection concerns and we think a crime against the child has happened", { currentTeam: "ifst", concern: "significant-harm", crimeAgainstChildSuspected: true }],
    [herts, "Young person is 17, accommodated under section 20, been in care 13 weeks, no plan to return home, open to TYSS", { ageYears: 17, legalStatus: "s20", weeksInCare: 13, returnHomeLikely: false, currentTeam: "tyss" }],
    [herts, "want to transfer a CIN plan from Family Safeguarding to TYSS", { plan: "cin", currentTeam: "family-safeguarding", proposedTeam: "tyss" }],
    [enfield, "UASC aged 15, currently with A&I", { uasc: true, ageYears: 15, currentTeam: "a-and-i" }],
    [enfield, "LAC child on an interim care order, held by CPCiN, family have consented", { legalStatus: "interim-care-order", currentTeam: "cpcin", consent: "given" }],
    [enfield, "EH case, safeguarding concerns, parents refuse consent", { concern: "significant-harm", consent: "refused" }],
    [enfield, "3 year old, DA at home, open to CPCiN on a CIN plan", { ageYears: 3, domesticAbuseYoungChild: true, currentTeam: "cpcin", plan: "cin" }],
    [enfield, "14 year old at risk of CSE and family breakdown, allocated to AST", { ageYears: 14, exploitationRisk: true, familyBreakdown: "at-risk", currentTeam: "ast" }],
    [suffolk, "Child on a CiN plan with Social Care after a CP plan, additional needs only now", { plan: "cin", currentTeam: "social-care", concern: "additional-needs" }],
    [suffolk, "new referral from a school, significant harm, out of hours", { currentTeam: "none", concern: "significant-harm", outOfHours: true }],
    [leics, "Unborn baby, pre-birth assessment, FRCD have it, proceedings concluded on a sibling", { unborn: true, currentTeam: "frcd" }],
    [leics, "Child on a supervision order, previously open to Locality, went missing twice", { legalStatus: "supervision-order", previousTeam: "locality", missingEpisodes: true }],
    [leics, "Young person remanded, YOT involved, open to CiC", { legalStatus: "remand", youthJustice: true, currentTeam: "cic" }],
    [leics, "SGO granted, child is not in care proceedings, family in PLO? no", { legalStatus: "special-guardianship-order" }],
  ])("%#: reads only what is said", (pack, sentence, expected) => {
    expect(understand(sentence, pack).facts).toEqual(expected);
  });

  it("does not take a negated statement as a fact", () => {
    const u = understand("not homeless, not on a CP plan, no safeguarding concerns, 17 years old", herts);
    expect(u.facts).toEqual({ ageYears: 17 });
  });

  it("does not turn 'homeless' into homelessness at 16/17 when no age is given", () => {
    expect(understand("homeless young person open to TYSS", herts).facts).toEqual({ currentTeam: "tyss" });
  });

  it("does not take an unrelated number of weeks as weeks in care", () => {
    expect(understand("review in 6 weeks, open to TYSS", herts).facts).toEqual({ currentTeam: "tyss" });
  });

  it("says back what it understood in words", () => {
    expect(understand("16 year old, homeless, S20 for 14 weeks, open to TYSS", herts).said).toEqual([
      "16 years old",
      "accommodated under section 20",
      "14 weeks in care",
      "homeless at 16/17",
      "open to Targeted Youth Support Service",
    ]);
  });

  it("finds a case reference", () => {
    expect(understand("case ref LCS 1234567, 10 years old", herts)).toMatchObject({ caseReference: "1234567", facts: { ageYears: 10 } });
    expect(understand("LL no. AB123456", enfield).caseReference).toBe("AB123456");
    expect(understand("LCS-204518, open to TYSS", herts).caseReference).toBe("204518");
  });

  it("flags a name at the start of a message", () => {
    expect(understand("Named Jasmine, 12, open to TYSS", herts).sensitive).toEqual(["name"]);
    expect(understand("called Families First Triage yesterday", herts).sensitive).toEqual([]);
  });

  it("flags a date of birth or a name and never returns them as facts", () => {
    const u = understand("Child called Jamie Smith, DOB 12/03/2015, open to TYSS", herts);
    expect(u.sensitive.sort()).toEqual(["date-of-birth", "name"]);
    expect(JSON.stringify(u.facts)).not.toMatch(/Jamie|2015/);
    expect(u.said.join(" ")).not.toMatch(/Jamie|2015/);
  });
});
