/**
 * The questions Stepwise asks, one per case fact, in plain words. A pack may reword a question or
 * relabel its options in its own vocabulary (`pack.questions`).
 */
import {
  CARE_PROCEEDINGS,
  CONCERN_LEVELS,
  CONSENT,
  DISABILITY,
  FAMILY_BREAKDOWN,
  LEGAL_STATUSES,
  MOVED_FROM_OTHER_AUTHORITY,
  PLANS,
  REQUESTS,
  type FactName,
} from "./facts";
import type { PolicyPack } from "./pack";

export type QuestionKind = "choice" | "yes-no" | "number" | "date" | "team";

export interface Option {
  value: string | boolean;
  label: string;
}

export interface Question {
  id: FactName;
  text: string;
  kind: QuestionKind;
  options: Option[];
  help?: string;
}

type Spec = { text: string; kind: QuestionKind; options?: Record<string, string>; help?: string };

const yesNo: Spec["kind"] = "yes-no";
const choice = <T extends readonly string[]>(values: T, labels: Record<T[number], string>) =>
  Object.fromEntries(values.map((v) => [v, labels[v as T[number]]]));

const SPECS: Record<FactName, Spec> = {
  ageYears: { text: "How old is the child or young person (in years)?", kind: "number", help: "Whole years; 0 for a baby under one. Use \"unborn\" for a pre-birth case." },
  unborn: { text: "Is this a pre-birth (unborn baby) case?", kind: yesNo },
  currentTeam: { text: "Which team or service holds the case now?", kind: "team" },
  previousTeam: { text: "Was the case open to a team before? If so, which one last held it?", kind: "team" },
  proposedTeam: { text: "Which team do you propose the case goes to, if you have one in mind?", kind: "team" },
  previousClosedOn: { text: "When did the case close to that team?", kind: "date" },
  concern: {
    text: "What is the level of concern now?",
    kind: "choice",
    options: choice(CONCERN_LEVELS, {
      "immediate-danger": "Immediate danger",
      "significant-harm": "Significant harm, or likely significant harm (child protection)",
      "child-in-need": "Child in need (statutory support, s17)",
      "additional-needs": "Additional needs (early help)",
      universal: "Universal services are enough",
    }),
  },
  crimeAgainstChildSuspected: { text: "Is there a concern that a crime against the child has occurred?", kind: yesNo },
  plan: {
    text: "What plan does the child have now?",
    kind: "choice",
    options: choice(PLANS, { none: "No plan", "early-help": "Early help / family plan", cin: "Child in Need plan", cp: "Child Protection plan" }),
  },
  cpPlanEnding: { text: "Is the child protection plan ending (or has it just ended)?", kind: yesNo },
  cpPlanEndedOn: { text: "When did (or will) the child protection plan end?", kind: "date" },
  cinPlanNeeded: { text: "Is a Child in Need plan needed afterwards?", kind: yesNo },
  exceptionalCircumstancesAgreed: { text: "Has a service manager agreed exceptional circumstances?", kind: yesNo },
  legalStatus: {
    text: "What is the child's legal status?",
    kind: "choice",
    options: choice(LEGAL_STATUSES, {
      none: "None of these",
      s20: "Accommodated under section 20",
      "interim-care-order": "Interim care order",
      "care-order": "Full care order",
      "care-order-placed-with-parents": "Care order, placed with parents",
      "supervision-order": "Supervision order",
      "special-guardianship-order": "Special guardianship order (SGO)",
      "child-arrangements-order": "Child arrangements order (CAO)",
      "adoption-order": "Adopted (adoption order)",
      remand: "Remanded to local authority care",
      "care-leaver": "Care leaver",
    }),
  },
  orderMadeOn: { text: "When was the order made?", kind: "date" },
  careProceedings: {
    text: "Are there care proceedings?",
    kind: "choice",
    options: choice(CARE_PROCEEDINGS, {
      none: "No",
      "pre-proceedings": "Pre-proceedings (PLO)",
      "agreed-to-issue": "Agreed to issue (panel approval)",
      issued: "Issued, in court",
      concluded: "Concluded",
    }),
  },
  proceedingsConcludedOn: { text: "When did the last care proceedings conclude?", kind: "date" },
  longTermCarePlan: { text: "Is the care plan for the child to stay in care long-term (a ratified permanence plan)?", kind: yesNo },
  returnHomeLikely: { text: "Is a return home likely in the short term (within about 3 months)?", kind: yesNo },
  ceasingToBeLookedAfter: { text: "Is the child ceasing to be looked after?", kind: yesNo },
  ceasedLookedAfterOn: { text: "When did (or will) the child stop being looked after?", kind: "date" },
  weeksInCare: { text: "How many weeks has the child been in care (this episode)?", kind: "number" },
  weeksInCareSince14: { text: "How many weeks in all has the young person been in care since their 14th birthday?", kind: "number" },
  lookedAfterAfter16: { text: "Was any of that time in care on or after their 16th birthday?", kind: yesNo },
  disability: {
    text: "Is the child disabled? If so, are the disabled children's service criteria met?",
    kind: "choice",
    options: choice(DISABILITY, {
      none: "Not disabled",
      "criteria-clearly-met": "Disabled: specialist criteria clearly met",
      "criteria-unclear": "Disabled: not clear whether the criteria are met",
      "criteria-not-met": "Disabled: specialist criteria not met",
    }),
  },
  homeless16or17: { text: "Is this a 16 or 17 year old who is homeless or threatened with homelessness?", kind: yesNo },
  uasc: { text: "Is the child an unaccompanied asylum-seeking (or migrant) child?", kind: yesNo },
  privateFostering: { text: "Is the child privately fostered?", kind: yesNo },
  exploitationRisk: { text: "Is the child at risk of exploitation (CSE or criminal exploitation)?", kind: yesNo },
  exploitationOnlyNeed: { text: "Is support about exploitation the only key area of work?", kind: yesNo },
  domesticAbuseYoungChild: {
    text: "Is there significant or ongoing risk of domestic abuse at home, with a child in the family aged five or under?",
    kind: yesNo,
  },
  familyBreakdown: {
    text: "Is the family at risk of breaking down?",
    kind: "choice",
    options: choice(FAMILY_BREAKDOWN, { none: "No", "at-risk": "At risk / edge of care", "broken-down": "Care has broken down" }),
  },
  youthJustice: { text: "Is the young person open to, or at risk of entering, youth justice?", kind: yesNo },
  missingEpisodes: { text: "Has the child been missing from home and needs a return home interview?", kind: yesNo },
  highRiskBehaviour: { text: "Is the young person showing high-risk behaviour (risk to themselves or others, or of family breakdown)?", kind: yesNo },
  complexFamilyNeeds: { text: "Does the family have complex needs across several members (four or more issues) needing intensive support?", kind: yesNo },
  movedFromOtherAuthority: {
    text: "Has the child moved here from another local authority with a plan?",
    kind: "choice",
    options: choice(MOVED_FROM_OTHER_AUTHORITY, { none: "No", "cin-plan": "Yes, with a Child in Need plan", "cp-plan": "Yes, with a Child Protection plan" }),
  },
  transferDocumentsComplete: {
    text: "Have all the documents required for the transfer been received (assessments, plans and minutes, chronology, genogram, case summary)?",
    kind: yesNo,
  },
  movingOutOfArea: { text: "Does the child live, or is the child moving, outside the council's area?", kind: yesNo },
  noRecourseToPublicFunds: { text: "Does the family have no recourse to public funds (NRPF)?", kind: yesNo },
  riskOfAdmissionRegister: { text: "Is the child on the risk of admission (edge of care) register?", kind: yesNo },
  request: {
    text: "Is the contact about one of these specific requests?",
    kind: "choice",
    options: choice(REQUESTS, {
      none: "None of these",
      "court-report": "A court-directed report (s7 / s37 / tribunal)",
      "occupational-therapy": "An occupational therapy request",
      "parent-carer-assessment": "A parent/carer assessment",
      "adoption-or-sgo-support-only": "Adoption, SGO or CAO support only",
      "relinquished-baby": "A relinquished baby",
      "viability-assessment": "An initial viability assessment",
      "kinship-assessment": "A kinship fostering assessment",
    }),
  },
  urgent: { text: "Is it urgent (it cannot wait for the next panel or transfer meeting)?", kind: yesNo },
  leadProfessionalIdentified: { text: "Has a key worker or lead professional been identified to take the case on after the step down?", kind: yesNo },
  consent: {
    text: "Has the family consented?",
    kind: "choice",
    options: choice(CONSENT, { given: "Yes, consent given", refused: "No, consent refused", "not-sought-risk": "Not sought: asking would put the child at risk" }),
  },
  icpcOn: { text: "When is (or was) the initial child protection conference (ICPC)?", kind: "date" },
  cinMeetingOn: { text: "When is (or was) the Child in Need meeting?", kind: "date" },
  cpReviewConferenceOn: { text: "When is the child protection review conference?", kind: "date" },
  firstLacReviewOn: { text: "When is (or was) the first CLA/LAC review?", kind: "date" },
  secondLacReviewOn: { text: "When is the second CLA/LAC review?", kind: "date" },
  firstCourtHearingOn: { text: "When is (or was) the first court hearing?", kind: "date" },
  finalHearingOn: { text: "When is (or was) the final hearing?", kind: "date" },
  panelApprovalOn: { text: "When did the panel approve issuing care proceedings?", kind: "date" },
  preProceedingsMeetingOn: { text: "When is (or was) the first pre-proceedings (PLO) meeting?", kind: "date" },
  decisionOn: { text: "When was the decision to transfer made?", kind: "date" },
  proposedTransferOn: { text: "What is the proposed transfer date?", kind: "date" },
  outOfHours: { text: "Is this being dealt with out of hours?", kind: yesNo },
  managersDisagree: { text: "Do the managers disagree about the threshold or the transfer?", kind: yesNo },
};

/** The question for a fact, in the pack's words where it has its own. */
export function questionFor(fact: FactName, pack: PolicyPack): Question {
  const spec = SPECS[fact];
  const local = pack.questions[fact];
  let options: Option[];
  if (spec.kind === "yes-no") options = [{ value: true, label: "Yes" }, { value: false, label: "No" }];
  else if (spec.kind === "team")
    options = [...pack.teams.map((t) => ({ value: t.id, label: t.name })), { value: "none", label: fact === "currentTeam" ? "Not open to any team" : "None" }];
  else options = Object.entries(spec.options ?? {}).map(([value, label]) => ({ value, label }));
  if (local?.labels) options = options.map((o) => ({ ...o, label: local.labels?.[String(o.value)] ?? o.label }));
  const help = local?.help ?? spec.help;
  return { id: fact, text: local?.text ?? spec.text, kind: spec.kind, options, ...(help ? { help } : {}) };
}
