/**
 * Suffolk County Council: "Transfer of Cases between Social Care and Early Help Teams ('Step Up /Step
 * Down')", version 9.2 (January 2019), protocol file 001_debd598b93cac1af.txt.
 *
 * Table-driven: each case quotes the paragraph it checks, gives the facts a practitioner would give, and
 * checks the route, the decider and every deadline. Deadlines are literal instants worked out by hand
 * from a request on Monday 23 November 2026, 10:00 London (GMT), unless the case says otherwise:
 * - case transfer meetings "at a minimum of fortnightly intervals": two weeks later, same London
 *   wall-clock time (23 Nov 10:00 -> 7 Dec 10:00 GMT);
 * - "Resolution ... within 7 days": seven calendar days, same London wall-clock time (not working days,
 *   so bank holidays do not move it);
 * - an emergency referral "without delay": the moment of the request (urgent);
 * - "a minimum period of three months" after the CP plan ends / the child ceases to be looked after:
 *   three calendar months after that date, a bare date being taken at 09:00 London;
 * - "before the CP Review Conference" / "present at the Conference": the conference date at 09:00 London.
 * London is UTC+0 in winter and UTC+1 in summer (BST ends 25 Oct 2026, starts 28 Mar 2027).
 */
import { recommend, type Recommendation } from "../../domain/engine";
import { checkPack } from "../../domain/check";
import { getPack } from "../../domain/packs";
import type { PolicyPack } from "../../domain/pack";
import {
  Coverage,
  NOW as now,
  type TableCase,
  citationsOf,
  decideWith,
  describeCases,
  expectAsks,
  expectAsksWithNoFacts,
  expectDecided,
  expectRoute,
  itWithProtocol,
  quotesNotInProtocol,
  scopeOf,
} from "./shared";

const pack = getPack("suffolk") as PolicyPack;
const FILE = "001_debd598b93cac1af.txt";

const MEETING = "next-transfer-meeting";
const NO_DELAY = "refer-without-delay";
const ACT_NOW = "act-without-delay";
const SEVEN_DAYS = "resolution-within-7-days";
const CIN_MIN = "cin-minimum-three-months";
const CIN_GOOD = "cin-good-practice-three-months";
const EXCEPTIONAL = "exceptional-agreed-before-conference";
const EH_AT_CONF = "eh-at-conference";
const DIFFERENCES = "differences-resolved-before-conference";

const IN_2_WEEKS = "2026-12-07T10:00:00.000Z";
const IN_7_DAYS = "2026-11-30T10:00:00.000Z";
const RIGHT_NOW = "2026-11-23T10:00:00.000Z";

const APPENDIX_1 = "Appendix 1";
const APPENDIX_2 = "Appendix 2";

/** `section`: part of the section name of a citation the recommendation must carry. */
interface Case extends TableCase {
  rule: string;
  ladder?: string | null;
  /** The default assumptions the answer relied on (facts not given), when the case checks them. */
  assumed?: string[];
}

const seen = new Coverage();
const decide = decideWith(pack);

/** A case whose rule is "(fallback)" expects no rule (the pack's fallback), and its alternatives are not checked. */
function expectCase(c: Case): Recommendation {
  const fallback = c.rule === "(fallback)";
  const r = expectRoute(decide(c), {
    ...c,
    rule: fallback ? null : c.rule,
    alternatives: fallback ? undefined : (c.alternatives ?? []),
    urgent: [NO_DELAY, ACT_NOW],
  });
  expect(r.citations.some((x) => x.file === FILE && x.section.includes(c.section))).toBe(true);
  if (c.ladder !== undefined) expect(r.escalation?.ladderId ?? null).toBe(c.ladder);
  if (c.assumed) expect(r.assumptions.map((a) => a.fact)).toEqual(c.assumed);
  return seen.record(r);
}

// ---------------------------------------------------------------------------------------------------
// Section 4 and Appendices 1-2: step up from Early Help / Health and Children's Centres to Social Care
// ---------------------------------------------------------------------------------------------------

const stepUp: Case[] = [
  {
    name: "4.2 'Cases are to be discussed at transfer meetings ... allocation is to be reassigned to the SC team duty tray': an Early Help case whose needs have risen to Child in Need steps up through the fortnightly case transfer meeting",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: false, proposedTeam: "social-care" },
    rule: "eh-step-up-transfer-meeting",
    direction: "step-up",
    to: "social-care",
    decider: ["transfer-meeting", "members"],
    deadlines: { [MEETING]: IN_2_WEEKS },
    section: "4.2",
    ladder: "step-up",
    assumed: ["managersDisagree"],
  },
  {
    name: "2. 'will be held at a minimum of fortnightly intervals': the step up is decided at the next case transfer meeting, two weeks at the latest",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: false, proposedTeam: "none" },
    rule: "eh-step-up-transfer-meeting",
    direction: "step-up",
    to: "social-care",
    decider: ["transfer-meeting", "members"],
    deadlines: { [MEETING]: IN_2_WEEKS },
    section: "2. Case Transfer meetings",
  },
  {
    name: "Appendix 1 'Transfer of CAF Open Cases from Health & Children's Centres to Social Care': a Children's Centre case at Child in Need level goes to the case transfer meeting, with the Appendix 1 escalation",
    facts: { currentTeam: "childrens-centre", concern: "child-in-need", urgent: false, proposedTeam: "social-care" },
    rule: "cc-step-up-transfer-meeting",
    direction: "step-up",
    to: "social-care",
    decider: ["transfer-meeting", "members"],
    deadlines: { [MEETING]: IN_2_WEEKS },
    section: APPENDIX_1,
    ladder: "childrens-centre",
  },
  {
    name: "4.2 'if urgent, in discussion with duty CSW': an urgent Child in Need step up from Early Help is agreed with the Social Care duty CSW",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: true, proposedTeam: "social-care" },
    rule: "step-up-urgent-duty-csw",
    direction: "step-up",
    to: "social-care",
    decider: ["social-care", "consultant-social-worker"],
    section: "4.2",
    ladder: "step-up",
  },
  {
    name: "4.4 'Child Protection procedures must be followed': a Children's Centre case with child protection concerns does not wait for the meeting: duty CSW",
    facts: { currentTeam: "childrens-centre", concern: "significant-harm", proposedTeam: "social-care" },
    rule: "step-up-urgent-duty-csw",
    direction: "step-up",
    to: "social-care",
    decider: ["social-care", "consultant-social-worker"],
    section: "4.4",
  },
  {
    name: "4.4 'a referral should be made without delay via Customer First': an emergency on an open Early Help case in office hours goes to Customer First now, and MASH decides",
    facts: { currentTeam: "early-help", concern: "immediate-danger" },
    rule: "emergency-referral-customer-first",
    direction: "step-up",
    to: "customer-first",
    decider: ["mash", "decision-maker"],
    deadlines: { [NO_DELAY]: RIGHT_NOW },
    section: "4.4",
    ladder: null,
    assumed: ["outOfHours"],
  },
  {
    name: "Appendix 2.1 'If a concern has been identified as an emergency, a referral should be made without delay via Customer First': a new emergency contact",
    facts: { currentTeam: "none", concern: "immediate-danger" },
    rule: "emergency-referral-customer-first",
    direction: "step-up",
    to: "customer-first",
    decider: ["mash", "decision-maker"],
    deadlines: { [NO_DELAY]: RIGHT_NOW },
    section: APPENDIX_2,
  },
  {
    name: "4.4 emergency 'without delay via Customer First': also from a Children's Centre, on a Friday at 16:55",
    facts: { currentTeam: "childrens-centre", concern: "immediate-danger" },
    at: "2026-11-27T16:55:00Z",
    rule: "emergency-referral-customer-first",
    direction: "step-up",
    to: "customer-first",
    decider: ["mash", "decision-maker"],
    deadlines: { [NO_DELAY]: "2026-11-27T16:55:00.000Z" },
    section: "4.4",
  },
  {
    name: "Contact Details 'Emergency Duty Service: 0808 800 4005 (Out of Office Hours Emergencies only)': an emergency on a Saturday night goes to EDS without delay",
    facts: { currentTeam: "early-help", concern: "immediate-danger", outOfHours: true },
    at: "2026-11-28T22:30:00Z",
    rule: "emergency-out-of-hours-eds",
    direction: "step-up",
    to: "eds",
    decider: ["eds", "duty"],
    deadlines: { [NO_DELAY]: "2026-11-28T22:30:00.000Z" },
    section: "Contact Details",
  },
  {
    name: "Contact Details 'Out of Office Hours Emergencies only': a new emergency contact on Christmas Day goes to EDS",
    facts: { currentTeam: "none", concern: "immediate-danger", outOfHours: true },
    at: "2026-12-25T03:00:00Z",
    rule: "emergency-out-of-hours-eds",
    direction: "step-up",
    to: "eds",
    decider: ["eds", "duty"],
    deadlines: { [NO_DELAY]: "2026-12-25T03:00:00.000Z" },
    section: "Contact Details",
  },
  {
    name: "Contact Details 'Out of Office Hours Emergencies only': an out-of-hours emergency goes to EDS before anyone asks which team holds the case",
    facts: { concern: "immediate-danger", outOfHours: true },
    at: "2026-11-24T02:00:00Z",
    rule: "emergency-out-of-hours-eds",
    direction: "step-up",
    to: "eds",
    decider: ["eds", "duty"],
    deadlines: { [NO_DELAY]: "2026-11-24T02:00:00.000Z" },
    section: "Contact Details",
  },
  {
    name: "4.4 'Child Protection procedures must be followed': an emergency on a case already open to Social Care is not a referral: the Social Care Team acts now",
    facts: { currentTeam: "social-care", concern: "immediate-danger" },
    rule: "emergency-open-to-social-care",
    direction: "stay",
    to: "social-care",
    decider: ["social-care", "practice-manager"],
    deadlines: { [ACT_NOW]: RIGHT_NOW },
    section: "4.4",
    assumed: ["outOfHours"],
  },
  {
    name: "Contact Details 'Out of Office Hours Emergencies only': an emergency on a Social Care case at night goes to EDS",
    facts: { currentTeam: "social-care", concern: "immediate-danger", outOfHours: true },
    at: "2026-11-25T21:15:00Z",
    rule: "emergency-out-of-hours-eds",
    direction: "step-up",
    to: "eds",
    decider: ["eds", "duty"],
    deadlines: { [NO_DELAY]: "2026-11-25T21:15:00.000Z" },
    section: "Contact Details",
  },
  {
    name: "4.4 'Where a referral is made MASH will apply the full information searching and decision-making process': a new Child in Need referral goes to MASH",
    facts: { currentTeam: "none", concern: "child-in-need", proposedTeam: "mash" },
    rule: "new-referral-mash",
    direction: "step-up",
    to: "mash",
    decider: ["mash", "decision-maker"],
    section: "4.4",
  },
  {
    name: "4.4 'Where a referral is made MASH will apply the full information searching and decision-making process': a new child protection referral goes to MASH",
    facts: { currentTeam: "none", concern: "significant-harm", proposedTeam: "none" },
    rule: "new-referral-mash",
    direction: "step-up",
    to: "mash",
    decider: ["mash", "decision-maker"],
    section: "4.4",
  },
  {
    name: "Appendix 2.2 'If an agency involved with the child sends a referral to MASH with concerns on an open Early Help case, the MASH will assess': MASH decides",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: false, proposedTeam: "mash" },
    rule: "agency-referral-to-mash-on-eh-case",
    direction: "step-up",
    to: "mash",
    decider: ["mash", "decision-maker"],
    section: APPENDIX_2,
  },
  {
    name: "Appendix 2.2 'the MASH will assess the level of risk and needs': a referral to MASH with child protection concerns on an open Children's Centre case",
    facts: { currentTeam: "childrens-centre", concern: "significant-harm", proposedTeam: "mash" },
    rule: "agency-referral-to-mash-on-eh-case",
    direction: "step-up",
    to: "mash",
    decider: ["mash", "decision-maker"],
    section: APPENDIX_2,
  },
  {
    name: "Contact Details 'EDS ... (Out of Office Hours Emergencies only)': EDS does not accept a non-emergency child protection referral; it goes to Customer First in office hours",
    facts: { currentTeam: "none", concern: "significant-harm", proposedTeam: "eds" },
    rule: "eds-emergencies-only",
    direction: "refuse",
    to: null,
    alternatives: ["customer-first", "social-care"],
    decider: ["eds", "duty"],
    section: "Contact Details",
  },
  {
    name: "Contact Details '(Out of Office Hours Emergencies only)': an Early Help case at Child in Need level cannot be handed to EDS",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: false, proposedTeam: "eds" },
    rule: "eds-emergencies-only",
    direction: "refuse",
    to: null,
    alternatives: ["customer-first", "social-care"],
    decider: ["eds", "duty"],
    section: "Contact Details",
  },
];

// ---------------------------------------------------------------------------------------------------
// 4.9-4.11 and 6: after the Social Work Assessment / S47 Enquiry
// ---------------------------------------------------------------------------------------------------

const afterAssessment: Case[] = [
  {
    name: "4.10 'not deemed to meet the threshold for CiN services, the social worker/Consultant Social Worker should meet with the Early Help Lead Professional': the case stays with the Early Help team that held it",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "none",
      ceasingToBeLookedAfter: false,
      proposedTeam: "early-help",
      previousTeam: "early-help",
      consent: "given",
    },
    rule: "aftermath-not-cin-back-to-eh",
    direction: "step-down",
    to: "early-help",
    decider: ["social-care", "consultant-social-worker"],
    section: "4.10",
    ladder: "step-down",
  },
  {
    name: "4.9 'should not be closed to the Early Help teams until the SWA/S47 has been completed': after an S47 with only universal needs, the Children's Centre that held the case keeps it",
    facts: {
      currentTeam: "social-care",
      concern: "universal",
      plan: "none",
      ceasingToBeLookedAfter: false,
      proposedTeam: "none",
      previousTeam: "childrens-centre",
    },
    rule: "aftermath-not-cin-back-to-eh",
    direction: "step-down",
    to: "childrens-centre",
    decider: ["social-care", "consultant-social-worker"],
    section: "4.9",
  },
  {
    name: "4.11 'the allocated Social Worker will convene a Family Network meeting': after assessment a Child in Need stays with Social Care",
    facts: { currentTeam: "social-care", concern: "child-in-need", plan: "none", ceasingToBeLookedAfter: false, proposedTeam: "none" },
    rule: "aftermath-cin-family-network",
    direction: "stay",
    to: "social-care",
    decider: ["social-care", "social-worker"],
    section: "4.11",
  },
  {
    name: "4.11 'make the appropriate request for a Child Protection Conference in accordance with existing timescales': after an S47 the case stays with Social Care",
    facts: { currentTeam: "social-care", concern: "significant-harm", plan: "none", ceasingToBeLookedAfter: false, proposedTeam: "none" },
    rule: "aftermath-cp-conference",
    direction: "stay",
    to: "social-care",
    decider: ["social-care", "social-worker"],
    section: "4.11",
  },
  {
    name: "6.1 'The Early Help Practice Lead ... and Social Care team Consultant Social Worker should agree all case transfers, normally at the case transfer meeting': not a Child in Need, early help identified",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "none",
      ceasingToBeLookedAfter: false,
      proposedTeam: "early-help",
      previousTeam: "none",
      consent: "given",
    },
    rule: "after-assessment-early-help",
    direction: "step-down",
    to: "early-help",
    decider: ["early-help", "practice-lead"],
    deadlines: { [MEETING]: IN_2_WEEKS },
    section: "6.1",
    ladder: "step-down",
  },
  {
    name: "6.1 '... / Children Centre Practice Lead and Social Care team Consultant Social Worker should agree': support from a Children's Centre after the assessment",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "none",
      ceasingToBeLookedAfter: false,
      proposedTeam: "childrens-centre",
      previousTeam: "none",
      consent: "given",
    },
    rule: "after-assessment-childrens-centre",
    direction: "step-down",
    to: "childrens-centre",
    decider: ["childrens-centre", "practice-lead"],
    deadlines: { [MEETING]: IN_2_WEEKS },
    section: "6.1",
  },
  {
    name: "6.1 'the Social Worker will inform them that Early Help is a voluntary service': parents who do not agree to Early Help after the assessment: the case stays with Social Care",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "none",
      ceasingToBeLookedAfter: false,
      proposedTeam: "early-help",
      previousTeam: "none",
      consent: "refused",
    },
    rule: "step-down-family-does-not-agree",
    direction: "stay",
    to: "social-care",
    decider: ["social-care", "practice-manager"],
    section: "6.1",
  },
];

// ---------------------------------------------------------------------------------------------------
// Section 5: step down from Social Care to Early Help / Health and Children's Centres
// ---------------------------------------------------------------------------------------------------

const cinStepDown = {
  currentTeam: "social-care",
  concern: "additional-needs",
  plan: "cin",
  ceasingToBeLookedAfter: false,
  cpPlanEnding: false,
  consent: "given",
};

const stepDown: Case[] = [
  {
    name: "5.1 'Where planning and services have resulted in improved outcomes but there are some remaining needs and worries ... Social Care should seek a service from the Early Help Team': decided by the CSW (4.12)",
    facts: { ...cinStepDown, proposedTeam: "early-help" },
    rule: "cin-step-down-early-help",
    direction: "step-down",
    to: "early-help",
    alternatives: ["childrens-centre"],
    decider: ["social-care", "consultant-social-worker"],
    deadlines: { [MEETING]: IN_2_WEEKS },
    section: "5.1",
    ladder: "step-down",
  },
  {
    name: "4.12 'The decision to accept a case will be discussed at the case transfer meetings': acceptance at the next meeting, two weeks at the latest",
    facts: { ...cinStepDown, proposedTeam: "none" },
    rule: "cin-step-down-early-help",
    direction: "step-down",
    to: "early-help",
    alternatives: ["childrens-centre"],
    decider: ["social-care", "consultant-social-worker"],
    deadlines: { [MEETING]: IN_2_WEEKS },
    section: "4.12",
  },
  {
    name: "5.1 '... seek a service from the Early Help Team/Children Centre': a CiN case steps down to the Children's Centre proposed",
    facts: { ...cinStepDown, proposedTeam: "childrens-centre" },
    rule: "cin-step-down-childrens-centre",
    direction: "step-down",
    to: "childrens-centre",
    decider: ["social-care", "consultant-social-worker"],
    deadlines: { [MEETING]: IN_2_WEEKS },
    section: "5.1",
  },
  {
    name: "4.3 'consider any implications for risk in the event of the family deciding not to ... take up Early Help support': a CiN family who refuse Early Help stay with Social Care",
    facts: { ...cinStepDown, proposedTeam: "early-help", consent: "refused" },
    rule: "step-down-family-does-not-agree",
    direction: "stay",
    to: "social-care",
    decider: ["social-care", "practice-manager"],
    section: "4.3",
    ladder: "dispute",
  },
  {
    name: "5.5 'must be supported through a CiN plan for a minimum period of three months': a CP plan the Review Conference will end on 3 Dec: stays with Social Care until 3 Mar 2027",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "cp",
      ceasingToBeLookedAfter: false,
      proposedTeam: "early-help",
      consent: "given",
      cpReviewConferenceOn: "2026-12-03",
      cpPlanEndedOn: "2026-12-03",
    },
    rule: "cp-ending-cin-minimum",
    direction: "stay",
    to: "social-care",
    alternatives: ["early-help"],
    decider: ["social-care", "practice-manager"],
    deadlines: {
      [CIN_MIN]: "2027-03-03T09:00:00.000Z",
      [EXCEPTIONAL]: "2026-12-03T09:00:00.000Z",
      [EH_AT_CONF]: "2026-12-03T09:00:00.000Z",
      [DIFFERENCES]: "2026-12-03T09:00:00.000Z",
    },
    section: "5.5",
    ladder: "cp-step-down",
    assumed: ["exceptionalCircumstancesAgreed", "managersDisagree"],
  },
  {
    name: "5.5 'a minimum period of three months before the transfer ... is agreed': CP plan ended 15 Oct, now on a CiN plan: no transfer before 15 Jan 2027 (conference dates no longer known)",
    facts: { ...cinStepDown, cpPlanEnding: true, cpPlanEndedOn: "2026-10-15", proposedTeam: "early-help" },
    rule: "cp-ending-cin-minimum",
    direction: "stay",
    to: "social-care",
    alternatives: ["early-help"],
    decider: ["social-care", "practice-manager"],
    deadlines: { [CIN_MIN]: "2027-01-15T09:00:00.000Z", [EXCEPTIONAL]: null, [EH_AT_CONF]: null, [DIFFERENCES]: null },
    section: "5.5",
  },
  {
    name: "5.5 'other than in exceptional circumstances ... agreed before the CP Review Conference by the Social Care Service Manager': straight to Early Help",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "cp",
      ceasingToBeLookedAfter: false,
      proposedTeam: "early-help",
      consent: "given",
      exceptionalCircumstancesAgreed: true,
      cpReviewConferenceOn: "2026-12-03",
    },
    rule: "cp-ending-exceptional",
    direction: "step-down",
    to: "early-help",
    alternatives: ["childrens-centre"],
    decider: ["social-care", "service-manager"],
    deadlines: { [EXCEPTIONAL]: "2026-12-03T09:00:00.000Z", [EH_AT_CONF]: "2026-12-03T09:00:00.000Z", [MEETING]: IN_2_WEEKS },
    section: "5.5",
    ladder: "cp-step-down",
  },
  {
    name: "5.5 'exceptional circumstances ... agreed ... by the Social Care Service Manager': straight to the Children's Centre proposed",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "cp",
      ceasingToBeLookedAfter: false,
      proposedTeam: "childrens-centre",
      consent: "given",
      exceptionalCircumstancesAgreed: true,
      cpReviewConferenceOn: "2026-12-03",
    },
    rule: "cp-ending-exceptional-childrens-centre",
    direction: "step-down",
    to: "childrens-centre",
    decider: ["social-care", "service-manager"],
    deadlines: { [EXCEPTIONAL]: "2026-12-03T09:00:00.000Z", [EH_AT_CONF]: "2026-12-03T09:00:00.000Z", [MEETING]: IN_2_WEEKS },
    section: "5.5",
  },
  {
    name: "5.5 'Any differences over this decision will be passed to area Service Manager for resolution before the CP Review Conference'",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "cp",
      ceasingToBeLookedAfter: false,
      proposedTeam: "early-help",
      consent: "given",
      exceptionalCircumstancesAgreed: true,
      managersDisagree: true,
      cpReviewConferenceOn: "2026-12-03",
    },
    rule: "cp-ending-dispute",
    direction: "stay",
    to: "social-care",
    decider: [null, "area-service-manager"],
    deadlines: { [DIFFERENCES]: "2026-12-03T09:00:00.000Z" },
    section: "5.5",
    ladder: "cp-step-down",
  },
  {
    name: "5.6 'Where a child is ceasing to be looked after, s/he will be supported by a CiN plan for a minimum of three months': a 10 year old who left care on 2 Nov stays until 2 Feb 2027",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "none",
      ceasingToBeLookedAfter: true,
      ageYears: 10,
      ceasedLookedAfterOn: "2026-11-02",
    },
    rule: "ceasing-lac-cin-minimum",
    direction: "stay",
    to: "social-care",
    decider: ["social-care", "practice-manager"],
    deadlines: { [CIN_MIN]: "2027-02-02T09:00:00.000Z" },
    section: "5.6",
  },
  {
    name: "5.6 'a minimum of three months': a child who left care on 30 Sep (BST) can step down from 30 Dec 09:00 GMT",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "cin",
      ceasingToBeLookedAfter: true,
      ageYears: 8,
      ceasedLookedAfterOn: "2026-09-30",
    },
    rule: "ceasing-lac-cin-minimum",
    direction: "stay",
    to: "social-care",
    decider: ["social-care", "practice-manager"],
    deadlines: { [CIN_MIN]: "2026-12-30T09:00:00.000Z" },
    section: "5.6",
  },
  {
    name: "5.7 'Where a 16-17 year old ceases to be looked after, under s20, it is good practice ... to be supported by CiN for 3 months': 8 weeks in care",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "none",
      ceasingToBeLookedAfter: true,
      ageYears: 16,
      weeksInCare: 8,
      weeksInCareSince14: 8,
      ceasedLookedAfterOn: "2026-11-20",
      legalStatus: "s20",
    },
    rule: "ceasing-s20-16-17-good-practice",
    direction: "stay",
    to: "social-care",
    alternatives: ["early-help"],
    decider: ["social-care", "practice-manager"],
    deadlines: { [CIN_GOOD]: "2027-02-20T09:00:00.000Z" },
    section: "5.7",
  },
  {
    name: "5.7 'If the young person has been in care for 13 weeks or more the case must be transferred to Leaving care': a 17 year old after 20 weeks in care",
    facts: { currentTeam: "social-care", concern: "additional-needs", plan: "none", ceasingToBeLookedAfter: true, ageYears: 17, weeksInCare: 20 },
    rule: "ceasing-16-17-leaving-care",
    direction: "transfer",
    to: "leaving-care",
    decider: ["social-care", "practice-manager"],
    section: "5.7",
    ladder: "dispute",
  },
  {
    name: "5.7 'in care for 13 weeks or more': 5 weeks this episode but 30 weeks in all since 14: Leaving care",
    facts: { currentTeam: "social-care", concern: "child-in-need", plan: "cin", ceasingToBeLookedAfter: true, ageYears: 16, weeksInCare: 5, weeksInCareSince14: 30 },
    rule: "ceasing-16-17-leaving-care",
    direction: "transfer",
    to: "leaving-care",
    decider: ["social-care", "practice-manager"],
    section: "5.7",
  },
  {
    name: "5.2 'Where families no longer wish to work with Early Help (voluntary) following case transfer, any consequent/residual risks ... reviewed jointly': Early Help",
    facts: { currentTeam: "early-help", concern: "additional-needs", proposedTeam: "none", previousTeam: "social-care", consent: "refused" },
    rule: "family-withdraws-from-early-help",
    direction: "stay",
    to: "early-help",
    alternatives: ["social-care"],
    decider: ["early-help", "practice-lead"],
    section: "5.2",
  },
  {
    name: "5.2 '... reviewed jointly by ... Children Centre Practice Lead and the Social Care CSW': a family withdraws from the Children's Centre",
    facts: { currentTeam: "childrens-centre", concern: "universal", proposedTeam: "none", previousTeam: "social-care", consent: "refused" },
    rule: "family-withdraws-from-early-help",
    direction: "stay",
    to: "childrens-centre",
    alternatives: ["social-care"],
    decider: ["childrens-centre", "practice-lead"],
    section: "5.2",
  },
  {
    name: "Version 9.2 'Removal of DCYP and Activities Unlimited Service ... now covered in CiN Policy': a step down to Activities Unlimited is not made under this protocol",
    facts: { currentTeam: "social-care", concern: "additional-needs", plan: "cin", ceasingToBeLookedAfter: false, proposedTeam: "activities-unlimited" },
    rule: "dcyp-activities-unlimited-not-in-protocol",
    direction: "refuse",
    to: null,
    alternatives: ["social-care"],
    decider: ["social-care", "practice-manager"],
    section: "Version Control 9.2",
  },
  {
    name: "Version 9.2 'Removal of DCYP ... now covered in CiN Policy': an Early Help case cannot be stepped up to DCYP under this protocol",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: false, proposedTeam: "dcyp" },
    rule: "dcyp-activities-unlimited-not-in-protocol",
    direction: "refuse",
    to: null,
    alternatives: ["social-care"],
    decider: ["social-care", "practice-manager"],
    section: "Version Control 9.2",
  },
];

// ---------------------------------------------------------------------------------------------------
// Section 2 and 4.6: differences of opinion; and what stays where it is
// ---------------------------------------------------------------------------------------------------

const disputesAndStays: Case[] = [
  {
    name: "2. 'any difference of opinion about decisions to transfer cases or thresholds is escalated ... Resolution should in all cases be achieved within 7 days': a disputed step up from Early Help",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: false, proposedTeam: "social-care", managersDisagree: true },
    rule: "transfer-dispute",
    direction: "stay",
    to: "early-help",
    decider: [null, "area-service-manager"],
    deadlines: { [SEVEN_DAYS]: IN_7_DAYS },
    section: "2. Case Transfer meetings",
    ladder: "dispute",
  },
  {
    name: "Appendix 1 'If there is a lack of agreement amongst managers, the case will be escalated to the Area Service Managers': a Children's Centre step up",
    facts: { currentTeam: "childrens-centre", concern: "child-in-need", urgent: true, proposedTeam: "social-care", managersDisagree: true },
    rule: "transfer-dispute",
    direction: "stay",
    to: "childrens-centre",
    decider: [null, "area-service-manager"],
    deadlines: { [SEVEN_DAYS]: IN_7_DAYS },
    section: APPENDIX_1,
  },
  {
    name: "4.6 'Any unresolved inconsistency's will be passed to the areas Service Managers': a disputed step down from a CiN plan, 7 days",
    facts: { ...cinStepDown, proposedTeam: "early-help", managersDisagree: true },
    rule: "transfer-dispute",
    direction: "stay",
    to: "social-care",
    decider: [null, "area-service-manager"],
    deadlines: { [SEVEN_DAYS]: IN_7_DAYS },
    section: "4.6",
  },
  {
    name: "2. 'within 7 days' are calendar days: a dispute raised Monday 21 Dec 2026 is resolved by Monday 28 Dec (a bank holiday) 10:00",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: false, proposedTeam: "social-care", managersDisagree: true },
    at: "2026-12-21T10:00:00Z",
    rule: "transfer-dispute",
    direction: "stay",
    to: "early-help",
    decider: [null, "area-service-manager"],
    deadlines: { [SEVEN_DAYS]: "2026-12-28T10:00:00.000Z" },
    section: "2. Case Transfer meetings",
  },
  {
    name: "2. 'within 7 days' across the clocks going forward: Monday 22 Mar 2027 10:00 GMT -> Monday 29 Mar 10:00 BST",
    facts: { currentTeam: "social-care", concern: "additional-needs", plan: "none", ceasingToBeLookedAfter: false, proposedTeam: "early-help", previousTeam: "none", consent: "given", managersDisagree: true },
    at: "2027-03-22T10:00:00Z",
    rule: "transfer-dispute",
    direction: "stay",
    to: "social-care",
    decider: [null, "area-service-manager"],
    deadlines: { [SEVEN_DAYS]: "2027-03-29T09:00:00.000Z" },
    section: "2. Case Transfer meetings",
  },
  {
    name: "1. 'The guiding document around thresholds': an Early Help case with additional needs only stays with Early Help (no paragraph moves it)",
    facts: { currentTeam: "early-help", concern: "additional-needs", proposedTeam: "none", previousTeam: "none" },
    rule: "(fallback)",
    direction: "stay",
    to: "early-help",
    decider: ["transfer-meeting", "members"],
    section: "1. Thresholds",
    ladder: "dispute",
  },
  {
    name: "2. 'provide the oversight to ensure thresholds are appropriate': a CiN case still at Child in Need level stays with Social Care",
    facts: { currentTeam: "social-care", concern: "child-in-need", plan: "cin", ceasingToBeLookedAfter: false, proposedTeam: "none" },
    rule: "(fallback)",
    direction: "stay",
    to: "social-care",
    decider: ["transfer-meeting", "members"],
    section: "2. Case Transfer meetings",
  },
];

// ---------------------------------------------------------------------------------------------------
// Clocks: summer time, Christmas, the change of the clocks
// ---------------------------------------------------------------------------------------------------

const clocks: Case[] = [
  {
    name: "5.5 'a minimum period of three months' in summer: CP plan ended Sat 20 Mar 2027 (GMT): earliest transfer 20 Jun 2027 09:00 BST (08:00Z)",
    facts: { ...cinStepDown, cpPlanEnding: true, cpPlanEndedOn: "2027-03-20", proposedTeam: "early-help" },
    at: "2027-06-14T09:00:00Z",
    rule: "cp-ending-cin-minimum",
    direction: "stay",
    to: "social-care",
    alternatives: ["early-help"],
    decider: ["social-care", "practice-manager"],
    deadlines: { [CIN_MIN]: "2027-06-20T08:00:00.000Z", [EXCEPTIONAL]: null, [EH_AT_CONF]: null, [DIFFERENCES]: null },
    section: "5.5",
  },
  {
    name: "5.5 'must be agreed before the CP Review Conference' in summer: conference Thu 24 Jun 2027 -> 09:00 BST (08:00Z); CiN until 24 Sep 2027",
    facts: {
      currentTeam: "social-care",
      concern: "additional-needs",
      plan: "cp",
      ceasingToBeLookedAfter: false,
      proposedTeam: "early-help",
      consent: "given",
      cpReviewConferenceOn: "2027-06-24",
      cpPlanEndedOn: "2027-06-24",
    },
    at: "2027-06-14T09:00:00Z",
    rule: "cp-ending-cin-minimum",
    direction: "stay",
    to: "social-care",
    alternatives: ["early-help"],
    decider: ["social-care", "practice-manager"],
    deadlines: {
      [CIN_MIN]: "2027-09-24T08:00:00.000Z",
      [EXCEPTIONAL]: "2027-06-24T08:00:00.000Z",
      [EH_AT_CONF]: "2027-06-24T08:00:00.000Z",
      [DIFFERENCES]: "2027-06-24T08:00:00.000Z",
    },
    section: "5.5",
  },
  {
    name: "5.6 'a minimum of three months' in summer: left care 20 Apr 2027 -> 20 Jul 2027 09:00 BST (08:00Z)",
    facts: { currentTeam: "social-care", concern: "additional-needs", plan: "cin", ceasingToBeLookedAfter: true, ageYears: 12, ceasedLookedAfterOn: "2027-04-20" },
    at: "2027-06-14T09:00:00Z",
    rule: "ceasing-lac-cin-minimum",
    direction: "stay",
    to: "social-care",
    decider: ["social-care", "practice-manager"],
    deadlines: { [CIN_MIN]: "2027-07-20T08:00:00.000Z" },
    section: "5.6",
  },
  {
    name: "2. 'at a minimum of fortnightly intervals' over Christmas: a step up requested Mon 21 Dec 2026 is decided by Mon 4 Jan 2027 10:00 (calendar weeks)",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: false, proposedTeam: "social-care" },
    at: "2026-12-21T10:00:00Z",
    rule: "eh-step-up-transfer-meeting",
    direction: "step-up",
    to: "social-care",
    decider: ["transfer-meeting", "members"],
    deadlines: { [MEETING]: "2027-01-04T10:00:00.000Z" },
    section: "2. Case Transfer meetings",
  },
  {
    name: "2. 'fortnightly' across the clocks going forward: Mon 22 Mar 2027 10:00 GMT -> Mon 5 Apr 10:00 BST (09:00Z)",
    facts: { ...cinStepDown, proposedTeam: "early-help" },
    at: "2027-03-22T10:00:00Z",
    rule: "cin-step-down-early-help",
    direction: "step-down",
    to: "early-help",
    alternatives: ["childrens-centre"],
    decider: ["social-care", "consultant-social-worker"],
    deadlines: { [MEETING]: "2027-04-05T09:00:00.000Z" },
    section: "5.1",
  },
];

describeCases("Suffolk: step up from Early Help and Children's Centres (section 4, Appendices 1-2)", stepUp, expectCase);
describeCases("Suffolk: after the Social Work Assessment / S47 (4.9-4.11, section 6)", afterAssessment, expectCase);
describeCases("Suffolk: step down to Early Help and Children's Centres (section 5)", stepDown, expectCase);
describeCases("Suffolk: differences of opinion and cases that stay (section 2, 4.6, Appendix 1)", disputesAndStays, expectCase);
describeCases("Suffolk: deadlines in summer time, at Christmas and across the change of the clocks", clocks, expectCase);

// ---------------------------------------------------------------------------------------------------
// Thresholds: each tested on both sides
// ---------------------------------------------------------------------------------------------------

interface Boundary {
  name: string;
  facts: Record<string, unknown>;
  at?: string;
  rule: string | null;
  direction: Case["direction"];
  to: string | null;
}

const leaving = { currentTeam: "social-care", concern: "additional-needs", plan: "none", ceasingToBeLookedAfter: true, ceasedLookedAfterOn: "2026-11-20", legalStatus: "s20" };

const boundaries: Boundary[] = [
  {
    name: "5.7 '16-17 year old' (lower edge, below): a 15 year old after 20 weeks in care gets the 5.6 CiN minimum, not Leaving care",
    facts: { ...leaving, ageYears: 15, weeksInCare: 20 },
    rule: "ceasing-lac-cin-minimum",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "5.7 '16-17 year old' (lower edge, on): a 16 year old after 20 weeks in care transfers to Leaving care",
    facts: { ...leaving, ageYears: 16, weeksInCare: 20 },
    rule: "ceasing-16-17-leaving-care",
    direction: "transfer",
    to: "leaving-care",
  },
  {
    name: "5.7 '16-17 year old' (upper edge, on): a 17 year old after 20 weeks in care transfers to Leaving care",
    facts: { ...leaving, ageYears: 17, weeksInCare: 20 },
    rule: "ceasing-16-17-leaving-care",
    direction: "transfer",
    to: "leaving-care",
  },
  {
    name: "5.7 '16-17 year old' (upper edge, above): an 18 year old is outside 5.7; only 5.6 applies",
    facts: { ...leaving, ageYears: 18, weeksInCare: 20 },
    rule: "ceasing-lac-cin-minimum",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "5.7 'in care for 13 weeks or more' (below): 12 weeks, s20: the good-practice CiN period",
    facts: { ...leaving, ageYears: 16, weeksInCare: 12, weeksInCareSince14: 12 },
    rule: "ceasing-s20-16-17-good-practice",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "5.7 'in care for 13 weeks or more' (on): 13 weeks: Leaving care",
    facts: { ...leaving, ageYears: 16, weeksInCare: 13 },
    rule: "ceasing-16-17-leaving-care",
    direction: "transfer",
    to: "leaving-care",
  },
  {
    name: "5.7 '13 weeks or more' counted since 14 (below): 12 weeks in all: not Leaving care",
    facts: { ...leaving, ageYears: 17, weeksInCare: 4, weeksInCareSince14: 12 },
    rule: "ceasing-s20-16-17-good-practice",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "5.7 '13 weeks or more' counted since 14 (on): 13 weeks in all: Leaving care",
    facts: { ...leaving, ageYears: 17, weeksInCare: 4, weeksInCareSince14: 13 },
    rule: "ceasing-16-17-leaving-care",
    direction: "transfer",
    to: "leaving-care",
  },
  {
    name: "5.7 'under s20' (not s20): a 16 year old leaving care under a care order after 8 weeks: the 5.6 minimum applies, not the s20 good practice",
    facts: { ...leaving, legalStatus: "care-order", ageYears: 16, weeksInCare: 8, weeksInCareSince14: 8 },
    rule: "ceasing-lac-cin-minimum",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "5.5 'a minimum period of three months' (inside): CP plan ended 23 Aug 2026, exactly three months ago: still on the CiN minimum",
    facts: { ...cinStepDown, proposedTeam: "early-help", cpPlanEnding: true, cpPlanEndedOn: "2026-08-23" },
    rule: "cp-ending-cin-minimum",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "5.5 'a minimum period of three months' (served): CP plan ended 22 Aug 2026: steps down to Early Help",
    facts: { ...cinStepDown, proposedTeam: "early-help", cpPlanEnding: true, cpPlanEndedOn: "2026-08-22" },
    rule: "cin-step-down-early-help",
    direction: "step-down",
    to: "early-help",
  },
  {
    name: "5.5 CP plan ending at a conference next week (a date in the future): the CiN minimum applies",
    facts: { ...cinStepDown, proposedTeam: "early-help", cpPlanEnding: true, cpPlanEndedOn: "2026-12-03" },
    rule: "cp-ending-cin-minimum",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "5.6 'a minimum of three months' (inside): left care 23 Aug 2026: stays on the CiN plan",
    facts: { currentTeam: "social-care", concern: "additional-needs", plan: "cin", ceasingToBeLookedAfter: true, ageYears: 9, ceasedLookedAfterOn: "2026-08-23" },
    rule: "ceasing-lac-cin-minimum",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "5.6 'a minimum of three months' (served): left care 22 Aug 2026: steps down to Early Help",
    facts: { ...cinStepDown, proposedTeam: "early-help", ceasingToBeLookedAfter: true, ageYears: 9, ceasedLookedAfterOn: "2026-08-22" },
    rule: "cin-step-down-early-help",
    direction: "step-down",
    to: "early-help",
  },
  {
    name: "5.5 'other than in exceptional circumstances' (not agreed): stays on the CiN minimum",
    facts: { currentTeam: "social-care", concern: "additional-needs", plan: "cp", ceasingToBeLookedAfter: false, proposedTeam: "early-help", consent: "given", exceptionalCircumstancesAgreed: false },
    rule: "cp-ending-cin-minimum",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "5.5 'other than in exceptional circumstances' (agreed): steps down",
    facts: { currentTeam: "social-care", concern: "additional-needs", plan: "cp", ceasingToBeLookedAfter: false, proposedTeam: "early-help", consent: "given", exceptionalCircumstancesAgreed: true },
    rule: "cp-ending-exceptional",
    direction: "step-down",
    to: "early-help",
  },
  {
    name: "5.7 'must be transferred to Leaving care' (not an emergency): a 17 year old with 20 weeks in care and child protection worries still transfers",
    facts: { ...leaving, concern: "significant-harm", ageYears: 17, weeksInCare: 20 },
    rule: "ceasing-16-17-leaving-care",
    direction: "transfer",
    to: "leaving-care",
  },
  {
    name: "4.4 'Child Protection procedures must be followed' (an emergency): the same young person in immediate danger is dealt with now, not transferred",
    facts: { ...leaving, concern: "immediate-danger", ageYears: 17, weeksInCare: 20 },
    rule: "emergency-open-to-social-care",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "4.2 'if urgent' (not urgent): the case transfer meeting",
    facts: { currentTeam: "childrens-centre", concern: "child-in-need", urgent: false, proposedTeam: "social-care" },
    rule: "cc-step-up-transfer-meeting",
    direction: "step-up",
    to: "social-care",
  },
  {
    name: "4.2 'if urgent' (urgent): the duty CSW",
    facts: { currentTeam: "childrens-centre", concern: "child-in-need", urgent: true, proposedTeam: "social-care" },
    rule: "step-up-urgent-duty-csw",
    direction: "step-up",
    to: "social-care",
  },
  {
    name: "Contact Details 'Out of Office Hours Emergencies only' (office hours): Customer First",
    facts: { currentTeam: "none", concern: "immediate-danger", outOfHours: false },
    rule: "emergency-referral-customer-first",
    direction: "step-up",
    to: "customer-first",
  },
  {
    name: "Contact Details 'Out of Office Hours Emergencies only' (out of hours): EDS",
    facts: { currentTeam: "none", concern: "immediate-danger", outOfHours: true },
    rule: "emergency-out-of-hours-eds",
    direction: "step-up",
    to: "eds",
  },
  {
    name: "4.1 'needs or circumstances have changed' (still early help level): stays with Early Help",
    facts: { currentTeam: "early-help", concern: "additional-needs", proposedTeam: "none", previousTeam: "none" },
    rule: null,
    direction: "stay",
    to: "early-help",
  },
  {
    name: "4.1 'needs or circumstances have changed' (now Child in Need): steps up",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: false, proposedTeam: "none" },
    rule: "eh-step-up-transfer-meeting",
    direction: "step-up",
    to: "social-care",
  },
  {
    name: "5.2 'following case transfer' (never with Social Care): a family leaving Early Help is not a 5.2 joint review",
    facts: { currentTeam: "early-help", concern: "additional-needs", proposedTeam: "none", previousTeam: "none", consent: "refused" },
    rule: null,
    direction: "stay",
    to: "early-help",
  },
  {
    name: "5.2 'following case transfer' (stepped down from Social Care): joint review of the residual risks",
    facts: { currentTeam: "early-help", concern: "additional-needs", proposedTeam: "none", previousTeam: "social-care", consent: "refused" },
    rule: "family-withdraws-from-early-help",
    direction: "stay",
    to: "early-help",
  },
  {
    name: "6.1 'Consultation and agreement with the parents/carers' (agreed): steps down",
    facts: { ...cinStepDown, proposedTeam: "early-help", consent: "given" },
    rule: "cin-step-down-early-help",
    direction: "step-down",
    to: "early-help",
  },
  {
    name: "6.1 'Consultation and agreement with the parents/carers' (not agreed): stays",
    facts: { ...cinStepDown, proposedTeam: "early-help", consent: "refused" },
    rule: "step-down-family-does-not-agree",
    direction: "stay",
    to: "social-care",
  },
  {
    name: "2. 'except in safeguarding situations' (Child in Need): a dispute stops the step up for 7 days",
    facts: { currentTeam: "early-help", concern: "child-in-need", urgent: true, proposedTeam: "social-care", managersDisagree: true },
    rule: "transfer-dispute",
    direction: "stay",
    to: "early-help",
  },
  {
    name: "2. 'except in safeguarding situations' (child protection): a dispute does not stop the urgent step up",
    facts: { currentTeam: "early-help", concern: "significant-harm", proposedTeam: "social-care", managersDisagree: true },
    rule: "step-up-urgent-duty-csw",
    direction: "step-up",
    to: "social-care",
  },
];

describeCases("Suffolk: every threshold, on both sides", boundaries, (b) => {
  const r = expectDecided(decide(b));
  expect(r.ruleId).toBe(b.rule);
  expect(r.direction).toBe(b.direction);
  expect(r.destination?.teamId ?? null).toBe(b.to);
  if (b.rule) seen.rules.add(b.rule);
});

// ---------------------------------------------------------------------------------------------------
// Questions, warnings, ladders, checklist, form, pack checks
// ---------------------------------------------------------------------------------------------------

describe("Suffolk: questions", () => {
  it("with no facts, asks (broad questions first) and does not guess", () => {
    const r = expectAsksWithNoFacts(pack);
    expect(r.questions.slice(0, 3).map((q) => q.id)).toEqual(["currentTeam", "concern", "plan"]);
  });

  it.each([
    [
      "an Early Help case: only Early Help questions (no CP, care or leaving care questions)",
      { currentTeam: "early-help" },
      "concern",
      ["concern", "urgent", "proposedTeam", "previousTeam", "consent"],
    ],
    ["an Early Help case at Child in Need level: urgent first", { currentTeam: "early-help", concern: "child-in-need" }, "urgent", ["urgent", "proposedTeam"]],
    ["a new contact: the level of concern, then the team proposed", { currentTeam: "none" }, "concern", ["concern", "proposedTeam"]],
    [
      "a CiN case with remaining needs: care, CP and consent questions, never the step up ones",
      { currentTeam: "social-care", concern: "additional-needs", plan: "cin" },
      "ceasingToBeLookedAfter",
      null,
    ],
    [
      "a young person ceasing to be looked after: age and weeks in care before anything else",
      { currentTeam: "social-care", concern: "additional-needs", plan: "none", ceasingToBeLookedAfter: true },
      "ageYears",
      null,
    ],
    [
      "a 16 year old with under 13 weeks this episode: weeks since 14 next",
      { currentTeam: "social-care", concern: "additional-needs", plan: "none", ceasingToBeLookedAfter: true, ageYears: 16, weeksInCare: 8 },
      "weeksInCareSince14",
      null,
    ],
    [
      "a CP plan with remaining needs: only the team proposed, never when the CP plan ended (the CiN minimum applies whatever the family think)",
      { currentTeam: "social-care", concern: "additional-needs", plan: "cp", ceasingToBeLookedAfter: false },
      "proposedTeam",
      ["proposedTeam"],
    ],
  ])("a partly answered case asks only relevant questions: %s", (_name, facts, first, exactly) => {
    const ids = expectAsks(recommend(pack, facts, now));
    expect(ids[0]).toBe(first);
    if (exactly) expect(ids).toEqual(exactly);
    // The engine's default assumptions (managers agree, office hours, no exceptional circumstances) are never asked.
    for (const f of ["managersDisagree", "outOfHours", "exceptionalCircumstancesAgreed"]) expect(ids).not.toContain(f);
    if ((facts as { currentTeam: string }).currentTeam !== "social-care") {
      for (const f of ["plan", "cpPlanEnding", "ceasingToBeLookedAfter", "weeksInCare", "legalStatus", "ageYears"]) expect(ids).not.toContain(f);
    } else {
      expect(ids).not.toContain("urgent");
      if ((facts as { plan?: string }).plan === "cp") expect(ids).not.toContain("cpPlanEndedOn");
    }
  });

  it("an emergency is decided at once and says it assumed office hours (EDS if the practitioner says it is out of hours)", () => {
    const r = recommend(pack, { currentTeam: "none", concern: "immediate-danger" }, now);
    expect(r.status).toBe("decided");
    expect(r.destination?.teamId).toBe("customer-first");
    expect(r.assumptions.map((a) => [a.fact, a.value])).toEqual([["outOfHours", false]]);
    expect(recommend(pack, { currentTeam: "none", concern: "immediate-danger", outOfHours: true }, now).destination?.teamId).toBe("eds");
  });

  it("uses Suffolk's words in its questions", () => {
    const r = recommend(pack, { currentTeam: "early-help", concern: "child-in-need" }, now);
    expect(r.questions[0]?.text).toMatch(/case transfer meeting/);
    const plan = recommend(pack, { currentTeam: "social-care", concern: "additional-needs" }, now).questions.find((q) => q.id === "plan");
    expect(plan?.options.find((o) => o.value === "cin")?.label).toBe("Safety and Well-being CiN plan");
  });
});

describe("Suffolk: warnings, escalation and what travels with the case", () => {
  const stepUpFacts = { currentTeam: "early-help", concern: "child-in-need", urgent: false, proposedTeam: "social-care" };

  it("4.9: a step up keeps the Early Help plan going and the case open to Early Help until the SWA/S47 is done", () => {
    const r = recommend(pack, stepUpFacts, now);
    expect(r.warnings.join(" ")).toMatch(/must continue while the Social Work Assessment/);
    expect(r.warnings.join(" ")).toMatch(/Do not close the case to Early Help until the SWA\/S47 has been completed/);
    expect(r.warnings.join(" ")).toMatch(/no longer go through MASH/);
    expect(r.documents).toContain("The Common Assessment (CAF), up to date (4.2)");
    expect(r.documents).toContain("Date of the next Family Network Meeting (4.8)");
  });

  it("4.5: proceeding without speaking to the parents must be decided with Social Care and recorded", () => {
    const r = recommend(pack, { ...stepUpFacts, consent: "not-sought-risk" }, now);
    expect(r.warnings).toContain("A decision to proceed without discussing it with the parents/carers must be taken in consultation with the Social Care team and clearly recorded.");
    expect(r.citations.some((c) => c.section === "4.5")).toBe(true);
    expect(recommend(pack, stepUpFacts, now).warnings.join(" ")).not.toMatch(/proceed without discussing/);
  });

  it("2: a case transferred before gets the 'previous case transfers' reminder", () => {
    const r = recommend(pack, { ...stepUpFacts, previousTeam: "social-care" }, now);
    expect(r.warnings.join(" ")).toMatch(/transferred before/);
  });

  it("2: in a safeguarding situation a disagreement must not hold up the response", () => {
    const r = recommend(pack, { currentTeam: "early-help", concern: "significant-harm", proposedTeam: "social-care", managersDisagree: true }, now);
    expect(r.ruleId).toBe("step-up-urgent-duty-csw");
    expect(r.warnings.join(" ")).toMatch(/7-day resolution period does not apply/);
  });

  it.each([
    ["an unborn baby", { unborn: true }, true, true],
    ["a 1 year old", { ageYears: 1 }, true, true],
    ["a 2 year old (under three, not under two)", { ageYears: 2 }, true, false],
    ["a 3 year old", { ageYears: 3 }, false, false],
  ])("Appendix 2.3 / 2.5: MASH checks for %s", (_name, extra, midwife, multiple) => {
    const r = recommend(pack, { currentTeam: "none", concern: "child-in-need", proposedTeam: "mash", ...extra }, now);
    expect(r.ruleId).toBe("new-referral-mash");
    expect(r.warnings.some((w) => w.includes("Midwife / Health Visitor"))).toBe(midwife);
    expect(r.warnings.some((w) => w.includes("multiple contacts"))).toBe(multiple);
  });

  it("5.3 / 4.3 / 5.4: a step down carries the 5.3 information, the risk reminder and the family approach", () => {
    const r = recommend(pack, { ...cinStepDown, proposedTeam: "early-help" }, now);
    expect(r.documents).toContain("Chronology with end summary of the circumstances, including outcomes achieved through CiN planning (5.3)");
    expect(r.transferPoint).toMatch(/final Family Network meeting/);
    expect(r.warnings.join(" ")).toMatch(/Early Help is voluntary/);
    expect(r.warnings.join(" ")).toMatch(/family approach/);
  });

  it("6.1: a step down after an assessment carries the SWA, the chronology and the privacy notice confirmation", () => {
    const r = recommend(
      pack,
      { currentTeam: "social-care", concern: "additional-needs", plan: "none", ceasingToBeLookedAfter: false, proposedTeam: "early-help", previousTeam: "none", consent: "given" },
      now,
    );
    expect(r.documents).toEqual([
      "Confirmation that a privacy notice has been issued and recorded (6.1)",
      "A copy of the social work assessment, with the initial plan (6.1)",
      "A chronology (6.1)",
    ]);
  });

  it("4.6: the step up ladder goes from the transfer meeting to the Practice Managers, the Area Service Managers and the Head of Service", () => {
    const r = recommend(pack, stepUpFacts, now);
    expect(r.escalation?.levels.map((l) => [l.role.teamId, l.role.role])).toEqual([
      ["transfer-meeting", "members"],
      ["social-care", "practice-manager"],
      [null, "area-service-manager"],
      [null, "head-of-service"],
    ]);
    expect(r.citations.some((c) => c.section === "4.6")).toBe(true);
  });

  it("Appendix 1: Children's Centre cases escalate from the Practice Lead to the Named Nurse to the Area Service Managers", () => {
    const r = recommend(pack, { ...stepUpFacts, currentTeam: "childrens-centre" }, now);
    expect(r.escalation?.levels.map((l) => [l.role.teamId, l.role.role])).toEqual([
      ["childrens-centre", "practice-lead"],
      [null, "named-nurse"],
      [null, "area-service-manager"],
    ]);
  });

  it("2. every ladder except the CP one resolves within 7 calendar days", () => {
    for (const l of pack.ladders) {
      if (l.id === "cp-step-down") expect(l.resolveWithin).toBeUndefined();
      else expect(l.resolveWithin).toEqual({ amount: 7, unit: "calendar-days" });
    }
    expect(pack.ladders.map((l) => l.id)).toEqual(expect.arrayContaining(["dispute", "step-up", "step-down"]));
  });

  it("the checklist is advisory and never delays a transfer; it covers 4.2, 4.8, 5.3 and 6.1", () => {
    expect(pack.checklist.advisory).toMatch(/never block or delay/);
    const sections = new Set(pack.checklist.items.map((i) => i.section));
    for (const s of ["(4.2)", "(4.8)", "(5.3)", "(6.1)"]) expect([...sections].some((x) => x.includes(s))).toBe(true);
  });

  it("Appendix 3 tracking form: the child's name and date of birth are sensitive, never collected", () => {
    const fields = pack.earlyWarningForm.fields;
    expect(fields.filter((f) => f.sensitive).map((f) => f.label)).toEqual(["Child/Young Person", "DOB"]);
    expect(fields.map((f) => f.label)).toContain("CMS I.D");
  });
});

describe("Suffolk: the pack itself", () => {
  it("checkPack finds no problem", () => {
    expect(checkPack(getPack("suffolk") as PolicyPack)).toEqual([]);
  });

  it("cites only the Suffolk protocol", () => {
    expect(new Set(citationsOf(pack).map((c) => c.file))).toEqual(new Set([FILE]));
  });

  itWithProtocol(pack)("every quote is word for word in the protocol", () => {
    expect(quotesNotInProtocol(pack)).toEqual([]);
  });

  it("the tests above reach every rule, deadline, destination and decider of the pack", () => {
    const scope = scopeOf(pack);
    expect([...seen.rules].sort()).toEqual([...scope.rules].sort());
    expect([...seen.deadlineIds].sort()).toEqual([...scope.deadlineIds].sort());
    expect([...seen.destinations].sort()).toEqual(
      ["childrens-centre", "customer-first", "early-help", "eds", "leaving-care", "mash", "social-care"].sort(),
    );
    expect([...seen.deciders].sort()).toEqual(
      [
        "transfer-meeting/members",
        "social-care/consultant-social-worker",
        "social-care/practice-manager",
        "social-care/social-worker",
        "social-care/service-manager",
        "early-help/practice-lead",
        "childrens-centre/practice-lead",
        "mash/decision-maker",
        "eds/duty",
        "/area-service-manager",
      ].sort(),
    );
  });
});
