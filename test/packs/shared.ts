/**
 * What the council pack tests (test/packs/*.test.ts) have in common: the request instant, deciding a
 * case of a table and checking its route, the questions asked instead of a guess, the pack's citations
 * against the protocol text, and what "every rule, destination, decider and deadline of the pack is
 * exercised" means. Each council's table of cases, with its quotes and hand-worked instants, stays in
 * its own file.
 */
import { citationsOf } from "../../domain/check";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { recommend, type Recommendation } from "../../domain/engine";
import type { CaseFacts } from "../../domain/facts";
import type { Direction, PolicyPack } from "../../domain/pack";

/** Monday 23 November 2026, 10:00 London (GMT): when every case is asked, unless it says otherwise. */
export const NOW = new Date("2026-11-23T10:00:00Z");

/** A case as asked: its facts, at its own instant (ISO or Date) or else at NOW. */
export interface Asked {
  facts: CaseFacts | Record<string, unknown>;
  at?: string | Date;
}

/** `decide(c)` for one pack: the recommendation for a case of a table. */
export function decideWith(pack: PolicyPack): (c: Asked) => Recommendation {
  return (c) => recommend(pack, c.facts, c.at ? new Date(c.at) : NOW);
}

/** The answer is decided: nothing is left to ask. */
export function expectDecided(r: Recommendation): Recommendation {
  expect(r.questions.map((q) => q.id)).toEqual([]);
  expect(r.status).toBe("decided");
  return r;
}

/**
 * A case of a council's table: its name quotes the paragraph it checks, then the facts a practitioner
 * would give and the route it expects, every deadline a literal instant worked out by hand.
 */
export interface TableCase {
  name: string;
  facts: Record<string, unknown>;
  /** ISO instant of the request, when not NOW. */
  at?: string;
  rule: string | null;
  direction: Direction;
  to: string | null;
  /** The alternatives' teams, in order. */
  alternatives?: string[];
  decider: [teamId: string | null, role: string];
  /** Every deadline of the route, by id, with its instant (null: its event has no date yet). */
  deadlines?: Record<string, string | null>;
  /** The section a citation of the answer must carry (each file says how it is matched). */
  section: string;
}

/** The route a case of a table expects. */
export interface Route {
  rule: string | null;
  direction: Direction | null;
  to: string | null;
  decider: readonly [teamId: string | null, role: string];
  /** The alternatives' teams, in order; not checked when absent. */
  alternatives?: readonly string[];
  /** Every deadline of the route: id -> ISO instant (null while its event has no date); absent: none. */
  deadlines?: Record<string, string | null>;
  /** The deadlines that must be urgent (never deferred to working hours), every other one not; not checked when absent. */
  urgent?: readonly string[];
}

/** The answer is decided on `route`: rule, direction, destination, alternatives, decider and every deadline. */
export function expectRoute(r: Recommendation, route: Route): Recommendation {
  expectDecided(r);
  expect(r.ruleId).toBe(route.rule);
  expect(r.direction).toBe(route.direction);
  expect(r.destination?.teamId ?? null).toBe(route.to);
  if (route.alternatives) expect(r.alternatives.map((a) => a.teamId)).toEqual(route.alternatives);
  expect([r.decider?.teamId ?? null, r.decider?.role]).toEqual(route.decider);
  expect(Object.fromEntries(r.deadlines.map((d) => [d.id, d.at]))).toEqual(route.deadlines ?? {});
  const urgent = route.urgent;
  if (urgent) expect(r.deadlines.map((d) => [d.id, d.urgent])).toEqual(r.deadlines.map((d) => [d.id, urgent.includes(d.id)]));
  return r;
}

/** A describe block with one test per case of a table, named by the case, each running `check`. */
export function describeCases<C extends { name: string }>(title: string, cases: readonly C[], check: (c: C) => unknown): void {
  describe(title, () => {
    it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      check(c);
    });
  });
}

/** Not decided: it asks and names no direction. The ids of the questions, in order. */
export function expectAsks(r: Recommendation): string[] {
  expect(r.status).toBe("needs-answers");
  expect(r.direction).toBeNull();
  return r.questions.map((q) => q.id);
}

/** With no facts at all it asks, and guesses neither a direction nor a destination. */
export function expectAsksWithNoFacts(pack: PolicyPack): Recommendation {
  const r = recommend(pack, {}, NOW);
  expectAsks(r);
  expect(r.destination).toBeNull();
  expect(r.questions.length).toBeGreaterThan(0);
  return r;
}

// ---------------------------------------------------------------------------------------------------
// Citations and the protocol text
// ---------------------------------------------------------------------------------------------------

/** Every citation of the pack (the same list the pack checker checks). */
export { citationsOf };

/** The protocols the packs cite, beside the project (../shared/seeds); absent on some machines. */
const SEEDS = join(__dirname, "../../../shared/seeds");

/** Whether the protocol the pack cites is there to be read. */
export function hasProtocol(pack: PolicyPack): boolean {
  return existsSync(join(SEEDS, pack.source.file));
}

/** `it` when the pack's protocol is there to be read, else `it.skip`. */
export function itWithProtocol(pack: PolicyPack): jest.It {
  return hasProtocol(pack) ? it : it.skip;
}

/** Whitespace runs folded to one space. */
export const foldSpace = (s: string): string => s.replace(/\s+/g, " ");

/** The quotes of the pack's citations that are not in its protocol word for word (`norm` applied to both sides). */
export function quotesNotInProtocol(pack: PolicyPack, norm: (s: string) => string = foldSpace): string[] {
  const text = norm(readFileSync(join(SEEDS, pack.source.file), "utf8"));
  return citationsOf(pack)
    .filter((c) => !text.includes(norm(c.quote)))
    .map((c) => c.quote);
}

// ---------------------------------------------------------------------------------------------------
// Coverage: what the pack names, and what the cases reached
// ---------------------------------------------------------------------------------------------------

/** A decider as "team/role" ("/role" for an authority-wide role). */
export const deciderKey = (team: string | null | undefined, role: string | undefined): string => `${team ?? ""}/${role}`;

const fixedTeam = (t: string | undefined): t is string => t !== undefined && !t.startsWith("$");

/**
 * What the pack's rules name, for a table to exercise: rule ids, destination and alternative teams,
 * deciders, deadline ids and "rule/deadline" pairs. "$current" and "$previous" are not fixed teams
 * and are left out.
 */
export function scopeOf(pack: PolicyPack) {
  const outcomes = pack.rules.map((r) => r.then);
  return {
    rules: pack.rules.map((r) => r.id),
    destinations: [...new Set(outcomes.flatMap((o) => [o.to, ...o.alternatives.map((a) => a.to)]).filter(fixedTeam))],
    deciders: [...new Set(outcomes.filter((o) => !o.decider.team?.startsWith("$")).map((o) => deciderKey(o.decider.team, o.decider.role)))],
    deadlineIds: [...new Set(outcomes.flatMap((o) => o.deadlines.map((d) => d.id)))],
    ruleDeadlines: pack.rules.flatMap((r) => r.then.deadlines.map((d) => `${r.id}/${d.id}`)),
  };
}

/** What a table's answers reached, recorded answer by answer. */
export class Coverage {
  readonly rules = new Set<string>();
  /** Whether an answer came from the pack's fallback (no rule). */
  fallback = false;
  readonly destinations = new Set<string>();
  readonly deciders = new Set<string>();
  readonly deadlineIds = new Set<string>();
  readonly ruleDeadlines = new Set<string>();

  record(r: Recommendation): Recommendation {
    if (r.ruleId) this.rules.add(r.ruleId);
    else this.fallback = true;
    if (r.destination) this.destinations.add(r.destination.teamId);
    for (const a of r.alternatives) this.destinations.add(a.teamId);
    this.deciders.add(deciderKey(r.decider?.teamId, r.decider?.role));
    for (const d of r.deadlines) {
      this.deadlineIds.add(d.id);
      if (r.ruleId) this.ruleDeadlines.add(`${r.ruleId}/${d.id}`);
    }
    return r;
  }
}

/** Those of `expected` not in `seen`. */
export function missing<T>(expected: Iterable<T>, seen: { has(x: T): boolean }): T[] {
  return [...expected].filter((x) => !seen.has(x));
}
