/**
 * London Borough of Enfield: "Children and Family Services Case Transfer & Step Up/ Step Down Policy"
 * (re-issued June 2023 & February 2024), protocol file 003_548f927fafe19a84.txt.
 *
 * Table-driven: each case quotes the paragraph it checks, gives the facts a practitioner would give, and
 * checks the route, the decider and every deadline of the route. Deadlines are literal instants worked
 * out by hand from `now` = Monday 23 November 2026, 10:00 London (GMT):
 * - "within N working days": 17:00 London on the Nth working day after the event's London date (the
 *   event's own date is day 0); "at least N working days prior to": 17:00 on the Nth working day before;
 * - "within 24 / 72 hours": real (calendar) hours after the request;
 * - "7 days prior" / "two days before": the same wall-clock time N calendar days before (a bare date is
 *   taken at 09:00 London); "at least 4 weeks before the 2nd LAC review": 28 calendar days before;
 * - a deadline "of the decision" with no decision date is counted from now (the engine's default).
 * London is UTC+0 in winter and UTC+1 in summer (BST starts Sun 28 Mar 2027: 17:00 London = 16:00Z).
 * Bank holidays: 25 Dec 2026 (Fri), 28 Dec 2026 (Mon, substitute), 1 Jan 2027 (Fri), 26 Mar 2027 (Good
 * Friday), 29 Mar 2027 (Easter Monday).
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
  hasProtocol,
  missing,
  quotesNotInProtocol,
  scopeOf,
} from "./shared";

const pack = getPack("enfield") as PolicyPack;
const FILE = "003_548f927fafe19a84.txt";

// Clocks counted from the request (Mon 23 Nov 2026 10:00 GMT), worked out by hand.
const NOW = "2026-11-23T10:00:00.000Z"; // "immediately"
const REQ_24H = "2026-11-24T10:00:00.000Z"; // 24 real hours
const REQ_72H = "2026-11-26T10:00:00.000Z"; // 72 real hours
const REQ_1WD = "2026-11-24T17:00:00.000Z"; // Tue 24 Nov 17:00
const REQ_2WD = "2026-11-25T17:00:00.000Z"; // Wed 25 Nov 17:00
const REQ_3WD = "2026-11-26T17:00:00.000Z"; // Thu 26 Nov 17:00
const REQ_15WD = "2026-12-14T17:00:00.000Z"; // Tue 24 … Fri 27, Mon 30 … Fri 4, Mon 7 … Fri 11, Mon 14 Dec
const REQ_10WD = "2026-12-07T17:00:00.000Z"; // Tue 24 Nov … Mon 7 Dec (10th working day)

/** Clocks that must never be deferred to working hours. */
const URGENT = ["sqas-notified", "final-decision", "transfer-out-form"];

/** `section`: the start of the section (the document's own numbering) a citation must carry. */
interface Case extends TableCase {
  ladder?: string;
  transferPoint?: string;
}

const decide = decideWith(pack);

function expectCase(c: Case): Recommendation {
  const r = expectRoute(decide(c), { ...c, alternatives: c.alternatives ?? [], urgent: URGENT });
  expect(r.citations.some((x) => x.file === FILE && x.section.startsWith(c.section))).toBe(true);
  if (c.ladder) expect(r.escalation?.ladderId).toBe(c.ladder);
  if (c.transferPoint) expect(r.transferPoint).toContain(c.transferPoint);
  return r;
}

const allCases: Case[] = [];
function table(title: string, cases: Case[]): void {
  allCases.push(...cases);
  describeCases(title, cases, expectCase);
}

// Facts that rule out the specialist rows of the need-to-team table (2.1).
const noSpecialistNeed = { disability: "none", homeless16or17: false, exploitationRisk: false, domesticAbuseYoungChild: false };

// ---------------------------------------------------------------------------------------------------
// Front door: transfers in from other authorities (7, 10), step up (19.1)
// ---------------------------------------------------------------------------------------------------

table("Front door and step up (7, 10, 19.1)", [
  {
    name: "10. 'MASH should notify the SQAS immediately ... MASH should redirect any referrals to MPE': a family moving in with a CP plan goes to MPE; Enfield accepts it at the 'transfer in' conference within 15 working days",
    facts: { currentTeam: "mash", movedFromOtherAuthority: "cp-plan" },
    rule: "transfer-in-cp-to-mpe",
    direction: "transfer",
    to: "mpe",
    alternatives: ["cpcin", "ast", "dat", "jsdc"],
    decider: ["sqas", "cp-chair"],
    deadlines: { "sqas-notified": NOW, "transfer-in-conference": REQ_15WD },
    section: "10",
    transferPoint: "'transfer in' child protection conference",
  },
  {
    name: "10. 'the originating authority notify the MASH at the earliest opportunity': a CP transfer-in that is not yet open to any team follows the same route",
    facts: { currentTeam: "none", movedFromOtherAuthority: "cp-plan" },
    rule: "transfer-in-cp-to-mpe",
    direction: "transfer",
    to: "mpe",
    alternatives: ["cpcin", "ast", "dat", "jsdc"],
    decider: ["sqas", "cp-chair"],
    deadlines: { "sqas-notified": NOW, "transfer-in-conference": REQ_15WD },
    section: "10",
  },
  {
    name: "7. 'In the absence of any of the above paperwork, the MASH team must not accept the case responsibility': a CIN transfer-in without the documents is refused; the other authority keeps it",
    facts: { currentTeam: "none", movedFromOtherAuthority: "cin-plan", transferDocumentsComplete: false },
    rule: "transfer-in-cin-documents-missing",
    direction: "refuse",
    to: null,
    alternatives: ["host-authority"],
    decider: ["mash", "team-manager"],
    section: "7",
  },
  {
    name: "7. 'Where a child subject to a CIN plan in another authority moves to Enfield, the referral will initially go to MASH' (all the paperwork received)",
    facts: { currentTeam: "none", movedFromOtherAuthority: "cin-plan", transferDocumentsComplete: true },
    rule: "transfer-in-cin-to-mash",
    direction: "transfer",
    to: "mash",
    decider: ["mash", "team-manager"],
    section: "7",
  },
  {
    name: "7. 'MASH progress the contact to referral and send to the relevant Duty CPCiN, CSSS or JSDC Managers work tray': threshold met with all the paperwork",
    facts: { currentTeam: "mash", movedFromOtherAuthority: "cin-plan", transferDocumentsComplete: true, concern: "child-in-need" },
    rule: "transfer-in-cin-to-duty",
    direction: "transfer",
    to: "cpcin",
    alternatives: ["csss", "jsdc"],
    decider: ["cpcin", "duty-manager"],
    section: "7",
  },
  {
    name: "19. 'the process for when a child and/or family may require the support of statutory services (Social Care) – Step Up': a new contact with child protection concerns goes to MASH",
    facts: { currentTeam: "none", concern: "significant-harm", movedFromOtherAuthority: "none" },
    rule: "new-contact-to-mash",
    direction: "step-up",
    to: "mash",
    decider: ["mash", "team-manager"],
    section: "19 Step Up / Step Down",
    ladder: "step-up",
  },
  {
    name: "19.1 'The case will be stepped up as directed by the MASH': threshold met at MASH, the case goes to A&I, final decision within 24 hours",
    facts: { currentTeam: "mash", concern: "significant-harm", movedFromOtherAuthority: "none", uasc: false },
    rule: "mash-to-a-and-i",
    direction: "step-up",
    to: "a-and-i",
    decider: ["mash", "team-manager"],
    deadlines: { "final-decision": REQ_24H },
    section: "19.1",
    ladder: "step-up",
  },
  {
    name: "19.1 'If it is determined that threshold has not been met, the case will remain with EH Services': an Early Help referral MASH finds below threshold",
    facts: { currentTeam: "mash", previousTeam: "early-help", concern: "additional-needs", movedFromOtherAuthority: "none", uasc: false, privateFostering: false },
    rule: "mash-threshold-not-met-back-to-eh",
    direction: "stay",
    to: "early-help",
    decider: ["mash", "team-manager"],
    section: "19.1",
    ladder: "step-up",
  },
  {
    name: "19.1 'If the EH Case Worker has safeguarding concerns ... the EH Manager will decide whether to refer the case to MASH': significant harm steps up to MASH; 'Final decisions ... within 24 hours'",
    facts: { currentTeam: "early-help", concern: "significant-harm" },
    rule: "eh-step-up",
    direction: "step-up",
    to: "mash",
    alternatives: ["early-help"],
    decider: ["mash", "team-manager"],
    deadlines: { "final-decision": REQ_24H },
    section: "19.1",
    ladder: "step-up",
  },
  {
    name: "19.1 step up: a child in need at Early Help also goes to MASH for the threshold decision",
    facts: { currentTeam: "early-help", concern: "child-in-need" },
    rule: "eh-step-up",
    direction: "step-up",
    to: "mash",
    alternatives: ["early-help"],
    decider: ["mash", "team-manager"],
    deadlines: { "final-decision": REQ_24H },
    section: "19.1",
  },
  {
    name: "19.1 'Final decisions for all safeguarding step-up escalations must be made within 24 hours': raised on Christmas Eve 16:30, the urgent clock runs through Christmas Day (25 Dec 16:30)",
    facts: { currentTeam: "early-help", concern: "immediate-danger" },
    at: "2026-12-24T16:30:00Z",
    rule: "eh-step-up",
    direction: "step-up",
    to: "mash",
    alternatives: ["early-help"],
    decider: ["mash", "team-manager"],
    deadlines: { "final-decision": "2026-12-25T16:30:00.000Z" },
    section: "19.1",
  },
  {
    name: "19.1 'the case will remain with EH Services': an Early Help case with additional needs only stays with EH",
    facts: { currentTeam: "early-help", concern: "additional-needs" },
    rule: "eh-below-threshold-stays",
    direction: "stay",
    to: "early-help",
    decider: ["early-help", "team-manager"],
    section: "19.1",
  },
]);

// ---------------------------------------------------------------------------------------------------
// 2.2 A child in care with a new child protection concern
// ---------------------------------------------------------------------------------------------------

table("2.2 Children in care: new child protection concerns", [
  {
    name: "2.2 '... rather than referring to the MASH or Assessment and Intervention (A&I) Teams': a LAC team proposing a MASH referral is refused; LAC follows the CP process itself",
    facts: { currentTeam: "lac", concern: "significant-harm", proposedTeam: "mash" },
    rule: "in-care-cp-concern-not-to-mash",
    direction: "refuse",
    to: null,
    alternatives: ["lac"],
    decider: ["lac", "team-manager"],
    section: "2.2",
  },
  {
    name: "2.2 '(under responsibility of LAC or LC teams)': Leaving Care proposing A&I for a young person in immediate danger is refused too",
    facts: { currentTeam: "leaving-care", concern: "immediate-danger", proposedTeam: "a-and-i" },
    rule: "in-care-cp-concern-not-to-mash",
    direction: "refuse",
    to: null,
    alternatives: ["leaving-care"],
    decider: ["leaving-care", "team-manager"],
    section: "2.2",
  },
  {
    name: "2.2 'the team holding the case is responsible for following the correct process': a new CP concern for a child held by LAC stays with LAC",
    facts: { currentTeam: "lac", concern: "significant-harm" },
    rule: "in-care-cp-concern-stays",
    direction: "stay",
    to: "lac",
    decider: ["lac", "team-manager"],
    section: "2.2",
    ladder: "dispute",
  },
  {
    name: "2.2 the same for a young person held by Leaving Care",
    facts: { currentTeam: "leaving-care", concern: "significant-harm", proposedTeam: "none" },
    rule: "in-care-cp-concern-stays",
    direction: "stay",
    to: "leaving-care",
    decider: ["leaving-care", "team-manager"],
    section: "2.2",
  },
]);

// ---------------------------------------------------------------------------------------------------
// 5, 6, 8, 15 and 2.1: A&I transfers at the ICPC or the initial CIN meeting
// ---------------------------------------------------------------------------------------------------

// A&I CP route with no ICPC date yet: the conference-anchored clocks are not dates yet.
const aiCpNoIcpc = {
  "ecta-sent": REQ_2WD,
  "ecta-forwarded": REQ_1WD,
  "ecta-reviewed": REQ_2WD,
  "plan-change-alert": REQ_1WD,
  "allocated-social-worker-named": null,
  "icpc-report-to-chair": null,
  "ll-transfer-sent": null,
  "case-file-reviewed": null,
  "transfer-accepted": null,
};
// A&I CIN route with no CIN meeting date yet.
const aiCinNoMeeting = {
  "ecta-sent": REQ_2WD,
  "ecta-forwarded": REQ_1WD,
  "ecta-reviewed": REQ_2WD,
  "plan-change-alert": REQ_1WD,
  "initial-cin-meeting": REQ_10WD,
  "allocated-social-worker-named": null,
  "assessment-shared": null,
  "ll-transfer-sent": null,
  "case-transferred": null,
};
const aiNoLac = { legalStatus: "none", careProceedings: "none", uasc: false };

table("A&I onward transfers (5, 6, 8, 15, 2.1)", [
  {
    name: "5. and 8. 'For CP cases, the LL case transfer will be sent ... within 1 working day of an ICPC ... (i.e., three working days from ICPC)': ICPC Thu 3 Dec; SW named by Tue 1 Dec, report to the Chair Tue 1 Dec 09:00, LL Fri 4, file reviewed Mon 7, accepted Tue 8 Dec",
    facts: { currentTeam: "a-and-i", concern: "significant-harm", ageYears: 4, ...aiNoLac, ...noSpecialistNeed, icpcOn: "2026-12-03" },
    rule: "ai-cp-cpcin",
    direction: "transfer",
    to: "cpcin",
    alternatives: ["csss"],
    decider: ["cpcin", "team-manager"],
    deadlines: {
      "ecta-sent": REQ_2WD,
      "ecta-forwarded": REQ_1WD,
      "ecta-reviewed": REQ_2WD,
      "plan-change-alert": REQ_1WD,
      "allocated-social-worker-named": "2026-12-01T17:00:00.000Z",
      "icpc-report-to-chair": "2026-12-01T09:00:00.000Z",
      "ll-transfer-sent": "2026-12-04T17:00:00.000Z",
      "case-file-reviewed": "2026-12-07T17:00:00.000Z",
      "transfer-accepted": "2026-12-08T17:00:00.000Z",
    },
    section: "8",
    transferPoint: "At the ICPC",
    ladder: "dispute",
  },
  {
    name: "6. 'The aim is for the case be transferred within 4 working days after the initial CIN meeting': CIN meeting Wed 23 Dec; assessment shared Wed 16 Dec 09:00, SW named Mon 21 Dec, LL Tue 29 Dec, transferred Thu 31 Dec (25 and 28 Dec are bank holidays)",
    facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 7, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, decisionOn: "2026-11-23", cinMeetingOn: "2026-12-23" },
    rule: "ai-cin-cpcin",
    direction: "transfer",
    to: "cpcin",
    alternatives: ["csss"],
    decider: ["cpcin", "team-manager"],
    deadlines: {
      "ecta-sent": REQ_2WD,
      "ecta-forwarded": REQ_1WD,
      "ecta-reviewed": REQ_2WD,
      "plan-change-alert": REQ_1WD,
      "initial-cin-meeting": REQ_10WD,
      "allocated-social-worker-named": "2026-12-21T17:00:00.000Z",
      "assessment-shared": "2026-12-16T09:00:00.000Z",
      "ll-transfer-sent": "2026-12-29T17:00:00.000Z",
      "case-transferred": "2026-12-31T17:00:00.000Z",
    },
    section: "6",
    transferPoint: "At the initial CIN meeting",
  },
  {
    name: "8. 'a date for the initial CIN Meeting will also be arranged within 10 working days of the meeting': ICPC Wed 18 Nov made no CP plan; CIN meeting by Wed 2 Dec; alert sent by Fri 20 Nov; LL Fri 4 Dec; transferred Tue 8 Dec",
    facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 7, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, icpcOn: "2026-11-18", decisionOn: "2026-11-18", cinMeetingOn: "2026-12-02" },
    rule: "ai-icpc-no-plan-cin",
    direction: "transfer",
    to: "cpcin",
    alternatives: ["csss"],
    decider: ["cpcin", "team-manager"],
    deadlines: {
      "initial-cin-meeting-after-icpc": "2026-12-02T17:00:00.000Z",
      "ecta-sent": "2026-11-20T17:00:00.000Z",
      "ecta-forwarded": REQ_1WD,
      "ecta-reviewed": REQ_2WD,
      "plan-change-alert": REQ_1WD,
      "initial-cin-meeting": "2026-12-02T17:00:00.000Z",
      "allocated-social-worker-named": "2026-11-30T17:00:00.000Z",
      "assessment-shared": "2026-11-25T09:00:00.000Z",
      "ll-transfer-sent": "2026-12-04T17:00:00.000Z",
      "case-transferred": "2026-12-08T17:00:00.000Z",
    },
    section: "8",
  },
  {
    name: "15. 'If the child is disabled and subject to a child protection plan, the Team Manager and Social Worker from the JSDC should be invited to the ICPC': a disabled child with complex needs goes to JSDC at the ICPC",
    facts: { currentTeam: "a-and-i", concern: "significant-harm", ageYears: 6, ...aiNoLac, disability: "criteria-clearly-met" },
    rule: "ai-cp-jsdc",
    direction: "transfer",
    to: "jsdc",
    decider: ["jsdc", "team-manager"],
    deadlines: aiCpNoIcpc,
    section: "15",
  },
  {
    name: "15. 'If the child is disabled and requires 'child in need' services, transfer at the first CIN meeting': CIN meeting Tue 5 Jan 2027; SW named Thu 31 Dec (1 Jan is a bank holiday), assessment Tue 29 Dec 09:00, LL Thu 7 Jan, transferred Mon 11 Jan",
    facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 6, ...aiNoLac, privateFostering: false, disability: "criteria-clearly-met", cinMeetingOn: "2027-01-05" },
    rule: "ai-cin-jsdc",
    direction: "transfer",
    to: "jsdc",
    decider: ["jsdc", "team-manager"],
    deadlines: {
      ...aiCinNoMeeting,
      "allocated-social-worker-named": "2026-12-31T17:00:00.000Z",
      "assessment-shared": "2026-12-29T09:00:00.000Z",
      "ll-transfer-sent": "2027-01-07T17:00:00.000Z",
      "case-transferred": "2027-01-11T17:00:00.000Z",
    },
    section: "15",
  },
  {
    name: "2.1 'If in doubt, liaise with Duty Manager at JSDC': a CP case where the JSDC criteria are unclear is decided with the JSDC Duty Manager (CPCiN if not met)",
    facts: { currentTeam: "a-and-i", concern: "significant-harm", ageYears: 9, ...aiNoLac, disability: "criteria-unclear" },
    rule: "ai-cp-jsdc-criteria-unclear",
    direction: "transfer",
    to: "jsdc",
    alternatives: ["cpcin"],
    decider: ["jsdc", "duty-manager"],
    deadlines: aiCpNoIcpc,
    section: "2.1",
  },
  {
    name: "2.1 'If in doubt, liaise with Duty Manager at JSDC': the same for a CIN case",
    facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 9, ...aiNoLac, privateFostering: false, disability: "criteria-unclear" },
    rule: "ai-cin-jsdc-criteria-unclear",
    direction: "transfer",
    to: "jsdc",
    alternatives: ["cpcin"],
    decider: ["jsdc", "duty-manager"],
    deadlines: aiCinNoMeeting,
    section: "2.1",
  },
  {
    name: "2.1 'At risk of exploitation – Adolescent Safeguarding Teams' and 8. 'The receiving CPCiN, AST, DAT or JSDC team manager ... will attend the ICPC': ICPC Thu 25 Mar 2027 before Easter; LL Tue 30 Mar 16:00Z (BST), reviewed Wed 31 Mar, accepted Thu 1 Apr",
    facts: { currentTeam: "a-and-i", concern: "significant-harm", ageYears: 14, ...aiNoLac, disability: "none", exploitationRisk: true, icpcOn: "2027-03-25" },
    rule: "ai-cp-ast",
    direction: "transfer",
    to: "ast",
    alternatives: ["dat"],
    decider: ["ast", "team-manager"],
    deadlines: {
      "ecta-sent": REQ_2WD,
      "ecta-forwarded": REQ_1WD,
      "ecta-reviewed": REQ_2WD,
      "plan-change-alert": REQ_1WD,
      "allocated-social-worker-named": "2027-03-23T17:00:00.000Z",
      "icpc-report-to-chair": "2027-03-23T09:00:00.000Z",
      "ll-transfer-sent": "2027-03-30T16:00:00.000Z",
      "case-file-reviewed": "2027-03-31T16:00:00.000Z",
      "transfer-accepted": "2027-04-01T16:00:00.000Z",
    },
    section: "2.1",
  },
  {
    name: "2.1 'At risk of family breakdown/risk of coming into care (11-17 years old) – Adolescent Safeguarding Teams': an 11 year old on a CIN route goes to AST",
    facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 11, ...aiNoLac, privateFostering: false, disability: "none", familyBreakdown: "at-risk" },
    rule: "ai-cin-ast",
    direction: "transfer",
    to: "ast",
    alternatives: ["dat"],
    decider: ["ast", "team-manager"],
    deadlines: aiCinNoMeeting,
    section: "2.1",
  },
  {
    name: "2.1 '16+ threatened with/at risk of homelessness – Adolescent Safeguarding Teams': a 16 year old still at home goes to AST",
    facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 16, ...aiNoLac, privateFostering: false, disability: "none", homeless16or17: true },
    rule: "ai-cin-ast",
    direction: "transfer",
    to: "ast",
    alternatives: ["dat"],
    decider: ["ast", "team-manager"],
    deadlines: aiCinNoMeeting,
    section: "2.1",
  },
  {
    name: "2.1 'Living at home with significant /ongoing risk of domestic abuse and at least one child in the family is aged five or under – Domestic Abuse Team' (ICPC route)",
    facts: { currentTeam: "a-and-i", concern: "significant-harm", ageYears: 3, ...aiNoLac, ...noSpecialistNeed, domesticAbuseYoungChild: true },
    rule: "ai-cp-dat",
    direction: "transfer",
    to: "dat",
    decider: ["dat", "team-manager"],
    deadlines: aiCpNoIcpc,
    section: "2.1",
  },
  {
    name: "2.1 and 6. 'Additional criteria are applied for cases that require a child in plan when transferring to the Domestic Abuse Team': the CIN route to DAT",
    facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 2, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, domesticAbuseYoungChild: true },
    rule: "ai-cin-dat",
    direction: "transfer",
    to: "dat",
    decider: ["dat", "team-manager"],
    deadlines: aiCinNoMeeting,
    section: "2.1",
  },
  {
    name: "2.1 'Private fostering arrangement – Private Fostering Team': A&I passes a privately fostered child to the Private Fostering Team (response to the alert within two working days, 4.)",
    facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 13, legalStatus: "none", uasc: false, privateFostering: true },
    rule: "private-fostering",
    direction: "transfer",
    to: "private-fostering",
    decider: ["private-fostering", "team-manager"],
    deadlines: { "ecta-reviewed": REQ_2WD },
    section: "2.1",
  },
  {
    name: "2.1 'Private fostering arrangement': MASH passes a private fostering notification with additional needs to the Private Fostering Team",
    facts: { currentTeam: "mash", concern: "additional-needs", movedFromOtherAuthority: "none", uasc: false, privateFostering: true },
    rule: "private-fostering",
    direction: "transfer",
    to: "private-fostering",
    decider: ["private-fostering", "team-manager"],
    deadlines: { "ecta-reviewed": REQ_2WD },
    section: "2.1",
  },
]);

// ---------------------------------------------------------------------------------------------------
// 9. Transfers between CPCiN, CSSS (AST, DAT) and JSDC; 11. transfer out
// ---------------------------------------------------------------------------------------------------

// Next CIN meeting Thu 25 Mar 2027: SW named Tue 23 Mar 17:00 GMT; Good Friday and Easter Monday
// skipped, LL Wed 31 Mar and transferred Fri 2 Apr, 17:00 BST (16:00Z).
const btwEaster = { "allocated-social-worker-named": "2027-03-23T17:00:00.000Z", "ll-transfer-sent": "2027-03-31T16:00:00.000Z", "case-transferred": "2027-04-02T16:00:00.000Z" };
// Next CP conference Tue 5 Jan 2027: SW named Thu 31 Dec (1 Jan skipped), LL Thu 7 Jan, transferred Mon 11 Jan.
const btwNewYear = { "allocated-social-worker-named": "2026-12-31T17:00:00.000Z", "ll-transfer-sent": "2027-01-07T17:00:00.000Z", "case-transferred": "2027-01-11T17:00:00.000Z" };
const btwNoMeeting = { "allocated-social-worker-named": null, "ll-transfer-sent": null, "case-transferred": null };
const btwAlert = { "ecta-sent": REQ_2WD, "ecta-reviewed": REQ_2WD };
const notInCare = { legalStatus: "none", careProceedings: "none" };

table("9. Transfers between CPCiN, CSSS and JSDC, and 11. transfer out", [
  {
    name: "9. 'The next CIN meeting ... should be the mechanism for enacting transfer': a CPCiN child now meeting the JSDC criteria moves to JSDC at the CIN meeting of Thu 25 Mar 2027 (Easter and BST)",
    facts: { currentTeam: "cpcin", plan: "cin", concern: "child-in-need", ageYears: 8, legalStatus: "none", disability: "criteria-clearly-met", cinMeetingOn: "2027-03-25" },
    rule: "to-jsdc-cin",
    direction: "transfer",
    to: "jsdc",
    decider: ["jsdc", "team-manager"],
    deadlines: { ...btwAlert, ...btwEaster },
    section: "9",
    transferPoint: "At the next CIN meeting",
  },
  {
    name: "9. '... or the next child protection conference': a CSSS child on a CP plan now meeting the JSDC criteria moves at the conference of Tue 5 Jan 2027",
    facts: { currentTeam: "csss", plan: "cp", concern: "significant-harm", ageYears: 8, ...notInCare, disability: "criteria-clearly-met", decisionOn: "2026-11-23", cpReviewConferenceOn: "2027-01-05" },
    rule: "to-jsdc-cp",
    direction: "transfer",
    to: "jsdc",
    decider: ["jsdc", "team-manager"],
    deadlines: { ...btwAlert, ...btwNewYear },
    section: "9",
    transferPoint: "At the next child protection conference",
  },
  {
    name: "9. 'the current team manager will send the Early Case Transfer Alert ... within two working days of the decision to request a transfer': a CPCiN teenager now at risk of exploitation moves to AST (meeting not yet dated)",
    facts: { currentTeam: "cpcin", plan: "cin", concern: "child-in-need", ageYears: 15, legalStatus: "none", disability: "none", exploitationRisk: true },
    rule: "to-ast-cin",
    direction: "transfer",
    to: "ast",
    alternatives: ["dat"],
    decider: ["ast", "team-manager"],
    deadlines: { ...btwAlert, ...btwNoMeeting },
    section: "9",
  },
  {
    name: "9. and 2.1 '16+ threatened with/at risk of homelessness': a DAT case where the 16 year old is now threatened with homelessness moves to AST at the next CP conference",
    facts: { currentTeam: "dat", plan: "cp", concern: "significant-harm", ageYears: 16, ...notInCare, disability: "none", homeless16or17: true, cpReviewConferenceOn: "2027-01-05" },
    rule: "to-ast-cp",
    direction: "transfer",
    to: "ast",
    alternatives: ["dat"],
    decider: ["ast", "team-manager"],
    deadlines: { ...btwAlert, ...btwNewYear },
    section: "9",
  },
  {
    name: "9. and 2.1 'Living at home with significant /ongoing risk of domestic abuse and at least one child ... aged five or under': a CPCiN CIN case moves to DAT",
    facts: { currentTeam: "cpcin", plan: "cin", concern: "child-in-need", ageYears: 4, legalStatus: "none", ...noSpecialistNeed, domesticAbuseYoungChild: true, cinMeetingOn: "2027-03-25" },
    rule: "to-dat-cin",
    direction: "transfer",
    to: "dat",
    decider: ["dat", "team-manager"],
    deadlines: { ...btwAlert, ...btwEaster },
    section: "9",
  },
  {
    name: "9. the same for a CSSS child on a CP plan",
    facts: { currentTeam: "csss", plan: "cp", concern: "significant-harm", ageYears: 1, ...notInCare, ...noSpecialistNeed, domesticAbuseYoungChild: true },
    rule: "to-dat-cp",
    direction: "transfer",
    to: "dat",
    decider: ["dat", "team-manager"],
    deadlines: { ...btwAlert, ...btwNoMeeting },
    section: "9",
  },
  {
    name: "15. 'JSDC will retain case responsibility ... if the required criteria are met' and 9.: criteria no longer met, JSDC transfers a CIN case to CPCiN",
    facts: { currentTeam: "jsdc", plan: "cin", concern: "child-in-need", ageYears: 10, legalStatus: "none", disability: "criteria-not-met", cinMeetingOn: "2027-03-25" },
    rule: "jsdc-criteria-not-met-cin",
    direction: "transfer",
    to: "cpcin",
    alternatives: ["csss"],
    decider: ["cpcin", "team-manager"],
    deadlines: { ...btwAlert, ...btwEaster },
    section: "9",
  },
  {
    name: "15. and 9.: the same for a child on a CP plan who is not disabled",
    facts: { currentTeam: "jsdc", plan: "cp", concern: "significant-harm", ageYears: 10, ...notInCare, disability: "none", cpReviewConferenceOn: "2027-01-05" },
    rule: "jsdc-criteria-not-met-cp",
    direction: "transfer",
    to: "cpcin",
    alternatives: ["csss"],
    decider: ["cpcin", "team-manager"],
    deadlines: { ...btwAlert, ...btwNewYear },
    section: "9",
  },
  {
    name: "9. 'a change of circumstances means that a different service may now be better placed': no adolescent safeguarding need left, AST transfers a CIN case to CPCiN",
    facts: { currentTeam: "ast", plan: "cin", concern: "child-in-need", ageYears: 15, legalStatus: "none", disability: "none", exploitationRisk: false, homeless16or17: false, familyBreakdown: "none" },
    rule: "ast-needs-ended-cin",
    direction: "transfer",
    to: "cpcin",
    alternatives: ["dat"],
    decider: ["cpcin", "team-manager"],
    deadlines: { ...btwAlert, ...btwNoMeeting },
    section: "9",
  },
  {
    name: "9. the same for an AST child on a CP plan",
    facts: { currentTeam: "ast", plan: "cp", concern: "significant-harm", ageYears: 15, ...notInCare, disability: "none", exploitationRisk: false, homeless16or17: false, familyBreakdown: "none", cpReviewConferenceOn: "2027-01-05" },
    rule: "ast-needs-ended-cp",
    direction: "transfer",
    to: "cpcin",
    alternatives: ["dat"],
    decider: ["cpcin", "team-manager"],
    deadlines: { ...btwAlert, ...btwNewYear },
    section: "9",
  },
  {
    name: "9. domestic abuse risk no longer significant: DAT transfers a CIN case to CPCiN",
    facts: { currentTeam: "dat", plan: "cin", concern: "child-in-need", ageYears: 6, legalStatus: "none", ...noSpecialistNeed },
    rule: "dat-needs-ended-cin",
    direction: "transfer",
    to: "cpcin",
    decider: ["cpcin", "team-manager"],
    deadlines: { ...btwAlert, ...btwNoMeeting },
    section: "9",
  },
  {
    name: "9. the same for a DAT child on a CP plan",
    facts: { currentTeam: "dat", plan: "cp", concern: "significant-harm", ageYears: 6, ...notInCare, ...noSpecialistNeed, cpReviewConferenceOn: "2027-01-05" },
    rule: "dat-needs-ended-cp",
    direction: "transfer",
    to: "cpcin",
    decider: ["cpcin", "team-manager"],
    deadlines: { ...btwAlert, ...btwNewYear },
    section: "9",
  },
  {
    name: "11. 'The social worker must complete the form with details within 24 hours ... arrange the 'transfer out' conference within 15 working days': a CP case moving out of Enfield",
    facts: { currentTeam: "cpcin", plan: "cp", concern: "significant-harm", ...notInCare, movingOutOfArea: true },
    rule: "cp-transfer-out",
    direction: "transfer",
    to: "host-authority",
    decider: ["host-authority", "cp-chair"],
    deadlines: { "transfer-out-form": REQ_24H, "transfer-out-conference": REQ_15WD },
    section: "11",
    transferPoint: "'transfer out' child protection conference",
  },
]);

// ---------------------------------------------------------------------------------------------------
// 12. Care proceedings and children in care (under 16), Supervision Orders
// ---------------------------------------------------------------------------------------------------

// Section 20: 2nd LAC review Thu 25 Mar 2027. Alert by Thu 25 Feb 09:00 (4 weeks before); Good Friday and
// Easter Monday skipped: LL Tue 30 Mar, allocated Thu 1 Apr, 17:00 BST (16:00Z).
const s20Easter = {
  "ecta-sent": "2027-02-25T09:00:00.000Z",
  "ecta-reviewed": REQ_2WD,
  "plan-change-alert": REQ_1WD,
  "ll-transfer-sent": "2027-03-30T16:00:00.000Z",
  "case-allocated": "2027-04-01T16:00:00.000Z",
};
// Supervision Order, final hearing Thu 24 Dec 2026: LL Tue 29 Dec, allocated Thu 31 Dec (25 and 28 Dec skipped).
const soChristmas = { "ll-transfer-sent": "2026-12-29T17:00:00.000Z", "case-allocated": "2026-12-31T17:00:00.000Z" };

table("12. Care proceedings, children in care and Supervision Orders", [
  {
    name: "12. 'has not been successful in securing an interim care order ... the case should transfer to the LAC service at the initial court hearing': panel Fri 20 Nov (alert by Tue 24 Nov), hearing Wed 30 Dec; LL Mon 4 Jan (1 Jan skipped), allocated Wed 6 Jan",
    facts: { currentTeam: "cpcin", concern: "significant-harm", careProceedings: "issued", legalStatus: "none", ageYears: 6, panelApprovalOn: "2026-11-20", firstCourtHearingOn: "2026-12-30" },
    rule: "proceedings-no-ico-to-lac",
    direction: "transfer",
    to: "lac",
    decider: ["lac", "team-manager"],
    deadlines: {
      "ecta-sent": "2026-11-24T17:00:00.000Z",
      "ecta-reviewed": REQ_2WD,
      "plan-change-alert": REQ_1WD,
      "ll-transfer-sent": "2027-01-04T17:00:00.000Z",
      "case-allocated": "2027-01-06T17:00:00.000Z",
    },
    section: "12",
    transferPoint: "At the initial court hearing",
  },
  {
    name: "12. 'an Early Case Transfer Alert should be completed and sent to the LAC Service within 2 working days of approval': panel agreed today to issue; the hearing has no date yet",
    facts: { currentTeam: "a-and-i", concern: "significant-harm", careProceedings: "agreed-to-issue", ageYears: 2, panelApprovalOn: "2026-11-23" },
    rule: "proceedings-to-lac",
    direction: "transfer",
    to: "lac",
    decider: ["lac", "team-manager"],
    deadlines: { "ecta-sent": REQ_2WD, "ecta-reviewed": REQ_2WD, "plan-change-alert": REQ_1WD, "ll-transfer-sent": null, "case-allocated": null },
    section: "12",
    transferPoint: "At the initial court hearing or the 1st LAC review",
  },
  {
    name: "12. 'the case must transfer either at the initial court hearing or the 1st LAC review' (ICO made, 15 years old): hearing Thu 25 Mar 2027; LL Wed 31 Mar, allocated within 48 hours = 4 working days, Fri 2 Apr (BST)",
    facts: { currentTeam: "ast", concern: "significant-harm", careProceedings: "issued", legalStatus: "interim-care-order", ageYears: 15, firstCourtHearingOn: "2027-03-25" },
    rule: "proceedings-to-lac",
    direction: "transfer",
    to: "lac",
    decider: ["lac", "team-manager"],
    deadlines: {
      "ecta-sent": null,
      "ecta-reviewed": REQ_2WD,
      "plan-change-alert": REQ_1WD,
      "ll-transfer-sent": "2027-03-31T16:00:00.000Z",
      "case-allocated": "2027-04-02T16:00:00.000Z",
    },
    section: "12",
  },
  {
    name: "12. 'a care plan for the child to remain in the Local Authority's care on a long-term basis, the case should be transferred to the LAC Team ... ratified at the first LAC Review'",
    facts: { currentTeam: "cpcin", concern: "child-in-need", legalStatus: "s20", ageYears: 9, longTermCarePlan: true },
    rule: "long-term-care-to-lac",
    direction: "transfer",
    to: "lac",
    decider: ["lac", "team-manager"],
    deadlines: { "ecta-reviewed": REQ_2WD },
    section: "12",
    transferPoint: "At the first LAC review",
  },
  {
    name: "12. 'If the child is Section 20, the case transfer will take place at the 2nd LAC review ... except where there is an ongoing PLO process': PLO ongoing, the case stays",
    facts: { currentTeam: "cpcin", legalStatus: "s20", careProceedings: "pre-proceedings", ageYears: 9, longTermCarePlan: false },
    rule: "s20-ongoing-plo-stays",
    direction: "stay",
    to: "cpcin",
    decider: ["cpcin", "team-manager"],
    section: "12",
  },
  {
    name: "12. 'Where a child is accommodated under S20 and reunification is not likely in the short term ...': reunification likely, the case stays with AST",
    facts: { currentTeam: "ast", legalStatus: "s20", returnHomeLikely: true, careProceedings: "none", ageYears: 13, longTermCarePlan: false },
    rule: "s20-return-home-likely-stays",
    direction: "stay",
    to: "ast",
    decider: ["ast", "team-manager"],
    section: "12",
  },
  {
    name: "12. 'an Early Case Transfer Alert should be sent to the LAC Service ... at least 4 weeks before the 2nd LAC review' and 'LL case transfer ... within 1 working day of the 2nd LAC review': 2nd review Thu 25 Mar 2027",
    facts: { currentTeam: "dat", legalStatus: "s20", returnHomeLikely: false, careProceedings: "none", ageYears: 4, longTermCarePlan: false, secondLacReviewOn: "2027-03-25" },
    rule: "s20-to-lac",
    direction: "transfer",
    to: "lac",
    alternatives: ["leaving-care"],
    decider: ["lac", "team-manager"],
    deadlines: s20Easter,
    section: "12",
    transferPoint: "At the 2nd LAC review",
  },
  {
    name: "2.1 'Unaccompanied Asylum- Seeking Children – Under16 years old - LAC team': a 15 year old UASC at A&I goes to LAC",
    facts: { currentTeam: "a-and-i", uasc: true, ageYears: 15, careProceedings: "none" },
    rule: "uasc-under-16-to-lac",
    direction: "transfer",
    to: "lac",
    decider: ["lac", "team-manager"],
    deadlines: { "ecta-reviewed": REQ_2WD },
    section: "2.1",
  },
  {
    name: "2.1 '16 and above - Leaving Care team': a 16 year old UASC at A&I goes to Leaving Care",
    facts: { currentTeam: "a-and-i", uasc: true, ageYears: 16 },
    rule: "uasc-16-plus-to-lc",
    direction: "transfer",
    to: "leaving-care",
    decider: ["leaving-care", "team-manager"],
    deadlines: { "ecta-reviewed": REQ_2WD },
    section: "2.1",
  },
  {
    name: "2.1 UASC '16 and above - Leaving Care team': a UASC who turns 16 in the LAC team moves to Leaving Care without waiting for 13 weeks",
    facts: { currentTeam: "lac", uasc: true, ageYears: 16, concern: "child-in-need", legalStatus: "s20" },
    rule: "uasc-16-plus-to-lc",
    direction: "transfer",
    to: "leaving-care",
    decider: ["leaving-care", "team-manager"],
    deadlines: { "ecta-reviewed": REQ_2WD },
    section: "2.1",
  },
  {
    name: "12. 'unless if the child is to live outside the London Borough of Enfield ... seek designation of the Supervision Order to the relevant local authority'",
    facts: { currentTeam: "lac", legalStatus: "supervision-order", movingOutOfArea: true, concern: "child-in-need" },
    rule: "supervision-order-out-of-borough",
    direction: "transfer",
    to: "host-authority",
    decider: ["lac", "team-manager"],
    section: "12",
  },
  {
    name: "12. 'the final order is a Supervision Order, the case will transfer to the CPCiN team': final hearing Thu 24 Dec 2026; LL Tue 29 Dec, allocated Thu 31 Dec",
    facts: { currentTeam: "lac", legalStatus: "supervision-order", concern: "child-in-need", ageYears: 7, finalHearingOn: "2026-12-24" },
    rule: "supervision-order-to-cpcin",
    direction: "transfer",
    to: "cpcin",
    alternatives: ["ast", "dat", "jsdc"],
    decider: ["cpcin", "team-manager"],
    deadlines: soChristmas,
    section: "12",
    transferPoint: "final hearing",
  },
  {
    name: "12. 'Where the proposed final care plan is reunification alongside a Supervision Order ... within 1 working day of the final hearing': final hearing Thu 25 Mar 2027; LL Tue 30 Mar, allocated Thu 1 Apr (BST)",
    facts: { currentTeam: "lac", careProceedings: "issued", returnHomeLikely: true, legalStatus: "interim-care-order", concern: "child-in-need", ageYears: 7, finalHearingOn: "2027-03-25" },
    rule: "reunification-with-supervision-order-proposed",
    direction: "transfer",
    to: "cpcin",
    alternatives: ["ast", "dat", "jsdc"],
    decider: ["cpcin", "team-manager"],
    deadlines: { "ll-transfer-sent": "2027-03-30T16:00:00.000Z", "case-allocated": "2027-04-01T16:00:00.000Z" },
    section: "12",
  },
]);

// ---------------------------------------------------------------------------------------------------
// 13, 14, 16 Leaving Care; 15 JSDC
// ---------------------------------------------------------------------------------------------------

// 2nd LAC review Wed 20 Jan 2027: alert by Wed 23 Dec 09:00 (4 weeks before), LL Thu 21 Jan, allocated Mon 25 Jan.
const lcJanuary = {
  "ecta-sent": "2026-12-23T09:00:00.000Z",
  "ecta-reviewed": REQ_2WD,
  "plan-change-alert": REQ_1WD,
  "ll-transfer-sent": "2027-01-21T17:00:00.000Z",
  "case-allocated": "2027-01-25T17:00:00.000Z",
};

table("13, 14, 15, 16 Leaving Care and JSDC", [
  {
    name: "13. 'Children and Young People that should not transfer to the Children Looked After teams': a 16 year old accommodated under Section 20 may not go to LAC",
    facts: { currentTeam: "cpcin", proposedTeam: "lac", legalStatus: "s20", ageYears: 16 },
    rule: "refuse-lac-16-17-s20",
    direction: "refuse",
    to: null,
    alternatives: ["ast", "leaving-care"],
    decider: ["lac", "team-manager"],
    section: "13",
  },
  {
    name: "14. 'All 16- and 17-year-olds assessed as homeless and accommodated under Section 20 will initially be case managed in AST'",
    facts: { currentTeam: "cpcin", homeless16or17: true, legalStatus: "s20", ageYears: 17, weeksInCareSince14: 4 },
    rule: "homeless-s20-to-ast",
    direction: "transfer",
    to: "ast",
    alternatives: ["leaving-care"],
    decider: ["ast", "team-manager"],
    deadlines: { "ecta-reviewed": REQ_2WD },
    section: "14",
  },
  {
    name: "14. '... and transferred to the LC Team once it is clear they will be eligible, i.e., have completed 13 weeks in care from the age of 14': the AST young person with 13 weeks moves to Leaving Care",
    facts: { currentTeam: "ast", homeless16or17: true, legalStatus: "s20", ageYears: 17, weeksInCareSince14: 13 },
    rule: "lc-eligible",
    direction: "transfer",
    to: "leaving-care",
    decider: ["leaving-care", "team-manager"],
    deadlines: { ...lcJanuary, "ecta-sent": null, "ll-transfer-sent": null, "case-allocated": null },
    section: "14",
  },
  {
    name: "2.1 'Looked After Children aged 16 and over who have been in LA care for 13 weeks or more from the age of 14 – Leaving Care (LC) Team' and 14. '(i.e. within 3 working days of the 2nd LAC review)': 2nd review Wed 20 Jan 2027",
    facts: { currentTeam: "lac", legalStatus: "care-order", ageYears: 16, weeksInCareSince14: 13, concern: "child-in-need", uasc: false, secondLacReviewOn: "2027-01-20" },
    rule: "lc-eligible",
    direction: "transfer",
    to: "leaving-care",
    decider: ["leaving-care", "team-manager"],
    deadlines: lcJanuary,
    section: "14",
    transferPoint: "At the 2nd LAC review",
  },
  {
    name: "14. 'Case responsibility should transfer to the LC Service after the 13 weeks': with 12 weeks the LAC team keeps the case; alert LC by Wed 23 Dec (4 weeks before the 2nd review)",
    facts: { currentTeam: "lac", legalStatus: "care-order", ageYears: 16, weeksInCareSince14: 12, concern: "child-in-need", uasc: false, secondLacReviewOn: "2027-01-20" },
    rule: "lc-not-yet-eligible-stays",
    direction: "stay",
    to: "lac",
    decider: ["lac", "team-manager"],
    deadlines: { "ecta-to-lc": "2026-12-23T09:00:00.000Z" },
    section: "14",
  },
  {
    name: "15. 'JSDC will retain case responsibility for LAC ... if the required criteria are met' and 16.: a 17 year old looked after by JSDC stays there",
    facts: { currentTeam: "jsdc", concern: "child-in-need", disability: "criteria-clearly-met", ageYears: 17, legalStatus: "s20" },
    rule: "jsdc-retains-until-18",
    direction: "stay",
    to: "jsdc",
    decider: ["jsdc", "team-manager"],
    section: "15",
  },
  {
    name: "16. 'All LAC young people who are eligible for LC Services will therefore transfer when the young person reaches 18': a JSDC care leaver at 18",
    facts: { currentTeam: "jsdc", concern: "child-in-need", disability: "criteria-clearly-met", ageYears: 18, legalStatus: "care-leaver", weeksInCareSince14: 20, lookedAfterAfter16: true },
    rule: "eligible-at-18-to-lc",
    direction: "transfer",
    to: "leaving-care",
    decider: ["leaving-care", "team-manager"],
    deadlines: { "ecta-reviewed": REQ_2WD },
    section: "16",
    transferPoint: "When the young person reaches 18",
  },
]);

// ---------------------------------------------------------------------------------------------------
// 19.2 Step down, 18 escalation, fallback
// ---------------------------------------------------------------------------------------------------

table("19.2 Step down, 18 escalation and the fallback", [
  {
    name: "19.2 'EH will confirm a decision ... within 72 hours' and 'Handover should take place within 5 working days of the agreement to step down': Youth Justice steps down with consent (Thu 26 Nov 10:00; Mon 30 Nov)",
    facts: { currentTeam: "yjs", concern: "additional-needs", legalStatus: "none", consent: "given" },
    rule: "step-down-to-eh",
    direction: "step-down",
    to: "early-help",
    alternatives: ["yjs", "universal"],
    decider: ["early-help", "team-manager"],
    deadlines: { "ecta-response": REQ_2WD, "eh-decision": REQ_72H, handover: "2026-11-30T17:00:00.000Z" },
    section: "19.2",
    ladder: "step-down",
    transferPoint: "handover meeting",
  },
  {
    name: "19.2 step down sent on Friday 27 Nov 15:00: 72 real hours end Mon 30 Nov 15:00; the two working days and the 5 working day handover skip the weekend (Tue 1 Dec, Fri 4 Dec)",
    facts: { currentTeam: "cpcin", concern: "additional-needs", legalStatus: "none", consent: "given" },
    at: "2026-11-27T15:00:00Z",
    rule: "step-down-to-eh",
    direction: "step-down",
    to: "early-help",
    alternatives: ["cpcin", "universal"],
    decider: ["early-help", "team-manager"],
    deadlines: { "ecta-response": "2026-12-01T17:00:00.000Z", "eh-decision": "2026-11-30T15:00:00.000Z", handover: "2026-12-04T17:00:00.000Z" },
    section: "19.2",
  },
  {
    name: "19.2 'within 5 working days of the agreement to step down': EH agreed Tue 22 Dec; 25 and 28 Dec are skipped, handover by Thu 31 Dec",
    facts: { currentTeam: "ast", concern: "additional-needs", legalStatus: "none", consent: "given", decisionOn: "2026-12-22" },
    rule: "step-down-to-eh",
    direction: "step-down",
    to: "early-help",
    alternatives: ["ast", "universal"],
    decider: ["early-help", "team-manager"],
    deadlines: { "ecta-response": REQ_2WD, "eh-decision": REQ_72H, handover: "2026-12-31T17:00:00.000Z" },
    section: "19.2",
  },
  {
    name: "19.2 'If the family do not give consent at that meeting, the case responsibility remains with statutory services'",
    facts: { currentTeam: "cpcin", concern: "additional-needs", legalStatus: "none", consent: "refused" },
    rule: "step-down-no-consent-stays",
    direction: "stay",
    to: "cpcin",
    alternatives: ["universal"],
    decider: ["cpcin", "team-manager"],
    section: "19.2",
    ladder: "step-down",
  },
  {
    name: "19.2 'This should explicitly confirm that the family have consented': consent not sought (it would put the child at risk) – no step down",
    facts: { currentTeam: "dat", concern: "additional-needs", legalStatus: "none", consent: "not-sought-risk" },
    rule: "step-down-no-consent-stays",
    direction: "stay",
    to: "dat",
    alternatives: ["universal"],
    decider: ["dat", "team-manager"],
    section: "19.2",
  },
  {
    name: "19.2 'statutory services who may choose to close or step down to voluntary sector / universal services'",
    facts: { currentTeam: "cpcin", concern: "universal", legalStatus: "none" },
    rule: "step-down-to-universal",
    direction: "step-down",
    to: "universal",
    decider: ["cpcin", "team-manager"],
    section: "19.2",
  },
  {
    name: "18. 'they must escalate to their respective Service Managers within one working day ... The Head of Service will resolve and provide direction within one working day': managers disagree about a CPCiN case",
    facts: { currentTeam: "cpcin", plan: "cin", concern: "child-in-need", legalStatus: "none", ageYears: 9, ...noSpecialistNeed, managersDisagree: true },
    rule: "transfer-dispute",
    direction: "stay",
    to: "cpcin",
    decider: ["cpcin", "service-manager"],
    deadlines: { "escalate-to-service-managers": REQ_1WD, "service-managers-agree": REQ_2WD, "head-of-service-direction": REQ_3WD },
    section: "18",
    ladder: "dispute",
  },
  {
    name: "2. 'Any changes to the team or social worker involvement should be minimal': a CPCiN CIN case with no change of circumstances stays (fallback)",
    facts: { currentTeam: "cpcin", plan: "cin", concern: "child-in-need", legalStatus: "none", ageYears: 9, ...noSpecialistNeed },
    rule: null,
    direction: "stay",
    to: "cpcin",
    decider: ["cpcin", "team-manager"],
    section: "2. Key principles",
    ladder: "dispute",
  },
]);

// ---------------------------------------------------------------------------------------------------
// Boundaries: every threshold on both sides
// ---------------------------------------------------------------------------------------------------

interface Boundary {
  name: string;
  facts: Record<string, unknown>;
  rule: string | null;
  to: string | null;
}
const boundaries: Boundary[] = [
  // 2.1 AST: 11-17 years old
  { name: "2.1 family breakdown risk '(11-17 years old)': 10 is below the band (CPCiN)", facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 10, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, familyBreakdown: "at-risk" }, rule: "ai-cin-cpcin", to: "cpcin" },
  { name: "2.1 family breakdown risk '(11-17 years old)': 11 is in the band (AST)", facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 11, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, familyBreakdown: "at-risk" }, rule: "ai-cin-ast", to: "ast" },
  { name: "2.1 family breakdown risk '(11-17 years old)': 17 is in the band (AST)", facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 17, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, familyBreakdown: "at-risk" }, rule: "ai-cin-ast", to: "ast" },
  { name: "2.1 family breakdown risk '(11-17 years old)': 18 is above the band (CPCiN)", facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 18, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, familyBreakdown: "at-risk" }, rule: "ai-cin-cpcin", to: "cpcin" },
  // 2.1 and 12: under 16 LAC, 16+ Leaving Care rules
  { name: "2.1 'Under 16 years old – Looked After Children Services': 15 in proceedings goes to LAC", facts: { currentTeam: "ast", concern: "significant-harm", careProceedings: "issued", legalStatus: "interim-care-order", ageYears: 15 }, rule: "proceedings-to-lac", to: "lac" },
  { name: "2.1 '... Under 16 years old': at 16 in proceedings, the team keeps the case until Leaving Care eligibility (3 weeks in care)", facts: { currentTeam: "ast", concern: "significant-harm", careProceedings: "issued", legalStatus: "interim-care-order", ageYears: 16, weeksInCareSince14: 3 }, rule: "lc-not-yet-eligible-stays", to: "ast" },
  { name: "12. Section 20 at 15: LAC at the 2nd LAC review", facts: { currentTeam: "cpcin", legalStatus: "s20", returnHomeLikely: false, careProceedings: "none", ageYears: 15, longTermCarePlan: false }, rule: "s20-to-lac", to: "lac" },
  { name: "12. and 14. Section 20 at 16: not LAC; stays until Leaving Care eligibility (5 weeks)", facts: { currentTeam: "cpcin", legalStatus: "s20", homeless16or17: false, ageYears: 16, weeksInCareSince14: 5 }, rule: "lc-not-yet-eligible-stays", to: "cpcin" },
  { name: "13. proposing LAC for a Section 20 15 year old is not refused (the 2nd LAC review rule applies)", facts: { currentTeam: "cpcin", proposedTeam: "lac", legalStatus: "s20", returnHomeLikely: false, careProceedings: "none", ageYears: 15, longTermCarePlan: false }, rule: "s20-to-lac", to: "lac" },
  { name: "13. proposing LAC for a Section 20 17 year old is refused", facts: { currentTeam: "cpcin", proposedTeam: "lac", legalStatus: "s20", ageYears: 17 }, rule: "refuse-lac-16-17-s20", to: null },
  { name: "2.1 UASC at 15: LAC", facts: { currentTeam: "a-and-i", uasc: true, ageYears: 15, careProceedings: "none" }, rule: "uasc-under-16-to-lac", to: "lac" },
  { name: "2.1 UASC at 16: Leaving Care", facts: { currentTeam: "a-and-i", uasc: true, ageYears: 16 }, rule: "uasc-16-plus-to-lc", to: "leaving-care" },
  // 14: 13 weeks in care from 14
  { name: "14. 12 weeks in care since 14: not yet eligible, stays", facts: { currentTeam: "lac", legalStatus: "care-order", ageYears: 17, weeksInCareSince14: 12, concern: "child-in-need", uasc: false }, rule: "lc-not-yet-eligible-stays", to: "lac" },
  { name: "14. 13 weeks in care since 14: eligible, Leaving Care", facts: { currentTeam: "lac", legalStatus: "care-order", ageYears: 17, weeksInCareSince14: 13, concern: "child-in-need", uasc: false }, rule: "lc-eligible", to: "leaving-care" },
  { name: "2.1 'aged 16 and over': a 15 year old with 13 weeks held by LAC stays (fallback)", facts: { currentTeam: "lac", legalStatus: "care-order", ageYears: 15, weeksInCareSince14: 13, concern: "child-in-need", uasc: false }, rule: null, to: "lac" },
  // 16: JSDC at 18, with eligibility
  { name: "16. JSDC at 17: retained", facts: { currentTeam: "jsdc", concern: "child-in-need", disability: "criteria-clearly-met", ageYears: 17, legalStatus: "s20" }, rule: "jsdc-retains-until-18", to: "jsdc" },
  { name: "16. JSDC at 18 and eligible: Leaving Care", facts: { currentTeam: "jsdc", concern: "child-in-need", disability: "criteria-clearly-met", ageYears: 18, legalStatus: "care-leaver", weeksInCareSince14: 13, lookedAfterAfter16: true }, rule: "eligible-at-18-to-lc", to: "leaving-care" },
  { name: "16. JSDC at 18 with 12 weeks in care: not eligible, stays (fallback)", facts: { currentTeam: "jsdc", concern: "child-in-need", disability: "criteria-clearly-met", ageYears: 18, legalStatus: "care-leaver", weeksInCareSince14: 12, lookedAfterAfter16: true }, rule: null, to: "jsdc" },
  { name: "14. '... and at least one day post 16 years': JSDC at 18 never looked after after 16: not eligible, stays (fallback)", facts: { currentTeam: "jsdc", concern: "child-in-need", disability: "criteria-clearly-met", ageYears: 18, legalStatus: "care-leaver", weeksInCareSince14: 20, lookedAfterAfter16: false }, rule: null, to: "jsdc" },
  // 8: the ICPC that made no CP plan is a recent one (within the last month)
  { name: "8. ICPC 29 days ago (Sun 25 Oct) with no CP plan: the 10 working day CIN meeting rule applies", facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 7, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, icpcOn: "2026-10-25" }, rule: "ai-icpc-no-plan-cin", to: "cpcin" },
  { name: "8. ICPC exactly one month ago (23 Oct): still applies", facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 7, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, icpcOn: "2026-10-23" }, rule: "ai-icpc-no-plan-cin", to: "cpcin" },
  { name: "8. ICPC a month and a day ago (22 Oct): the ordinary CIN route", facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 7, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, icpcOn: "2026-10-22" }, rule: "ai-cin-cpcin", to: "cpcin" },
  { name: "8. ICPC 2 months ago: the ordinary CIN route", facts: { currentTeam: "a-and-i", concern: "child-in-need", ageYears: 7, ...aiNoLac, privateFostering: false, ...noSpecialistNeed, icpcOn: "2026-09-23" }, rule: "ai-cin-cpcin", to: "cpcin" },
  // 19.1 threshold: step up at child in need and above, not at additional needs
  { name: "19.1 Early Help, child in need: step up to MASH", facts: { currentTeam: "early-help", concern: "child-in-need" }, rule: "eh-step-up", to: "mash" },
  { name: "19.1 Early Help, additional needs: remains with EH", facts: { currentTeam: "early-help", concern: "additional-needs" }, rule: "eh-below-threshold-stays", to: "early-help" },
  // 19.2 consent
  { name: "19.2 consent given: step down to EH", facts: { currentTeam: "cpcin", concern: "additional-needs", legalStatus: "none", consent: "given" }, rule: "step-down-to-eh", to: "early-help" },
  { name: "19.2 consent refused: stays", facts: { currentTeam: "cpcin", concern: "additional-needs", legalStatus: "none", consent: "refused" }, rule: "step-down-no-consent-stays", to: "cpcin" },
  // 7 paperwork
  { name: "7. paperwork complete: MASH takes the referral", facts: { currentTeam: "none", movedFromOtherAuthority: "cin-plan", transferDocumentsComplete: true }, rule: "transfer-in-cin-to-mash", to: "mash" },
  { name: "7. paperwork incomplete: MASH must not accept", facts: { currentTeam: "none", movedFromOtherAuthority: "cin-plan", transferDocumentsComplete: false }, rule: "transfer-in-cin-documents-missing", to: null },
  // 11 / 12 out of borough
  { name: "11. CP plan, moving out of Enfield: transfer out", facts: { currentTeam: "cpcin", plan: "cp", concern: "significant-harm", ...notInCare, movingOutOfArea: true }, rule: "cp-transfer-out", to: "host-authority" },
  { name: "11. CP plan, staying in Enfield: no transfer out (stays, fallback)", facts: { currentTeam: "cpcin", plan: "cp", concern: "significant-harm", ...notInCare, ageYears: 9, ...noSpecialistNeed, movingOutOfArea: false }, rule: null, to: "cpcin" },
  { name: "12. Supervision Order, living in Enfield: CPCiN", facts: { currentTeam: "lac", legalStatus: "supervision-order", concern: "child-in-need", ageYears: 7, movingOutOfArea: false }, rule: "supervision-order-to-cpcin", to: "cpcin" },
  { name: "12. Supervision Order, living outside Enfield: designation to the other authority", facts: { currentTeam: "lac", legalStatus: "supervision-order", concern: "child-in-need", ageYears: 7, movingOutOfArea: true }, rule: "supervision-order-out-of-borough", to: "host-authority" },
  // 12 reunification (S20)
  { name: "12. S20, reunification likely: stays", facts: { currentTeam: "cpcin", legalStatus: "s20", returnHomeLikely: true, careProceedings: "none", ageYears: 8, longTermCarePlan: false }, rule: "s20-return-home-likely-stays", to: "cpcin" },
  { name: "12. S20, reunification not likely: LAC at the 2nd LAC review", facts: { currentTeam: "cpcin", legalStatus: "s20", returnHomeLikely: false, careProceedings: "none", ageYears: 8, longTermCarePlan: false }, rule: "s20-to-lac", to: "lac" },
  // 18 dispute
  { name: "18. managers agree (the default assumption): no escalation, the case stays (fallback)", facts: { currentTeam: "cpcin", plan: "cin", concern: "child-in-need", legalStatus: "none", ageYears: 9, ...noSpecialistNeed }, rule: null, to: "cpcin" },
  { name: "18. managers disagree: escalation", facts: { currentTeam: "cpcin", plan: "cin", concern: "child-in-need", legalStatus: "none", ageYears: 9, ...noSpecialistNeed, managersDisagree: true }, rule: "transfer-dispute", to: "cpcin" },
];

describeCases("Boundaries (both sides of every threshold)", boundaries, (b) => {
  const r = expectDecided(recommend(pack, b.facts, now));
  expect(r.ruleId).toBe(b.rule);
  expect(r.destination?.teamId ?? null).toBe(b.to);
});

// ---------------------------------------------------------------------------------------------------
// Questions: nothing known, and partially answered cases
// ---------------------------------------------------------------------------------------------------

describe("Questions", () => {
  it("asks, and does not guess, when nothing is known", () => {
    const r = expectAsksWithNoFacts(pack);
    expect(r.deadlines).toEqual([]);
    expect(r.questions[0]?.id).toBe("currentTeam");
    expect(r.questions[0]?.text).toBe("Which Enfield team holds the case now?");
    expect(r.questions.map((q) => q.id)).toEqual(expect.arrayContaining(["ageYears", "concern", "legalStatus"]));
    // The pack's own assumptions are not asked.
    expect(r.questions.map((q) => q.id)).not.toEqual(expect.arrayContaining(["managersDisagree"]));
    expect(r.questions.map((q) => q.id)).not.toContain("proposedTeam");
  });

  const partial: [string, Record<string, unknown>, string[]][] = [
    ["19.1 an Early Help case: only the level of concern decides it", { currentTeam: "early-help" }, ["concern"]],
    ["19.2 a CPCiN case down to additional needs, not in care: only the family's consent is asked", { currentTeam: "cpcin", concern: "additional-needs", legalStatus: "none" }, ["consent"]],
    [
      "2.1 an A&I child in need aged 7, not in care: only the rows of the need-to-team table (not the 11-17 family breakdown row)",
      { currentTeam: "a-and-i", concern: "child-in-need", legalStatus: "none", ageYears: 7 },
      ["disability", "uasc", "privateFostering", "homeless16or17", "exploitationRisk", "domesticAbuseYoungChild"],
    ],
    ["19.1 a MASH case with CP concerns (not moving in on another plan): only the UASC row (with the age) can change it", { currentTeam: "mash", concern: "significant-harm", movedFromOtherAuthority: "none" }, ["ageYears", "uasc"]],
    ["7. and 10. a new contact with CP concerns: whether the child moved in on another authority's plan (and, if on a CIN plan, the paperwork)", { currentTeam: "none", concern: "significant-harm" }, ["movedFromOtherAuthority", "transferDocumentsComplete"]],
    ["14. a 16 year old looked after with 13 weeks: only whether they are UASC", { currentTeam: "lac", ageYears: 16, legalStatus: "care-order", concern: "child-in-need", weeksInCareSince14: 13 }, ["uasc"]],
    ["12. a 16 year old looked after: the weeks in care since 14 decide Leaving Care", { currentTeam: "lac", ageYears: 16, legalStatus: "care-order", concern: "child-in-need", uasc: false }, ["weeksInCareSince14"]],
    ["7. a CIN transfer-in: the paperwork decides whether MASH may accept", { currentTeam: "none", movedFromOtherAuthority: "cin-plan" }, ["transferDocumentsComplete"]],
  ];
  it.each(partial)("%s", (_name, facts, expected) => {
    expect(expectAsks(recommend(pack, facts, now))).toEqual(expected);
  });

  it("never asks about meeting dates, consent or the proposed team for an A&I child in need", () => {
    const r = recommend(pack, { currentTeam: "a-and-i", concern: "child-in-need", legalStatus: "none", ageYears: 7 }, now);
    const ids = r.questions.map((q) => q.id);
    for (const irrelevant of ["consent", "cinMeetingOn", "icpcOn", "secondLacReviewOn", "proposedTeam", "managersDisagree", "weeksInCareSince14"]) expect(ids).not.toContain(irrelevant);
  });

  it("lists the assumptions it relied on (2.2: no team proposed for a child in care with a new CP concern)", () => {
    const r = recommend(pack, { currentTeam: "lac", concern: "significant-harm" }, now);
    expect(r.ruleId).toBe("in-care-cp-concern-stays");
    expect(r.assumptions.map((a) => [a.fact, a.value])).toEqual([["proposedTeam", "none"]]);
  });

  it("lists the assumptions it relied on (12. a Supervision Order child taken to be living in Enfield unless told otherwise)", () => {
    const r = recommend(pack, { currentTeam: "lac", legalStatus: "supervision-order", concern: "child-in-need", ageYears: 7 }, now);
    expect(r.ruleId).toBe("supervision-order-to-cpcin");
    // Not "no other team proposed": the 2.2 refusal that looks at it cannot apply to a child-in-need concern anyway.
    expect(r.assumptions.map((a) => [a.fact, a.value])).toEqual([["movingOutOfArea", false]]);
  });

  it("a deadline anchored on a meeting with no date yet says which date to give", () => {
    const r = recommend(pack, { currentTeam: "a-and-i", concern: "significant-harm", ageYears: 4, ...aiNoLac, ...noSpecialistNeed }, now);
    const d = r.deadlines.find((x) => x.id === "ll-transfer-sent");
    expect(d?.at).toBeNull();
    expect(d?.note).toContain("icpcOn");
  });
});

// ---------------------------------------------------------------------------------------------------
// Escalation ladders (18, 19.1, 19.3), warnings, checklist, form, teams
// ---------------------------------------------------------------------------------------------------

describe("Escalation ladders", () => {
  it("18. transfers: Team Managers → Service Managers → Head of Service, one working day each", () => {
    const r = expectCase(allCases.find((c) => c.rule === "ai-cp-cpcin") as Case);
    expect(r.escalation?.levels.map((l) => [l.level, l.role.teamId, l.role.role, l.within])).toEqual([
      [1, "cpcin", "team-manager", "1 working day"],
      [2, "cpcin", "service-manager", "1 working day"],
      [3, null, "head-of-service", "1 working day"],
    ]);
    expect(r.escalation?.levels[2]?.role.title).toBe("Head of Service (HoS 3), Social Care");
  });

  it("19.3 '**Step Up** - the decision maker is the MASH Service Manager – the next level for escalation will be HoS (3)'", () => {
    const r = recommend(pack, { currentTeam: "early-help", concern: "significant-harm" }, now);
    expect(r.escalation?.levels.map((l) => [l.role.teamId, l.role.role])).toEqual([
      ["mash", "team-manager"],
      ["mash", "service-manager"],
      [null, "head-of-service"],
    ]);
    expect(pack.ladders.find((l) => l.id === "step-up")?.resolveWithin).toEqual({ amount: 24, unit: "calendar-hours" });
  });

  it("19.3 '**Step Down** – the decision maker is the Head of Early Help Service. The next level for escalation will be HoS (3)'", () => {
    const r = recommend(pack, { currentTeam: "cpcin", concern: "additional-needs", legalStatus: "none", consent: "given" }, now);
    expect(r.escalation?.levels.map((l) => [l.role.teamId, l.role.role, l.within])).toEqual([
      ["early-help", "team-manager", "72 hours"],
      ["early-help", "head-of-service", null],
      [null, "head-of-service", null],
    ]);
    expect(r.escalation?.levels[1]?.role.title).toBe("Head of Early Help Services (HoS 2)");
  });
});

describe("Warnings", () => {
  it("2.3 'Any capacity or allocation issues must be managed by the receiving team, and not hold up the transfer process' (every transfer)", () => {
    const r = expectCase(allCases.find((c) => c.rule === "s20-to-lac") as Case);
    expect(r.warnings.join(" ")).toContain("must not hold up the transfer");
    expect(r.warnings.join(" ")).toContain("will not be refused if minor tasks are outstanding");
    expect(r.citations.some((c) => c.section.startsWith("2.3"))).toBe(true);
  });

  it("2.2 a child held by LAC: the team holding the case follows child protection processes itself", () => {
    const r = recommend(pack, { currentTeam: "lac", concern: "significant-harm" }, now);
    expect(r.warnings.join(" ")).toContain("rather than referring to the MASH or A&I");
  });

  it("19.2 step down: responsibility stays with the statutory worker until the handover and the family's consent", () => {
    const r = recommend(pack, { currentTeam: "cpcin", concern: "additional-needs", legalStatus: "none", consent: "given" }, now);
    expect(r.warnings.join(" ")).toContain("until the handover meeting");
    expect(r.actions.join(" ")).toContain("ehpcasetransfer@enfield.gov.uk");
  });
});

describe("The pack", () => {
  it("passes checkPack (references, citations, and no two rules that can both apply with different answers)", () => {
    expect(checkPack(pack)).toEqual([]);
  });

  it("every rule is exercised by a case of this file", () => {
    const used = new Set([...allCases.map((c) => c.rule), ...boundaries.map((b) => b.rule)]);
    expect(missing(scopeOf(pack).rules, used)).toEqual([]);
  });

  it("every team and role a rule names (destination, alternative, decider, deadline owner) is exercised, and every deadline id", () => {
    const seen = new Coverage();
    for (const c of allCases) seen.record(decide(c));
    const scope = scopeOf(pack);
    expect(missing(scope.destinations, seen.destinations)).toEqual([]);
    expect(missing(scope.deciders, seen.deciders)).toEqual([]);
    expect(missing(scope.deadlineIds, seen.deadlineIds)).toEqual([]);
  });

  it("cites only its own protocol, and every quote is the protocol's words (when the seed file is present)", () => {
    expect(new Set(citationsOf(pack).map((c) => c.file))).toEqual(new Set([FILE]));
    if (!hasProtocol(pack)) return;
    // The protocol's text keeps its bold markup (**).
    const norm = (s: string) => s.replace(/\*\*/g, "").replace(/\s+/g, " ").trim();
    expect(quotesNotInProtocol(pack, norm)).toEqual([]);
  });

  it("names every team the protocol names, with the abbreviations practitioners use", () => {
    const aliases = Object.fromEntries(pack.teams.map((t) => [t.id, t.aliases]));
    expect(Object.keys(aliases).sort()).toEqual(
      ["a-and-i", "ast", "cpcin", "csss", "dat", "early-help", "host-authority", "jsdc", "lac", "leaving-care", "mash", "mpe", "placement-panel", "private-fostering", "sqas", "universal", "yjs"].sort(),
    );
    expect(aliases["a-and-i"]).toContain("A&I");
    expect(aliases.cpcin).toContain("CPCiN");
    expect(aliases.jsdc).toEqual(expect.arrayContaining(["JSDC", "Cheviots"]));
    expect(aliases["leaving-care"]).toEqual(expect.arrayContaining(["LC", "LCT"]));
    expect(aliases.lac).toEqual(expect.arrayContaining(["LAC", "CLA"]));
    expect(aliases.mpe).toContain("MPE");
    expect(aliases.sqas).toContain("SQAS");
  });

  it("Appendix 3 Early Case Transfer Alert: names, DOB and address are never collected; fields link to facts", () => {
    const fields = Object.fromEntries(pack.earlyWarningForm.fields.map((f) => [f.id, f]));
    for (const id of ["child-name", "child-dob", "residence"]) expect(fields[id]?.sensitive).toBe(true);
    expect(fields["category-of-need"]?.fact).toBe("concern");
    expect(fields["expected-transfer-date"]?.fact).toBe("proposedTransferOn");
    expect(fields["parental-consent"]?.fact).toBe("consent");
    expect(fields["ll-number"]?.sensitive).toBe(false);
  });

  it("3. checklist: every group of the good practice table, and it is advisory only", () => {
    expect(new Set(pack.checklist.items.map((i) => i.section))).toEqual(
      new Set(["Safe transfer of work (2. Key principles)", "Both Managers", "Current Case Worker", "New allocated Case Worker", "Case file ready for transfer (receiving Team Manager review)"]),
    );
    expect(pack.checklist.advisory).toContain("never block or delay a transfer");
  });
});
