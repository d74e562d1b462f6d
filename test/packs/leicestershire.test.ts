/**
 * Leicestershire County Council: Transfer Policy (guidance, approved December 2020), protocol file
 * 002_d2bb93cae2aca310.txt. Table-driven cases on the real pack and the real engine. Every expected
 * deadline is a literal instant worked out by hand from `now`:
 *
 * now = Monday 23 November 2026, 10:00 GMT (London is UTC+0 until 28 March 2027).
 * - 24 / 48 calendar hours: Tue 24 Nov 10:00Z / Wed 25 Nov 10:00Z.
 * - 5 working days (day zero = 23 Nov): Mon 30 Nov 17:00Z. 10 working days: Mon 7 Dec 17:00Z.
 * - Bank holidays: Fri 25 Dec 2026, Mon 28 Dec 2026 (substitute), Fri 1 Jan 2027.
 * - A bare date fact is taken at 09:00 London on that date (09:00Z in winter, 08:00Z in summer).
 */
import { checkPack } from "../../domain/check";
import { recommend, type Recommendation } from "../../domain/engine";
import type { PolicyPack } from "../../domain/pack";
import { getPack } from "../../domain/packs";
import {
  NOW as now,
  type TableCase,
  decideWith,
  deciderKey,
  describeCases,
  expectAsks,
  expectAsksWithNoFacts,
  expectDecided,
  expectRoute,
  missing,
  scopeOf,
  itWithProtocol,
  quotesNotInProtocol,
} from "./shared";

const pack = getPack("leicestershire") as PolicyPack;
const FILE = "002_d2bb93cae2aca310.txt";

// The document's own headings, as the pack cites them.
const S1 = "1. Our approach to transfer of work – How we transfer work";
const CFWS = "3. Service Area Overview – Children and Family Wellbeing Service (CFWS)";
const LOC = "3. Service Area Overview – Locality Fieldwork Services";
const CIC = "3. Service Area Overview – Children in Care Service (CiC)";
const DCS = "3. Service Area Overview – Disabled Children's Service (DCS)";
const FRCD = "3. Service Area Overview – First Response Children's duty (FRCD)";
const BP = "4. Best Practice Principles";
const DISPUTES = "Disputes";
const A1A = "Appendix 1 – FRCD: cases that REQUIRE AN ASSESSMENT prior to any transfer";
const A1B = "Appendix 1 – FRCD: transfer of cases that DO NOT REQUIRE AN ASSESSMENT";
const A1CP = "Appendix 1 – Cases where a Child Protection Plan is in place and the Plan will come to an end";
const A1CIC = "Appendix 1 – Cases transferring to the Children in Care Service from Locality Fieldwork";
const A1LAC = "Appendix 1 – Where a child is already looked after";
const A1NOLAC = "Appendix 1 – Where a child is no longer looked after";
const A1OTHER = "Appendix 1 – Other Transfers";

const SCREEN = "frcd-manager-oversight-24h";
const SCREEN_AT = "2026-11-24T10:00:00.000Z";

/** `section`: the section name of a citation the answer must carry. Every case lists its deadlines. */
interface Case extends Omit<TableCase, "at"> {
  deadlines: Record<string, string | null>;
  /** ISO instant of the request, when not `now`. */
  now?: string;
}

// The front door's screening answers that rule out its direct-transfer criteria, in the order of
// Appendix 1's precedence; `screened(n)` gives the first n of them.
const ordinary = {
  legalStatus: "none",
  request: "none",
  careProceedings: "none",
  disability: "none",
  uasc: false,
  movedFromOtherAuthority: "none",
  exploitationRisk: false,
  familyBreakdown: "none",
  riskOfAdmissionRegister: false,
  noRecourseToPublicFunds: false,
};
const screened = (n: number) => Object.fromEntries(Object.entries(ordinary).slice(0, n));
/** A new contact screened against every direct-transfer criterion (the 3 month rule needs the previous team). */
const newContact = (facts: Record<string, unknown>) => ({ currentTeam: "none", ageYears: 8, ...ordinary, ...facts });

const cases: Case[] = [
  // ---------------------------------------------------------------- Front door: no assessment needed
  {
    name: "Appendix 1 'Children on Remand – Children in Care Service': a 15 year old remanded into local authority care goes straight to CiC",
    facts: { currentTeam: "none", ageYears: 15, legalStatus: "remand", request: "none" },
    rule: "remand-to-cic",
    direction: "step-up",
    to: "cic",
    decider: ["cic", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Children on Remand`,
  },
  {
    name: "Appendix 1 'Unaccompanied Asylum-Seeking Children – Children in Care Service, UASC Team': an unaccompanied 15 year old goes straight to the UASC Team",
    facts: { currentTeam: "none", ageYears: 15, uasc: true, legalStatus: "none", request: "none" },
    rule: "uasc-to-uasc-team",
    direction: "step-up",
    to: "uasc",
    decider: ["uasc", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Unaccompanied Migrant Children/Unaccompanied Asylum-Seeking Children`,
  },
  {
    name: "Appendix 1 'Returning Care Leavers – Children in Care Service, Care Leaver Team': a 24 year old care leaver returns to the Care Leaver Team",
    facts: { currentTeam: "none", ageYears: 24, legalStatus: "care-leaver", request: "none" },
    rule: "returning-care-leaver-to-care-leaver-team",
    direction: "transfer",
    to: "leaving-care",
    decider: ["leaving-care", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Returning Care Leavers`,
  },
  {
    name: "3. CiC 'A care leaver is someone under the age of 25': at 25 the Care Leaver Team does not take the case (CiC duty team advises)",
    facts: { currentTeam: "none", ageYears: 25, legalStatus: "care-leaver", request: "none" },
    rule: "care-leaver-aged-25-not-eligible",
    direction: "refuse",
    to: null,
    alternatives: ["cic"],
    decider: ["leaving-care", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: CIC,
  },
  {
    name: "Appendix 1 'Incoming Child Protection Conference – Locality Fieldwork': a child on another authority's CP plan goes straight to Locality",
    facts: { currentTeam: "none", ageYears: 6, movedFromOtherAuthority: "cp-plan", legalStatus: "none", request: "none", uasc: false },
    rule: "incoming-child-protection-conference",
    direction: "transfer",
    to: "locality",
    decider: ["locality", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Incoming Child Protection Conference`,
  },
  {
    name: "Appendix 1 'Referrals from other Local Authorities – Child in Need … at 1st CIN Review': FRCD assesses, transfer to Locality at the 1st CIN Review",
    facts: { currentTeam: "none", ageYears: 6, movedFromOtherAuthority: "cin-plan", legalStatus: "none", request: "none", uasc: false, cinMeetingOn: "2026-12-10" },
    rule: "other-authority-child-in-need",
    direction: "transfer",
    to: "locality",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-first-cin-review": "2026-12-10T09:00:00.000Z" },
    section: `${A1A}: Referrals from other Local Authorities – Child in Need`,
  },
  {
    name: "Appendix 1 'Transfer of cases in Proceedings – Locality Fieldwork': a case already in care proceedings goes straight to Locality",
    facts: { currentTeam: "none", ageYears: 3, careProceedings: "issued", legalStatus: "none", request: "none", uasc: false, movedFromOtherAuthority: "none" },
    rule: "case-in-proceedings-transfers-to-locality",
    direction: "transfer",
    to: "locality",
    decider: ["locality", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Transfer of cases in Proceedings`,
  },
  {
    name: "Appendix 1 'Proceedings initiated by FRCD – Locality Fieldwork/Disabled Childrens Service at first court hearing': FRCD hands over at the first hearing",
    facts: { currentTeam: "frcd", ageYears: 3, careProceedings: "issued", legalStatus: "none", request: "none", uasc: false, movedFromOtherAuthority: "none", firstCourtHearingOn: "2026-11-30" },
    rule: "proceedings-initiated-by-frcd",
    direction: "transfer",
    to: "locality",
    alternatives: ["dcs"],
    decider: ["frcd", "team-manager"],
    deadlines: { "transfer-at-first-court-hearing": "2026-11-30T09:00:00.000Z" },
    section: `${A1A}: Proceedings initiated by FRCD`,
  },
  {
    name: "Appendix 1 'Proceedings initiated by FRCD': proceedings agreed to issue but not yet issued also transfer at the first hearing",
    facts: { currentTeam: "frcd", ageYears: 3, careProceedings: "agreed-to-issue", legalStatus: "none", request: "none", uasc: false, movedFromOtherAuthority: "none" },
    rule: "proceedings-initiated-by-frcd",
    direction: "transfer",
    to: "locality",
    alternatives: ["dcs"],
    decider: ["frcd", "team-manager"],
    deadlines: { "transfer-at-first-court-hearing": null },
    section: `${A1A}: Proceedings initiated by FRCD`,
  },
  {
    name: "Appendix 1 'Pre-Proceedings initiated by FRCD – … prior to first pre-proceedings meeting': transfer before the PLO meeting",
    facts: { currentTeam: "frcd", ageYears: 3, careProceedings: "pre-proceedings", legalStatus: "none", request: "none", uasc: false, movedFromOtherAuthority: "none", preProceedingsMeetingOn: "2026-12-14" },
    rule: "pre-proceedings-initiated-by-frcd",
    direction: "transfer",
    to: "locality",
    alternatives: ["dcs"],
    decider: ["frcd", "team-manager"],
    deadlines: { "transfer-before-first-pre-proceedings-meeting": "2026-12-14T09:00:00.000Z" },
    section: `${A1A}: Pre-Proceedings initiated by FRCD`,
  },
  {
    name: "Appendix 1 'Section 7/Section 37 … known to Locality/DCS in the previous 3 years – Last allocated team': known to DCS until 2 years ago, back to DCS",
    facts: { currentTeam: "none", request: "court-report", previousTeam: "dcs", previousClosedOn: "2024-11-23" },
    rule: "court-report-known-in-last-3-years",
    direction: "transfer",
    to: "dcs",
    decider: ["dcs", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Section 7/Section 37/Tribunal Reports`,
  },
  {
    name: "Appendix 1 'Section 7/Section 37 … If previously not known … At CIN/ICPC (if court report concludes need for a service)': FRCD writes the report",
    facts: { currentTeam: "none", request: "court-report", previousTeam: "none", cinMeetingOn: "2027-01-05" },
    rule: "court-report-not-known-in-last-3-years",
    direction: "step-up",
    to: "locality",
    alternatives: ["frcd"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-first-cin-review": "2027-01-05T09:00:00.000Z", "transfer-at-icpc": null },
    section: `${A1A}: Section 7/Section 37/Tribunal Reports`,
  },
  {
    name: "Appendix 1 'Relinquished babies – New Referrals – Adoption Service, Permanence Team': co-allocation with Locality/DCS is considered",
    facts: { currentTeam: "none", request: "relinquished-baby" },
    rule: "relinquished-baby-to-permanence-team",
    direction: "transfer",
    to: "permanence",
    alternatives: ["locality", "dcs"],
    decider: ["permanence", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Relinquished babies – New Referrals`,
  },
  {
    name: "Appendix 1 'Repeat Pregnancies where care proceedings … concluded within the last 3 years – Locality Fieldwork - Last allocated team'",
    facts: { currentTeam: "none", ageYears: 0, unborn: true, previousTeam: "locality", proceedingsConcludedOn: "2024-11-23", legalStatus: "none", request: "none", careProceedings: "none", uasc: false, movedFromOtherAuthority: "none" },
    rule: "repeat-pregnancy-proceedings-within-3-years",
    direction: "step-up",
    to: "locality",
    decider: ["locality", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Repeat Pregnancies`,
  },
  {
    name: "Appendix 1 'Pre-birth Assessments, where there are significant risk factors – … at 1st CIN Review/ICPC/LPM/CDM'",
    facts: { currentTeam: "none", ageYears: 0, unborn: true, concern: "significant-harm", previousTeam: "none", legalStatus: "none", request: "none", careProceedings: "none", uasc: false, movedFromOtherAuthority: "none", icpcOn: "2026-12-08" },
    rule: "pre-birth-significant-risk",
    direction: "step-up",
    to: "locality",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-first-cin-review": null, "transfer-at-icpc": "2026-12-08T09:00:00.000Z" },
    section: `${A1A}: Pre-birth Assessments`,
  },
  {
    name: "Appendix 1 '16+ Homeless … Return home unlikely and S20 agreed and consented to – Children in Care Service at the Young Persons 28-day LAC ROA'",
    facts: { currentTeam: "none", ageYears: 16, homeless16or17: true, returnHomeLikely: false, consent: "given", legalStatus: "none", request: "none", careProceedings: "none", uasc: false, movedFromOtherAuthority: "none", firstLacReviewOn: "2026-12-17" },
    rule: "homeless-16-17-unable-to-return-home",
    direction: "step-up",
    to: "cic",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-28-day-lac-review": "2026-12-17T09:00:00.000Z" },
    section: `${A1A}: 16+ Homeless – Section 20 CA 1989`,
  },
  {
    name: "Appendix 1 '16+ Homeless … Return home within 3 months likely - Locality Fieldwork/DCS': a 17 year old likely to go home goes to Locality",
    facts: { currentTeam: "none", ageYears: 17, homeless16or17: true, returnHomeLikely: true, legalStatus: "none", request: "none", careProceedings: "none", uasc: false, movedFromOtherAuthority: "none", firstLacReviewOn: "2026-12-17" },
    rule: "homeless-16-17-return-home-likely",
    direction: "step-up",
    to: "locality",
    alternatives: ["dcs"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-28-day-lac-review": "2026-12-17T09:00:00.000Z" },
    section: `${A1A}: 16+ Homeless – Section 20 CA 1989`,
  },
  {
    name: "Appendix 1 'Adoption - Adoption Service offers life-long support': adoption support as the only need goes to the Adoption Service",
    facts: { currentTeam: "none", request: "adoption-or-sgo-support-only", legalStatus: "adoption-order" },
    rule: "adoption-support-only-to-adoption-service",
    direction: "transfer",
    to: "adoption",
    decider: ["adoption", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Adoption Support/SGO Support and CAO Support`,
  },
  {
    name: "Appendix 1 'SGO/CAO - If support is needed within 3 years of the making of the order – Adoption Service': SGO made 2 years ago",
    facts: { currentTeam: "none", request: "adoption-or-sgo-support-only", legalStatus: "special-guardianship-order", orderMadeOn: "2024-11-23" },
    rule: "sgo-cao-support-within-3-years-of-order",
    direction: "transfer",
    to: "adoption",
    decider: ["adoption", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Adoption Support/SGO Support and CAO Support`,
  },
  {
    name: "Appendix 1 'SGO/CAO - if support needed after the first 3 years of the making of the order – Locality Fieldwork/DCS': CAO made 4 years ago",
    facts: { currentTeam: "none", request: "adoption-or-sgo-support-only", legalStatus: "child-arrangements-order", orderMadeOn: "2022-11-23" },
    rule: "sgo-cao-support-after-3-years-of-order",
    direction: "step-up",
    to: "locality",
    alternatives: ["dcs"],
    decider: ["locality", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Adoption Support/SGO Support and CAO Support`,
  },
  {
    name: "Appendix 1 'Adoption Support/SGO Support and CAO Support where this is NOT the presenting need … Locality Fieldwork/Disabled Children's Service'",
    facts: { currentTeam: "none", legalStatus: "special-guardianship-order", request: "none", concern: "child-in-need", cinMeetingOn: "2026-12-10" },
    rule: "adoption-sgo-support-not-the-presenting-need",
    direction: "step-up",
    to: "locality",
    alternatives: ["dcs"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-first-cin-review": "2026-12-10T09:00:00.000Z", "transfer-at-icpc": null },
    section: `${A1A}: Adoption Support/SGO Support and CAO Support`,
  },
  {
    name: "Appendix 1 'Occupational Therapy request – FRCD complete OT checklist – Disabled Children Service (DCS)'",
    facts: { currentTeam: "none", request: "occupational-therapy" },
    rule: "occupational-therapy-request-to-dcs",
    direction: "transfer",
    to: "dcs",
    decider: ["dcs", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Occupational Therapy request`,
  },
  {
    name: "Appendix 1 'Child with disability where the criteria is clearly met for the Disabled Childrens Service (DCS)': straight to DCS",
    facts: { currentTeam: "none", ageYears: 10, disability: "criteria-clearly-met", legalStatus: "none", request: "none", careProceedings: "none", uasc: false, movedFromOtherAuthority: "none" },
    rule: "disability-criteria-clearly-met-to-dcs",
    direction: "step-up",
    to: "dcs",
    decider: ["dcs", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: Child with disability where the criteria is clearly met`,
  },
  {
    name: "Appendix 1 'Child with disability where the eligibility against the CWD criteria is not clear': FRCD assesses, then Locality (not met) or DCS (met)",
    facts: { currentTeam: "none", ageYears: 10, disability: "criteria-unclear", concern: "child-in-need", legalStatus: "none", request: "none", careProceedings: "none", uasc: false, movedFromOtherAuthority: "none", cinMeetingOn: "2026-12-10", icpcOn: "2026-12-08" },
    rule: "disability-criteria-unclear-assessed-by-frcd",
    direction: "step-up",
    to: "locality",
    alternatives: ["dcs"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-first-cin-review": "2026-12-10T09:00:00.000Z", "transfer-at-icpc": "2026-12-08T09:00:00.000Z" },
    section: `${A1A}: Child with disability where the eligibility against the CWD criteria is not clear`,
  },
  {
    name: "Appendix 1 'Exceptional response to S.47, held in the hub … held by the CE Team': the immediate risk is exploitation",
    facts: { currentTeam: "none", ageYears: 14, exploitationRisk: true, exploitationOnlyNeed: true, concern: "significant-harm", legalStatus: "none", request: "none", careProceedings: "none", disability: "none", uasc: false, movedFromOtherAuthority: "none" },
    rule: "exploitation-s47-held-in-hub",
    direction: "step-up",
    to: "cse-ce",
    alternatives: ["locality"],
    decider: ["cse-ce", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1A}: CSE/CE (joint allocation)`,
  },
  {
    name: "Appendix 1 'CSE/CE where support or direct work on these issues is the only key area of work – CSE/CE Service'",
    facts: { currentTeam: "none", ageYears: 14, exploitationRisk: true, exploitationOnlyNeed: true, concern: "child-in-need", legalStatus: "none", request: "none", careProceedings: "none", disability: "none", uasc: false, movedFromOtherAuthority: "none" },
    rule: "exploitation-only-area-of-work-to-cse-ce",
    direction: "transfer",
    to: "cse-ce",
    decider: ["cse-ce", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: CSE/CE`,
  },
  {
    name: "Appendix 1 'CSE/CE (joint allocation) … Locality SW will lead on care planning, and will co work from CSE/CE'",
    facts: { currentTeam: "none", ageYears: 14, exploitationRisk: true, exploitationOnlyNeed: false, concern: "child-in-need", legalStatus: "none", request: "none", careProceedings: "none", disability: "none", uasc: false, movedFromOtherAuthority: "none" },
    rule: "exploitation-joint-allocation",
    direction: "step-up",
    to: "locality",
    alternatives: ["cse-ce"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-first-cin-review": null, "transfer-at-icpc": null },
    section: `${A1A}: CSE/CE (joint allocation)`,
  },
  {
    name: "Appendix 1 'Children at risk of immediate family breakdown … Transfer to Locality at 28 day LAC ROA or 1st CIN/ICPC if returned home'",
    facts: { currentTeam: "none", ageYears: 13, ...screened(7), familyBreakdown: "broken-down", firstLacReviewOn: "2026-12-17" },
    rule: "family-breakdown-or-edge-of-care",
    direction: "step-up",
    to: "locality",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-28-day-lac-review": "2026-12-17T09:00:00.000Z", "transfer-at-first-cin-review": null, "transfer-at-icpc": null },
    section: `${A1A}: Children at risk of immediate family breakdown`,
  },
  {
    name: "Appendix 1 '… OR Children on the edge of care': a child on the edge of care who returns home transfers at the 1st CIN Review",
    facts: { currentTeam: "none", ageYears: 13, ...screened(7), familyBreakdown: "at-risk", cinMeetingOn: "2026-12-10" },
    rule: "family-breakdown-or-edge-of-care",
    direction: "step-up",
    to: "locality",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-28-day-lac-review": null, "transfer-at-first-cin-review": "2026-12-10T09:00:00.000Z", "transfer-at-icpc": null },
    section: `${A1A}: Children at risk of immediate family breakdown`,
  },
  {
    name: "Appendix 1 'Children on the Risk of Admission Register – Locality Fieldwork/CIC/DCS … at 1st CIN Review/ICPC/LAC Review'",
    facts: { currentTeam: "none", ageYears: 13, ...screened(8), riskOfAdmissionRegister: true },
    rule: "risk-of-admission-register",
    direction: "step-up",
    to: "locality",
    alternatives: ["cic", "dcs"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-first-cin-review": null, "transfer-at-icpc": null, "transfer-at-28-day-lac-review": null },
    section: `${A1A}: Children on the Risk of Admission Register`,
  },
  {
    name: "Appendix 1 'No Recourse to Public Funds (NRPF) – Locality Fieldwork/DCS': straight to Locality",
    facts: { currentTeam: "none", ageYears: 5, ...screened(9), noRecourseToPublicFunds: true },
    rule: "no-recourse-to-public-funds",
    direction: "step-up",
    to: "locality",
    alternatives: ["dcs"],
    decider: ["locality", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: `${A1B}: No Recourse to Public Funds (NRPF)`,
  },
  // ---------------------------------------------------------------- Front door: consent, the 3 month rule, thresholds
  {
    name: "4. 'Referrals that do not reach the threshold for significant harm always require the consent of the parent or carer': a CIN referral without consent stays with FRCD",
    facts: newContact({ ageYears: 5, concern: "child-in-need", consent: "refused" }),
    rule: "child-in-need-referral-without-consent",
    direction: "stay",
    to: "frcd",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: BP,
  },
  {
    name: "2. '… where this request is proportionate and parental permission for intervention is in place … directed to CFWS': without permission, advice and signposting",
    facts: newContact({ ageYears: 5, concern: "additional-needs", consent: "refused" }),
    rule: "early-help-without-consent",
    direction: "step-down",
    to: "universal",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: "2. Pathways for intervention – the child's journey",
  },
  {
    name: "1. 'Where a referral is received within 3 months of previous intervention from CSC … the team most recently involved': closed to Locality 29 days ago",
    facts: newContact({ ageYears: 5, concern: "child-in-need", consent: "given", previousTeam: "locality", previousClosedOn: "2026-10-25" }),
    rule: "three-month-rule",
    direction: "transfer",
    to: "locality",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: S1,
  },
  {
    name: "4. 'a case previously open to the Children and Families Wellbeing Service (CFWS) … during the previous 3 months': early help needs go back to CFWS",
    facts: newContact({ ageYears: 5, concern: "additional-needs", consent: "given", previousTeam: "cfws", previousClosedOn: "2026-10-01" }),
    rule: "three-month-rule",
    direction: "transfer",
    to: "cfws",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: BP,
  },
  {
    name: "Appendix 1 'Cases closed for less than 3 months – Last allocated team, unless need indicates a different service is required': CFWS closed last month, now a child in need",
    facts: newContact({ ageYears: 5, concern: "child-in-need", consent: "given", previousTeam: "cfws", previousClosedOn: "2026-10-01" }),
    rule: "new-referral-child-in-need",
    direction: "step-up",
    to: "locality",
    alternatives: ["cfws"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-first-cin-review": null },
    section: `${A1A}: Any new referrals`,
  },
  {
    name: "2. '… considered within a multi-agency strategy discussion … section 47': a child in immediate danger, transfer to Locality at the ICPC",
    facts: newContact({ previousTeam: "none", ageYears: 5, concern: "immediate-danger", icpcOn: "2026-12-08" }),
    rule: "new-referral-significant-harm",
    direction: "step-up",
    to: "locality",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-icpc": "2026-12-08T09:00:00.000Z", "transfer-at-first-cin-review": null },
    section: "2. Pathways for intervention – the child's journey",
  },
  {
    name: "Appendix 1 'Any new referrals identified as meeting the statutory threshold for Child in Need … Transfers to take place at 1st CIN Review'",
    facts: newContact({ previousTeam: "none", ageYears: 8, concern: "child-in-need", consent: "given", cinMeetingOn: "2026-12-10" }),
    rule: "new-referral-child-in-need",
    direction: "step-up",
    to: "locality",
    alternatives: ["cfws"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "transfer-at-first-cin-review": "2026-12-10T09:00:00.000Z" },
    section: `${A1A}: Any new referrals`,
  },
  {
    name: "3. CFWS 'Children who are at risk of entering, or who are part of the Youth Justice System': early help needs go to CFWS",
    facts: newContact({ previousTeam: "none", ageYears: 14, concern: "additional-needs", consent: "given", youthJustice: true }),
    rule: "youth-justice-early-help",
    direction: "step-down",
    to: "cfws",
    alternatives: ["universal"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: CFWS,
  },
  {
    name: "3. CFWS 'Children who have disabilities, where it has been considered that they are best placed': DCS criteria not met, early help needs",
    facts: newContact({ previousTeam: "none", ageYears: 9, concern: "additional-needs", consent: "given", disability: "criteria-not-met" }),
    rule: "disabled-below-threshold-early-help",
    direction: "step-down",
    to: "cfws",
    alternatives: ["universal"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: CFWS,
  },
  {
    name: "3. FRCD 'd. Identifying children and families with additional needs … by diverting to the CFWS'",
    facts: newContact({ previousTeam: "none", ageYears: 9, concern: "additional-needs", consent: "given" }),
    rule: "new-contact-additional-needs-to-cfws",
    direction: "step-down",
    to: "cfws",
    alternatives: ["universal"],
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: FRCD,
  },
  {
    name: "3. FRCD 'c. Providing straightforward advice/guidance/signposting': universal services are enough",
    facts: newContact({ ageYears: 9, concern: "universal" }),
    rule: "new-contact-universal-needs",
    direction: "step-down",
    to: "universal",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: FRCD,
  },
  // ---------------------------------------------------------------- Step up from CFWS
  {
    name: "1. 'Where a case open to CFWS requires either a Strategy Discussion … transferred to First Response Children's Duty'",
    facts: { currentTeam: "cfws", concern: "significant-harm", request: "none" },
    rule: "cfws-step-up-significant-harm",
    direction: "step-up",
    to: "frcd",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT },
    section: S1,
  },
  {
    name: "1. '… cannot wait for peer supervision (for example, a child needs to be seen within 5 working days due to increased risk)': referral to FRCD",
    facts: { currentTeam: "cfws", concern: "child-in-need", urgent: true, consent: "given", request: "none" },
    rule: "cfws-step-up-urgent",
    direction: "step-up",
    to: "frcd",
    decider: ["frcd", "team-manager"],
    deadlines: { [SCREEN]: SCREEN_AT, "child-seen-within-5-working-days": "2026-11-30T17:00:00.000Z" },
    section: S1,
  },
  {
    name: "Appendix 1 'Step-Up CFWS – Non-Urgent: Cases to be discussed and transfer agreed at Peer Supervision' then via FRCD to Locality",
    facts: { currentTeam: "cfws", concern: "child-in-need", urgent: false, consent: "given", request: "none" },
    rule: "cfws-step-up-peer-supervision",
    direction: "step-up",
    to: "locality",
    decider: ["peer-supervision", "panel"],
    deadlines: {},
    section: `${A1OTHER}: Step-Up CFWS – Non-Urgent`,
  },
  {
    name: "4. 'Referrals that do not reach the threshold for significant harm always require the consent': a CFWS family refuses, the case stays with CFWS",
    facts: { currentTeam: "cfws", concern: "child-in-need", consent: "refused", request: "none" },
    rule: "cfws-child-in-need-without-consent-stays",
    direction: "stay",
    to: "cfws",
    decider: ["peer-supervision", "panel"],
    deadlines: {},
    section: BP,
  },
  // ---------------------------------------------------------------- Locality Fieldwork and DCS
  {
    name: "Appendix 1 'Full Care Order Placement with Parents … Should only be transferred to Children in Care in exceptional circumstances': CiC will not accept it",
    facts: { currentTeam: "locality", ageYears: 9, legalStatus: "care-order-placed-with-parents", proposedTeam: "cic", request: "none", finalHearingOn: "2026-06-10" },
    rule: "pwp-cic-will-not-accept-without-exceptional-circumstances",
    direction: "refuse",
    to: null,
    alternatives: ["locality"],
    decider: ["cic", "team-manager"],
    deadlines: { "pwp-revocation-sought-within-one-year": "2027-06-10T08:00:00.000Z" },
    section: `${A1LAC}: Children subject to a Full Care Order Placement with Parents`,
  },
  {
    name: "Appendix 1 '… exceptional circumstances and by agreement (e.g. where the prospect of revocation within 12 months is unlikely)': agreed, transfer to CiC",
    facts: { currentTeam: "locality", ageYears: 9, legalStatus: "care-order-placed-with-parents", exceptionalCircumstancesAgreed: true, request: "none", careProceedings: "none" },
    rule: "pwp-exceptional-transfer-to-cic",
    direction: "transfer",
    to: "cic",
    decider: ["cic", "team-manager"],
    deadlines: { "cic-transfer-within-10-working-days": "2026-12-07T17:00:00.000Z" },
    section: `${A1LAC}: Children subject to a Full Care Order Placement with Parents`,
  },
  {
    name: "Appendix 1 'PWP cases should in most circumstances remain with the Locality Fieldwork Team … revocation … within one year'",
    facts: { currentTeam: "locality", ageYears: 9, legalStatus: "care-order-placed-with-parents", proposedTeam: "none", request: "none", careProceedings: "none", finalHearingOn: "2026-06-10" },
    rule: "pwp-remains-with-locality",
    direction: "stay",
    to: "locality",
    decider: ["locality", "team-manager"],
    deadlines: { "pwp-revocation-sought-within-one-year": "2027-06-10T08:00:00.000Z" },
    section: `${A1LAC}: Children subject to a Full Care Order Placement with Parents`,
  },
  {
    name: "3. CiC '… have a ratified long-term plan of care (Permanency Decision)': CiC will not accept a child on an interim care order",
    facts: { currentTeam: "locality", ageYears: 9, legalStatus: "interim-care-order", proposedTeam: "cic", request: "none" },
    rule: "cic-will-not-accept-without-permanency-decision",
    direction: "refuse",
    to: null,
    alternatives: ["locality"],
    decider: ["cic", "team-manager"],
    deadlines: {},
    section: CIC,
  },
  {
    name: "3. Locality 'Children who are subject to Care Proceedings within the Public Law Outline': the case stays with Locality",
    facts: { currentTeam: "locality", ageYears: 9, careProceedings: "issued", legalStatus: "interim-care-order", proposedTeam: "none", request: "none" },
    rule: "locality-holds-proceedings",
    direction: "stay",
    to: "locality",
    decider: ["locality", "team-manager"],
    deadlines: {},
    section: LOC,
  },
  {
    name: "Appendix 1 'Children subject to a Full Care Order – … presented to Permanence Panel and … transferred on or after Final Order', no later than 10 working days of the request",
    facts: { currentTeam: "locality", ageYears: 9, legalStatus: "care-order", longTermCarePlan: true, request: "none", careProceedings: "concluded", finalHearingOn: "2026-12-02", decisionOn: "2026-12-18" },
    rule: "locality-to-cic-full-care-order",
    direction: "transfer",
    to: "cic",
    decider: ["cic", "team-manager"],
    // 10 working days from Fri 18 Dec 2026 skip 25 Dec, 28 Dec and 1 Jan: Wed 6 Jan 2027.
    deadlines: { "cic-transfer-within-10-working-days": "2027-01-06T17:00:00.000Z", "transfer-on-or-after-final-order": "2026-12-02T09:00:00.000Z" },
    section: `${A1LAC}: Children subject to a Full Care Order`,
  },
  {
    name: "3. CiC 'a Looked After Child Review has confirmed that a young person subject to a Section 20 arrangement has a ratified care plan of long term care'",
    facts: { currentTeam: "locality", ageYears: 9, legalStatus: "s20", longTermCarePlan: true, request: "none", careProceedings: "none" },
    rule: "locality-to-cic-s20-long-term-plan",
    direction: "transfer",
    to: "cic",
    decider: ["cic", "team-manager"],
    deadlines: { "cic-transfer-within-10-working-days": "2026-12-07T17:00:00.000Z" },
    section: CIC,
  },
  {
    name: "3. Locality 'Children who are in the Care of the LA and where permanency decisions are not yet in place': s20 without a long-term plan stays",
    facts: { currentTeam: "locality", ageYears: 9, legalStatus: "s20", longTermCarePlan: false, proposedTeam: "none", request: "none", careProceedings: "none" },
    rule: "locality-keeps-looked-after-child-without-permanency",
    direction: "stay",
    to: "locality",
    decider: ["locality", "team-manager"],
    deadlines: {},
    section: LOC,
  },
  {
    name: "Appendix 1 'Child in Need Plan agreed as part of trajectory needed – Case retained by Locality Fieldwork'",
    facts: { currentTeam: "locality", ageYears: 9, cpPlanEnding: true, cinPlanNeeded: true, concern: "child-in-need", legalStatus: "none", request: "none", careProceedings: "none" },
    rule: "cp-plan-ending-cin-plan-needed",
    direction: "stay",
    to: "locality",
    decider: ["cp-conference", "chair"],
    deadlines: {},
    section: A1CP,
  },
  {
    name: "Appendix 1 'Child in Need Plan not agreed as part of trajectory – Planned transfer to CFWS/Universal Service'",
    facts: { currentTeam: "locality", ageYears: 9, cpPlanEnding: true, cinPlanNeeded: false, consent: "given", legalStatus: "none", request: "none", careProceedings: "none" },
    rule: "cp-plan-ending-no-cin-plan",
    direction: "step-down",
    to: "cfws",
    alternatives: ["universal"],
    decider: ["cp-conference", "chair"],
    deadlines: {},
    section: `${A1CP}: Child in Need Plan not agreed as part of trajectory`,
  },
  {
    name: "Appendix 1 'Clear contingency planning … should consent be withdrawn': a DCS family refuses the step down, closure with a contingency plan",
    facts: { currentTeam: "dcs", cpPlanEnding: true, cinPlanNeeded: false, consent: "refused", request: "none" },
    rule: "step-down-without-consent-closes-with-contingency-plan",
    direction: "step-down",
    to: "universal",
    decider: ["dcs", "team-manager"],
    deadlines: {},
    section: `${A1CP}: Child in Need Plan not agreed as part of trajectory`,
  },
  {
    name: "Appendix 1 'Step-Down – Locality Fieldwork/DCS - planned: Cases for Step-Down to be discussed and agreed at Peer Supervision'",
    facts: { currentTeam: "locality", ageYears: 9, concern: "additional-needs", consent: "given", cpPlanEnding: false, legalStatus: "none", request: "none", careProceedings: "none" },
    rule: "locality-step-down-to-cfws",
    direction: "step-down",
    to: "cfws",
    decider: ["peer-supervision", "panel"],
    deadlines: {},
    section: `${A1OTHER}: Step-Down – Locality Fieldwork/DCS - planned`,
  },
  {
    name: "Appendix 1 'Step-Down – Locality Fieldwork/DCS - planned': DCS closes to universal services as agreed at Peer Supervision",
    facts: { currentTeam: "dcs", concern: "universal", cpPlanEnding: false, request: "none" },
    rule: "locality-step-down-to-universal",
    direction: "step-down",
    to: "universal",
    decider: ["peer-supervision", "panel"],
    deadlines: {},
    section: `${A1OTHER}: Step-Down – Locality Fieldwork/DCS - planned`,
  },
  {
    name: "3. DCS '… where based on ongoing assessment the specialist support of the disabled children service will best support emerging needs'",
    facts: { currentTeam: "locality", ageYears: 9, disability: "criteria-clearly-met", concern: "child-in-need", cpPlanEnding: false, legalStatus: "none", request: "none", careProceedings: "none" },
    rule: "locality-disabled-child-to-dcs",
    direction: "transfer",
    to: "dcs",
    decider: ["dcs", "team-manager"],
    deadlines: {},
    section: DCS,
  },
  {
    name: "3. CFWS '… subject to child protection or child in need plans where the provision … is requested via internal referral': CFWS does not take the case",
    facts: { currentTeam: "locality", ageYears: 9, proposedTeam: "cfws", plan: "cp", concern: "significant-harm", cpPlanEnding: false, disability: "none", legalStatus: "none", request: "none", careProceedings: "none" },
    rule: "cfws-will-not-hold-child-on-cp-or-cin-plan",
    direction: "refuse",
    to: null,
    alternatives: ["locality"],
    decider: ["cfws", "team-manager"],
    deadlines: {},
    section: CFWS,
  },
  // ---------------------------------------------------------------- Requests on open cases
  {
    name: "Appendix 1 'Section 7/Section 37 … where child is known to Locality/DCS': the report on a child open to DCS stays with DCS",
    facts: { currentTeam: "dcs", request: "court-report" },
    rule: "court-report-open-case-stays",
    direction: "stay",
    to: "dcs",
    decider: ["dcs", "team-manager"],
    deadlines: {},
    section: `${A1B}: Section 7/Section 37/Tribunal Reports`,
  },
  {
    name: "Appendix 1 'Parent/Carers assessment request – To be completed by the team the child is allocated to'",
    facts: { currentTeam: "cfws", request: "parent-carer-assessment" },
    rule: "parent-carer-assessment-allocated-team",
    direction: "stay",
    to: "cfws",
    decider: ["cfws", "team-manager"],
    deadlines: {},
    section: `${A1B}: Parent/Carers assessment request`,
  },
  {
    name: "Appendix 1 'urgent placement IVA's … completed within 48 hours and … presented to the nominated officer, HoS CiC (or delegate)'",
    facts: { currentTeam: "locality", request: "viability-assessment", urgent: true },
    rule: "iva-urgent-placement-48-hours",
    direction: "stay",
    to: "locality",
    alternatives: ["kinship"],
    decider: ["cic", "head-of-service"],
    deadlines: { "urgent-iva-within-48-hours": "2026-11-25T10:00:00.000Z" },
    section: `${A1OTHER}: Initial Viability assessments`,
  },
  {
    name: "Appendix 1 'FRCD or Locality Field Work Teams will undertake initial viability assessments': a non-urgent IVA stays with FRCD",
    facts: { currentTeam: "frcd", request: "viability-assessment", urgent: false },
    rule: "iva-by-frcd-or-locality",
    direction: "stay",
    to: "frcd",
    alternatives: ["kinship"],
    decider: ["frcd", "team-manager"],
    deadlines: {},
    section: `${A1OTHER}: Initial Viability assessments`,
  },
  {
    name: "Appendix 1 'Request for kinship fostering assessment after completion of Initial Viability – Send to Kinship Team/Fostering Team'",
    facts: { currentTeam: "locality", request: "kinship-assessment" },
    rule: "kinship-fostering-assessment-to-kinship-team",
    direction: "transfer",
    to: "kinship",
    decider: ["kinship", "team-manager"],
    deadlines: {},
    section: `${A1OTHER}: Request for kinship fostering assessment`,
  },
  // ---------------------------------------------------------------- Children in Care: leaving care
  {
    name: "3. CiC '… at least 13 weeks after their 14th birthday and some of these 13 weeks … after your 16th birthday': a 17 year old leaving care goes to the Care Leaver Team",
    facts: { currentTeam: "cic", ageYears: 17, ceasingToBeLookedAfter: true, weeksInCareSince14: 13, lookedAfterAfter16: true, request: "none" },
    rule: "care-leaver-to-care-leaver-team",
    direction: "transfer",
    to: "leaving-care",
    decider: ["leaving-care", "team-manager"],
    deadlines: {},
    section: CIC,
  },
  {
    name: "3. CiC 'Care Leavers … who have left Care of Leicestershire County Council': a Locality 18 year old leaving section 20 care after 40 weeks goes to the Care Leaver Team",
    facts: { currentTeam: "locality", ageYears: 18, legalStatus: "s20", ceasingToBeLookedAfter: true, weeksInCareSince14: 40, lookedAfterAfter16: true, request: "none" },
    rule: "care-leaver-to-care-leaver-team",
    direction: "transfer",
    to: "leaving-care",
    decider: ["leaving-care", "team-manager"],
    deadlines: {},
    section: CIC,
  },
  {
    name: "Appendix 1 'Special Guardianship Order … Options include: Offer Child in Need Plan Open to SGO support work … Planned transfer/step down to CFWS'",
    facts: { currentTeam: "cic", ageYears: 8, legalStatus: "special-guardianship-order", request: "none" },
    rule: "left-care-on-sgo-options",
    direction: "stay",
    to: "cic",
    alternatives: ["adoption", "cfws"],
    decider: ["cic", "team-manager"],
    deadlines: {},
    section: `${A1NOLAC}: Special Guardianship Order`,
  },
  {
    name: "Appendix 1 'Child in Need Plan needed – Case retained by the Children in Care Service … for 3 months': left care at the end of September (BST), handover on 30 December",
    facts: { currentTeam: "cic", ageYears: 8, ceasingToBeLookedAfter: true, cinPlanNeeded: true, ceasedLookedAfterOn: "2026-09-30", legalStatus: "none", request: "none" },
    rule: "left-care-cin-plan-retained-3-months",
    direction: "stay",
    to: "cic",
    alternatives: ["locality"],
    decider: ["cic", "team-manager"],
    deadlines: { "cic-hands-over-to-locality-after-3-months": "2026-12-30T09:00:00.000Z" },
    section: `${A1NOLAC}: Child in Need Plan needed`,
  },
  {
    name: "Appendix 1 '… for 3 months … hand over to Locality Fieldwork team': left care 4 months ago, the handover to Locality is due now",
    facts: { currentTeam: "cic", ageYears: 8, ceasingToBeLookedAfter: true, cinPlanNeeded: true, ceasedLookedAfterOn: "2026-07-20", legalStatus: "none", request: "none" },
    rule: "left-care-cin-handover-to-locality-due",
    direction: "transfer",
    to: "locality",
    decider: ["cic", "team-manager"],
    deadlines: { "cic-hands-over-to-locality-after-3-months": "2026-10-20T08:00:00.000Z" },
    section: `${A1NOLAC}: Child in Need Plan needed`,
  },
  {
    name: "Appendix 1 'Child in Need Plan not needed – Actively consider a planned transfer/step down to CFWS Service'",
    facts: { currentTeam: "cic", ageYears: 8, ceasingToBeLookedAfter: true, cinPlanNeeded: false, legalStatus: "none", request: "none" },
    rule: "left-care-no-cin-plan-step-down",
    direction: "step-down",
    to: "cfws",
    alternatives: ["universal"],
    decider: ["cic", "team-manager"],
    deadlines: {},
    section: `${A1NOLAC}: Child in Need Plan not needed`,
  },
  // ---------------------------------------------------------------- Defaults: boundaries, disputes, no rule
  {
    name: "Appendix 1 'Children Moving Across Boundaries – See LLR Procedure': a Locality case moving out of the county stays until the other authority takes over",
    facts: { currentTeam: "locality", ageYears: 9, movingOutOfArea: true, concern: "child-in-need", cpPlanEnding: false, proposedTeam: "none", disability: "none", legalStatus: "none", request: "none", careProceedings: "none" },
    rule: "moving-across-boundaries",
    direction: "stay",
    to: "locality",
    decider: ["locality", "team-manager"],
    deadlines: {},
    section: `${A1OTHER}: Children Moving Across Boundaries`,
  },
  {
    name: "Disputes 'All disputes will be resolved within 5 Working Days': the case stays with Children in Care while managers disagree",
    facts: { currentTeam: "cic", managersDisagree: true },
    rule: "dispute-stays-while-resolved",
    direction: "stay",
    to: "cic",
    decider: ["cic", "team-manager"],
    deadlines: { "dispute-resolved-within-5-working-days": "2026-11-30T17:00:00.000Z" },
    section: DISPUTES,
  },
  {
    name: "Disputes 'within 5 Working Days' over Christmas: managers disagree about a care order transfer to CiC on Wednesday 23 December, resolved by Monday 4 January 2027",
    facts: { currentTeam: "locality", ageYears: 9, managersDisagree: true, legalStatus: "care-order", longTermCarePlan: true },
    rule: "dispute-stays-while-resolved",
    direction: "stay",
    to: "locality",
    decider: ["locality", "team-manager"],
    deadlines: { "dispute-resolved-within-5-working-days": "2027-01-04T17:00:00.000Z" },
    section: DISPUTES,
    now: "2026-12-23T10:00:00Z",
  },
  {
    name: "1. 'change of workers should be avoided unless required': a Locality child in need with nothing else to change stays where it is",
    facts: { currentTeam: "locality", ageYears: 9, concern: "child-in-need", cpPlanEnding: false, proposedTeam: "none", disability: "none", legalStatus: "none", request: "none", careProceedings: "none", movingOutOfArea: false },
    rule: null,
    direction: "stay",
    to: "locality",
    decider: ["locality", "team-manager"],
    deadlines: {},
    section: S1,
  },
];

const decide = decideWith(pack);

function check(c: Case): Recommendation {
  const r = expectRoute(decide({ facts: c.facts, at: c.now }), { ...c, alternatives: c.alternatives ?? [] });
  expect(r.citations.map((x) => x.section)).toContain(c.section);
  expect(r.citations.every((x) => x.file === FILE)).toBe(true);
  return r;
}

describeCases("Leicestershire: every route of the Transfer Policy", cases, check);

// Each threshold is tested on both sides: [paragraph and situation, facts, rule that applies].
const boundaries: [string, Record<string, unknown>, string][] = [
  // "within 3 months of previous intervention" (now = 23 Nov 2026: the window opens on 23 Aug 2026)
  ["3 month rule: closed on 23 Aug 2026, exactly 3 months ago, goes back to Locality", newContact({ concern: "child-in-need", consent: "given", previousTeam: "locality", previousClosedOn: "2026-08-23" }), "three-month-rule"],
  ["3 month rule: closed on 22 Aug 2026, 3 months and a day ago, is a new referral", newContact({ concern: "child-in-need", consent: "given", previousTeam: "locality", previousClosedOn: "2026-08-22" }), "new-referral-child-in-need"],
  ["3 month rule: closed 4 months ago is a new referral", newContact({ concern: "child-in-need", consent: "given", previousTeam: "locality", previousClosedOn: "2026-07-23" }), "new-referral-child-in-need"],
  // "within 3 years of the making of the order" (window opens on 23 Nov 2023)
  ["SGO support: order made exactly 3 years ago (23 Nov 2023) is still the Adoption Service", { currentTeam: "none", request: "adoption-or-sgo-support-only", legalStatus: "special-guardianship-order", orderMadeOn: "2023-11-23" }, "sgo-cao-support-within-3-years-of-order"],
  ["SGO support: order made 3 years and a day ago (22 Nov 2023) is Locality Fieldwork", { currentTeam: "none", request: "adoption-or-sgo-support-only", legalStatus: "special-guardianship-order", orderMadeOn: "2023-11-22" }, "sgo-cao-support-after-3-years-of-order"],
  // "known to Locality/DCS in the previous 3 years"
  ["Court report: closed to Locality exactly 3 years ago goes to the last allocated team", { currentTeam: "none", request: "court-report", previousTeam: "locality", previousClosedOn: "2023-11-23" }, "court-report-known-in-last-3-years"],
  ["Court report: closed to Locality 3 years and a day ago is done by FRCD", { currentTeam: "none", request: "court-report", previousTeam: "locality", previousClosedOn: "2023-11-22" }, "court-report-not-known-in-last-3-years"],
  ["Court report: closed to Locality 4 years ago is done by FRCD", { currentTeam: "none", request: "court-report", previousTeam: "locality", previousClosedOn: "2022-11-23" }, "court-report-not-known-in-last-3-years"],
  // "care proceedings … concluded within the last 3 years"
  ["Repeat pregnancy: proceedings concluded 2 years ago goes straight to Locality", { currentTeam: "none", ageYears: 0, unborn: true, previousTeam: "locality", proceedingsConcludedOn: "2024-11-23", legalStatus: "none", request: "none", careProceedings: "none", uasc: false, movedFromOtherAuthority: "none" }, "repeat-pregnancy-proceedings-within-3-years"],
  ["Repeat pregnancy: proceedings concluded 4 years ago is a pre-birth assessment by FRCD", { currentTeam: "none", ageYears: 0, unborn: true, concern: "significant-harm", previousTeam: "locality", proceedingsConcludedOn: "2022-11-23", legalStatus: "none", request: "none", careProceedings: "none", uasc: false, movedFromOtherAuthority: "none" }, "pre-birth-significant-risk"],
  // "16+ Homeless": 16 and 17 year olds
  ["16+ homeless: a 16 year old unable to return home goes to CiC", newContact({ ageYears: 16, concern: "child-in-need", consent: "given", homeless16or17: true, returnHomeLikely: false }), "homeless-16-17-unable-to-return-home"],
  ["16+ homeless: a 15 year old is an ordinary referral", newContact({ previousTeam: "none", ageYears: 15, concern: "child-in-need", consent: "given", homeless16or17: true, returnHomeLikely: false }), "new-referral-child-in-need"],
  ["16+ homeless: a 17 year old likely to return home goes to Locality", newContact({ ageYears: 17, concern: "child-in-need", consent: "given", homeless16or17: true, returnHomeLikely: true }), "homeless-16-17-return-home-likely"],
  ["16+ homeless: an 18 year old is not a homeless 16/17 year old", newContact({ previousTeam: "none", ageYears: 18, concern: "child-in-need", consent: "given", homeless16or17: true, returnHomeLikely: true }), "new-referral-child-in-need"],
  // "A care leaver is someone under the age of 25"
  ["Returning care leaver aged 24 goes to the Care Leaver Team", { currentTeam: "none", ageYears: 24, legalStatus: "care-leaver", request: "none" }, "returning-care-leaver-to-care-leaver-team"],
  ["Returning care leaver aged 25 is not eligible", { currentTeam: "none", ageYears: 25, legalStatus: "care-leaver", request: "none" }, "care-leaver-aged-25-not-eligible"],
  // "at least 13 weeks after their 14th birthday"
  ["Leaving care after 13 weeks in care since 14 (some after 16): a care leaver", { currentTeam: "cic", ageYears: 16, ceasingToBeLookedAfter: true, cinPlanNeeded: false, weeksInCareSince14: 13, lookedAfterAfter16: true, request: "none", legalStatus: "none" }, "care-leaver-to-care-leaver-team"],
  ["Leaving care after 12 weeks in care since 14: not a care leaver, step down to CFWS", { currentTeam: "cic", ageYears: 16, ceasingToBeLookedAfter: true, cinPlanNeeded: false, weeksInCareSince14: 12, lookedAfterAfter16: true, request: "none", legalStatus: "none" }, "left-care-no-cin-plan-step-down"],
  ["Leaving care after 13 weeks since 14 but none after 16: not a care leaver", { currentTeam: "cic", ageYears: 16, ceasingToBeLookedAfter: true, cinPlanNeeded: false, weeksInCareSince14: 13, lookedAfterAfter16: false, request: "none", legalStatus: "none" }, "left-care-no-cin-plan-step-down"],
  // "Case retained by the Children in Care Service … for 3 months"
  ["Left care exactly 3 months ago (23 Aug 2026): CiC still holds the case", { currentTeam: "cic", ageYears: 8, ceasingToBeLookedAfter: true, cinPlanNeeded: true, ceasedLookedAfterOn: "2026-08-23", legalStatus: "none", request: "none" }, "left-care-cin-plan-retained-3-months"],
  ["Left care 3 months and a day ago (22 Aug 2026): the handover to Locality is due", { currentTeam: "cic", ageYears: 8, ceasingToBeLookedAfter: true, cinPlanNeeded: true, ceasedLookedAfterOn: "2026-08-22", legalStatus: "none", request: "none" }, "left-care-cin-handover-to-locality-due"],
  ["Leaving care next month (a future date): CiC holds the case for the 3 months", { currentTeam: "cic", ageYears: 8, ceasingToBeLookedAfter: true, cinPlanNeeded: true, ceasedLookedAfterOn: "2026-12-20", legalStatus: "none", request: "none" }, "left-care-cin-plan-retained-3-months"],
  // Significant harm versus child in need: consent
  ["Consent: a significant harm referral proceeds without consent", newContact({ previousTeam: "none", concern: "significant-harm", consent: "refused" }), "new-referral-significant-harm"],
  ["Consent: a child in need referral does not proceed without consent", newContact({ concern: "child-in-need", consent: "refused" }), "child-in-need-referral-without-consent"],
  ["Consent: not sought because it would put the child at risk, the FRCD manager decides", newContact({ concern: "child-in-need", consent: "not-sought-risk" }), "child-in-need-referral-without-consent"],
  // "cannot wait for peer supervision"
  ["CFWS: urgent (seen within 5 working days) goes straight to FRCD", { currentTeam: "cfws", concern: "child-in-need", consent: "given", urgent: true, request: "none" }, "cfws-step-up-urgent"],
  ["CFWS: not urgent goes to Peer Supervision", { currentTeam: "cfws", concern: "child-in-need", consent: "given", urgent: false, request: "none" }, "cfws-step-up-peer-supervision"],
];

describe("Leicestershire: thresholds, on both sides", () => {
  it.each(boundaries)("%s", (_name, facts, rule) => {
    expect(expectDecided(recommend(pack, facts, now)).ruleId).toBe(rule);
  });
});

describe("Leicestershire: asking instead of guessing", () => {
  it("asks, without a direction, when nothing is known: which team holds the case comes first", () => {
    const r = expectAsksWithNoFacts(pack);
    expect(r.questions[0]?.id).toBe("currentTeam");
    expect(r.questions[0]?.options.map((o) => o.value)).toEqual(expect.arrayContaining(["frcd", "cfws", "locality", "cic", "dcs", "none"]));
  });

  it.each([
    ["a PWP case asks about the request (an urgent IVA?), proceedings and the proposed team", { currentTeam: "locality", ageYears: 9, legalStatus: "care-order-placed-with-parents" }, ["request", "careProceedings", "urgent", "proposedTeam"]],
    ["a PWP case that is not an IVA request no longer asks about urgency", { currentTeam: "locality", ageYears: 9, legalStatus: "care-order-placed-with-parents", request: "none" }, ["careProceedings", "proposedTeam"]],
    ["a CFWS child in need asks about requests, consent and urgency, never the front door's criteria", { currentTeam: "cfws", concern: "child-in-need" }, ["request", "consent", "urgent"]],
    ["a child leaving care asks only about Children in Care's own routes (age, status, CIN plan, weeks in care, when)", { currentTeam: "cic", ceasingToBeLookedAfter: true }, ["ageYears", "legalStatus", "request", "cinPlanNeeded", "weeksInCareSince14", "lookedAfterAfter16", "ceasedLookedAfterOn", "movingOutOfArea"]],
    ["an SGO support request asks only when the order was made", { currentTeam: "none", request: "adoption-or-sgo-support-only", legalStatus: "special-guardianship-order" }, ["orderMadeOn"]],
    ["a court report on a child once open to Locality asks only when it closed", { currentTeam: "none", request: "court-report", previousTeam: "locality" }, ["previousClosedOn"]],
    ["a homeless 16 year old in need asks only for consent and whether a return home is likely", newContact({ previousTeam: "none", ageYears: 16, concern: "child-in-need", homeless16or17: true }), ["consent", "returnHomeLikely"]],
  ] as [string, Record<string, unknown>, string[]][])("%s", (_name, facts, questions) => {
    expect(expectAsks(recommend(pack, facts, now))).toEqual(questions);
  });

  it("decides a direct transfer from the one fact that settles it (a relinquished baby)", () => {
    const r = recommend(pack, { currentTeam: "none", request: "relinquished-baby" }, now);
    expect(r).toMatchObject({ status: "decided", destination: { teamId: "permanence" } });
  });

  it("waits for the exception: a full care order with a long-term plan is not sent to CiC while proceedings might still be running", () => {
    const r = recommend(pack, { currentTeam: "locality", ageYears: 9, legalStatus: "care-order", longTermCarePlan: true, request: "none" }, now);
    expect(r.status).toBe("needs-answers");
    expect(r.questions.map((q) => q.id)).toEqual(["careProceedings", "proposedTeam"]);
  });

  it("says when a date is still needed for a deadline instead of inventing one", () => {
    const r = recommend(pack, newContact({ previousTeam: "none", concern: "child-in-need", consent: "given" }), now);
    const cin = r.deadlines.find((d) => d.id === "transfer-at-first-cin-review");
    expect(cin?.at).toBeNull();
    expect(cin?.note).toContain("cinMeetingOn");
  });

  it("lists the managers-agree assumption it relied on for a Locality transfer to CiC", () => {
    const r = recommend(pack, { currentTeam: "locality", ageYears: 9, legalStatus: "s20", longTermCarePlan: true, request: "none", careProceedings: "none" }, now);
    expect(r.assumptions.map((a) => a.fact)).toContain("managersDisagree");
  });
});

describe("Leicestershire: escalation, warnings, checklist and form", () => {
  it("Disputes: team managers, then the respective Service Managers, then a Head of Service", () => {
    const r = check(cases.find((c) => c.rule === "locality-to-cic-full-care-order")!);
    expect(r.escalation?.ladderId).toBe("dispute");
    expect(r.escalation?.levels.map((l) => [l.level, l.role.teamId, l.role.role, l.within])).toEqual([
      [1, "cic", "team-manager", null],
      [2, "cic", "service-manager", null],
      [3, null, "head-of-service", null],
    ]);
    expect(r.citations.map((c) => c.section)).toContain(DISPUTES);
  });

  it("step up disputes go to the receiving team's managers; step down disputes to the stepping-down team's", () => {
    const up = check(cases.find((c) => c.rule === "new-referral-child-in-need")!);
    expect(up.escalation?.levels.map((l) => [l.role.teamId, l.role.role])).toEqual([["locality", "team-manager"], ["locality", "service-manager"], [null, "head-of-service"]]);
    const down = check(cases.find((c) => c.rule === "locality-step-down-to-cfws")!);
    expect(down.escalation?.levels.map((l) => [l.role.teamId, l.role.role])).toEqual([["locality", "team-manager"], ["locality", "service-manager"], [null, "head-of-service"]]);
    const threshold = check(cases.find((c) => c.rule === "new-contact-universal-needs")!);
    expect(threshold.escalation?.levels.map((l) => [l.role.teamId, l.role.role])).toEqual([["frcd", "team-manager"], ["frcd", "service-manager"], [null, "head-of-service"]]);
  });

  it("every ladder resolves disputes within 5 working days, as the protocol says", () => {
    for (const l of pack.ladders) expect(l.resolveWithin).toEqual({ amount: 5, unit: "working-days" });
    expect(pack.ladders.map((l) => l.id)).toEqual(expect.arrayContaining(["dispute", "step-up", "step-down"]));
  });

  it("4. 'FRCD manager's decision on priority level is the accepted assessed position … at point of transfer to locality teams' is shown on front door step ups", () => {
    const r = check(cases.find((c) => c.rule === "new-referral-child-in-need")!);
    expect(r.warnings.join(" ")).toContain("FRCD's manager decision on priority level is the accepted position");
    expect(r.warnings.join(" ")).toContain("consent of the parent or carer");
    expect(r.citations.map((c) => c.section)).toContain(BP);
  });

  it("4. 'Where a change of social worker is within the same team … joint supervision, and a joint visit'", () => {
    const r = recommend(pack, { currentTeam: "locality", ageYears: 9, proposedTeam: "locality", concern: "child-in-need", cpPlanEnding: false, disability: "none", legalStatus: "none", request: "none", careProceedings: "none", movingOutOfArea: false }, now);
    expect(r.status).toBe("decided");
    expect(r.warnings.join(" ")).toContain("joint supervision and a joint visit");
  });

  it("Appendix 1 'If not open, assessment request to be considered in subsequent planning once the Child's needs have been considered'", () => {
    const r = recommend(pack, newContact({ previousTeam: "none", request: "parent-carer-assessment", concern: "child-in-need", consent: "given" }), now);
    expect(r.ruleId).toBe("new-referral-child-in-need");
    expect(r.warnings.join(" ")).toContain("parent/carer's assessment request is considered in subsequent planning");
  });

  it("Disputes: 'Transfer disputes will not disadvantage any child/family' is shown when managers disagree", () => {
    const r = check(cases.find((c) => c.rule === "dispute-stays-while-resolved")!);
    expect(r.warnings.join(" ")).toContain("must not disadvantage the child or family");
  });

  it("Appendix 2 'CIC TRANSFER SUMMARY – Transfer checklist for LAC': all eight documents, advisory only", () => {
    const cic = pack.checklist.items.filter((i) => i.section.startsWith("CIC Transfer Summary"));
    expect(cic.map((i) => i.text)).toEqual([
      "Assessment (up to date)",
      "Chronology (up to date)",
      "Placement Plan",
      "Care Plan (up to date)",
      "Delegated Authority",
      "Statutory visits recorded",
      "Supervision case notes",
      "Transfer document (completed template uploaded into case notes)",
    ]);
    expect(pack.checklist.advisory).toMatch(/never block or delay a transfer/);
    const r = check(cases.find((c) => c.rule === "locality-to-cic-s20-long-term-plan")!);
    expect(r.documents).toEqual(expect.arrayContaining(cic.map((i) => i.text)));
  });

  it("the early notification / CIC transfer summary never collects a child's name or date of birth", () => {
    const sensitive = pack.earlyWarningForm.fields.filter((f) => f.sensitive).map((f) => f.id);
    expect(sensitive).toEqual(["child-name", "child-dob"]);
    expect(pack.earlyWarningForm.fields.find((f) => f.id === "formal-request-date")?.fact).toBe("decisionOn");
  });
});

describe("Leicestershire: the pack as a whole", () => {
  it("checkPack finds no problem (references, citations, no two rules in conflict)", () => {
    expect(checkPack(pack)).toEqual([]);
  });

  it("every rule of the pack is exercised by a case above", () => {
    const tested = new Set([...cases.map((c) => c.rule), ...boundaries.map((b) => b[2])]);
    expect(missing(scopeOf(pack).rules, tested)).toEqual([]);
  });

  it("every deadline of the pack is checked with a date by a case above", () => {
    const dated = new Set(cases.flatMap((c) => Object.entries(c.deadlines).filter(([, at]) => at !== null).map(([id]) => id)));
    expect(missing(scopeOf(pack).deadlineIds, dated)).toEqual([]);
  });

  it("every destination and every decider of the pack is checked by a case above", () => {
    const scope = scopeOf(pack);
    const deciders = new Set(cases.map((c) => deciderKey(c.decider[0], c.decider[1])));
    const destinations = new Set(cases.flatMap((c) => [c.to, ...(c.alternatives ?? [])]));
    expect(missing(scope.deciders, deciders)).toEqual([]);
    expect(missing(scope.destinations, destinations)).toEqual([]);
  });
});

describe("Leicestershire: citations", () => {
  const pack = getPack("leicestershire")!;
  itWithProtocol(pack)("every quote is the protocol's own words (its bold markup ** aside)", () => {
    const norm = (s: string) => s.replace(/\*\*/g, "").replace(/\s+/g, " ").trim();
    expect(quotesNotInProtocol(pack, norm)).toEqual([]);
  });
});
