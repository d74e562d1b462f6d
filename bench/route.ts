/**
 * npm run bench:route — recommendations per second over a varied set of facts, for every council.
 * The facts come from simulated triages (a seeded PRNG answering the engine's own questions), so the
 * run exercises decided cases, partly answered ones and the question ranking alike.
 */
import { performance } from "node:perf_hooks";
import { recommend } from "../domain/engine";
import { CaseFacts, FACT_NAMES, TEAM_FACTS, type FactName } from "../domain/facts";
import { allPacks } from "../domain/packs";
import type { PolicyPack } from "../domain/pack";

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function valuesOf(fact: FactName, pack: PolicyPack): unknown[] {
  if (TEAM_FACTS.includes(fact)) return [...pack.teams.map((t) => t.id), "none"];
  type Def = { type?: string; innerType?: { def: Def }; entries?: Record<string, unknown> };
  let def = (CaseFacts.shape[fact] as unknown as { def: Def }).def;
  while (def.type === "optional" && def.innerType) def = def.innerType.def;
  if (def.type === "boolean") return [true, false];
  if (def.type === "enum") return Object.values(def.entries ?? {});
  if (def.type === "number") return fact === "ageYears" ? [0, 3, 10, 15, 16, 17, 18, 21] : [2, 11, 12, 13, 14, 30];
  return ["2026-09-01", "2026-11-02", "2026-11-20", "2023-05-01", "2026-12-03"];
}

/**
 * A simulated triage: start from a few random facts, then answer the engine's first question at
 * random until it decides. Returns every state on the way, so the set mixes decided cases with
 * partly answered ones, as real traffic does.
 */
function simulate(pack: PolicyPack, rand: () => number, now: Date): Record<string, unknown>[] {
  const facts: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 3); i > 0; i--) {
    const fact = FACT_NAMES[Math.floor(rand() * FACT_NAMES.length)] as FactName;
    const values = valuesOf(fact, pack);
    facts[fact] = values[Math.floor(rand() * values.length)];
  }
  const states = [{ ...facts }];
  for (let turn = 0; turn < 25; turn++) {
    const r = recommend(pack, facts, now);
    if (r.status === "decided") break;
    const q = r.questions[0]!;
    const values = q.options.length ? q.options.map((o) => o.value) : valuesOf(q.id, pack);
    facts[q.id] = values[Math.floor(rand() * values.length)];
    states.push({ ...facts });
  }
  return states;
}

const now = new Date("2026-11-23T10:00:00Z");
const rows: string[] = [];
let total = 0;
let totalMs = 0;
for (const pack of allPacks()) {
  const rand = prng(42);
  const cases: Record<string, unknown>[] = [];
  while (cases.length < 2000) cases.push(...simulate(pack, rand, now));
  for (const f of cases.slice(0, 200)) recommend(pack, f, now); // warm up
  let decided = 0;
  const start = performance.now();
  const rounds = 3;
  for (let r = 0; r < rounds; r++) for (const f of cases) if (recommend(pack, f, now).status === "decided") decided++;
  const ms = performance.now() - start;
  const n = cases.length * rounds;
  total += n;
  totalMs += ms;
  rows.push(`| ${pack.id} | ${pack.rules.length} | ${n} | ${Math.round((decided / n) * 100)}% | ${Math.round(n / (ms / 1000)).toLocaleString("en-GB")} | ${((ms / n) * 1000).toFixed(0)} µs |`);
}
console.log(`Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log("| council | rules | recommendations | decided | per second | mean |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
console.log(`| **all** |  | ${total} |  | **${Math.round(total / (totalMs / 1000)).toLocaleString("en-GB")}** | ${((totalMs / total) * 1000).toFixed(0)} µs |`);
