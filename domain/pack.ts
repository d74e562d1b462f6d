/**
 * A policy pack: one council's step up / step down and transfer protocol as data. A sixth council is
 * a new pack, not new code. Every rule, ladder, warning and checklist item cites the protocol file and
 * the section or paragraph it comes from; a pack without citations does not load.
 */
import { z } from "zod";
import { FACT_NAMES, type FactName } from "./facts";

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a lower-case id such as \"team-manager\"");

export const DIRECTIONS = ["step-up", "step-down", "transfer", "stay", "refuse"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const TEAM_KINDS = [
  "front-door",
  "early-help",
  "targeted-youth",
  "assessment",
  "safeguarding",
  "looked-after",
  "leaving-care",
  "disability",
  "adoption",
  "specialist",
  "out-of-hours",
  "panel",
] as const;

export const DURATION_UNITS = [
  "calendar-hours",
  "calendar-days",
  "weeks",
  "months",
  "years",
  "working-days",
  "working-hours",
  "working-day-hours",
] as const;

export const Duration = z.object({
  amount: z.number().int().min(0),
  unit: z.enum(DURATION_UNITS),
});
export type Duration = z.infer<typeof Duration>;

/** A citation of the protocol: the seed file, the section or paragraph, and the words relied on. */
export const Citation = z.object({
  file: z.string().regex(/^\d{3}_[0-9a-f]+\.txt$/, "expected a protocol file name such as 003_548f927fafe19a84.txt"),
  section: z.string().min(1, "expected the section or paragraph, e.g. \"5. Transfers from A&I\""),
  quote: z.string().min(8, "expected the words of the protocol this relies on"),
});
export type Citation = z.infer<typeof Citation>;
const Cites = z.array(Citation).min(1, "every rule must cite the protocol paragraph it rests on");

const factName = z.enum(FACT_NAMES as [FactName, ...FactName[]]);
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * Conditions on facts. Evaluation is three-valued: a leaf on a fact that is not known yet is
 * "unknown", which is how the engine knows what to ask next.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { fact: FactName; is: string | number | boolean }
  | { fact: FactName; in: (string | number | boolean)[] }
  | { fact: FactName; gte?: number; gt?: number; lte?: number; lt?: number }
  /** A date fact within the last `within` before now (e.g. the case closed less than a month ago). */
  | { fact: FactName; within: Duration }
  /** A team fact whose team is of one of these kinds. */
  | { fact: FactName; teamKind: (typeof TEAM_KINDS)[number][] };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(Condition) }).strict(),
    z.object({ any: z.array(Condition).min(1) }).strict(),
    z.object({ not: Condition }).strict(),
    z.object({ fact: factName, is: scalar }).strict(),
    z.object({ fact: factName, in: z.array(scalar).min(1) }).strict(),
    z
      .object({ fact: factName, gte: z.number().optional(), gt: z.number().optional(), lte: z.number().optional(), lt: z.number().optional() })
      .strict()
      .refine((c) => c.gte !== undefined || c.gt !== undefined || c.lte !== undefined || c.lt !== undefined, "expected at least one of gte, gt, lte, lt"),
    z.object({ fact: factName, within: Duration }).strict(),
    z.object({ fact: factName, teamKind: z.array(z.enum(TEAM_KINDS)).min(1) }).strict(),
  ]),
) as z.ZodType<Condition>;

/**
 * A reference to a team: a team id of the pack, or "$current" (the team holding the case),
 * "$previous" (the team that held it before).
 */
export const TeamRef = z.union([slug, z.enum(["$current", "$previous"])]);
export type TeamRef = z.infer<typeof TeamRef>;

/** A role: a role of a team (team + role), or an authority-wide role of the pack (role only). */
export const RoleRef = z.object({ team: TeamRef.optional(), role: slug }).strict();
export type RoleRef = z.infer<typeof RoleRef>;

/**
 * A deadline: `offset` after (or, with `before: true`, before) an anchor. The anchor is "request"
 * (the moment the recommendation is made), or a date fact such as "icpcOn".
 */
export const DeadlineSpec = z
  .object({
    id: slug,
    wording: z.string().min(5),
    from: z.union([z.literal("request"), factName]),
    offset: Duration,
    before: z.boolean().optional(),
    /** Who must act by then (defaults to the decider). */
    who: RoleRef.optional(),
    /** Urgent clocks are never deferred to working hours (24 hours, immediate danger). */
    urgent: z.boolean().optional(),
  })
  .strict();
export type DeadlineSpec = z.infer<typeof DeadlineSpec>;

export const Outcome = z
  .object({
    direction: z.enum(DIRECTIONS),
    /** The destination team (absent for "refuse" where the policy names none). */
    to: TeamRef.optional(),
    /** Other teams the policy offers in the same situation, with when each applies. */
    alternatives: z.array(z.object({ to: TeamRef, when: z.string().min(3) }).strict()).default([]),
    /** When responsibility passes (e.g. "at the 2nd CLA review (12 weeks)"). */
    transferPoint: z.string().optional(),
    decider: RoleRef,
    deadlines: z.array(DeadlineSpec).default([]),
    actions: z.array(z.string().min(3)).default([]),
    documents: z.array(z.string().min(3)).default([]),
    warnings: z.array(z.string().min(3)).default([]),
    /** The escalation ladder that applies when the decider does not answer or managers disagree. */
    ladder: slug.optional(),
    /** Plain-English reason shown to the practitioner. */
    explanation: z.string().min(10),
  })
  .strict();
export type Outcome = z.infer<typeof Outcome>;

export const Rule = z
  .object({
    id: slug,
    /** The rule in plain English, as a test name would state it. */
    title: z.string().min(10),
    when: Condition,
    /**
     * Labelled exceptions (Catala style): this rule overrides the listed rules when both apply.
     * Two rules that can apply to the same facts with different answers must be related this way.
     */
    overrides: z.array(slug).default([]),
    then: Outcome,
    cite: Cites,
  })
  .strict();
export type Rule = z.infer<typeof Rule>;

export const Role = z.object({ id: slug, title: z.string().min(2) }).strict();

export const Team = z
  .object({
    id: slug,
    name: z.string().min(2),
    kind: z.enum(TEAM_KINDS),
    /** Other names practitioners use (abbreviations, old names) — used to read free text. */
    aliases: z.array(z.string().min(2)).default([]),
    roles: z.array(Role).min(1),
    description: z.string().optional(),
  })
  .strict();
export type Team = z.infer<typeof Team>;

export const LadderLevel = z
  .object({
    level: z.number().int().min(1),
    role: RoleRef,
    /** How long this level has to decide before the next level is asked. Absent on the last level. */
    within: Duration.optional(),
    wording: z.string().min(5),
  })
  .strict();

export const Ladder = z
  .object({
    id: slug,
    name: z.string().min(3),
    levels: z.array(LadderLevel).min(1),
    /** Overall time limit for resolution, if the protocol sets one (e.g. Suffolk's 7 days). */
    resolveWithin: Duration.optional(),
    cite: Cites,
  })
  .strict();
export type Ladder = z.infer<typeof Ladder>;

export const PackWarning = z
  .object({
    id: slug,
    text: z.string().min(10),
    /** Shown when the recommendation has one of these directions (all, if absent)… */
    directions: z.array(z.enum(DIRECTIONS)).optional(),
    /** …and this condition holds (always, if absent). */
    when: Condition.optional(),
    cite: Cites,
  })
  .strict();

export const ChecklistItem = z
  .object({
    id: slug,
    section: z.string().min(2),
    text: z.string().min(3),
    cite: Cites.optional(),
  })
  .strict();

export const FormField = z
  .object({
    id: slug,
    label: z.string().min(2),
    /** The case fact that fills it, when there is one. */
    fact: factName.optional(),
    kind: z.enum(["text", "date", "choice", "yes-no"]),
    /** Names and dates of birth: never collected or posted by Stepwise (the case reference stands in). */
    sensitive: z.boolean().default(false),
  })
  .strict();

export const QuestionOverride = z
  .object({
    text: z.string().min(5).optional(),
    help: z.string().optional(),
    /** Local labels for answer options, by option value. */
    labels: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const PolicyPack = z
  .object({
    id: slug,
    name: z.string().min(3),
    source: z
      .object({ file: z.string(), title: z.string(), date: z.string() })
      .strict(),
    teams: z.array(Team).min(2),
    /** Authority-wide roles (heads of service, directors) referenced without a team. */
    roles: z.array(Role).default([]),
    rules: z.array(Rule).min(1),
    /** What happens when no rule applies (usually: stays with the current team; discuss with manager). */
    fallback: z.object({ then: Outcome, cite: Cites }).strict(),
    ladders: z.array(Ladder).min(1),
    warnings: z.array(PackWarning).default([]),
    checklist: z.object({ title: z.string(), advisory: z.string().min(10), items: z.array(ChecklistItem).min(1), cite: Cites }).strict(),
    earlyWarningForm: z.object({ title: z.string(), fields: z.array(FormField).min(1), cite: Cites }).strict(),
    /** The order in which questions are asked when several facts are needed. */
    questionOrder: z.array(factName).default([]),
    /**
     * Facts taken as given unless the practitioner says otherwise (e.g. the managers agree, it is not
     * out of hours), so that an exception about them is not asked every time. Recommendations list
     * every assumption they relied on, so the practitioner can correct it.
     */
    assumptions: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    questions: z.record(z.string(), QuestionOverride).default({}),
  })
  .strict();
export type PolicyPack = z.infer<typeof PolicyPack>;
export type PolicyPackInput = z.input<typeof PolicyPack>;
