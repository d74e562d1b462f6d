/**
 * The command line contract that other parts and outside checks rely on:
 * `npm run -s route -- --authority <id> --facts <file or -> [--now ISO] [--text] | --schema | --list`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AUTHORITY_IDS } from "../../domain/packs";

const root = join(__dirname, "../..");
const tsx = join(root, "node_modules/.bin/tsx");

function route(args: string[], stdin?: string) {
  const r = spawnSync(tsx, ["scripts/route.ts", ...args], { cwd: root, input: stdin, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NOW = "2026-11-23T10:00:00Z";

describe("route CLI", () => {
  it.each(AUTHORITY_IDS)("%s: {} as facts gives questions and no guess", (id) => {
    const r = route(["--authority", id, "--facts", "-", "--now", NOW], "{}");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe("needs-answers");
    expect(out.direction).toBeNull();
    expect(out.destination).toBeNull();
    expect(out.decider).toBeNull();
    expect(out.questions.length).toBeGreaterThan(0);
    for (const q of out.questions) expect(q).toEqual(expect.objectContaining({ id: expect.any(String), text: expect.any(String), options: expect.any(Array) }));
  });

  it.each(AUTHORITY_IDS)("%s: bad facts exit 2 naming the field, with nothing on stdout", (id) => {
    const r = route(["--authority", id, "--facts", "-"], JSON.stringify({ ageYears: "sixteen", legalStatus: "looked after" }));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/ageYears: expected number, got "sixteen"/);
    expect(r.stderr).toMatch(/legalStatus: expected one of "none", "s20"/);
  });

  it.each(AUTHORITY_IDS)("%s: a team of another council is refused with this council's teams listed", (id) => {
    const r = route(["--authority", id, "--facts", "-"], JSON.stringify({ currentTeam: "no-such-team" }));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^currentTeam: expected one of /);
  });

  it("reads facts from a file, and decides with deadlines, decider and citations (Enfield step up via MASH)", () => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-"));
    const file = join(dir, "facts.json");
    writeFileSync(file, JSON.stringify({ currentTeam: "early-help", concern: "significant-harm", ageYears: 9 }));
    const r = route(["--authority", "enfield", "--facts", file, "--now", NOW]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe("decided");
    expect(out.direction).toBe("step-up");
    expect(out.destination).toEqual(expect.objectContaining({ teamId: expect.any(String), name: expect.any(String) }));
    expect(out.decider.title).toMatch(/MASH/);
    expect(out.deadlines.length).toBeGreaterThan(0);
    for (const d of out.deadlines) expect(d).toEqual(expect.objectContaining({ at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), wording: expect.any(String) }));
    expect(out.citations.length).toBeGreaterThan(0);
    expect(out.questions).toEqual([]);
  });

  it("prints the same recommendation for a person with --text", () => {
    const r = route(["--authority", "enfield", "--facts", "-", "--now", NOW, "--text"], JSON.stringify({ currentTeam: "early-help", concern: "significant-harm", ageYears: 9 }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^London Borough of Enfield/);
    expect(r.stdout).toMatch(/Step up → /);
    expect(r.stdout).toMatch(/Who decides: .*MASH/);
    expect(r.stdout).toMatch(/Policy:\n  - 003_548f927fafe19a84.txt/);
  });

  it("exits 2 listing the known authorities for an unknown one, with nothing on stdout", () => {
    const r = route(["--authority", "atlantis", "--facts", "-"], "{}");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(AUTHORITY_IDS.join(", "));
  });

  it("exits 2 on facts that are not JSON, on a bad --now and on an unknown option", () => {
    for (const r of [
      route(["--authority", "suffolk", "--facts", "-"], "{ageYears: 3"),
      route(["--authority", "suffolk", "--facts", "-", "--now", "yesterday"], "{}"),
      route(["--authority", "suffolk", "--facts", "-", "--colour"], "{}"),
      route(["--authority", "suffolk", "--facts", "/no/such/file.json"]),
    ]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.length).toBeGreaterThan(5);
    }
  });

  it("--schema prints the case facts JSON Schema", () => {
    const r = route(["--schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["ageYears", "currentTeam", "concern", "legalStatus", "weeksInCare"]));
  });

  it("--list lists every authority and its teams", () => {
    const r = route(["--list"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; teams: { id: string; name: string }[] }[];
    expect(list.map((a) => a.id)).toEqual(AUTHORITY_IDS);
    for (const a of list) expect(a.teams.length).toBeGreaterThan(2);
  });
});
