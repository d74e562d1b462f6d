/**
 * npm run -s route -- --authority <id> --facts <file or -> [--now <ISO date-time>] [--text]
 * npm run -s route -- --schema | --list
 *
 * Prints the recommendation as JSON on stdout (or as text with --text). Bad input exits 2 with the
 * field and what was expected on stderr, and prints nothing on stdout.
 */
import { readFileSync } from "node:fs";
import { recommend } from "../domain/engine";
import { factsJsonSchema, FactsError } from "../domain/facts";
import { formatRecommendation } from "../domain/format";
import { AUTHORITY_IDS, getPack } from "../domain/packs";

class UsageError extends Error {}

function parseArgs(argv: string[]): Map<string, string | true> {
  const args = new Map<string, string | true>();
  const flags = new Set(["--text", "--schema", "--list", "--help"]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (flags.has(a)) args.set(a, true);
    else if (["--authority", "--facts", "--now"].includes(a)) {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a}: expected a value`);
      args.set(a, v);
    } else throw new UsageError(`${a}: not a known option (expected --authority, --facts, --now, --text, --schema, --list)`);
  }
  return args;
}

function main(): number {
  let args: Map<string, string | true>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (args.has("--help")) {
    process.stdout.write("usage: route --authority <id> --facts <file|-> [--now ISO] [--text] | --schema | --list\n");
    return 0;
  }
  if (args.has("--schema")) {
    process.stdout.write(`${JSON.stringify(factsJsonSchema(), null, 2)}\n`);
    return 0;
  }
  if (args.has("--list")) {
    const packs = AUTHORITY_IDS.map((id) => getPack(id)!);
    if (args.has("--text")) {
      for (const p of packs) process.stdout.write(`${p.id}: ${p.name}\n${p.teams.map((t) => `  ${t.id}: ${t.name}`).join("\n")}\n`);
    } else {
      const list = packs.map((p) => ({ id: p.id, name: p.name, teams: p.teams.map((t) => ({ id: t.id, name: t.name, kind: t.kind, aliases: t.aliases, roles: t.roles })) }));
      process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    }
    return 0;
  }
  const authority = args.get("--authority");
  if (typeof authority !== "string") {
    process.stderr.write(`--authority: expected one of ${AUTHORITY_IDS.join(", ")}\n`);
    return 2;
  }
  const pack = getPack(authority);
  if (!pack) {
    process.stderr.write(`--authority: unknown authority "${authority}"; known authorities: ${AUTHORITY_IDS.join(", ")}\n`);
    return 2;
  }
  const factsArg = args.get("--facts");
  if (typeof factsArg !== "string") {
    process.stderr.write(`--facts: expected a JSON file of case facts, or - for standard input\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(factsArg === "-" ? 0 : factsArg, "utf8");
  } catch (e) {
    process.stderr.write(`--facts: cannot read ${factsArg}: ${(e as Error).message}\n`);
    return 2;
  }
  let facts: unknown;
  try {
    facts = JSON.parse(text);
  } catch (e) {
    process.stderr.write(`facts: expected JSON (${(e as Error).message})\n`);
    return 2;
  }
  let now = new Date();
  const nowArg = args.get("--now");
  if (nowArg !== undefined) {
    now = new Date(String(nowArg));
    if (typeof nowArg !== "string" || !/^\d{4}-\d{2}-\d{2}T/.test(nowArg) || Number.isNaN(now.getTime())) {
      process.stderr.write(`--now: expected an ISO date-time such as 2026-11-23T10:00:00Z, got ${JSON.stringify(nowArg)}\n`);
      return 2;
    }
  }
  try {
    const r = recommend(pack, facts, now);
    process.stdout.write(args.has("--text") ? `${formatRecommendation(r)}\n` : `${JSON.stringify(r, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof FactsError) {
      for (const i of e.issues) process.stderr.write(`${i.field}: ${i.expected}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main();
