/**
 * Three-valued evaluation of pack conditions: true, false, or unknown when a fact it needs has not
 * been given yet. `unknownFacts` lists the facts whose answers could still change the result, in the
 * order they appear — the engine chooses its next question from them.
 */
import type { CaseFacts, FactName } from "./facts";
import type { Condition, Duration, PolicyPack } from "./pack";
import type { WorkingCalendar } from "./calendar";

export type Tri = true | false | "unknown";

export interface EvalContext {
  facts: CaseFacts;
  now: Date;
  calendar: WorkingCalendar;
  teamKind: (teamId: string) => string | undefined;
}

export function evaluate(c: Condition, ctx: EvalContext): Tri {
  if ("all" in c) {
    let result: Tri = true;
    for (const sub of c.all) {
      const v = evaluate(sub, ctx);
      if (v === false) return false;
      if (v === "unknown") result = "unknown";
    }
    return result;
  }
  if ("any" in c) {
    let result: Tri = false;
    for (const sub of c.any) {
      const v = evaluate(sub, ctx);
      if (v === true) return true;
      if (v === "unknown") result = "unknown";
    }
    return result;
  }
  if ("not" in c) {
    const v = evaluate(c.not, ctx);
    return v === "unknown" ? "unknown" : !v;
  }
  const value = ctx.facts[c.fact];
  if (value === undefined) return "unknown";
  if ("is" in c) return value === c.is;
  if ("in" in c) return (c.in as unknown[]).includes(value);
  if ("within" in c) return isWithin(String(value), c.within, ctx);
  if ("teamKind" in c) {
    const kind = ctx.teamKind(String(value));
    return kind !== undefined && (c.teamKind as string[]).includes(kind);
  }
  if (typeof value !== "number") return false;
  if (c.gte !== undefined && !(value >= c.gte)) return false;
  if (c.gt !== undefined && !(value > c.gt)) return false;
  if (c.lte !== undefined && !(value <= c.lte)) return false;
  if (c.lt !== undefined && !(value < c.lt)) return false;
  return true;
}

/** The facts, not yet known, on which the value of an undetermined condition depends. */
export function unknownFacts(c: Condition, ctx: EvalContext, into: FactName[] = []): FactName[] {
  if (evaluate(c, ctx) !== "unknown") return into;
  if ("all" in c) c.all.forEach((sub) => unknownFacts(sub, ctx, into));
  else if ("any" in c) c.any.forEach((sub) => unknownFacts(sub, ctx, into));
  else if ("not" in c) unknownFacts(c.not, ctx, into);
  else if (!into.includes(c.fact)) into.push(c.fact);
  return into;
}

/** A condition on one fact: a leaf of a condition tree. */
export type Leaf = Extract<Condition, { fact: FactName }>;

/** The leaves of a condition, left to right, through every all / any / not. */
export function leaves(c: Condition, into: Leaf[] = []): Leaf[] {
  if ("all" in c) c.all.forEach((sub) => leaves(sub, into));
  else if ("any" in c) c.any.forEach((sub) => leaves(sub, into));
  else if ("not" in c) leaves(c.not, into);
  else into.push(c);
  return into;
}

/** Every fact a condition mentions. */
export function factsOf(c: Condition, into: Set<FactName> = new Set()): Set<FactName> {
  for (const leaf of leaves(c)) into.add(leaf.fact);
  return into;
}

/** A date fact (YYYY-MM-DD or ISO date-time) as an instant: a bare date is taken at the start of the London working day. */
export function dateFactInstant(value: string, calendar: WorkingCalendar): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? calendar.atLondon(value, calendar.dayStart) : new Date(value);
}

/** Years are counted as twelve calendar months. */
export function calendarDuration(d: Duration): { amount: number; unit: Exclude<Duration["unit"], "years"> } {
  return d.unit === "years" ? { amount: d.amount * 12, unit: "months" } : { amount: d.amount, unit: d.unit };
}

function isWithin(value: string, d: Duration, ctx: EvalContext): boolean {
  const earliest = ctx.calendar.subtract(ctx.now, calendarDuration(d));
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : ctx.calendar.londonDate(new Date(value));
  // Compare London dates: closed on the same date one month ago still counts as "within a month".
  return day >= ctx.calendar.londonDate(earliest) && day <= ctx.calendar.londonDate(ctx.now);
}

export function teamKindLookup(pack: PolicyPack): (teamId: string) => string | undefined {
  const kinds = new Map(pack.teams.map((t) => [t.id, t.kind] as const));
  return (id) => kinds.get(id);
}
