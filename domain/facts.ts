/**
 * Case facts: everything the five councils' protocols decide on, in the councils' own vocabulary
 * where the concept is shared. Every field is optional: a practitioner tells Stepwise what they know
 * and the engine asks for what it still needs. Never a child's name or date of birth: the case is
 * identified elsewhere by its case management system reference.
 */
import { z } from "zod";

const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date (YYYY-MM-DD, taken as a London date) or an ISO date-time with an offset. */
export const DateFact = z
  .string()
  .refine((s) => (isoDay.test(s) || isoInstant.test(s)) && !Number.isNaN(Date.parse(isoDay.test(s) ? `${s}T12:00:00Z` : s)), {
    message: "expected a date as YYYY-MM-DD or an ISO date-time such as 2026-11-23T10:00:00Z",
  })
  .refine((s) => !isoDay.test(s) || new Date(`${s}T12:00:00Z`).toISOString().startsWith(s), {
    message: "expected a real calendar date (YYYY-MM-DD)",
  });

const yes = (description: string) => z.boolean().describe(description);

/** A team or service of the council's policy pack, by its id (see `--list`), or "none". */
const TeamId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "expected a team id from the council's pack (lower case, e.g. \"tyss\"), or \"none\"");

export const CONCERN_LEVELS = ["immediate-danger", "significant-harm", "child-in-need", "additional-needs", "universal"] as const;
export const PLANS = ["none", "early-help", "cin", "cp"] as const;
export const LEGAL_STATUSES = [
  "none",
  "s20",
  "interim-care-order",
  "care-order",
  "care-order-placed-with-parents",
  "supervision-order",
  "special-guardianship-order",
  "child-arrangements-order",
  "adoption-order",
  "remand",
  "care-leaver",
] as const;
export const CARE_PROCEEDINGS = ["none", "pre-proceedings", "agreed-to-issue", "issued", "concluded"] as const;
export const DISABILITY = ["none", "criteria-clearly-met", "criteria-unclear", "criteria-not-met"] as const;
export const FAMILY_BREAKDOWN = ["none", "at-risk", "broken-down"] as const;
export const CONSENT = ["given", "refused", "not-sought-risk"] as const;
export const MOVED_FROM_OTHER_AUTHORITY = ["none", "cin-plan", "cp-plan"] as const;
export const REQUESTS = [
  "none",
  "court-report",
  "occupational-therapy",
  "parent-carer-assessment",
  "adoption-or-sgo-support-only",
  "relinquished-baby",
  "viability-assessment",
  "kinship-assessment",
] as const;

export const CaseFacts = z
  .object({
    // The child
    ageYears: z.number().int().min(0).max(25).describe("The child's or young person's age in whole years (0–25)."),
    unborn: yes("The child is not yet born (a pre-birth case)."),

    // Where the case is
    currentTeam: TeamId.describe(
      "The team or service that holds the case now, by its id in the council's pack; \"none\" if the case is not open (a new contact or referral).",
    ),
    previousTeam: TeamId.describe(
      "The team that last held the case before, by its id in the council's pack; \"none\" if the case was never open before.",
    ),
    proposedTeam: TeamId.describe(
      "The team the practitioner proposes to step up, step down or transfer the case to, if they have one in mind (by its id in the council's pack).",
    ),
    previousClosedOn: DateFact.describe("When the case last closed to that previous team (YYYY-MM-DD)."),

    // Level of concern
    concern: z
      .enum(CONCERN_LEVELS)
      .describe(
        "The level of concern now: immediate-danger (a child in immediate danger), significant-harm (has suffered or is likely to suffer significant harm: child protection), child-in-need (needs statutory support under s17), additional-needs (early help), universal (universal services are enough).",
      ),
    crimeAgainstChildSuspected: yes("There are concerns that a crime against the child has occurred."),

    // Plans and legal status
    plan: z.enum(PLANS).describe("The plan the child has now: none, early-help (an early help / family network plan), cin (a Child in Need plan), cp (a Child Protection plan)."),
    cpPlanEnding: yes("A child protection conference is ending (or has ended) the child's CP plan."),
    cpPlanEndedOn: DateFact.describe("When the child's CP plan ended (YYYY-MM-DD)."),
    cinPlanNeeded: yes("A Child in Need plan is needed after the current plan or care episode ends."),
    exceptionalCircumstancesAgreed: yes("A service manager has agreed exceptional circumstances that allow the usual minimum period to be skipped."),
    legalStatus: z
      .enum(LEGAL_STATUSES)
      .describe(
        "The child's legal status: none, s20 (accommodated under section 20), interim-care-order, care-order, care-order-placed-with-parents, supervision-order, special-guardianship-order, child-arrangements-order, adoption-order, remand (remanded to local authority care), care-leaver.",
      ),
    orderMadeOn: DateFact.describe("When the special guardianship, child arrangements or adoption order was made (YYYY-MM-DD)."),
    careProceedings: z
      .enum(CARE_PROCEEDINGS)
      .describe("Public law care proceedings: none, pre-proceedings (PLO), agreed-to-issue (panel agreed proceedings will be issued), issued, concluded."),
    proceedingsConcludedOn: DateFact.describe("When care proceedings about this family last concluded (YYYY-MM-DD)."),
    longTermCarePlan: yes("The child's care plan is to remain in the local authority's care long-term (a ratified permanence plan)."),
    returnHomeLikely: yes("A return home is likely in the short term (within about three months)."),
    ceasingToBeLookedAfter: yes("The child is ceasing (or has just ceased) to be looked after."),
    ceasedLookedAfterOn: DateFact.describe("When the child ceased to be looked after (YYYY-MM-DD)."),
    weeksInCare: z.number().int().min(0).max(1500).describe("How many weeks the child has been looked after in the current episode."),
    weeksInCareSince14: z.number().int().min(0).max(1500).describe("How many weeks in all the young person has been looked after since their 14th birthday."),
    lookedAfterAfter16: yes("Some of that time in care was on or after the young person's 16th birthday."),

    // Circumstances
    disability: z
      .enum(DISABILITY)
      .describe("Disability: none, criteria-clearly-met (the disabled children's service criteria are clearly met), criteria-unclear, criteria-not-met (disabled but the specialist criteria are not met)."),
    homeless16or17: yes("A 16 or 17 year old who is homeless or threatened with homelessness."),
    uasc: yes("An unaccompanied asylum-seeking (or migrant) child."),
    privateFostering: yes("The child is in a private fostering arrangement."),
    exploitationRisk: yes("The child is at risk of exploitation (CSE or criminal exploitation)."),
    exploitationOnlyNeed: yes("Support or direct work about exploitation is the only key area of work."),
    domesticAbuseYoungChild: yes("Living at home with significant or ongoing risk of domestic abuse, and at least one child in the family is aged five or under."),
    familyBreakdown: z.enum(FAMILY_BREAKDOWN).describe("Family breakdown: none, at-risk (likely without intervention, or on the edge of care), broken-down (care has broken down)."),
    youthJustice: yes("The young person is subject to a youth justice service or at risk of entering the youth justice system."),
    missingEpisodes: yes("The child has been missing from home and needs a return home interview."),
    highRiskBehaviour: yes("The young person shows high-risk behaviour that could lead to family breakdown or significant risk to them or the community."),
    complexFamilyNeeds: yes("The family has complex needs affecting more than one family member (four or more presenting issues) and needs intensive whole-family support."),
    movedFromOtherAuthority: z
      .enum(MOVED_FROM_OTHER_AUTHORITY)
      .describe("The child has moved in from another local authority with: none, cin-plan (a Child in Need plan), cp-plan (a Child Protection plan: a transfer-in conference)."),
    transferDocumentsComplete: yes(
      "All the documents the protocol requires with the referral or transfer have been received (e.g. current assessments, plans and meeting minutes, chronology, genogram, case summary).",
    ),
    movingOutOfArea: yes("The child lives, or is moving to live, outside the council's area."),
    noRecourseToPublicFunds: yes("The family has no recourse to public funds (NRPF)."),
    riskOfAdmissionRegister: yes("The child is on the risk of admission (edge of care) register."),
    request: z
      .enum(REQUESTS)
      .describe(
        "A specific request that is the reason for contact: none, court-report (section 7 / section 37 / tribunal report directed by a court), occupational-therapy, parent-carer-assessment, adoption-or-sgo-support-only (adoption, SGO or CAO support is the only presenting need), relinquished-baby, viability-assessment, kinship-assessment.",
      ),
    urgent: yes("The matter is urgent: it cannot wait for the next panel or transfer meeting."),
    leadProfessionalIdentified: yes("A key worker or lead professional has been identified to take the case on after a step down."),

    // Consent
    consent: z.enum(CONSENT).describe("The family's consent to the transfer and information sharing: given, refused, not-sought-risk (not sought because asking would put the child at risk)."),

    // Key meetings and their dates
    icpcOn: DateFact.describe("Date of the initial child protection conference (ICPC)."),
    cinMeetingOn: DateFact.describe("Date of the (initial or next) Child in Need meeting."),
    cpReviewConferenceOn: DateFact.describe("Date of the child protection review conference."),
    firstLacReviewOn: DateFact.describe("Date of the first CLA/LAC review."),
    secondLacReviewOn: DateFact.describe("Date of the second CLA/LAC review (about 12 weeks into care)."),
    firstCourtHearingOn: DateFact.describe("Date of the first (interim) court hearing in care proceedings."),
    finalHearingOn: DateFact.describe("Date of the final hearing in care proceedings."),
    panelApprovalOn: DateFact.describe("Date the placement panel (or out-of-panel) approval to issue care proceedings was given."),
    preProceedingsMeetingOn: DateFact.describe("Date of the first pre-proceedings (PLO) meeting with the parents."),
    decisionOn: DateFact.describe("When the decision to step up, step down or transfer was made (defaults to now)."),
    proposedTransferOn: DateFact.describe("The proposed date of transfer."),

    // Context
    outOfHours: yes("The contact is being dealt with out of hours."),
    managersDisagree: yes("The managers involved disagree about the threshold or the transfer (a dispute)."),
  })
  .partial()
  .strict();

export type CaseFacts = z.infer<typeof CaseFacts>;
export type FactName = keyof CaseFacts;
export const FACT_NAMES = Object.keys(CaseFacts.shape) as FactName[];

/** Facts that are dates (conditions on them speak of time; deadlines may be anchored on them). */
export const DATE_FACTS = FACT_NAMES.filter((n) => n.endsWith("On"));

/** Facts that name a team of the pack. */
export const TEAM_FACTS: FactName[] = ["currentTeam", "previousTeam", "proposedTeam"];

export interface FieldIssue {
  field: string;
  expected: string;
}

export class FactsError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.expected}`).join("; "));
    this.name = "FactsError";
  }
}

/** Describe a zod issue as "field: what was expected". */
export function describeIssues(error: z.ZodError, prefix = ""): FieldIssue[] {
  return error.issues.map((issue) => {
    let field = [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(facts)";
    let expected = issue.message;
    if (issue.code === "unrecognized_keys") {
      field = [prefix, ...issue.path.map(String), ...issue.keys].filter(Boolean).join(".");
      expected = `not a known case fact (known facts: see --schema)`;
    } else if (issue.code === "invalid_value") {
      expected = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    } else if (issue.code === "invalid_type") {
      const got = (issue as { input?: unknown }).input;
      const what = issue.expected === "int" ? "a whole number (integer)" : issue.expected;
      expected = `expected ${what}` + (got === undefined ? "" : `, got ${JSON.stringify(got)}`);
    }
    return { field, expected };
  });
}

/** Parse unknown input as case facts; throws FactsError naming each bad field and what was expected. */
export function parseFacts(input: unknown): CaseFacts {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new FactsError([{ field: "(facts)", expected: "expected a JSON object of case facts" }]);
  }
  const result = CaseFacts.safeParse(input, { reportInput: true });
  if (!result.success) throw new FactsError(describeIssues(result.error));
  return result.data;
}

/** The case facts as JSON Schema (draft 2020-12), generated from the zod schema. */
export function factsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(CaseFacts, { target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    $id: "https://stepwise.local/schemas/case-facts.json",
    title: "Stepwise case facts",
    description:
      "What a practitioner knows about a case, in the vocabulary of the councils' step up / step down and transfer protocols. Every field is optional; Stepwise asks for what it still needs. Never include a child's name or date of birth.",
    ...schema,
  };
}
