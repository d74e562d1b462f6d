/** Case facts: the published JSON Schema is generated from the zod schema and kept in step. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FACT_NAMES, factsJsonSchema, FactsError, parseFacts } from "../../domain/facts";

describe("case facts", () => {
  it("publishes docs/case-facts.schema.json exactly as generated from the zod schema (run `npm run schema` after changing facts)", () => {
    const published = JSON.parse(readFileSync(join(__dirname, "../../docs/case-facts.schema.json"), "utf8"));
    expect(published).toEqual(factsJsonSchema());
  });

  it("describes every fact in the JSON Schema, with no fact required", () => {
    const schema = factsJsonSchema() as { properties: Record<string, { description?: string }>; required?: string[]; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(FACT_NAMES);
    for (const name of FACT_NAMES) expect(schema.properties[name]?.description?.length).toBeGreaterThan(10);
    expect(schema.required ?? []).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
  });

  it("never has a field for a child's name or date of birth", () => {
    expect(FACT_NAMES.filter((n) => /name|birth|dob/i.test(n))).toEqual([]);
  });

  it.each([
    [{ ageYears: 16.5 }, "ageYears", /integer/],
    [{ ageYears: 26 }, "ageYears", /25/],
    [{ icpcOn: "2026-02-30" }, "icpcOn", /real calendar date/],
    [{ icpcOn: "next Tuesday" }, "icpcOn", /YYYY-MM-DD/],
    [{ legalStatus: "S20" }, "legalStatus", /expected one of "none", "s20"/],
    [{ uasc: "yes" }, "uasc", /expected boolean, got "yes"/],
    [{ currentTeam: "Early Help" }, "currentTeam", /team id/],
  ])("rejects %j naming %s and what was expected", (facts, field, expected) => {
    expect.assertions(2);
    try {
      parseFacts(facts);
    } catch (e) {
      const issue = (e as FactsError).issues[0]!;
      expect(issue.field).toBe(field);
      expect(issue.expected).toMatch(expected);
    }
  });

  it("rejects something that is not an object of facts", () => {
    expect(() => parseFacts([1, 2])).toThrow(/expected a JSON object of case facts/);
    expect(() => parseFacts(null)).toThrow(/expected a JSON object of case facts/);
  });

  it("accepts dates and date-times", () => {
    expect(parseFacts({ icpcOn: "2026-12-01", decisionOn: "2026-12-01T09:30:00Z" })).toEqual({ icpcOn: "2026-12-01", decisionOn: "2026-12-01T09:30:00Z" });
  });
});
