/**
 * Hertfordshire County Council: Step Up/Step Down Process & Transfer Protocol (000_9507af15a214ca67.txt).
 * Table-driven: each case quotes the passage it checks, gives the facts a practitioner would give, and
 * asserts direction, destination, decider, every deadline (as a literal instant worked out by hand) and
 * the cited section. The real pack and the real engine; no mocks.
 *
 * Clock: Monday 23 November 2026, 10:00 GMT (London = UTC+0 until 28 March 2027, then UTC+1).
 * Working-days deadlines are 17:00 London on the Nth working day after the event's London date.
 * Date facts given as YYYY-MM-DD are taken at 09:00 London that day.
 * Bank holidays: Fri 25 Dec 2026, Mon 28 Dec 2026 (substitute), Fri 1 Jan 2027, Fri 26 Mar 2027, Mon 29 Mar 2027.
 */
import { checkPack } from "../../domain/check";
import { recommend } from "../../domain/engine";
import type { CaseFacts } from "../../domain/facts";
import type { Direction, PolicyPack } from "../../domain/pack";
import { getPack } from "../../domain/packs";
import { Coverage, NOW, expectAsks, expectAsksWithNoFacts, expectRoute, itWithProtocol, missing, quotesNotInProtocol, scopeOf } from "./shared";

const pack = getPack("hertfordshire") as PolicyPack;
const XMAS_EVE = new Date("2026-12-24T10:00:00Z"); // Thursday before the Christmas bank holidays

interface Case {
  name: string;
  facts: CaseFacts;
  now?: Date;
  rule: string | null;
  direction: Direction;
  to: string | null;
  decider: { teamId: string | null; role: string };
  alternatives?: string[];
  transferPoint?: string | null;
  /** Every deadline of the outcome: id -> ISO instant (null while its event has no date). */
  deadlines: Record<string, string | null>;
  section: string;
}

// Facts that rule out the TYSS criteria and intensive whole-family needs.
const NO_TYSS = { familyBreakdown: "none", homeless16or17: false, highRiskBehaviour: false, exploitationRisk: false, youthJustice: false, missingEpisodes: false, legalStatus: "none" } as const;
const NO_NEEDS = { ...NO_TYSS, complexFamilyNeeds: false } as const;
const EH_CP_PLAIN = { crimeAgainstChildSuspected: false, previousTeam: "none", disability: "none" } as const;

// Hand-computed instants from NOW (Mon 23 Nov 2026 10:00 GMT).
const P8_DECISION = "2026-11-24T17:00:00.000Z"; // 1 working day: Tue 24 Nov 17:00
const P8_ALLOC = "2026-11-25T17:00:00.000Z"; // 2 working days: Wed 25 Nov 17:00
const H24 = "2026-11-24T10:00:00.000Z";
const H48 = "2026-11-25T10:00:00.000Z";
const DAYS2 = "2026-11-25T10:00:00.000Z";
const DAYS5 = "2026-11-28T10:00:00.000Z";
const DAYS10 = "2026-12-03T10:00:00.000Z";
const SU = { "decision-24-hours": H24, "outcome-email-48-hours": H48, "allocation-2-working-days": P8_ALLOC };
const P8 = { "decision-1-working-day": P8_DECISION, "allocation-2-working-days": P8_ALLOC };
const P8_LETTER = { ...P8, "family-contacted-10-days": DAYS10 };

const covered = new Coverage();

const cases: Case[] = [
  // ---------------- Step up from IFST / AST / TYSS ----------------
  {
    name: "Step Up to Assessment Services: 'the relevant Manager must make direct contact with their counterpart in the relevant Assessment Team': IFST with child protection concerns",
    facts: { currentTeam: "ifst", concern: "significant-harm", ...EH_CP_PLAIN },
    rule: "step-up-eh-to-assessment",
    direction: "step-up",
    to: "assessment",
    decider: { teamId: "assessment", role: "team-manager" },
    alternatives: ["dct-assessment"],
    deadlines: SU,
    section: "Step Up to Assessment Services",
  },
  {
    name: "Adoption Support: 'meets significant harm ... threshold send straight to Assessment team': an AST case",
    facts: { currentTeam: "ast", concern: "significant-harm", ...EH_CP_PLAIN },
    rule: "step-up-eh-to-assessment",
    direction: "step-up",
    to: "assessment",
    decider: { teamId: "assessment", role: "team-manager" },
    alternatives: ["dct-assessment"],
    deadlines: SU,
    section: "Adoption Support",
  },
  {
    name: "Step Up to Assessment Services: 'within 24 hours of receipt of the email' / 'within 48 hours' run through Christmas (calendar hours); allocation skips 25 and 28 Dec",
    facts: { currentTeam: "tyss", concern: "immediate-danger", ...EH_CP_PLAIN },
    now: XMAS_EVE,
    rule: "step-up-eh-to-assessment",
    direction: "step-up",
    to: "assessment",
    decider: { teamId: "assessment", role: "team-manager" },
    deadlines: {
      "decision-24-hours": "2026-12-25T10:00:00.000Z",
      "outcome-email-48-hours": "2026-12-26T10:00:00.000Z",
      "allocation-2-working-days": "2026-12-30T17:00:00.000Z",
    },
    section: "Step Up to Assessment Services",
  },
  {
    name: "Step Up to Assessment Services: 'If there are concerns that a crime against a child has occurred, the relevant manager should approach the JCPIT manager'",
    facts: { currentTeam: "ifst", concern: "immediate-danger", crimeAgainstChildSuspected: true },
    rule: "step-up-eh-crime-to-jcpit",
    direction: "step-up",
    to: "jcpit",
    decider: { teamId: "jcpit", role: "team-manager" },
    deadlines: SU,
    section: "Step Up to Assessment Services",
  },
  {
    name: "ONE MONTH rule: '... unless there are concerns that a crime against a child has occurred': crime beats the one month rule",
    facts: { currentTeam: "ast", concern: "significant-harm", crimeAgainstChildSuspected: true, previousTeam: "family-safeguarding", previousClosedOn: "2026-11-10" },
    rule: "step-up-eh-crime-to-jcpit",
    direction: "step-up",
    to: "jcpit",
    decider: { teamId: "jcpit", role: "team-manager" },
    deadlines: SU,
    section: "Step Up to Assessment Services",
  },
  {
    name: "ONE MONTH rule: 'if the case has been open to FS in the previous month, then the case should go straight to the relevant Family Safeguarding team': closed exactly one month ago (23 Oct)",
    facts: { currentTeam: "ifst", concern: "significant-harm", crimeAgainstChildSuspected: false, previousTeam: "family-safeguarding", previousClosedOn: "2026-10-23", consent: "given" },
    rule: "step-up-eh-one-month-fs",
    direction: "step-up",
    to: "family-safeguarding",
    decider: { teamId: "family-safeguarding", role: "team-manager" },
    deadlines: SU,
    section: "Step up to Family Safeguarding Service",
  },
  {
    name: "ONE MONTH rule boundary: closed one month and a day ago (22 Oct) goes to the Assessment Team instead",
    facts: { currentTeam: "ifst", concern: "significant-harm", crimeAgainstChildSuspected: false, previousTeam: "family-safeguarding", previousClosedOn: "2026-10-22", consent: "given", disability: "none" },
    rule: "step-up-eh-to-assessment",
    direction: "step-up",
    to: "assessment",
    decider: { teamId: "assessment", role: "team-manager" },
    deadlines: SU,
    section: "Step Up to Assessment Services",
  },
  {
    name: "Step up to Family Safeguarding Service: '... or 0-25 Service (if the case has been previously held there within the last month)'",
    facts: { currentTeam: "ast", concern: "immediate-danger", crimeAgainstChildSuspected: false, previousTeam: "0-25-central", previousClosedOn: "2026-11-10" },
    rule: "step-up-eh-one-month-0-25",
    direction: "step-up",
    to: "0-25-locality",
    decider: { teamId: "0-25-locality", role: "team-manager" },
    deadlines: SU,
    section: "Step up to Family Safeguarding Service",
  },
  {
    name: "Step Up to Assessment Services: 'relevant Assessment Team (including DCT Assessment where appropriate)': a disabled child",
    facts: { currentTeam: "ifst", concern: "significant-harm", crimeAgainstChildSuspected: false, previousTeam: "none", disability: "criteria-clearly-met" },
    rule: "step-up-eh-disabled-to-dct",
    direction: "step-up",
    to: "dct-assessment",
    decider: { teamId: "dct-assessment", role: "team-manager" },
    alternatives: ["0-25-locality"],
    deadlines: SU,
    section: "Step Up to Assessment Services",
  },
  {
    name: "Disguised or lack of compliance: 'relevant Safeguarding & Specialist Services manager will act as key decision maker at Action & Impact meeting'",
    facts: { currentTeam: "ifst", concern: "significant-harm", crimeAgainstChildSuspected: false, previousTeam: "family-safeguarding", previousClosedOn: "2026-06-01", consent: "refused" },
    rule: "step-up-disguised-compliance",
    direction: "step-up",
    to: "action-and-impact",
    decider: { teamId: "family-safeguarding", role: "team-manager" },
    alternatives: ["family-safeguarding"],
    transferPoint: "at the Action & Impact meeting",
    deadlines: {},
    section: "Disguised or lack of compliance from families",
  },
  {
    name: "Step up from Families First: 'This does not negate any partner making a referral using Protected Referrals or by calling Police'",
    facts: { currentTeam: "families-first", concern: "immediate-danger" },
    rule: "step-up-partner-protected-referral",
    direction: "step-up",
    to: "csc",
    decider: { teamId: "csc", role: "team-manager" },
    deadlines: {},
    section: "Step up from Families First",
  },
  {
    name: "Step up from Families First: 'will go through the monthly Families First Action and Impact meetings ... agreement from the Families First Operations Manager'",
    facts: { currentTeam: "families-first", concern: "child-in-need", consent: "given" },
    rule: "step-up-ff-via-action-and-impact",
    direction: "step-up",
    to: "action-and-impact",
    decider: { teamId: "families-first", role: "operations-manager" },
    transferPoint: "at the next monthly Families First Action and Impact meeting",
    deadlines: {},
    section: "Step up from Families First",
  },
  {
    name: "Introduction: 'important that families ... give consent to share information (the exception would be in step up cases where doing so could place the safety of a child at risk)': refused, no risk: IFST keeps the case",
    facts: { currentTeam: "ifst", concern: "child-in-need", consent: "refused" },
    rule: "step-up-ff-consent-refused",
    direction: "stay",
    to: "ifst",
    decider: { teamId: "ifst", role: "team-manager" },
    deadlines: {},
    section: "Introduction",
  },
  {
    name: "Step up to 0-25 Service: 'Where Safeguarding Concerns arise within 0-25 Together Cases, they will be escalated to the Locality Teams'",
    facts: { currentTeam: "0-25-central", concern: "significant-harm" },
    rule: "step-up-0-25-central-to-locality",
    direction: "step-up",
    to: "0-25-locality",
    decider: { teamId: "0-25-locality", role: "team-manager" },
    deadlines: P8,
    section: "Step up to 0-25 Service",
  },
  {
    name: "Step up to 0-25 Service: 'this must be discussed with the 0-25 Service Manager (East or West) who will make the final decision'",
    facts: { currentTeam: "0-25-central", concern: "child-in-need" },
    rule: "stay-0-25-central-service-manager-decides",
    direction: "stay",
    to: "0-25-central",
    decider: { teamId: "0-25-locality", role: "service-manager" },
    alternatives: ["0-25-locality"],
    deadlines: { "decision-1-working-day": P8_DECISION },
    section: "Step up to 0-25 Service",
  },

  // ---------------- TYSS S20 -> CLA ----------------
  {
    name: "Step up to CLA Service from TYSS: 'transferred to the Children Looked after Team at 12 weeks (2nd CLA Review)': a 16 year old 8 weeks into S20 care",
    facts: { currentTeam: "tyss", concern: "child-in-need", legalStatus: "s20", returnHomeLikely: false, ageYears: 16, weeksInCare: 8, secondLacReviewOn: "2027-01-15" },
    rule: "tyss-s20-to-cla-at-12-weeks",
    direction: "step-up",
    to: "cla",
    decider: { teamId: "cla", role: "service-manager" },
    transferPoint: "at 12 weeks (the 2nd CLA review)",
    deadlines: {
      "permanence-plan-2-weeks-before": "2027-01-01T09:00:00.000Z", // Fri 15 Jan 09:00 less 2 weeks
      "early-warning-1-month-before": "2026-12-15T09:00:00.000Z",
      "cla-accept-2-working-days": P8_ALLOC,
      "cla-worker-5-days": DAYS5,
      "cla-allocate-2-working-days": "2027-01-19T17:00:00.000Z", // Mon 18, Tue 19
    },
    section: "Step up to CLA Service from Targeted Youth Support Service",
  },
  {
    name: "Step up to CLA Service from TYSS: 'permanence plan ... confirmed at least two weeks prior to the 2nd CLA Review' in British Summer Time (2nd review Tue 15 June 2027)",
    facts: { currentTeam: "tyss", concern: "child-in-need", legalStatus: "s20", returnHomeLikely: false, ageYears: 15, weeksInCare: 2, secondLacReviewOn: "2027-06-15" },
    rule: "tyss-s20-to-cla-at-12-weeks",
    direction: "step-up",
    to: "cla",
    decider: { teamId: "cla", role: "service-manager" },
    transferPoint: "at 12 weeks (the 2nd CLA review)",
    deadlines: {
      "permanence-plan-2-weeks-before": "2027-06-01T08:00:00.000Z",
      "early-warning-1-month-before": "2027-05-15T08:00:00.000Z",
      "cla-accept-2-working-days": P8_ALLOC,
      "cla-worker-5-days": DAYS5,
      "cla-allocate-2-working-days": "2027-06-17T16:00:00.000Z", // Thu 17 June 17:00 BST
    },
    section: "Step up to CLA Service from Targeted Youth Support Service",
  },
  {
    name: "Step up to CLA Service from TYSS boundary: 'at 12 weeks': exactly 12 weeks in care still transfers at the 2nd CLA review",
    facts: { currentTeam: "tyss", concern: "child-in-need", legalStatus: "s20", returnHomeLikely: false, ageYears: 14, weeksInCare: 12 },
    rule: "tyss-s20-to-cla-at-12-weeks",
    direction: "step-up",
    to: "cla",
    decider: { teamId: "cla", role: "service-manager" },
    transferPoint: "at 12 weeks (the 2nd CLA review)",
    deadlines: {
      "permanence-plan-2-weeks-before": null,
      "early-warning-1-month-before": null,
      "cla-accept-2-working-days": P8_ALLOC,
      "cla-worker-5-days": DAYS5,
      "cla-allocate-2-working-days": null,
    },
    section: "Step up to CLA Service from Targeted Youth Support Service",
  },
  {
    name: "Step up to CLA Service from TYSS boundary: 'remained in care longer than 12 weeks': 13 weeks in care, the transfer is due now",
    facts: { currentTeam: "tyss", concern: "child-in-need", legalStatus: "s20", returnHomeLikely: false, ageYears: 16, weeksInCare: 13, proposedTransferOn: "2026-12-24" },
    rule: "tyss-s20-to-cla-overdue",
    direction: "step-up",
    to: "cla",
    decider: { teamId: "cla", role: "service-manager" },
    transferPoint: "now: the 12-week point (2nd CLA review) has passed",
    deadlines: {
      "early-warning-1-month-before": "2026-11-24T09:00:00.000Z",
      "cla-accept-2-working-days": P8_ALLOC,
      "cla-worker-5-days": DAYS5,
      "cla-allocate-2-working-days": "2026-12-30T17:00:00.000Z", // Thu 24 Dec; 25 and 28 Dec are bank holidays
    },
    section: "Step up to CLA Service from Targeted Youth Support Service",
  },
  {
    name: "Step up to CLA Service from TYSS boundary: 'unless the young person is 17 years old or older': a 17 year old stays with TYSS",
    facts: { currentTeam: "tyss", concern: "child-in-need", legalStatus: "s20", ageYears: 17 },
    rule: "tyss-s20-stays-17-or-older",
    direction: "stay",
    to: "tyss",
    decider: { teamId: "tyss", role: "team-manager" },
    alternatives: ["cla"],
    deadlines: {},
    section: "Step up to CLA Service from Targeted Youth Support Service",
  },
  {
    name: "Step up to CLA Service from TYSS: 'and there is no indication of a return home': a return home is likely, so TYSS keeps the case",
    facts: { currentTeam: "tyss", concern: "child-in-need", legalStatus: "s20", returnHomeLikely: true },
    rule: "tyss-s20-stays-return-home",
    direction: "stay",
    to: "tyss",
    decider: { teamId: "tyss", role: "team-manager" },
    alternatives: ["cla"],
    deadlines: {},
    section: "Step up to CLA Service from Targeted Youth Support Service",
  },

  // ---------------- CLA Responsibility ----------------
  {
    name: "CLA Responsibility: 'Decision to accept case transfer will be made within two working days of receiving the early warning': Family Safeguarding, care order",
    facts: { currentTeam: "family-safeguarding", concern: "significant-harm", legalStatus: "care-order", proposedTeam: "cla", proposedTransferOn: "2026-12-24" },
    rule: "transfer-to-cla-proposed",
    direction: "transfer",
    to: "cla",
    decider: { teamId: "cla", role: "service-manager" },
    deadlines: {
      "early-warning-1-month-before": "2026-11-24T09:00:00.000Z",
      "cla-accept-2-working-days": P8_ALLOC,
      "cla-worker-5-days": DAYS5,
      "cla-allocate-2-working-days": "2026-12-30T17:00:00.000Z",
    },
    section: "CLA Responsibility",
  },
  {
    name: "CLA transfers – Safeguarding Teams/TYSS: 'Early warning to be sent to CLA teams one month prior to date of actual transfer': TYSS, interim care order, no date yet",
    facts: { currentTeam: "tyss", concern: "child-in-need", legalStatus: "interim-care-order", proposedTeam: "cla" },
    rule: "transfer-to-cla-proposed",
    direction: "transfer",
    to: "cla",
    decider: { teamId: "cla", role: "service-manager" },
    deadlines: {
      "early-warning-1-month-before": null,
      "cla-accept-2-working-days": P8_ALLOC,
      "cla-worker-5-days": DAYS5,
      "cla-allocate-2-working-days": null,
    },
    section: "CLA transfers – Safeguarding Teams/TYSS",
  },
  {
    name: "CLA transfers – Assessment Teams: 'Transfer of UASC cases will be fast tracked to CLA and transferred at the first CLA review' (first review Thu 25 March 2027, Easter)",
    facts: { currentTeam: "assessment", concern: "child-in-need", uasc: true, firstLacReviewOn: "2027-03-25" },
    rule: "uasc-fast-tracked-to-cla",
    direction: "transfer",
    to: "cla",
    decider: { teamId: "cla", role: "service-manager" },
    transferPoint: "at the first CLA review",
    deadlines: {
      "early-warning-now": "2026-11-23T10:00:00.000Z",
      "cla-accept-2-working-days": P8_ALLOC,
      "cla-worker-5-days": DAYS5,
      "cla-allocate-2-working-days": "2027-03-31T16:00:00.000Z", // Good Friday and Easter Monday skipped; 17:00 BST
    },
    section: "CLA transfers – Assessment Teams",
  },

  // ---------------- Assessment -> Family Safeguarding ----------------
  {
    name: "Case Transfer and Allocations Protocol: 'Early alert ... within 48 hours of Assessment TM decision to progress to CIN' and 'LCS case transfer ... within 48 hours of CIN'",
    facts: { currentTeam: "assessment", concern: "child-in-need", uasc: false, decisionOn: "2026-11-23", cinMeetingOn: "2026-12-01", proposedTransferOn: "2026-12-24" },
    rule: "assessment-to-fs-cin",
    direction: "transfer",
    to: "family-safeguarding",
    decider: { teamId: "family-safeguarding", role: "team-manager" },
    transferPoint: "at the initial CIN meeting (LCS case transfer within 48 hours of the CIN)",
    deadlines: {
      "early-alert-48-hours": "2026-11-25T09:00:00.000Z",
      "fss-review-2-days": DAYS2,
      "fss-worker-2-working-days": P8_ALLOC,
      "lcs-transfer-48-hours-after-cin": "2026-12-03T09:00:00.000Z",
      "fss-allocate-2-working-days": "2026-12-30T17:00:00.000Z",
    },
    section: "Case Transfer and Allocations Protocol From Assessment Teams to Family Safeguarding Teams – Process to be followed",
  },
  {
    name: "Case Transfer and Allocations Protocol: 'within ... 24 hours ICPCC' and 'allocate ... on day of the ICPC': a JCPIT case going to ICPC",
    facts: { currentTeam: "jcpit", concern: "significant-harm", decisionOn: "2026-11-23", icpcOn: "2026-12-07" },
    rule: "assessment-to-fs-icpc",
    direction: "transfer",
    to: "family-safeguarding",
    decider: { teamId: "family-safeguarding", role: "team-manager" },
    transferPoint: "at the ICPC (allocated on the day of the ICPC; LCS case transfer within 24 hours)",
    deadlines: {
      "early-alert-48-hours": "2026-11-25T09:00:00.000Z",
      "fss-review-2-days": DAYS2,
      "fss-worker-2-working-days": P8_ALLOC,
      "lcs-transfer-24-hours-after-icpc": "2026-12-08T09:00:00.000Z",
      "fss-allocate-day-of-icpc": "2026-12-07T17:00:00.000Z",
    },
    section: "Case Transfer and Allocations Protocol From Assessment Teams to Family Safeguarding Teams – Process to be followed",
  },
  {
    name: "Case Transfer and Allocations Protocol: 'within 48 hours of Assessment TM decision': with no decision date the decision is now; the ICPC clocks wait for its date",
    facts: { currentTeam: "assessment", concern: "significant-harm", uasc: false },
    rule: "assessment-to-fs-icpc",
    direction: "transfer",
    to: "family-safeguarding",
    decider: { teamId: "family-safeguarding", role: "team-manager" },
    deadlines: {
      "early-alert-48-hours": H48,
      "fss-review-2-days": DAYS2,
      "fss-worker-2-working-days": P8_ALLOC,
      "lcs-transfer-24-hours-after-icpc": null,
      "fss-allocate-day-of-icpc": null,
    },
    section: "Case Transfer and Allocations Protocol From Assessment Teams to Family Safeguarding Teams – Process to be followed",
  },

  // ---------------- Step down: MASH and OOHS ----------------
  {
    name: "Step down from MASH: 'send to IFSTs, TYS or Families First Triage for other partners to consider undertaking a Families First assessment'",
    facts: { currentTeam: "mash", concern: "additional-needs", consent: "given", ...NO_NEEDS },
    rule: "step-down-front-door-to-triage",
    direction: "step-down",
    to: "families-first-triage",
    decider: { teamId: "families-first-triage", role: "team-manager" },
    alternatives: ["families-first"],
    deadlines: P8,
    section: "Step down from MASH",
  },
  {
    name: "Out of Hours: 'OOHS step down the contact on EHM and send to ... TYS': family breakdown likely (TYSS criteria)",
    facts: { currentTeam: "oohs", concern: "additional-needs", consent: "given", familyBreakdown: "at-risk", complexFamilyNeeds: false },
    rule: "step-down-front-door-to-tyss",
    direction: "step-down",
    to: "tyss",
    decider: { teamId: "tyss", role: "team-manager" },
    deadlines: P8,
    section: "Out of Hours",
  },
  {
    name: "Targeted Youth Support Service: '... (this may include a risk of Child Sexual Exploitation)': MASH steps a young person at risk of CSE down to TYSS",
    facts: { currentTeam: "mash", concern: "additional-needs", consent: "given", exploitationRisk: true, complexFamilyNeeds: false },
    rule: "step-down-front-door-to-tyss",
    direction: "step-down",
    to: "tyss",
    decider: { teamId: "tyss", role: "team-manager" },
    deadlines: P8,
    section: "Targeted Youth Support Service",
  },
  {
    name: "Step down from MASH: '... send to IFSTs': four or more presenting issues across the family",
    facts: { currentTeam: "mash", concern: "additional-needs", consent: "given", ...NO_TYSS, complexFamilyNeeds: true },
    rule: "step-down-front-door-to-ifst",
    direction: "step-down",
    to: "ifst",
    decider: { teamId: "ifst", role: "team-manager" },
    deadlines: P8,
    section: "Intensive Family Support Teams (Thriving Families)",
  },
  {
    name: "Out of Hours: both TYSS and IFST needs: Families First Triage decides ('contact the Triage manager to discuss the level of support')",
    facts: { currentTeam: "oohs", concern: "universal", consent: "given", missingEpisodes: true, complexFamilyNeeds: true },
    rule: "step-down-front-door-both-to-triage",
    direction: "step-down",
    to: "families-first-triage",
    decider: { teamId: "families-first-triage", role: "team-manager" },
    alternatives: ["ifst", "tyss"],
    deadlines: P8,
    section: "Step down from Family Safeguarding Services and Specialist Services including 0-25 Together",
  },

  // ---------------- Step down: Assessment / JCPIT / DCT / 0-25 Central ----------------
  {
    name: "Step down from Assessment Teams: 'complete a summary and step down to Families' First Triage' and the closing letter's 'in the next 10 days'",
    facts: { currentTeam: "assessment", concern: "additional-needs", consent: "given", previousTeam: "none", ...NO_NEEDS },
    rule: "step-down-assessment-to-triage",
    direction: "step-down",
    to: "families-first-triage",
    decider: { teamId: "families-first-triage", role: "team-manager" },
    alternatives: ["families-first"],
    deadlines: P8_LETTER,
    section: "Step down from Assessment Teams Joint Child Protection Investigation Team (JCIPT) and 0-25 Together",
  },
  {
    name: "Targeted Youth Support Service: 'A 16/17 year old is homeless': JCPIT steps down to TYSS",
    facts: { currentTeam: "jcpit", concern: "additional-needs", consent: "given", previousTeam: "none", homeless16or17: true, complexFamilyNeeds: false },
    rule: "step-down-assessment-to-tyss",
    direction: "step-down",
    to: "tyss",
    decider: { teamId: "tyss", role: "team-manager" },
    deadlines: P8_LETTER,
    section: "Targeted Youth Support Service",
  },
  {
    name: "Step down from Assessment Teams: '... IFST ... on EHM': DCT Assessment with complex whole-family needs, closing letter clock over Christmas",
    facts: { currentTeam: "dct-assessment", concern: "additional-needs", consent: "given", previousTeam: "none", ...NO_TYSS, complexFamilyNeeds: true },
    now: XMAS_EVE,
    rule: "step-down-assessment-to-ifst",
    direction: "step-down",
    to: "ifst",
    decider: { teamId: "ifst", role: "team-manager" },
    deadlines: {
      "decision-1-working-day": "2026-12-29T17:00:00.000Z",
      "allocation-2-working-days": "2026-12-30T17:00:00.000Z",
      "family-contacted-10-days": "2027-01-03T10:00:00.000Z",
    },
    section: "Step down from Assessment Teams Joint Child Protection Investigation Team (JCIPT) and 0-25 Together",
  },
  {
    name: "Step down from Assessment Teams and 0-25 Together: both TYSS and IFST needs go to Families First Triage",
    facts: { currentTeam: "0-25-central", concern: "universal", consent: "given", previousTeam: "none", youthJustice: true, complexFamilyNeeds: true },
    rule: "step-down-assessment-both-to-triage",
    direction: "step-down",
    to: "families-first-triage",
    decider: { teamId: "families-first-triage", role: "team-manager" },
    alternatives: ["ifst", "tyss"],
    deadlines: P8_LETTER,
    section: "Step down from Family Safeguarding Services and Specialist Services including 0-25 Together",
  },
  {
    name: "Step Up to Assessment Services: 'If the S47 ... concludes no risk of significant harm, the case will close ... and work will continue from the relevant service'",
    facts: { currentTeam: "assessment", concern: "additional-needs", previousTeam: "tyss" },
    rule: "s47-no-harm-back-to-referring-service",
    direction: "step-down",
    to: "tyss",
    decider: { teamId: "tyss", role: "team-manager" },
    deadlines: { "decision-1-working-day": P8_DECISION },
    section: "Step Up to Assessment Services",
  },

  // ---------------- Step down: Family Safeguarding / 0-25 Locality / CLA ----------------
  {
    name: "Step down from Family Safeguarding: 'Action and Impact meetings ... will be the conduit for step down where a safeguarding team have been unable to identify a key worker'",
    facts: { currentTeam: "family-safeguarding", concern: "additional-needs", consent: "given", previousTeam: "none", leadProfessionalIdentified: false },
    rule: "step-down-sss-via-action-and-impact",
    direction: "step-down",
    to: "action-and-impact",
    decider: { teamId: "action-and-impact", role: "chair" },
    alternatives: ["ifst", "tyss", "families-first"],
    transferPoint: "at the next monthly Action and Impact meeting, after the final review",
    deadlines: {},
    section: "Step down from Family Safeguarding Services and Specialist Services including 0-25 Together",
  },
  {
    name: "Step down from Family Safeguarding: 'You can continue to step down in the interim via Families First Triage if a key worker has been identified'",
    facts: { currentTeam: "family-safeguarding", concern: "additional-needs", consent: "given", previousTeam: "none", leadProfessionalIdentified: true },
    rule: "step-down-sss-key-worker-via-triage",
    direction: "step-down",
    to: "families-first-triage",
    decider: { teamId: "families-first-triage", role: "team-manager" },
    transferPoint: "after the final review",
    deadlines: P8_LETTER,
    section: "Step down from Family Safeguarding Services and Specialist Services including 0-25 Together",
  },
  {
    name: "Step down from 0-25 Together: 'If you have missed an A&I meeting please send to Families First Triage for a chairs decision'",
    facts: { currentTeam: "0-25-locality", concern: "universal", consent: "given", previousTeam: "none", leadProfessionalIdentified: false, urgent: true },
    rule: "step-down-sss-missed-action-and-impact",
    direction: "step-down",
    to: "families-first-triage",
    decider: { teamId: "action-and-impact", role: "chair" },
    transferPoint: "on the Action and Impact chair's decision",
    deadlines: P8_LETTER,
    section: "Step down from Family Safeguarding Services and Specialist Services including 0-25 Together",
  },
  {
    name: "Step down from Children Looked After: '... follow on from ... Children Looked After where a need for ongoing support ... has been identified': a 12 year old going home",
    facts: { currentTeam: "cla", concern: "additional-needs", ceasingToBeLookedAfter: true, consent: "given", legalStatus: "s20", ageYears: 12, leadProfessionalIdentified: true },
    rule: "step-down-sss-key-worker-via-triage",
    direction: "step-down",
    to: "families-first-triage",
    decider: { teamId: "families-first-triage", role: "team-manager" },
    deadlines: P8_LETTER,
    section: "Step down from Family Safeguarding Services and Specialist Services including 0-25 Together",
  },
  {
    name: "Step down from Assessment Teams: 'It is important that the family has given consent': consent refused, Family Safeguarding keeps the case",
    facts: { currentTeam: "family-safeguarding", concern: "additional-needs", consent: "refused", previousTeam: "none" },
    rule: "step-down-consent-refused-stays",
    direction: "stay",
    to: "family-safeguarding",
    decider: { teamId: "family-safeguarding", role: "team-manager" },
    deadlines: {},
    section: "Introduction",
  },
  {
    name: "Introduction: consent to share information before a step down: refused at MASH, no step down",
    facts: { currentTeam: "mash", concern: "universal", consent: "refused" },
    rule: "step-down-consent-refused-stays",
    direction: "stay",
    to: "mash",
    decider: { teamId: "mash", role: "team-manager" },
    deadlines: {},
    section: "Step down from Assessment Teams Joint Child Protection Investigation Team (JCIPT) and 0-25 Together",
  },
  {
    name: "Step down from Assessment Teams: 'If consent is withdrawn ... the receiving team should contact the referring team for a case discussion, prior to case closure'",
    facts: { currentTeam: "ifst", concern: "additional-needs", consent: "refused", previousTeam: "assessment" },
    rule: "consent-withdrawn-after-step-down",
    direction: "stay",
    to: "ifst",
    decider: { teamId: "ifst", role: "team-manager" },
    alternatives: ["assessment"],
    deadlines: {},
    section: "Step down from Assessment Teams Joint Child Protection Investigation Team (JCIPT) and 0-25 Together",
  },

  // ---------------- Adoption Support below threshold ----------------
  {
    name: "Adoption Support: 'does not meet protection threshold ... send to Action and Impact': a 12 year old (below the TYSS age of 13)",
    facts: { currentTeam: "ast", concern: "child-in-need", consent: "given", ageYears: 12, complexFamilyNeeds: false },
    rule: "step-down-ast-via-action-and-impact",
    direction: "step-down",
    to: "action-and-impact",
    decider: { teamId: "action-and-impact", role: "chair" },
    alternatives: ["tyss", "ifst"],
    transferPoint: "at the next monthly Action and Impact meeting",
    deadlines: {},
    section: "Adoption Support",
  },
  {
    name: "SAFEGUARDING Referrals for open Adoption cases: 'for TYSS action is 13 years': a 13 year old whose placement has broken down goes to TYS",
    facts: { currentTeam: "ast", concern: "child-in-need", consent: "given", ageYears: 13, familyBreakdown: "broken-down", complexFamilyNeeds: false },
    rule: "step-down-ast-to-tyss-13-plus",
    direction: "step-down",
    to: "tyss",
    decider: { teamId: "tyss", role: "team-manager" },
    deadlines: P8,
    section: "SAFEGUARDING Referrals for open Adoption cases",
  },
  {
    name: "Adoption Support: '... send to ... IFST': complex needs across the adoptive family",
    facts: { currentTeam: "ast", concern: "additional-needs", consent: "given", ageYears: 8, complexFamilyNeeds: true },
    rule: "step-down-ast-to-ifst",
    direction: "step-down",
    to: "ifst",
    decider: { teamId: "ifst", role: "team-manager" },
    deadlines: P8,
    section: "Adoption Support",
  },
  {
    name: "Adoption Support: a 14 year old fitting both TYS and IFST goes to Action and Impact",
    facts: { currentTeam: "ast", concern: "additional-needs", consent: "given", ageYears: 14, youthJustice: true, complexFamilyNeeds: true },
    rule: "step-down-ast-both-via-action-and-impact",
    direction: "step-down",
    to: "action-and-impact",
    decider: { teamId: "action-and-impact", role: "chair" },
    alternatives: ["tyss", "ifst"],
    deadlines: {},
    section: "Adoption Support",
  },
  {
    name: "Adoption Support Team: 'statutory duty to ... carry out assessment of adoption support needs': a new contact for an adopted child",
    facts: { currentTeam: "none", request: "adoption-or-sgo-support-only", legalStatus: "adoption-order" },
    rule: "adoption-support-request-to-ast",
    direction: "transfer",
    to: "ast",
    decider: { teamId: "ast", role: "team-manager" },
    deadlines: P8,
    section: "Adoption Support Team",
  },

  // ---------------- Families First Triage ----------------
  {
    name: "Step down from Family Safeguarding: Families First identifies '... or they can be supported by a partner agency': Triage passes to a partner",
    facts: { currentTeam: "families-first-triage", concern: "additional-needs", previousTeam: "none", ...NO_NEEDS },
    rule: "triage-to-partner",
    direction: "transfer",
    to: "families-first",
    decider: { teamId: "families-first-triage", role: "team-manager" },
    deadlines: P8,
    section: "Step down from MASH",
  },
  {
    name: "Targeted Youth Support Service: 'A young person is subject to a Youth Justice service': Triage allocates to TYSS",
    facts: { currentTeam: "families-first-triage", concern: "additional-needs", previousTeam: "none", youthJustice: true, complexFamilyNeeds: false },
    rule: "triage-to-tyss",
    direction: "transfer",
    to: "tyss",
    decider: { teamId: "tyss", role: "team-manager" },
    deadlines: P8,
    section: "Targeted Youth Support Service",
  },
  {
    name: "Targeted Youth Support Service: 'A young person is a Care Leaver aged 18 or over': Triage allocates a 19 year old care leaver to TYSS",
    facts: { currentTeam: "families-first-triage", concern: "additional-needs", previousTeam: "none", legalStatus: "care-leaver", ageYears: 19, complexFamilyNeeds: false },
    rule: "triage-to-tyss",
    direction: "transfer",
    to: "tyss",
    decider: { teamId: "tyss", role: "team-manager" },
    deadlines: P8,
    section: "Targeted Youth Support Service",
  },
  {
    name: "Intensive Family Support Teams: 'evidence of four or more of the following presenting issues': Triage allocates to an IFST",
    facts: { currentTeam: "families-first-triage", concern: "additional-needs", previousTeam: "none", ...NO_TYSS, complexFamilyNeeds: true },
    rule: "triage-to-ifst",
    direction: "transfer",
    to: "ifst",
    decider: { teamId: "ifst", role: "team-manager" },
    deadlines: P8,
    section: "Intensive Family Support Teams (Thriving Families)",
  },
  {
    name: "Step down from Family Safeguarding: 'contact the Triage manager to discuss the level of support required': both criteria met, the Triage manager decides",
    facts: { currentTeam: "families-first-triage", concern: "additional-needs", previousTeam: "none", missingEpisodes: true, complexFamilyNeeds: true },
    rule: "triage-both-manager-decides",
    direction: "stay",
    to: "families-first-triage",
    decider: { teamId: "families-first-triage", role: "team-manager" },
    alternatives: ["ifst", "tyss"],
    deadlines: { "decision-1-working-day": P8_DECISION },
    section: "Step down from Family Safeguarding Services and Specialist Services including 0-25 Together",
  },

  // ---------------- What TYSS does not accept / offers ----------------
  {
    name: "Targeted Youth Support Service: 'TYSS do not accept transfer of a Child in Need plan from another team'",
    facts: { currentTeam: "family-safeguarding", concern: "child-in-need", plan: "cin", proposedTeam: "tyss", highRiskBehaviour: false },
    rule: "tyss-refuses-cin-plan-transfer",
    direction: "refuse",
    to: null,
    decider: { teamId: "tyss", role: "team-manager" },
    alternatives: ["tyss", "family-safeguarding"],
    deadlines: {},
    section: "Targeted Youth Support Service",
  },
  {
    name: "Targeted Youth Support Service: 'a young person subject to a Child Protection Plan ... requires a short term targeted piece of intervention to address high risk behaviour'",
    facts: { currentTeam: "family-safeguarding", concern: "significant-harm", plan: "cp", highRiskBehaviour: true },
    rule: "tyss-short-term-work-cin-cp",
    direction: "stay",
    to: "family-safeguarding",
    decider: { teamId: "family-safeguarding", role: "team-manager" },
    alternatives: ["tyss"],
    deadlines: {},
    section: "Targeted Youth Support Service",
  },
  {
    name: "Targeted Youth Support Service: 'Where a Child Looked After has a clear plan to return home ... a targeted piece of work': CLA keeps the case",
    facts: { currentTeam: "cla", ceasingToBeLookedAfter: false, returnHomeLikely: true, legalStatus: "care-order" },
    rule: "tyss-short-term-work-cla",
    direction: "stay",
    to: "cla",
    decider: { teamId: "cla", role: "team-manager" },
    alternatives: ["tyss"],
    deadlines: {},
    section: "Targeted Youth Support Service",
  },
  {
    name: "Targeted Youth Support Service: 'A young person is a Care Leaver aged 18 or over': CLA transfers an 18 year old care leaver to TYSS",
    facts: { currentTeam: "cla", legalStatus: "care-leaver", ageYears: 18 },
    rule: "cla-care-leaver-18-to-tyss",
    direction: "transfer",
    to: "tyss",
    decider: { teamId: "tyss", role: "team-manager" },
    deadlines: P8,
    section: "Targeted Youth Support Service",
  },
  {
    name: "Targeted Youth Support Service boundary: 'Care Leaver aged 18 or over': at 17 the young person stays with CLA",
    facts: { currentTeam: "cla", legalStatus: "care-leaver", ageYears: 17, concern: "child-in-need", plan: "none", ceasingToBeLookedAfter: false, returnHomeLikely: false, highRiskBehaviour: false },
    rule: null,
    direction: "stay",
    to: "cla",
    decider: { teamId: "cla", role: "team-manager" },
    deadlines: {},
    section: "Principles of transfer protocol, 2",
  },
  {
    name: "Legal Planning Meetings: 'Requests for an LPM by TYSS ... will require in the first instance a professionals meeting ... chaired by the TYSS Head of Service'",
    facts: { currentTeam: "tyss", concern: "significant-harm", proposedTeam: "lpm" },
    rule: "tyss-lpm-professionals-meeting-first",
    direction: "stay",
    to: "tyss",
    decider: { teamId: "tyss", role: "head-of-service" },
    alternatives: ["lpm"],
    deadlines: {},
    section: "Legal Planning Meetings and Statements for Court",
  },

  // ---------------- Disputes, the front door, fallback ----------------
  {
    name: "Case allocation resolution process, 2: 'resolved promptly, at the lowest possible level and within one working day'",
    facts: { currentTeam: "family-safeguarding", concern: "child-in-need", plan: "cin", highRiskBehaviour: false, managersDisagree: true },
    rule: "managers-disagree-resolution-process",
    direction: "stay",
    to: "family-safeguarding",
    decider: { teamId: "family-safeguarding", role: "team-manager" },
    deadlines: { "resolution-1-working-day": P8_DECISION },
    section: "Case allocation resolution process, 2",
  },
  {
    name: "Case allocation resolution process: 'Please note the timescale of one working day': raised on Christmas Eve, due Tue 29 Dec",
    facts: { currentTeam: "cla", concern: "child-in-need", plan: "none", legalStatus: "care-order", ceasingToBeLookedAfter: false, returnHomeLikely: false, highRiskBehaviour: false, managersDisagree: true },
    now: XMAS_EVE,
    rule: "managers-disagree-resolution-process",
    direction: "stay",
    to: "cla",
    decider: { teamId: "cla", role: "team-manager" },
    deadlines: { "resolution-1-working-day": "2026-12-29T17:00:00.000Z" },
    section: "Case allocation resolution process",
  },
  {
    name: "Principles of transfer protocol, 9: 'The Customer Service Centre or MASH must not be used as a way of stepping up/stepping down cases'",
    facts: { currentTeam: "family-safeguarding", concern: "child-in-need", plan: "cin", proposedTeam: "mash", highRiskBehaviour: false },
    rule: "refuse-step-via-csc-or-mash",
    direction: "refuse",
    to: null,
    decider: { teamId: "family-safeguarding", role: "team-manager" },
    alternatives: ["assessment", "action-and-impact", "families-first-triage"],
    deadlines: {},
    section: "Principles of transfer protocol, 9",
  },
  {
    name: "Case allocation resolution process, 3: 'Referrals CANNOT be passed back to the CSC': proposing the CSC while managers disagree",
    facts: { currentTeam: "assessment", concern: "universal", proposedTeam: "csc", managersDisagree: true, consent: "given", previousTeam: "none", ...NO_NEEDS },
    rule: "step-down-assessment-to-triage",
    direction: "step-down",
    to: "families-first-triage",
    decider: { teamId: "families-first-triage", role: "team-manager" },
    deadlines: P8_LETTER,
    section: "Case allocation resolution process, 3",
  },
  {
    name: "Principles of transfer protocol, 2 (fallback): no routing statement moves a CIN plan with no change: the case stays and managers talk",
    facts: { currentTeam: "family-safeguarding", concern: "child-in-need", plan: "cin", highRiskBehaviour: false },
    rule: null,
    direction: "stay",
    to: "family-safeguarding",
    decider: { teamId: "family-safeguarding", role: "team-manager" },
    deadlines: {},
    section: "Principles of transfer protocol, 2",
  },
];

describe("Hertfordshire: step up / step down and transfer protocol", () => {
  test.each(cases)("$name", (c) => {
    // Alternatives are checked when the case lists them.
    const r = expectRoute(recommend(pack, c.facts, c.now ?? NOW), { ...c, decider: [c.decider.teamId, c.decider.role] });
    if (c.transferPoint !== undefined) expect(r.transferPoint).toBe(c.transferPoint);
    for (const d of r.deadlines) if (d.at === null) expect(d.note).toMatch(/Not a date yet/);
    expect(r.citations.map((x) => x.section)).toContain(c.section);
    expect(r.citations.every((x) => x.file === "000_9507af15a214ca67.txt")).toBe(true);
    expect(r.escalation).not.toBeNull();
    covered.record(r);
  });

  test("the table covers every rule, destination, decider and time limit of the pack", () => {
    const scope = scopeOf(pack);
    expect(missing(scope.rules, covered.rules)).toEqual([]);
    expect(covered.fallback).toBe(true);
    expect(missing(scope.destinations, covered.destinations)).toEqual([]);
    expect(missing(scope.deciders, covered.deciders)).toEqual([]);
    expect(missing(scope.ruleDeadlines, covered.ruleDeadlines)).toEqual([]);
  });
});

describe("Hertfordshire: questions", () => {
  test("with no facts, Stepwise asks and does not guess", () => {
    const r = expectAsksWithNoFacts(pack);
    expect(r.questions[0]?.id).toBe("currentTeam");
    expect(r.questions.map((q) => q.id).slice(0, 3)).toEqual(["currentTeam", "concern", "ageYears"]);
  });

  test.each([
    {
      name: "IFST with child protection concerns: only what decides between Assessment, JCPIT, the one month rule, DCT and disguised compliance",
      facts: { currentTeam: "ifst", concern: "significant-harm" } as CaseFacts,
      asks: ["previousTeam", "previousClosedOn", "consent", "crimeAgainstChildSuspected", "disability"],
    },
    {
      name: "IFST with no previous team: only crime and disability remain",
      facts: { currentTeam: "ifst", concern: "significant-harm", previousTeam: "none" } as CaseFacts,
      asks: ["crimeAgainstChildSuspected", "disability"],
    },
    {
      name: "MASH with no protection concerns: consent, the TYSS criteria (age and legal status for 'a Care Leaver aged 18 or over') and IFST needs, nothing about plans or previous teams",
      facts: { currentTeam: "mash", concern: "additional-needs" } as CaseFacts,
      asks: ["ageYears", "legalStatus", "consent", "familyBreakdown", "homeless16or17", "highRiskBehaviour", "exploitationRisk", "youthJustice", "missingEpisodes", "complexFamilyNeeds"],
    },
    {
      name: "MASH with a 9 year old and no protection concerns: no legal status question (a care leaver is 18 or over)",
      facts: { currentTeam: "mash", concern: "additional-needs", ageYears: 9, consent: "given" } as CaseFacts,
      asks: ["familyBreakdown", "homeless16or17", "highRiskBehaviour", "exploitationRisk", "youthJustice", "missingEpisodes", "complexFamilyNeeds"],
    },
    {
      name: "Family Safeguarding stepping down: previous team (S47 return), consent, key worker (a missed A&I meeting is assumed not)",
      facts: { currentTeam: "family-safeguarding", concern: "additional-needs" } as CaseFacts,
      asks: ["previousTeam", "consent", "leadProfessionalIdentified"],
    },
    {
      name: "TYSS S20 case with no child protection concerns: age, return home and weeks in care only",
      facts: { currentTeam: "tyss", legalStatus: "s20", concern: "child-in-need" } as CaseFacts,
      asks: ["ageYears", "returnHomeLikely", "weeksInCare"],
    },
    {
      name: "TYSS S20 young person aged 16: return home and weeks in care only",
      facts: { currentTeam: "tyss", legalStatus: "s20", concern: "child-in-need", ageYears: 16 } as CaseFacts,
      asks: ["returnHomeLikely", "weeksInCare"],
    },
    {
      name: "TYSS with a Child in Need concern: whether the young person is looked after, then consent",
      facts: { currentTeam: "tyss", concern: "child-in-need" } as CaseFacts,
      asks: ["ageYears", "legalStatus", "consent", "returnHomeLikely", "weeksInCare"],
    },
    {
      name: "Assessment Team progressing to a CIN plan: only the UASC fast track",
      facts: { currentTeam: "assessment", concern: "child-in-need" } as CaseFacts,
      asks: ["uasc"],
    },
  ])("a partially answered case asks only relevant questions: $name", ({ facts, asks }) => {
    expect(expectAsks(recommend(pack, facts, NOW))).toEqual(asks);
  });

  test("assumptions: no proposed team and no missed A&I meeting unless the practitioner says so, and the answer lists them", () => {
    const r = recommend(pack, { currentTeam: "family-safeguarding", concern: "additional-needs", consent: "given", previousTeam: "none", leadProfessionalIdentified: false }, NOW);
    expect(r.ruleId).toBe("step-down-sss-via-action-and-impact");
    expect(r.assumptions.map((a) => [a.fact, a.value])).toEqual(expect.arrayContaining([["urgent", false]]));
    const told = recommend(pack, { currentTeam: "family-safeguarding", concern: "additional-needs", consent: "given", previousTeam: "none", leadProfessionalIdentified: false, urgent: true }, NOW);
    expect(told.ruleId).toBe("step-down-sss-missed-action-and-impact");
    expect(told.assumptions.map((a) => a.fact)).not.toContain("urgent");
  });

  test("questions use Hertfordshire's words", () => {
    const r = recommend(pack, { currentTeam: "family-safeguarding", concern: "additional-needs", consent: "given", previousTeam: "none" }, NOW);
    const q = r.questions.find((x) => x.id === "leadProfessionalIdentified");
    expect(q?.text).toMatch(/Action and Impact/);
    const c = recommend(pack, {}, NOW).questions.find((x) => x.id === "concern");
    expect(c?.options.find((o) => o.value === "additional-needs")?.label).toMatch(/Families First/);
  });

  test("a team id that is not Hertfordshire's is rejected", () => {
    expect(() => recommend(pack, { currentTeam: "cpcin" }, NOW)).toThrow(/currentTeam/);
  });
});

describe("Hertfordshire: warnings, ladders, checklist, early warning", () => {
  const facts = (more: CaseFacts): CaseFacts => ({ currentTeam: "assessment", concern: "additional-needs", consent: "given", previousTeam: "none", ...NO_NEEDS, ...more });

  test("Principles 1, 6, 7 and 9 travel with every step up or step down", () => {
    const r = recommend(pack, facts({}), NOW);
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        "Capacity of a team to take on cases will not prevent or delay transfer.",
        "The transfer checklist must not delay the timeliness of transfer and must not be used as a tool to prevent it.",
        "The Customer Service Centre or MASH must not be used as a way of stepping up or stepping down cases.",
        "Do not put 'to Monitor': it will not result in service provision.",
      ]),
    );
    expect(r.citations.map((c) => c.section)).toEqual(expect.arrayContaining(["Principles of transfer protocol, 1", "Principles of transfer protocol, 7", "Principles of transfer protocol, 9"]));
  });

  test("Consent Form: 'VALID FOR INFORMATION SHARING FOR ONE YEAR' is shown on step downs", () => {
    expect(recommend(pack, facts({}), NOW).warnings.join(" ")).toMatch(/valid for one year/);
  });

  test.each([
    { age: 17, shown: false },
    { age: 18, shown: true },
  ])("Families First: 'as long as there is a dependent child (under 18)': a young person aged $age (shown: $shown)", ({ age, shown }) => {
    const r = recommend(pack, facts({ ageYears: age }), NOW);
    expect(r.warnings.some((w) => /dependent child under 18/.test(w))).toBe(shown);
  });

  test("Families First: the under-18 warning is not shown for a care leaver going to TYSS (support up to 25)", () => {
    const r = recommend(pack, { currentTeam: "families-first-triage", concern: "additional-needs", previousTeam: "none", legalStatus: "care-leaver", ageYears: 19, complexFamilyNeeds: false }, NOW);
    expect(r.destination?.teamId).toBe("tyss");
    expect(r.warnings.some((w) => /dependent child under 18/.test(w))).toBe(false);
  });

  test("Intensive Family Support Teams: 'at least six months and 3 terms' is shown while IFST holds the case", () => {
    const r = recommend(pack, { currentTeam: "ifst", concern: "child-in-need", consent: "refused" }, NOW);
    expect(r.warnings.join(" ")).toMatch(/at least six months \(and 3 terms/);
    expect(r.citations.map((c) => c.section)).toContain("Intensive Family Support Teams (Thriving Families)");
  });

  test("Consent Form: information can be shared without consent to protect a child: a refused consent does not stop a child protection step up", () => {
    const r = recommend(pack, { currentTeam: "tyss", concern: "immediate-danger", consent: "refused", ...EH_CP_PLAIN }, NOW);
    expect(r.destination?.teamId).toBe("assessment");
    expect(r.warnings.join(" ")).toMatch(/information can be shared without it/);
  });

  test("Targeted Youth Support Service: proposing TYSS for a CIN plan at the Assessment Team: Family Safeguarding, with the TYSS warning", () => {
    const r = recommend(pack, { currentTeam: "assessment", concern: "child-in-need", uasc: false, plan: "cin", proposedTeam: "tyss" }, NOW);
    expect(r.destination?.teamId).toBe("family-safeguarding");
    expect(r.warnings.join(" ")).toMatch(/TYSS do not accept transfer of a Child in Need plan/);
  });

  test("Principles 3 and 4: a disagreement keeps the protocol's route and adds the resolution process", () => {
    const r = recommend(pack, { currentTeam: "ifst", concern: "significant-harm", ...EH_CP_PLAIN, managersDisagree: true }, NOW);
    expect(r.destination?.teamId).toBe("assessment");
    expect(r.warnings.join(" ")).toMatch(/immediate or urgent needs of the child and family remain the priority/);
    expect(r.warnings.join(" ")).toMatch(/cannot be passed back to the CSC/);
  });

  test("Case allocation resolution process: four levels, one working day each, ending with the Directors", () => {
    const r = recommend(pack, { currentTeam: "ifst", concern: "significant-harm", ...EH_CP_PLAIN }, NOW);
    expect(r.escalation?.ladderId).toBe("step-up");
    expect(r.escalation?.levels.map((l) => [l.level, l.role.teamId, l.role.role, l.within])).toEqual([
      [1, "ifst", "team-manager", "1 working day"],
      [2, "ifst", "service-manager", "1 working day"],
      [3, "ifst", "head-of-service", "1 working day"],
      [4, null, "director", null],
    ]);
    expect(r.escalation?.levels[2]?.role.title).toMatch(/TYS\/TF\/EH/);
    for (const id of ["dispute", "step-up", "step-down", "transfer"]) {
      const ladder = pack.ladders.find((l) => l.id === id);
      expect(ladder?.resolveWithin).toEqual({ amount: 1, unit: "working-days" });
      expect(ladder?.cite.map((c) => c.section)).toContain("Case allocation resolution process, 2");
    }
  });

  test.each([
    { ladder: "fss-allocation", team: "family-safeguarding", section: "Case Transfer and Allocations Protocol From Assessment Teams to Family Safeguarding Teams – Process to be followed" },
    { ladder: "cla-allocation", team: "cla", section: "CLA Responsibility" },
  ])("'Failure to respond/receive ... will require immediate escalation': $ladder", ({ ladder, team, section }) => {
    const l = pack.ladders.find((x) => x.id === ladder);
    expect(l?.levels[0]).toMatchObject({ role: { team, role: "team-manager" }, within: { amount: 2, unit: "working-days" } });
    expect(l?.levels[1]).toMatchObject({ role: { team, role: "service-manager" } });
    expect(l?.cite.map((c) => c.section)).toContain(section);
  });

  test("Checklist for all Case Transfers: every section, advisory only", () => {
    expect(pack.checklist.advisory).toMatch(/MUST NOT delay/);
    expect([...new Set(pack.checklist.items.map((i) => i.section))]).toEqual([
      "Early warning",
      "For all cases",
      "For CIN and CP cases",
      "For CLA cases",
      "For cases transfer between CLA & TYS",
      "Key documents",
    ]);
    expect(pack.checklist.items.length).toBeGreaterThanOrEqual(35);
  });

  test("Early Warning of Case Transfer: names, dates of birth and addresses are never collected", () => {
    const f = pack.earlyWarningForm.fields;
    expect(f.filter((x) => x.sensitive).map((x) => x.id)).toEqual(["names", "dob", "primary-address"]);
    expect(f.find((x) => x.id === "proposed-transfer-date")?.fact).toBe("proposedTransferOn");
    expect(f.find((x) => x.id === "icpcc-date")?.fact).toBe("icpcOn");
  });
});

describe("Hertfordshire: the pack itself", () => {
  test("checkPack finds no problems (references, citations, no two rules applying with different answers)", () => {
    expect(checkPack(pack)).toEqual([]);
  }, 600_000);

  itWithProtocol(pack)("every citation quotes the protocol verbatim", () => {
    // The protocol's text keeps its bold markup (** and <b>) and escaped underscores.
    const norm = (s: string) => s.replace(/\*\*/g, "").replace(/<\/?b>/g, "").replace(/\\_/g, "_").replace(/\s+/g, " ").trim();
    expect(quotesNotInProtocol(pack, norm)).toEqual([]);
  });

  test("teams carry the protocol's abbreviations and old names", () => {
    const aliases = (id: string) => pack.teams.find((t) => t.id === id)?.aliases ?? [];
    expect(aliases("ifst")).toEqual(expect.arrayContaining(["IFST", "Thriving Families", "TF"]));
    expect(aliases("tyss")).toEqual(expect.arrayContaining(["TYSS", "TYS"]));
    expect(aliases("jcpit")).toEqual(expect.arrayContaining(["JCPIT", "JCIPT"]));
    expect(aliases("family-safeguarding")).toEqual(expect.arrayContaining(["FS", "FSS"]));
    expect(aliases("action-and-impact")).toEqual(expect.arrayContaining(["A&I"]));
  });
});
