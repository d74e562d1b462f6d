/**
 * Loading and checking policy packs: the schema, every reference (teams, roles, ladders, overridden
 * rules), citations, and that no two rules can apply to the same facts with different answers unless
 * one is declared an exception to the other.
 */
import { calendarDuration, evaluate, leaves, teamKindLookup, type EvalContext } from "./conditions";
import { describeIssues, CaseFacts as CaseFactsSchema, TEAM_FACTS, type CaseFacts, type FactName } from "./facts";
import { PolicyPack, type Citation, type Condition, type Outcome, type RoleRef, type Rule } from "./pack";
import { defaultCalendar, type WorkingCalendar } from "./calendar";

export interface PackIssue {
  path: string;
  problem: string;
}

export class PackError extends Error {
  constructor(
    readonly packId: string,
    readonly issues: PackIssue[],
  ) {
    super(`policy pack "${packId}" is not valid:\n${issues.map((i) => `  ${i.path}: ${i.problem}`).join("\n")}`);
    this.name = "PackError";
  }
}

/** Parse a pack and check its references; throws PackError listing every problem. */
export function loadPack(input: unknown): PolicyPack {
  const id = (input as { id?: unknown })?.id;
  const parsed = PolicyPack.safeParse(input);
  if (!parsed.success) {
    throw new PackError(String(id ?? "(no id)"), describeIssues(parsed.error).map((i) => ({ path: i.field, problem: i.expected })));
  }
  const issues = referenceIssues(parsed.data);
  if (issues.length) throw new PackError(parsed.data.id, issues);
  return parsed.data;
}

/** Every citation of the pack: its rules, fallback, ladders, warnings, checklist and early warning form. */
export function citationsOf(pack: PolicyPack): Citation[] {
  return [
    ...pack.rules.flatMap((r) => r.cite),
    ...pack.fallback.cite,
    ...pack.ladders.flatMap((l) => l.cite),
    ...pack.warnings.flatMap((w) => w.cite),
    ...pack.checklist.cite,
    ...pack.earlyWarningForm.cite,
  ];
}

export function referenceIssues(pack: PolicyPack): PackIssue[] {
  const issues: PackIssue[] = [];
  const teams = new Map(pack.teams.map((t) => [t.id, t] as const));
  const ruleIds = new Set<string>();
  const ladders = new Set(pack.ladders.map((l) => l.id));
  const dup = (kind: string, ids: string[]) =>
    ids.forEach((id, i) => ids.indexOf(id) !== i && issues.push({ path: `${kind}[${i}]`, problem: `duplicate id "${id}"` }));
  dup("teams", pack.teams.map((t) => t.id));
  dup("rules", pack.rules.map((r) => r.id));
  dup("ladders", pack.ladders.map((l) => l.id));
  dup("roles", pack.roles.map((r) => r.id));

  const teamRef = (path: string, ref: string | undefined) => {
    if (ref && !ref.startsWith("$") && !teams.has(ref)) issues.push({ path, problem: `names team "${ref}", which is not one of the pack's teams` });
  };
  const roleRef = (path: string, r: RoleRef, contextTeamIsKnown: boolean) => {
    teamRef(`${path}.team`, r.team);
    if (r.team && !r.team.startsWith("$")) {
      const t = teams.get(r.team);
      if (t && !t.roles.some((x) => x.id === r.role)) issues.push({ path: `${path}.role`, problem: `team "${r.team}" has no role "${r.role}"` });
    } else if (!r.team && !pack.roles.some((x) => x.id === r.role) && !contextTeamIsKnown) {
      issues.push({ path: `${path}.role`, problem: `"${r.role}" is not an authority-wide role of the pack (add a team, or add it to roles)` });
    } else if (!r.team && !pack.roles.some((x) => x.id === r.role) && !pack.teams.some((t) => t.roles.some((x) => x.id === r.role))) {
      issues.push({ path: `${path}.role`, problem: `no team or authority role is called "${r.role}"` });
    }
  };
  const outcome = (path: string, o: Outcome) => {
    teamRef(`${path}.to`, o.to);
    o.alternatives.forEach((a, i) => teamRef(`${path}.alternatives[${i}].to`, a.to));
    roleRef(`${path}.decider`, o.decider, false);
    o.deadlines.forEach((d, i) => d.who && roleRef(`${path}.deadlines[${i}].who`, d.who, false));
    if (o.ladder && !ladders.has(o.ladder)) issues.push({ path: `${path}.ladder`, problem: `no ladder "${o.ladder}"` });
    if (o.direction !== "refuse" && o.to === undefined) issues.push({ path: `${path}.to`, problem: `a "${o.direction}" needs a destination team` });
  };
  const condition = (path: string, c: Condition) => {
    if ("all" in c) c.all.forEach((s, i) => condition(`${path}.all[${i}]`, s));
    else if ("any" in c) c.any.forEach((s, i) => condition(`${path}.any[${i}]`, s));
    else if ("not" in c) condition(`${path}.not`, c.not);
    else {
      const schema = CaseFactsSchema.shape[c.fact];
      const values = "is" in c ? [c.is] : "in" in c ? c.in : [];
      for (const v of values) {
        if (TEAM_FACTS.includes(c.fact)) {
          if (v !== "none" && !teams.has(String(v))) issues.push({ path, problem: `names team "${String(v)}", which is not one of the pack's teams` });
        } else if (!schema.safeParse(v).success) issues.push({ path, problem: `${JSON.stringify(v)} is not a possible value of ${c.fact}` });
      }
    }
  };
  pack.rules.forEach((r, i) => {
    ruleIds.add(r.id);
    condition(`rules[${i}](${r.id}).when`, r.when);
    outcome(`rules[${i}](${r.id}).then`, r.then);
  });
  pack.rules.forEach((r, i) =>
    r.overrides.forEach((o) => !ruleIds.has(o) && issues.push({ path: `rules[${i}](${r.id}).overrides`, problem: `no rule "${o}"` })),
  );
  outcome("fallback.then", pack.fallback.then);
  pack.ladders.forEach((l, i) =>
    l.levels.forEach((lv, j) => {
      roleRef(`ladders[${i}](${l.id}).levels[${j}].role`, lv.role, true);
      if (lv.level !== j + 1) issues.push({ path: `ladders[${i}](${l.id}).levels[${j}].level`, problem: `expected level ${j + 1}` });
    }),
  );
  pack.warnings.forEach((w, i) => w.when && condition(`warnings[${i}](${w.id}).when`, w.when));
  const citedFiles = citationsOf(pack).map((c) => c.file);
  for (const f of new Set(citedFiles)) if (f !== pack.source.file) issues.push({ path: "cite", problem: `cites ${f}, but the pack's protocol is ${pack.source.file}` });
  return issues;
}

/** A fixed instant for conflict search: dates are generated relative to it. */
const CHECK_NOW = new Date("2027-03-10T12:00:00Z");

function candidateValues(fact: FactName, pack: PolicyPack, conditions: Condition[], calendar: WorkingCalendar): unknown[] {
  if (TEAM_FACTS.includes(fact)) return [...pack.teams.map((t) => t.id), "none"];
  type Def = { type?: string; innerType?: { def: Def }; entries?: Record<string, unknown> };
  let def = (CaseFactsSchema.shape[fact] as unknown as { def: Def }).def;
  while (def.type === "optional" && def.innerType) def = def.innerType.def;
  const type = def.type;
  if (type === "boolean") return [true, false];
  if (type === "enum") return Object.values(def.entries ?? {});
  const mine = conditions.flatMap((c) => leaves(c)).filter((l) => l.fact === fact);
  if (type === "number") {
    const out = new Set<number>([0]);
    for (const l of mine) for (const k of ["gte", "gt", "lte", "lt", "is"] as const) {
      const v = (l as Record<string, unknown>)[k];
      if (typeof v === "number") [v - 1, v, v + 1].filter((x) => x >= 0).forEach((x) => out.add(x));
    }
    return [...out];
  }
  // Dates: just inside and just outside every window the conditions speak of, and long ago.
  const out = new Set<string>([calendar.londonDate(CHECK_NOW), "2000-01-01"]);
  for (const l of mine) if ("within" in l) {
    const edge = calendar.subtract(CHECK_NOW, calendarDuration(l.within));
    out.add(calendar.londonDate(edge));
    out.add(calendar.londonDate(new Date(edge.getTime() - 86_400_000 * 2)));
    out.add(calendar.londonDate(new Date(edge.getTime() + 86_400_000 * 2)));
  }
  return [...out];
}

/**
 * Search for facts under which `cond` is true: backtracking over each fact's candidate values with
 * three-valued pruning. Kleene logic is monotonic (a condition true under some facts stays true when
 * more facts are given), so assigning every fact loses no solution and no "leave it unanswered"
 * branch is needed. Facts that most conditions test are tried first, so conflicts between rules
 * about different teams are pruned at the first step.
 */
export function satisfying(pack: PolicyPack, cond: Condition, calendar: WorkingCalendar = defaultCalendar, budget = 200_000): CaseFacts | null | "gave-up" {
  const counts = new Map<FactName, number>();
  for (const leaf of leaves(cond)) counts.set(leaf.fact, (counts.get(leaf.fact) ?? 0) + 1);
  const facts = [...counts.keys()].sort((a, b) => Number(TEAM_FACTS.includes(b)) - Number(TEAM_FACTS.includes(a)) || (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  const domains = facts.map((f) => candidateValues(f, pack, [cond], calendar));
  const ctx: EvalContext = { facts: {}, now: CHECK_NOW, calendar, teamKind: teamKindLookup(pack) };
  let nodes = 0;
  const search = (i: number): CaseFacts | null | "gave-up" => {
    if (++nodes > budget) return "gave-up";
    const v = evaluate(cond, ctx);
    if (v === true) return { ...ctx.facts };
    if (v === false || i >= facts.length) return null;
    const fact = facts[i] as FactName;
    let gaveUp = false;
    for (const value of domains[i] ?? []) {
      (ctx.facts as Record<string, unknown>)[fact] = value;
      const found = search(i + 1);
      if (found === "gave-up") gaveUp = true;
      else if (found) {
        delete (ctx.facts as Record<string, unknown>)[fact];
        return found;
      }
      if (gaveUp) break;
    }
    delete (ctx.facts as Record<string, unknown>)[fact];
    return gaveUp ? "gave-up" : null;
  };
  return search(0);
}

function sameAnswer(a: Rule, b: Rule): boolean {
  const key = (r: Rule) => JSON.stringify({ d: r.then.direction, to: r.then.to, decider: r.then.decider, tp: r.then.transferPoint ?? null });
  return key(a) === key(b);
}

/** Every problem `npm run policy:check` reports for one pack. */
export function checkPack(pack: PolicyPack, calendar: WorkingCalendar = defaultCalendar): PackIssue[] {
  const issues = referenceIssues(pack);
  const overrides = new Map<string, Set<string>>();
  const reach = (id: string, seen = new Set<string>()): Set<string> => {
    const rule = pack.rules.find((r) => r.id === id);
    for (const o of rule?.overrides ?? []) if (!seen.has(o)) { seen.add(o); reach(o, seen); }
    return seen;
  };
  for (const r of pack.rules) overrides.set(r.id, reach(r.id));
  for (const r of pack.rules) {
    if (overrides.get(r.id)?.has(r.id)) issues.push({ path: `rules(${r.id}).overrides`, problem: "overrides itself through a cycle" });
    const found = satisfying(pack, r.when, calendar);
    if (found === null) issues.push({ path: `rules(${r.id}).when`, problem: "can never be true" });
    if (found === "gave-up") issues.push({ path: `rules(${r.id}).when`, problem: "too complex to check: simplify the condition" });
  }
  for (let i = 0; i < pack.rules.length; i++) {
    for (let j = i + 1; j < pack.rules.length; j++) {
      const a = pack.rules[i] as Rule;
      const b = pack.rules[j] as Rule;
      if (sameAnswer(a, b) || overrides.get(a.id)?.has(b.id) || overrides.get(b.id)?.has(a.id)) continue;
      const both = satisfying(pack, { all: [a.when, b.when] }, calendar);
      if (both === "gave-up") {
        issues.push({ path: `rules(${a.id}, ${b.id})`, problem: "too complex to check whether both can apply: simplify a condition or relate them with overrides" });
      } else if (both) {
        issues.push({
          path: `rules(${a.id}, ${b.id})`,
          problem: `both apply with different answers to ${JSON.stringify(both)}: make one override the other, or narrow a condition`,
        });
      }
    }
  }
  return issues;
}

export type { CaseFacts };
