/**
 * Leicester City Council: "Step Up/ Step Down Process and Transfer Protocol within Childrens Social Care
 * and Early Help Services" (refreshed May 2017), protocol file 004_f89eeb5a9d8467a2.txt.
 *
 * Table-driven: each case quotes the paragraph it checks, gives the facts a practitioner would give, and
 * checks the route, the decider and every deadline. Deadlines are literal instants worked out by hand:
 * - "within 24 hours": 24 real hours after the request (urgent);
 * - "within 72 hours (working days only)": every hour of a working day counts, weekends and England &
 *   Wales bank holidays are skipped whole (from a non-working day counting starts at 00:00 London of the
 *   next working day);
 * - "review dates within ... 3 months": three calendar months after the meeting, a bare date being taken
 *   at 09:00 London.
 * London is UTC+0 in winter and UTC+1 in summer (BST 25 Oct 2026 ends, 28 Mar 2027 starts). Bank
 * holidays used: 25 Dec 2026 (Fri), 28 Dec 2026 (Mon, substitute), 1 Jan 2027 (Fri), 26 Mar 2027 (Good
 * Friday), 29 Mar 2027 (Easter Monday).
 */
import { recommend, type Recommendation } from "../../domain/engine";
import { checkPack } from "../../domain/check";
import { getPack } from "../../domain/packs";
import type { PolicyPack } from "../../domain/pack";
import { NOW as now, type TableCase, decideWith, expectAsks, expectAsksWithNoFacts, expectRoute, itWithProtocol, missing, quotesNotInProtocol, scopeOf } from "./shared";

const pack = getPack("leicester-city") as PolicyPack;
const FILE = "004_f89eeb5a9d8467a2.txt";

const CSC_IC = "csc-initial-contact-24h";
const EH_IC = "eh-initial-contact-72h";
const EH_REVIEW = "eh-plan-review-3-months";

/** `section`: part of the section name of a citation the recommendation must carry. A deadline is null while its meeting has no date yet. */
interface Case extends TableCase {
  rule: string;
  ladder?: string;
}

const decide = decideWith(pack);

function expectCase(c: Case): Recommendation {
  const r = expectRoute(decide(c), { ...c, alternatives: c.alternatives ?? [], urgent: [CSC_IC] });
  expect(r.citations.some((x) => x.file === FILE && x.section.includes(c.section))).toBe(true);
  if (c.ladder) expect(r.escalation?.ladderId).toBe(c.ladder);
  return r;
}

// ---------------------------------------------------------------------------------------------------
// Chapter 2: the one front door (DAS and Early Help Response), step up from Early Help
// ---------------------------------------------------------------------------------------------------

const frontDoor: Case[] = [
  {
    name: "Ch.2 'in immediate danger ... contact the Police or an Ambulance using the emergency 999 line. Thereafter ... Duty and Advice Service': a new contact about a child in immediate danger goes to DAS after 999",
    facts: { currentTeam: "none", concern: "immediate-danger" },
    rule: "immediate-danger-999-then-das",
    direction: "step-up",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Step up - Guidance to be considered by an Early Help Practitioner",
    ladder: "step-up",
  },
  {
    name: "Ch.2 'in immediate danger ... 999 ... Thereafter ... Duty and Advice Service': an open Early Help cluster case with a child in immediate danger goes to DAS (no threshold dispute question)",
    facts: { currentTeam: "eh-cluster", concern: "immediate-danger" },
    rule: "immediate-danger-999-then-das",
    direction: "step-up",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Step up - Guidance to be considered by an Early Help Practitioner",
  },
  {
    name: "Ch.2 'in immediate danger ... 999': a contact within Early Help Response about a child in immediate danger goes to DAS",
    facts: { currentTeam: "ehr", concern: "immediate-danger" },
    rule: "immediate-danger-999-then-das",
    direction: "step-up",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Step up - Guidance",
  },
  {
    name: "Ch.2 'no immediate danger to the child, but Child Protection concerns have been identified contact with Duty and Advice Service ... is required': a new contact with CP concerns goes to DAS",
    facts: { currentTeam: "none", concern: "significant-harm" },
    rule: "contact-csc-threshold-met-to-das",
    direction: "step-up",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Step up - Guidance",
    ladder: "step-up",
  },
  {
    name: "Ch.2 'Transfer of calls from Early Help Response (EHR) to DAS – when threshold for Children’s Social Care is MET': a call via the EH option meeting the CSC threshold is transferred to the DAS SW",
    facts: { currentTeam: "ehr", concern: "child-in-need", managersDisagree: false },
    rule: "contact-csc-threshold-met-to-das",
    direction: "step-up",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Transfer of calls from Early Help Response (EHR) to DAS",
  },
  {
    name: "Ch.2 'Emails transfer of Police contacts from EH to DAS when threshold ... is MET': a Police notification in the EH inbox with CP concerns is forwarded to DAS (24 hours across Christmas Day, an urgent clock)",
    facts: { currentTeam: "ehr", concern: "significant-harm", managersDisagree: false },
    at: "2026-12-24T10:00:00Z",
    rule: "contact-csc-threshold-met-to-das",
    direction: "step-up",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-12-25T10:00:00.000Z" },
    section: "Emails transfer of Police contacts from EH to DAS",
  },
  {
    name: "Ch.2 'The Children Social care Initial Contact needs to be completed and endorsed by Manager within 24 hours': a new child in need contact on the Saturday BST starts gives 2027-03-28 10:00Z (11:00 BST)",
    facts: { currentTeam: "none", concern: "child-in-need" },
    at: "2027-03-27T10:00:00Z",
    rule: "contact-csc-threshold-met-to-das",
    direction: "step-up",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2027-03-28T10:00:00.000Z" },
    section: "Transfer of calls from Early Help Response (EHR) to DAS",
  },
  {
    name: "Ch.2 '... endorsed by Manager within 24 hours': 24 real hours across the end of BST (Sat 24 Oct 2026 11:00 BST → Sun 25 Oct 10:00 GMT)",
    facts: { currentTeam: "none", concern: "significant-harm" },
    at: "2026-10-24T10:00:00Z",
    rule: "contact-csc-threshold-met-to-das",
    direction: "step-up",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-10-25T10:00:00.000Z" },
    section: "Step up - Guidance",
  },
  {
    name: "Ch.2 'Transfer of calls from DAS to Early Help Response (EHR) – when threshold for Children’s Social Care is NOT MET': the DAS SW transfers the caller to the EHP; the EH IC is endorsed within 72 hours (working days only): Mon 10:00 → Thu 10:00",
    facts: { currentTeam: "das", concern: "additional-needs" },
    rule: "das-threshold-not-met-to-ehr",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "team-manager"],
    deadlines: { [EH_IC]: "2026-11-26T10:00:00.000Z" },
    section: "Transfer of calls from DAS to Early Help Response (EHR)",
    ladder: "step-down",
  },
  {
    name: "Ch.2 'Emails transfer of Police contacts from DAS to EH when threshold ... is NOT MET': forwarded on Friday 15:00, the 72 working-day hours skip the weekend: Wed 2 Dec 15:00",
    facts: { currentTeam: "das", concern: "additional-needs" },
    at: "2026-11-27T15:00:00Z",
    rule: "das-threshold-not-met-to-ehr",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "team-manager"],
    deadlines: { [EH_IC]: "2026-12-02T15:00:00.000Z" },
    section: "Emails transfer of Police contacts from DAS to EH",
  },
  {
    name: "Ch.2 'Transfers from DAS to Early Help as an outcome from a contact/referral': 'request for early help' on Christmas Eve skips 25 and 28 Dec and the weekend: Thu 31 Dec 10:00",
    facts: { currentTeam: "das", concern: "additional-needs" },
    at: "2026-12-24T10:00:00Z",
    rule: "das-threshold-not-met-to-ehr",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "team-manager"],
    deadlines: { [EH_IC]: "2026-12-31T10:00:00.000Z" },
    section: "Transfers from DAS to Early Help",
  },
  {
    name: "Ch.2 '... within 72 hours (working days only)': from Wed 30 Dec 12:00, New Year's Day and the weekend are skipped: Tue 5 Jan 12:00",
    facts: { currentTeam: "das", concern: "additional-needs" },
    at: "2026-12-30T12:00:00Z",
    rule: "das-threshold-not-met-to-ehr",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "team-manager"],
    deadlines: { [EH_IC]: "2027-01-05T12:00:00.000Z" },
    section: "Transfer of calls from DAS to Early Help Response (EHR)",
  },
  {
    name: "Ch.2 '... within 72 hours (working days only)': from Thu 25 Mar 2027 10:00 GMT, Easter is skipped and BST starts: Thu 1 Apr 10:00 BST (09:00Z)",
    facts: { currentTeam: "das", concern: "additional-needs" },
    at: "2027-03-25T10:00:00Z",
    rule: "das-threshold-not-met-to-ehr",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "team-manager"],
    deadlines: { [EH_IC]: "2027-04-01T09:00:00.000Z" },
    section: "Transfer of calls from DAS to Early Help Response (EHR)",
  },
  {
    name: "Ch.2 '... within 72 hours (working days only)': a Police email forwarded on a Saturday counts from Monday 00:00, ending at Thursday 00:00",
    facts: { currentTeam: "das", concern: "additional-needs" },
    at: "2026-11-28T11:00:00Z",
    rule: "das-threshold-not-met-to-ehr",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "team-manager"],
    deadlines: { [EH_IC]: "2026-12-03T00:00:00.000Z" },
    section: "Emails transfer of Police contacts from DAS to EH",
  },
  {
    name: "Ch.2 'it is the responsibility of the EHP to ... record an Initial Contact on the Liquid Logic Early Help Module': a new contact at Early Help threshold goes to Early Help Response",
    facts: { currentTeam: "none", concern: "additional-needs" },
    rule: "contact-eh-threshold-to-ehr",
    direction: "step-up",
    to: "ehr",
    decider: ["ehr", "team-manager"],
    deadlines: { [EH_IC]: "2026-11-26T10:00:00.000Z" },
    section: "Transfer of calls from DAS to Early Help Response (EHR)",
    ladder: "step-up",
  },
  {
    name: "Ch.2/3 'EH Initial Contact ... within 72 hours (working days only)' and 'Allocate the request to the relevant cluster': a contact within EHR at Early Help threshold is allocated to a cluster",
    facts: { currentTeam: "ehr", concern: "additional-needs" },
    rule: "ehr-contact-allocated-to-cluster",
    direction: "transfer",
    to: "eh-cluster",
    decider: ["ehr", "team-manager"],
    deadlines: { [EH_IC]: "2026-11-26T10:00:00.000Z" },
    section: "EH Response will",
    ladder: "dispute",
  },
  {
    name: "Ch.2 'threshold will be applied and a decision will be made relating to the outcome of the IC': a child in need contact to DAS stays with DAS; the CSC IC is endorsed within 24 hours",
    facts: { currentTeam: "das", concern: "child-in-need", proposedTeam: "none" },
    rule: "das-threshold-met-stays",
    direction: "stay",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Initial contact received by DAS in relation to a child already opened to council EH Services",
    ladder: "dispute",
  },
  {
    name: "Ch.2 'A record of the decision and management oversight will be recorded in an Initial Contact': CP concerns at DAS stay with DAS",
    facts: { currentTeam: "das", concern: "significant-harm", proposedTeam: "none" },
    rule: "das-threshold-met-stays",
    direction: "stay",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Initial contact received by DAS",
  },
  {
    name: "Ch.2 'Emails transfer of Police contacts from EH to DAS ... within 24 hours': a child in immediate danger at DAS stays with DAS (999)",
    facts: { currentTeam: "das", concern: "immediate-danger", proposedTeam: "none" },
    rule: "das-threshold-met-stays",
    direction: "stay",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Emails transfer of Police contacts from EH to DAS",
  },
  {
    name: "Ch.2 'the information should be considered by DAS and not just signposted to MASP': DAS may not signpost a child in need contact to MASP",
    facts: { currentTeam: "das", concern: "child-in-need", proposedTeam: "masp" },
    rule: "das-must-not-signpost-to-masp",
    direction: "refuse",
    to: null,
    alternatives: ["das"],
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Initial contact received by DAS",
    ladder: "dispute",
  },
  {
    name: "Ch.2 '... not just signposted to MASP (Multi Agency Support Panel)': DAS may not signpost CP concerns to MASP either",
    facts: { currentTeam: "das", concern: "significant-harm", proposedTeam: "masp" },
    rule: "das-must-not-signpost-to-masp",
    direction: "refuse",
    to: null,
    alternatives: ["das"],
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Step up - Guidance",
  },
  {
    name: "Ch.2 'Early Help service will remain in place until the outcome of the Single Assessment ... is known': an open EH cluster case with CP concerns steps up to DAS",
    facts: { currentTeam: "eh-cluster", concern: "significant-harm", managersDisagree: false },
    rule: "eh-case-cp-concerns-to-das",
    direction: "step-up",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Step up from Early Help Response or Clusters to Social Care (DAS)",
    ladder: "step-up",
  },
  {
    name: "Ch.2 'an option is for a referral to be made to the MASP ... for discussion and action agreed': an EH case whose needs are more complex and may need Social Care goes to MASP, DAS as the alternative",
    facts: { currentTeam: "eh-cluster", concern: "child-in-need", urgent: false },
    rule: "eh-case-more-complex-to-masp",
    direction: "step-up",
    to: "masp",
    alternatives: ["das"],
    decider: ["masp", "panel"],
    section: "Step up - Guidance",
    ladder: "step-up",
  },
  {
    name: "Ch.2 'emerging safeguarding concerns arise (that cannot await the next MASP panel) - then contact ... Duty and Advice service without any delay': the urgent EH case goes to DAS",
    facts: { currentTeam: "eh-cluster", concern: "child-in-need", urgent: true, managersDisagree: false },
    rule: "eh-case-urgent-safeguarding-to-das",
    direction: "step-up",
    to: "das",
    decider: ["das", "team-manager"],
    deadlines: { [CSC_IC]: "2026-11-24T10:00:00.000Z" },
    section: "Step up - Guidance",
    ladder: "step-up",
  },
  {
    name: "Ch.3 MASP 'Where a case is open to early help or social care and meets one of the following criteria, a referral can be made to MASP': an EH case proposed for MASP goes to MASP",
    facts: { currentTeam: "eh-cluster", concern: "additional-needs", proposedTeam: "masp" },
    rule: "eh-case-masp-referral",
    direction: "step-up",
    to: "masp",
    alternatives: ["das"],
    decider: ["masp", "panel"],
    section: "Multi Agency Support Panel (MASP)",
  },
  {
    name: "Ch.2 'If agreement about threshold is not reached, workers should escalate to their respective team managers': an EHR contact with a threshold dispute stays with EHR",
    facts: { currentTeam: "ehr", concern: "child-in-need", managersDisagree: true },
    rule: "eh-threshold-dispute",
    direction: "stay",
    to: "ehr",
    decider: ["das", "team-manager"],
    section: "Step up from Early Help Response or Clusters to Social Care (DAS)",
    ladder: "dispute",
  },
  {
    name: "Ch.2 '... escalate to their respective team managers': a disputed CP step up from a cluster stays with the cluster",
    facts: { currentTeam: "eh-cluster", concern: "significant-harm", managersDisagree: true },
    rule: "eh-threshold-dispute",
    direction: "stay",
    to: "eh-cluster",
    decider: ["das", "team-manager"],
    section: "Step up from Early Help Response or Clusters",
    ladder: "dispute",
  },
  {
    name: "Ch.2 '... escalate to their respective team managers': a disputed urgent step up from a cluster stays with the cluster",
    facts: { currentTeam: "eh-cluster", concern: "child-in-need", urgent: true, managersDisagree: true },
    rule: "eh-threshold-dispute",
    direction: "stay",
    to: "eh-cluster",
    decider: ["das", "team-manager"],
    section: "Step up from Early Help Response or Clusters",
  },
];

// ---------------------------------------------------------------------------------------------------
// Chapter 3: Single Assessment / CIN team and Early Help: joint work, step down, MASP
// ---------------------------------------------------------------------------------------------------

const chapter3: Case[] = [
  {
    name: "Ch.3 'The CIN meeting/ CP review conference ... This will serve as the first team around the family meeting (TAF)': a CIN plan steps down; EH plan reviews within 3 months of the CIN meeting",
    facts: { currentTeam: "cin", concern: "additional-needs", plan: "cin", consent: "given", cinMeetingOn: "2026-12-01" },
    rule: "step-down-from-cin-plan",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "family-support-manager"],
    deadlines: { [EH_REVIEW]: "2027-03-01T09:00:00.000Z" },
    section: "Step Down from statutory intervention (CP, CIN, LAC) to Early Help Services",
    ladder: "step-down",
  },
  {
    name: "Ch.3 'Identify review dates within the agreed timescale of 3 months': a CIN meeting on 15 Jan 2027 gives 15 Apr 09:00 BST (08:00Z)",
    facts: { currentTeam: "cin", concern: "additional-needs", plan: "cin", consent: "given", cinMeetingOn: "2027-01-15" },
    rule: "step-down-from-cin-plan",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "family-support-manager"],
    deadlines: { [EH_REVIEW]: "2027-04-15T08:00:00.000Z" },
    section: "Early Help Plans",
  },
  {
    name: "Ch.3 'The CIN meeting/ CP review conference where step down is being considered must be attended by ... Early Help Response': a CP plan steps down at the review conference; 30 Nov + 3 months is 28 Feb",
    facts: { currentTeam: "cin", concern: "additional-needs", plan: "cp", consent: "given", cpReviewConferenceOn: "2026-11-30" },
    rule: "step-down-from-cp-plan",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "family-support-manager"],
    deadlines: { [EH_REVIEW]: "2027-02-28T09:00:00.000Z" },
    section: "Step Down from statutory intervention",
  },
  {
    name: "Ch.3 'Step Down from statutory intervention (CP, CIN, LAC)': a child ceasing to be looked after steps down from the LAC team at the review meeting (3 months from 15 Jan 2027, BST)",
    facts: { currentTeam: "lac", concern: "additional-needs", plan: "none", consent: "given", decisionOn: "2027-01-15" },
    rule: "step-down-to-early-help",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "family-support-manager"],
    deadlines: { [EH_REVIEW]: "2027-04-15T08:00:00.000Z" },
    section: "Step Down from statutory intervention",
    ladder: "step-down",
  },
  {
    name: "Ch.3 'no longer assessed as a child 'in need' (CIN) but ongoing support is required from Early Help services': a Single Assessment ending below CIN steps down (3 months from the decision instant)",
    facts: { currentTeam: "single-assessment", concern: "additional-needs", plan: "none", consent: "given", decisionOn: "2026-11-23T10:00:00Z" },
    rule: "step-down-to-early-help",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "family-support-manager"],
    deadlines: { [EH_REVIEW]: "2027-02-23T10:00:00.000Z" },
    section: "Step Down from statutory intervention",
  },
  {
    name: "Ch.3 'Identify review dates within ... 3 months': until the CIN meeting has a date, the review deadline is not fixed",
    facts: { currentTeam: "cin", concern: "additional-needs", plan: "cin", consent: "given" },
    rule: "step-down-from-cin-plan",
    direction: "step-down",
    to: "ehr",
    decider: ["ehr", "family-support-manager"],
    deadlines: { [EH_REVIEW]: null },
    section: "Early Help Plans",
  },
  {
    name: "Ch.3 'and the family have given consent to the support and to information being shared': consent refused, the CIN case does not step down",
    facts: { currentTeam: "cin", concern: "additional-needs", plan: "cin", consent: "refused" },
    rule: "step-down-without-consent-stays",
    direction: "stay",
    to: "cin",
    decider: ["cin", "team-manager"],
    section: "Step Down from statutory intervention",
    ladder: "step-down",
  },
  {
    name: "Ch.3 '... gain written consent': consent not sought (risk), the LAC case does not step down",
    facts: { currentTeam: "lac", concern: "additional-needs", plan: "none", consent: "not-sought-risk" },
    rule: "step-down-without-consent-stays",
    direction: "stay",
    to: "lac",
    decider: ["lac", "team-manager"],
    section: "Step Down from statutory intervention",
  },
  {
    name: "Ch.3 'A request will be made by the Social Worker to the EH Response Team Manager for an early help practitioner to undertake a joint home visit': joint assessment, the case stays with the Single Assessment Team",
    facts: { currentTeam: "single-assessment", concern: "child-in-need", proposedTeam: "ehr" },
    rule: "joint-assessment-home-visit",
    direction: "stay",
    to: "single-assessment",
    decider: ["ehr", "team-manager"],
    section: "Joint assessment between Single assessment Team SW and Early Help Practitioner",
  },
  {
    name: "Ch.3 'single agency work as part of a child in need, child protection or LAC plan ... selecting 'Joint work'': a CP case with EH joint work stays with the CIN team",
    facts: { currentTeam: "cin", concern: "significant-harm", proposedTeam: "eh-cluster" },
    rule: "joint-work-within-plan",
    direction: "stay",
    to: "cin",
    decider: ["ehr", "team-manager"],
    section: "Request for Early Help as part of an open social care plan",
    ladder: "step-down",
  },
  {
    name: "Ch.3 'Joint work' on a LAC plan: the case stays with the LAC team and Early Help becomes a key agency",
    facts: { currentTeam: "lac", concern: "child-in-need", proposedTeam: "ehr" },
    rule: "joint-work-within-plan",
    direction: "stay",
    to: "lac",
    decider: ["ehr", "team-manager"],
    section: "Request for Early Help as part of an open social care plan",
  },
  {
    name: "Ch.3 MASP '... open to early help or social care ... a referral can be made to MASP': a CIN case referred to MASP stays with the CIN team",
    facts: { currentTeam: "cin", concern: "child-in-need", proposedTeam: "masp" },
    rule: "social-care-masp-referral",
    direction: "stay",
    to: "cin",
    alternatives: ["masp"],
    decider: ["masp", "panel"],
    section: "Multi Agency Support Panel (MASP)",
  },
];

// ---------------------------------------------------------------------------------------------------
// Nothing in the protocol moves the case: the fallback
// ---------------------------------------------------------------------------------------------------

const fallback = (name: string, facts: Record<string, unknown>, to: string | null): Case => ({
  name,
  facts,
  rule: "(fallback)",
  direction: "stay",
  to,
  decider: [to, "team-manager"],
  section: "Chapter 1 - Introduction",
  ladder: "dispute",
});

const fallbacks: Case[] = [
  fallback("Ch.1 'read in conjunction with the LSCB agreed thresholds document': an EH case at EH threshold with no proposal stays with the cluster", { currentTeam: "eh-cluster", concern: "additional-needs", proposedTeam: "none" }, "eh-cluster"),
  fallback("Ch.1 fallback: a DAS contact needing only universal services has no route in the protocol (no MASP question asked)", { currentTeam: "das", concern: "universal" }, "das"),
  fallback("Ch.1 fallback: a CIN case still at CIN level with nothing proposed stays with the CIN team", { currentTeam: "cin", concern: "child-in-need", proposedTeam: "none" }, "cin"),
  fallback("Ch.1 fallback: a new contact needing only universal services is not opened to any team", { currentTeam: "none", concern: "universal" }, null),
];

describe("Leicester City: every route of the protocol", () => {
  it.each([...frontDoor, ...chapter3])("$name", (c) => {
    expectCase(c);
  });

  it.each(fallbacks)("$name", (c) => {
    // No rule applies: the pack's fallback keeps the case where it is ("stay"), with no deadline.
    const r = expectRoute(decide(c), { ...c, rule: null, deadlines: {} });
    expect(r.escalation?.ladderId).toBe("dispute");
    expect(r.citations.some((x) => x.section.includes(c.section))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------
// Details of the routes: who acts, what travels, what is warned
// ---------------------------------------------------------------------------------------------------

describe("Leicester City: details of the routes", () => {
  it("Ch.2 '... 999 ... Thereafter ... Duty and Advice Service on 0116 4541004': 999 comes first, then DAS", () => {
    const r = decide({ facts: { currentTeam: "none", concern: "immediate-danger" } });
    expect(r.actions[0]).toMatch(/999/);
    expect(r.actions.join(" ")).toMatch(/0116 4541004/);
    expect(r.deadlines[0]).toMatchObject({ id: CSC_IC, urgent: true, anchor: "request", atLondon: "2026-11-24 10:00" });
    expect(r.deadlines[0]?.who).toMatchObject({ teamId: "das", role: "team-manager" });
  });

  it("Ch.2 'In this scenario there will be no record of the contact on the Liquid Logic Social care system': said on the DAS → EHR transfer, with the EH manager endorsing", () => {
    const r = decide({ facts: { currentTeam: "das", concern: "additional-needs" } });
    expect(r.warnings.join(" ")).toMatch(/no record of the contact on the Liquid Logic Social care system/);
    expect(r.actions.join(" ")).toMatch(/request for early help/);
    expect(r.deadlines[0]).toMatchObject({ id: EH_IC, urgent: false, atLondon: "2026-11-26 10:00" });
    expect(r.deadlines[0]?.who).toMatchObject({ teamId: "ehr", role: "team-manager" });
    expect(r.warnings).toContain("Apply the LLR threshold criteria for level of need: the protocol is read with the LSCB agreed thresholds document.");
    expect(r.warnings.join(" ")).toMatch(/No wrong door/);
    expect(r.citations.some((c) => c.quote.includes("no wrong door principle"))).toBe(true);
  });

  it("Ch.2 'Early Help service will remain in place until the outcome of the Single Assessment ... is known': transfer point and warning of a cluster step up", () => {
    const r = decide({ facts: { currentTeam: "eh-cluster", concern: "significant-harm", managersDisagree: false } });
    expect(r.transferPoint).toMatch(/outcome of the Single Assessment/);
    expect(r.warnings.join(" ")).toMatch(/remains in place until the outcome of the Single Assessment/);
    expect(r.warnings.join(" ")).toMatch(/not just signposted to MASP/);
    expect(r.actions.join(" ")).toMatch(/communicate your concerns to the family/);
  });

  it("Ch.2 'If advised to take the case to MASP, the EH practitioner or lead professional must ... complete a referral': MASP route actions and MASP criteria", () => {
    const r = decide({ facts: { currentTeam: "eh-cluster", concern: "child-in-need", urgent: false } });
    expect(r.actions.join(" ")).toMatch(/high cost to the authority, no improvement, or escalation of problems/);
    expect(r.documents).toContain("MASP referral");
    expect(r.alternatives[0]?.when).toMatch(/cannot await the next MASP panel/);
  });

  it("Ch.3 step down: the social worker's steps, the documents, EH Response allocating to a cluster, and the lead practitioner setting the 3-month review", () => {
    const r = decide({ facts: { currentTeam: "cin", concern: "additional-needs", plan: "cp", consent: "given", cpReviewConferenceOn: "2026-11-30" } });
    expect(r.transferPoint).toMatch(/CP review conference/);
    expect(r.actions.join(" ")).toMatch(/gain written consent/);
    expect(r.actions.join(" ")).toMatch(/relevant cluster/);
    expect(r.documents.join(" ")).toMatch(/up to date on LCS/);
    expect(r.deadlines[0]).toMatchObject({ id: EH_REVIEW, anchor: "cpReviewConferenceOn", atLondon: "2027-02-28 09:00" });
    expect(r.deadlines[0]?.who).toMatchObject({ teamId: "eh-cluster", role: "lead-practitioner" });
    expect(r.warnings.join(" ")).toMatch(/consent/);
    expect(r.warnings).toContain("Social Care teams always aim to reduce their involvement as the child's needs are met.");
    expect(r.escalation?.levels.map((l) => [l.role.teamId, l.role.role])).toEqual([
      ["ehr", "family-support-manager"],
      ["ehr", "team-manager"],
      [null, "head-of-service"],
    ]);
  });

  it("Ch.3 joint work: 'choosing the step down option and then selecting 'Joint work' within the transfer form'", () => {
    const r = decide({ facts: { currentTeam: "cin", concern: "child-in-need", proposedTeam: "ehr" } });
    expect(r.actions.join(" ")).toMatch(/select 'Joint work'/);
    expect(r.transferPoint).toMatch(/key agency/);
  });

  it("Ch.2 '... escalate to their respective team managers': the threshold ladder has the workers, then the team managers, then the protocol's owners, with no time limits", () => {
    const r = decide({ facts: { currentTeam: "ehr", concern: "child-in-need", managersDisagree: false } });
    expect(r.escalation?.ladderId).toBe("step-up");
    expect(r.escalation?.levels.map((l) => [l.role.teamId, l.role.role, l.within])).toEqual([
      ["das", "social-worker", null],
      ["das", "team-manager", null],
      [null, "head-of-service", null],
    ]);
    const d = decide({ facts: { currentTeam: "ehr", concern: "child-in-need", managersDisagree: true } });
    expect(d.escalation?.levels.map((l) => [l.role.teamId, l.role.role])).toEqual([
      ["ehr", "team-manager"],
      ["das", "team-manager"],
      [null, "head-of-service"],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Boundaries: each threshold of the protocol, tested on both sides
// ---------------------------------------------------------------------------------------------------

describe("Leicester City: boundaries, both sides", () => {
  const side = (facts: Record<string, unknown>, at?: string) => {
    const r = recommend(pack, facts, at ? new Date(at) : now);
    return { status: r.status, direction: r.direction, to: r.destination?.teamId ?? null, rule: r.ruleId };
  };

  it.each([
    ["DAS: CSC threshold NOT MET (Early Help threshold) → EHR", { currentTeam: "das", concern: "additional-needs" }, "step-down", "ehr", "das-threshold-not-met-to-ehr"],
    ["DAS: CSC threshold MET (child in need) → stays with DAS", { currentTeam: "das", concern: "child-in-need", proposedTeam: "none" }, "stay", "das", "das-threshold-met-stays"],
    ["EHR: Early Help threshold → cluster", { currentTeam: "ehr", concern: "additional-needs" }, "transfer", "eh-cluster", "ehr-contact-allocated-to-cluster"],
    ["EHR: CSC threshold MET → DAS", { currentTeam: "ehr", concern: "child-in-need", managersDisagree: false }, "step-up", "das", "contact-csc-threshold-met-to-das"],
    ["new contact: Early Help threshold → EHR", { currentTeam: "none", concern: "additional-needs" }, "step-up", "ehr", "contact-eh-threshold-to-ehr"],
    ["new contact: CSC threshold MET → DAS", { currentTeam: "none", concern: "child-in-need" }, "step-up", "das", "contact-csc-threshold-met-to-das"],
    ["EH case: can await the next MASP panel → MASP", { currentTeam: "eh-cluster", concern: "child-in-need", urgent: false }, "step-up", "masp", "eh-case-more-complex-to-masp"],
    ["EH case: cannot await the next MASP panel → DAS", { currentTeam: "eh-cluster", concern: "child-in-need", urgent: true, managersDisagree: false }, "step-up", "das", "eh-case-urgent-safeguarding-to-das"],
    ["EH case: needs more complex (CIN) → MASP", { currentTeam: "eh-cluster", concern: "child-in-need", urgent: false }, "step-up", "masp", "eh-case-more-complex-to-masp"],
    ["EH case: Child Protection concerns → DAS", { currentTeam: "eh-cluster", concern: "significant-harm", managersDisagree: false }, "step-up", "das", "eh-case-cp-concerns-to-das"],
    ["EH case: CP concerns, no immediate danger → DAS", { currentTeam: "eh-cluster", concern: "significant-harm", managersDisagree: false }, "step-up", "das", "eh-case-cp-concerns-to-das"],
    ["EH case: immediate danger → 999 then DAS", { currentTeam: "eh-cluster", concern: "immediate-danger" }, "step-up", "das", "immediate-danger-999-then-das"],
    ["threshold agreed → DAS", { currentTeam: "ehr", concern: "significant-harm", managersDisagree: false }, "step-up", "das", "contact-csc-threshold-met-to-das"],
    ["threshold not agreed → stays, respective team managers", { currentTeam: "ehr", concern: "significant-harm", managersDisagree: true }, "stay", "ehr", "eh-threshold-dispute"],
    ["step down: consent given → EHR", { currentTeam: "cin", concern: "additional-needs", plan: "cin", consent: "given" }, "step-down", "ehr", "step-down-from-cin-plan"],
    ["step down: consent refused → stays", { currentTeam: "cin", concern: "additional-needs", plan: "cin", consent: "refused" }, "stay", "cin", "step-down-without-consent-stays"],
    ["social care: no longer a child in need → step down", { currentTeam: "cin", concern: "additional-needs", plan: "cin", consent: "given", proposedTeam: "ehr" }, "step-down", "ehr", "step-down-from-cin-plan"],
    ["social care: still a child in need → joint work, stays", { currentTeam: "cin", concern: "child-in-need", proposedTeam: "ehr" }, "stay", "cin", "joint-work-within-plan"],
    ["DAS: not proposed for MASP → DAS decides", { currentTeam: "das", concern: "significant-harm", proposedTeam: "none" }, "stay", "das", "das-threshold-met-stays"],
    ["DAS: proposed for MASP → refused", { currentTeam: "das", concern: "significant-harm", proposedTeam: "masp" }, "refuse", null, "das-must-not-signpost-to-masp"],
    ["EH case at EH threshold: proposed for MASP → MASP", { currentTeam: "eh-cluster", concern: "additional-needs", proposedTeam: "masp" }, "step-up", "masp", "eh-case-masp-referral"],
    ["EH case at EH threshold: nothing proposed → stays", { currentTeam: "eh-cluster", concern: "additional-needs", proposedTeam: "none" }, "stay", "eh-cluster", null],
    ["Single Assessment: Early Help proposed at CIN level → joint home visit", { currentTeam: "single-assessment", concern: "child-in-need", proposedTeam: "eh-cluster" }, "stay", "single-assessment", "joint-assessment-home-visit"],
    ["Single Assessment: Early Help proposed, below CIN with consent → step down", { currentTeam: "single-assessment", concern: "additional-needs", plan: "none", consent: "given", proposedTeam: "eh-cluster" }, "step-down", "ehr", "step-down-to-early-help"],
  ])("%s", (_name, facts, direction, to, rule) => {
    expect(side(facts)).toEqual({ status: "decided", direction, to, rule });
  });

  it.each([
    ["72 working-day hours from Thu 26 Nov 10:00 end on Tue 1 Dec 10:00 (weekend skipped)", "2026-11-26T10:00:00Z", "2026-12-01T10:00:00.000Z"],
    ["72 working-day hours from Mon 23 Nov 00:00 end exactly at Thu 00:00 (the end of Wednesday)", "2026-11-23T00:00:00Z", "2026-11-26T00:00:00.000Z"],
    ["72 working-day hours from Sun 22 Nov 23:59 start on Monday 00:00", "2026-11-22T23:59:00Z", "2026-11-26T00:00:00.000Z"],
    ["72 working-day hours from Wed 23 Dec 16:00 skip Christmas and the substitute day: Wed 30 Dec 16:00", "2026-12-23T16:00:00Z", "2026-12-30T16:00:00.000Z"],
  ])("Ch.2 'within 72 hours (working days only)': %s", (_name, at, expected) => {
    const r = recommend(pack, { currentTeam: "das", concern: "additional-needs" }, new Date(at));
    expect(r.deadlines.map((d) => [d.id, d.at])).toEqual([[EH_IC, expected]]);
  });

  it.each([
    ["24 hours on a Friday run into Saturday (calendar hours, not working time)", "2026-11-27T16:30:00Z", "2026-11-28T16:30:00.000Z"],
    ["24 hours from 23:30 on New Year's Eve end on New Year's Day", "2026-12-31T23:30:00Z", "2027-01-01T23:30:00.000Z"],
  ])("Ch.2 'endorsed by Manager within 24 hours': %s", (_name, at, expected) => {
    const r = recommend(pack, { currentTeam: "none", concern: "child-in-need" }, new Date(at));
    expect(r.deadlines.map((d) => [d.id, d.at, d.urgent])).toEqual([[CSC_IC, expected, true]]);
  });

  it.each([
    ["a CIN meeting on 31 Dec gives 31 Mar (BST: 08:00Z)", { cinMeetingOn: "2026-12-31" }, "2027-03-31T08:00:00.000Z"],
    ["a CIN meeting on 27 Nov gives 27 Feb 09:00 GMT", { cinMeetingOn: "2026-11-27" }, "2027-02-27T09:00:00.000Z"],
    ["a CIN meeting on 29 Nov 2026 gives 28 Feb 2027 (no 29 Feb)", { cinMeetingOn: "2026-11-29" }, "2027-02-28T09:00:00.000Z"],
  ])("Ch.3 'review dates within the agreed timescale of 3 months': %s", (_name, dates, expected) => {
    const r = recommend(pack, { currentTeam: "cin", concern: "additional-needs", plan: "cin", consent: "given", ...dates }, now);
    expect(r.deadlines.map((d) => [d.id, d.at])).toEqual([[EH_REVIEW, expected]]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Questions: nothing known, partly known
// ---------------------------------------------------------------------------------------------------

describe("Leicester City: what Stepwise asks", () => {
  it("an EHR contact meeting the CSC threshold is decided on the assumption that threshold is agreed, and says so", () => {
    const r = recommend(pack, { currentTeam: "ehr", concern: "child-in-need" }, now);
    expect(r.status).toBe("decided");
    expect(r.assumptions.map((a) => [a.fact, a.value])).toEqual([["managersDisagree", false]]);
    expect(recommend(pack, { currentTeam: "ehr", concern: "child-in-need", managersDisagree: true }, now).ruleId).not.toBe(r.ruleId);
  });

  it("with no facts it needs answers, names no direction and asks where the case is first", () => {
    const r = expectAsksWithNoFacts(pack);
    expect(r.decider).toBeNull();
    expect(r.questions[0]?.id).toBe("currentTeam");
    expect(r.questions[1]?.id).toBe("concern");
    expect(r.questions[0]?.text).toMatch(/DAS, Early Help Response/);
    expect(r.questions[0]?.options.map((o) => o.value)).toEqual(["das", "ehr", "eh-cluster", "masp", "single-assessment", "cin", "lac", "none"]);
  });

  it.each([
    ["a new contact: only the level of need", { currentTeam: "none" }, ["concern"]],
    ["a DAS contact: the level of need and whether MASP is proposed", { currentTeam: "das" }, ["concern", "proposedTeam"]],
    ["a CIN case no longer in need: the plan and consent, nothing about MASP or disputes", { currentTeam: "cin", concern: "additional-needs" }, ["plan", "consent"]],
    ["a CIN plan no longer in need: consent only", { currentTeam: "cin", concern: "additional-needs", plan: "cin" }, ["consent"]],
    // Whether the workers disagree about threshold is assumed ("no") unless said, so it is not asked.
    ["an EH case with more complex needs: only whether it can await MASP", { currentTeam: "eh-cluster", concern: "child-in-need" }, ["urgent"]],
    ["a CIN case still in need: only what is proposed (joint work or MASP)", { currentTeam: "cin", concern: "child-in-need" }, ["proposedTeam"]],
    ["an EH case at EH threshold: only whether MASP is proposed", { currentTeam: "eh-cluster", concern: "additional-needs" }, ["proposedTeam"]],
  ])("%s", (_name, facts, questions) => {
    expect(expectAsks(recommend(pack, facts, now))).toEqual(questions);
  });

  it("uses the protocol's words for the urgency question and the level of need", () => {
    const r = recommend(pack, { currentTeam: "eh-cluster", concern: "child-in-need" }, now);
    expect(r.questions[0]?.text).toMatch(/cannot await the next MASP panel/);
    const c = recommend(pack, { currentTeam: "das" }, now).questions[0];
    expect(c?.options.find((o) => o.value === "additional-needs")?.label).toMatch(/NOT met/);
    const plan = recommend(pack, { currentTeam: "lac", concern: "additional-needs" }, now).questions.find((q) => q.id === "plan");
    expect(plan?.options.find((o) => o.value === "none")?.label).toMatch(/LAC plan only/);
  });
});

// ---------------------------------------------------------------------------------------------------
// The pack itself
// ---------------------------------------------------------------------------------------------------

describe("Leicester City: the pack", () => {
  it("checkPack finds no problem (references, citations, no two rules answering differently)", () => {
    expect(checkPack(getPack("leicester-city") as PolicyPack)).toEqual([]);
  });

  it("every rule is exercised by the tables above", () => {
    const tested = new Set([...frontDoor, ...chapter3].map((c) => c.rule));
    expect(missing(scopeOf(pack).rules, tested)).toEqual([]);
  });

  it("every destination, decider and time limit of the protocol is exercised", () => {
    const cases = [...frontDoor, ...chapter3, ...fallbacks];
    const destinations = new Set(cases.map((c) => c.to));
    for (const t of ["das", "ehr", "eh-cluster", "masp", "single-assessment", "cin", "lac"]) expect(destinations).toContain(t);
    const deciders = new Set(cases.map((c) => c.decider.join("/")));
    for (const d of ["das/team-manager", "ehr/team-manager", "ehr/family-support-manager", "masp/panel", "cin/team-manager", "lac/team-manager", "eh-cluster/team-manager"]) {
      expect(deciders).toContain(d);
    }
    const limits = new Set(pack.rules.flatMap((r) => r.then.deadlines.map((d) => `${d.offset.amount} ${d.offset.unit} from ${d.from}`)));
    expect([...limits].sort()).toEqual([
      "24 calendar-hours from request",
      "3 months from cinMeetingOn",
      "3 months from cpReviewConferenceOn",
      "3 months from decisionOn",
      "72 working-day-hours from request",
    ]);
    const testedDeadlines = new Set(cases.flatMap((c) => Object.keys(c.deadlines ?? {}).map((id) => `${c.rule}/${id}`)));
    expect(missing(scopeOf(pack).ruleDeadlines, testedDeadlines)).toEqual([]);
  });

  it("names the protocol's teams and their abbreviations", () => {
    const alias = (id: string) => pack.teams.find((t) => t.id === id)?.aliases ?? [];
    expect(alias("das")).toEqual(expect.arrayContaining(["DAS", "Duty and Advice Service", "Duty and Assessment Team"]));
    expect(alias("ehr")).toEqual(expect.arrayContaining(["EHR", "EH Response", "Early Help Response Team"]));
    expect(alias("masp")).toEqual(expect.arrayContaining(["MASP", "Multi Agency Support Panel"]));
    expect(alias("eh-cluster")).toEqual(expect.arrayContaining(["Clusters"]));
    expect(alias("single-assessment")).toEqual(expect.arrayContaining(["Single Assessment Team"]));
  });

  it("has step-up, step-down and dispute ladders, all citing 'escalate to their respective team managers'", () => {
    for (const id of ["step-up", "step-down", "dispute"]) {
      const ladder = pack.ladders.find((l) => l.id === id);
      expect(ladder?.cite.some((c) => c.quote.includes("escalate to their respective team managers"))).toBe(true);
    }
  });

  it("checklist is advisory and never delays a referral; names and dates of birth are sensitive", () => {
    expect(pack.checklist.advisory).toMatch(/never block or delay/);
    expect(pack.checklist.items.filter((i) => i.section === "Early Help plan (TAF action plan)")).toHaveLength(9);
    const sensitive = pack.earlyWarningForm.fields.filter((f) => /name|date of birth/i.test(f.label));
    expect(sensitive.length).toBeGreaterThan(0);
    for (const f of sensitive) expect(f.sensitive).toBe(true);
  });

  itWithProtocol(pack)("every citation quotes the protocol word for word", () => {
    expect(quotesNotInProtocol(pack)).toEqual([]);
  });
});
