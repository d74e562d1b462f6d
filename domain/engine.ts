/**
 * recommend(pack, facts, now): where should this case go? Pure and deterministic: no I/O, the clock
 * is passed in. Rules are Catala-style defaults with labelled exceptions: a rule applies when its
 * condition holds and no rule that overrides it applies. When facts are missing, the answer is the
 * questions whose answers could still change it, most useful first, and no guess.
 */
import { calendarDuration, dateFactInstant, evaluate, factsOf, teamKindLookup, unknownFacts, type EvalContext, type Tri } from "./conditions";
import { FACT_NAMES, FactsError, parseFacts, type CaseFacts, type FactName } from "./facts";
import type { Citation, DeadlineSpec, Direction, Duration, Outcome, PolicyPack, RoleRef, Rule, TeamRef } from "./pack";
import { questionFor, type Question } from "./questions";
import { defaultCalendar, type WorkingCalendar } from "./calendar";

export interface TeamSummary {
  teamId: string;
  name: string;
}

export interface DeciderSummary {
  teamId: string | null;
  teamName: string | null;
  role: string;
  title: string;
}

export interface Deadline {
  id: string;
  wording: string;
  /** The deadline as an ISO instant, or null while the event it is anchored on has no date yet. */
  at: string | null;
  /** The same instant as a London wall-clock time ("2026-12-29 17:00"). */
  atLondon: string | null;
  anchor: string;
  urgent: boolean;
  who: DeciderSummary | null;
  note?: string;
}

export interface EscalationLevel {
  level: number;
  role: DeciderSummary;
  within: string | null;
  wording: string;
}

export interface Recommendation {
  authority: { id: string; name: string };
  status: "decided" | "needs-answers";
  direction: Direction | null;
  destination: TeamSummary | null;
  alternatives: (TeamSummary & { when: string })[];
  transferPoint: string | null;
  decider: DeciderSummary | null;
  deadlines: Deadline[];
  actions: string[];
  documents: string[];
  warnings: string[];
  escalation: { ladderId: string; name: string; levels: EscalationLevel[]; resolveWithin: string | null } | null;
  citations: Citation[];
  ruleId: string | null;
  title: string | null;
  explanation: string;
  questions: Question[];
  /** Facts the answer relied on without being told (see the pack's `assumptions`). */
  assumptions: Assumption[];
  facts: CaseFacts;
  now: string;
}

/** Assumed for every council unless its pack or the practitioner says otherwise. */
export const DEFAULT_ASSUMPTIONS: Partial<CaseFacts> = {
  managersDisagree: false,
  outOfHours: false,
  exceptionalCircumstancesAgreed: false,
};

export interface Assumption {
  fact: FactName;
  value: string | number | boolean;
  text: string;
}

export interface RecommendOptions {
  calendar?: WorkingCalendar;
}

/** Which rules override which, transitively: overriders.get(r) = every rule that overrides r. */
function overriderIndex(pack: PolicyPack): Map<string, Set<string>> {
  const direct = new Map<string, Set<string>>();
  for (const rule of pack.rules) direct.set(rule.id, new Set());
  for (const rule of pack.rules) for (const target of rule.overrides) direct.get(target)?.add(rule.id);
  const closed = new Map<string, Set<string>>();
  const visit = (id: string, seen: Set<string>): Set<string> => {
    const memo = closed.get(id);
    if (memo) return memo;
    const all = new Set<string>();
    for (const o of direct.get(id) ?? []) {
      if (seen.has(o)) continue;
      all.add(o);
      for (const x of visit(o, new Set([...seen, o]))) all.add(x);
    }
    closed.set(id, all);
    return all;
  };
  for (const rule of pack.rules) visit(rule.id, new Set([rule.id]));
  return closed;
}

const indexCache = new WeakMap<PolicyPack, Map<string, Set<string>>>();
function overriders(pack: PolicyPack): Map<string, Set<string>> {
  let index = indexCache.get(pack);
  if (!index) indexCache.set(pack, (index = overriderIndex(pack)));
  return index;
}

/** Check that facts naming teams name teams of this pack. */
function checkTeams(pack: PolicyPack, facts: CaseFacts): void {
  const ids = new Set(pack.teams.map((t) => t.id));
  const issues = (["currentTeam", "previousTeam", "proposedTeam"] as const)
    .filter((f) => facts[f] !== undefined && facts[f] !== "none" && !ids.has(facts[f] as string))
    .map((f) => ({ field: f, expected: `expected one of ${[...ids, "none"].map((i) => JSON.stringify(i)).join(", ")} (teams of ${pack.name})` }));
  if (issues.length) throw new FactsError(issues);
}

export interface RuleSelection {
  rule: Rule | null;
  /** Facts whose answers could still change which rule applies. */
  needed: FactName[];
  values: Map<string, Tri>;
}

/** Choose the applicable rule, or say which facts are needed to choose one. */
export function selectRule(pack: PolicyPack, ctx: EvalContext): RuleSelection {
  const values = new Map<string, Tri>(pack.rules.map((r) => [r.id, evaluate(r.when, ctx)]));
  const over = overriders(pack);
  const truthy = pack.rules.filter((r) => values.get(r.id) === true);
  const winners = truthy.filter((r) => ![...(over.get(r.id) ?? [])].some((o) => values.get(o) === true));
  const blockers = (r: Rule) => pack.rules.filter((o) => over.get(r.id)?.has(o.id) && values.get(o.id) === "unknown");
  const free = winners.find((r) => blockers(r).length === 0);
  if (free) return { rule: free, needed: [], values };
  const undecided = winners.length > 0 ? winners.flatMap(blockers) : pack.rules.filter((r) => values.get(r.id) === "unknown");
  const needed: FactName[] = [];
  for (const r of undecided) unknownFacts(r.when, ctx, needed);
  return { rule: null, needed: orderQuestions(pack, needed, undecided, ctx), values };
}

/** Most useful first: the pack's own order, then the facts that bear on the most undecided rules. */
function orderQuestions(pack: PolicyPack, facts: FactName[], undecided: Rule[], ctx: EvalContext): FactName[] {
  const weight = new Map<FactName, number>();
  for (const r of undecided) for (const f of unknownFacts(r.when, ctx)) weight.set(f, (weight.get(f) ?? 0) + 1);
  const rank = (f: FactName) => {
    const i = pack.questionOrder.indexOf(f);
    return i === -1 ? pack.questionOrder.length : i;
  };
  return [...facts].sort((a, b) => rank(a) - rank(b) || (weight.get(b) ?? 0) - (weight.get(a) ?? 0) || FACT_NAMES.indexOf(a) - FACT_NAMES.indexOf(b));
}

const UNIT_WORDS: Record<Duration["unit"], [one: string, many: string]> = {
  "calendar-hours": ["hour", "hours"],
  "calendar-days": ["day", "days"],
  weeks: ["week", "weeks"],
  months: ["month", "months"],
  years: ["year", "years"],
  "working-days": ["working day", "working days"],
  "working-hours": ["working hour", "working hours"],
  "working-day-hours": ["hour (working days only)", "hours (working days only)"],
};

/** "1 working day", "24 hours", "72 hours (working days only)". */
function durationWords(d: Duration): string {
  const [one, many] = UNIT_WORDS[d.unit];
  return `${d.amount} ${d.amount === 1 ? one : many}`;
}

export function recommend(pack: PolicyPack, rawFacts: unknown, now: Date, options: RecommendOptions = {}): Recommendation {
  if (Number.isNaN(now.getTime())) throw new RangeError("now: expected a valid date-time");
  const given = parseFacts(rawFacts);
  checkTeams(pack, given);
  const calendar = options.calendar ?? defaultCalendar;
  const assumed = parseFacts({ ...DEFAULT_ASSUMPTIONS, ...pack.assumptions });
  const facts: CaseFacts = { ...assumed, ...given };
  const ctx: EvalContext = { facts, now, calendar, teamKind: teamKindLookup(pack) };
  const selection = selectRule(pack, ctx);

  const base = {
    authority: { id: pack.id, name: pack.name },
    facts: given,
    now: now.toISOString(),
  };
  const assumptions: Assumption[] = (Object.keys(assumed) as FactName[])
    .filter((f) => given[f] === undefined)
    .map((f) => ({ fact: f, value: assumed[f] as string | number | boolean, text: `${questionFor(f, pack).text} Assumed: ${answerLabel(f, assumed[f], pack)}.` }));

  if (!selection.rule && selection.needed.length > 0) return undecided(pack, base, selection.needed);

  const outcome: Outcome = selection.rule ? selection.rule.then : pack.fallback.then;
  const cites = selection.rule ? selection.rule.cite : pack.fallback.cite;

  // A destination or decider "the team that held it before" needs that team to be known.
  const refsNeeded = teamRefsIn(outcome).filter((ref) => ref === "$current" ? facts.currentTeam === undefined : ref === "$previous" && facts.previousTeam === undefined);
  if (refsNeeded.length) return undecided(pack, base, refsNeeded.map((r) => (r === "$current" ? "currentTeam" : "previousTeam")));

  const team = (ref: TeamRef | undefined): TeamSummary | null => {
    if (ref === undefined) return null;
    const id = ref === "$current" ? facts.currentTeam : ref === "$previous" ? facts.previousTeam : ref;
    const t = pack.teams.find((x) => x.id === id);
    return t ? { teamId: t.id, name: t.name } : null;
  };
  /** A role of a named team, an authority-wide role, or a team role of the team in context. */
  const role = (r: RoleRef, contextTeam?: TeamRef): DeciderSummary => {
    const authorityRole = r.team ? undefined : pack.roles.find((x) => x.id === r.role);
    if (authorityRole) return { teamId: null, teamName: null, role: r.role, title: authorityRole.title };
    const t = team(r.team ?? contextTeam);
    const title = pack.teams.find((x) => x.id === t?.teamId)?.roles.find((x) => x.id === r.role)?.title ?? r.role;
    return { teamId: t?.teamId ?? null, teamName: t?.name ?? null, role: r.role, title };
  };

  const decider = role(outcome.decider);
  const deadlines = outcome.deadlines.map((d) => deadline(pack, d, facts, now, calendar, d.who ? role(d.who, outcome.to) : decider));
  const ladder = outcome.ladder ? pack.ladders.find((l) => l.id === outcome.ladder) : undefined;
  const escalation = ladder
    ? {
        ladderId: ladder.id,
        name: ladder.name,
        resolveWithin: ladder.resolveWithin ? durationWords(ladder.resolveWithin) : null,
        levels: ladder.levels.map((l) => ({
          level: l.level,
          role: role(l.role, outcome.to ?? "$current"),
          within: l.within ? durationWords(l.within) : null,
          wording: l.wording,
        })),
      }
    : null;

  const packWarnings = pack.warnings.filter(
    (w) => (!w.directions || w.directions.includes(outcome.direction)) && (!w.when || evaluate(w.when, ctx) === true),
  );
  const citations = dedupe([...cites, ...(ladder?.cite ?? []), ...packWarnings.flatMap((w) => w.cite)]);

  return {
    ...base,
    status: "decided",
    direction: outcome.direction,
    destination: team(outcome.to),
    alternatives: outcome.alternatives.flatMap((a) => {
      const t = team(a.to);
      return t ? [{ ...t, when: a.when }] : [];
    }),
    transferPoint: outcome.transferPoint ?? null,
    decider,
    deadlines,
    actions: outcome.actions,
    documents: outcome.documents,
    warnings: [...outcome.warnings, ...packWarnings.map((w) => w.text)],
    escalation,
    citations,
    ruleId: selection.rule?.id ?? null,
    title: selection.rule?.title ?? null,
    explanation: outcome.explanation,
    questions: [],
    // Only the assumptions the chosen rule, or a rule that could have overridden it, looked at.
    assumptions: selection.rule ? assumptions.filter((a) => factsOf(selection.rule!.when).has(a.fact) || relevantToOverriders(pack, selection.rule!, a.fact, ctx)) : [],
  };
}

/** Did the assumption about `fact` keep a rule that would override `rule` from applying? */
function relevantToOverriders(pack: PolicyPack, rule: Rule, fact: FactName, ctx: EvalContext): boolean {
  const over = overriders(pack).get(rule.id) ?? new Set<string>();
  const { [fact]: _assumed, ...without } = ctx.facts;
  const withoutIt: EvalContext = { ...ctx, facts: without };
  return pack.rules.some((r) => over.has(r.id) && factsOf(r.when).has(fact) && evaluate(r.when, withoutIt) !== false);
}

function answerLabel(fact: FactName, value: unknown, pack: PolicyPack): string {
  return questionFor(fact, pack).options.find((o) => o.value === value)?.label ?? String(value);
}

function undecided(pack: PolicyPack, base: Pick<Recommendation, "authority" | "facts" | "now">, needed: FactName[]): Recommendation {
  return {
    ...base,
    status: "needs-answers",
    direction: null,
    destination: null,
    alternatives: [],
    transferPoint: null,
    decider: null,
    deadlines: [],
    actions: [],
    documents: [],
    warnings: [],
    escalation: null,
    citations: [],
    ruleId: null,
    title: null,
    explanation: `${pack.name}'s protocol needs ${needed.length === 1 ? "one more answer" : "a few more answers"} before it can say where this case should go.`,
    questions: needed.map((f) => questionFor(f, pack)),
    assumptions: [],
  };
}

function teamRefsIn(o: Outcome): TeamRef[] {
  const refs: (TeamRef | undefined)[] = [o.to, o.decider.team, ...o.alternatives.map((a) => a.to), ...o.deadlines.map((d) => d.who?.team)];
  return refs.filter((r): r is TeamRef => r !== undefined);
}

function deadline(pack: PolicyPack, d: DeadlineSpec, facts: CaseFacts, now: Date, calendar: WorkingCalendar, who: DeciderSummary): Deadline {
  const common = { id: d.id, wording: d.wording, anchor: d.from, urgent: d.urgent ?? false, who };
  // "When the decision was made" defaults to now: the recommendation is the decision being made.
  const fromNow = d.from === "request" || (d.from === "decisionOn" && facts.decisionOn === undefined);
  const anchorValue = fromNow ? now.toISOString() : (facts[d.from] as string | undefined);
  if (anchorValue === undefined) {
    const event = questionFor(d.from as FactName, pack).text;
    return { ...common, at: null, atLondon: null, note: `Not a date yet: answer "${event}" (${d.from}) to fix it.` };
  }
  const anchor = fromNow ? now : dateFactInstant(anchorValue, calendar);
  const offset = calendarDuration(d.offset);
  const at = d.before ? calendar.subtract(anchor, offset) : calendar.add(anchor, offset);
  return { ...common, at: at.toISOString(), atLondon: `${calendar.londonDate(at)} ${calendar.londonTime(at)}` };
}

function dedupe(cites: Citation[]): Citation[] {
  const seen = new Set<string>();
  return cites.filter((c) => {
    const key = `${c.file}|${c.section}|${c.quote}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
