/**
 * Reading a practitioner's sentence ("16 year old, homeless, S20 for 14 weeks, open to TYSS") for the
 * case facts it states. Conservative by design: a fact is only set when the words say it; anything
 * negated, hedged or implied is left for the engine to ask. Names and dates of birth are detected
 * so that the bot can refuse them — they are never returned as facts.
 */
import type { CaseFacts } from "./facts";
import type { PolicyPack } from "./pack";

export type Sensitive = "name" | "date-of-birth";

export interface Understanding {
  facts: Partial<CaseFacts>;
  caseReference?: string;
  sensitive: Sensitive[];
  /** What was understood, in words, to say back to the practitioner. */
  said: string[];
}

type Setter = { re: RegExp; set: Partial<CaseFacts>; said: string };

// Phrases that state a fact outright. Order matters only for `said`.
const PHRASES: Setter[] = [
  { re: /\b(unborn|pre-?birth|pregnan(t|cy))\b/i, set: { unborn: true }, said: "a pre-birth (unborn baby) case" },
  { re: /\bimmediate(ly)? (danger|risk)\b|\bin danger\b/i, set: { concern: "immediate-danger" }, said: "the child is in immediate danger" },
  {
    re: /\b(significant harm|child protection concerns?|CP concerns?|safeguarding concerns?|s\.?\s?47|section 47)\b/i,
    set: { concern: "significant-harm" },
    said: "there are child protection (significant harm) concerns",
  },
  { re: /\badditional needs\b/i, set: { concern: "additional-needs" }, said: "additional needs (early help level)" },
  { re: /\bcrime against (the |a )?(child|young person|her|him)\b/i, set: { crimeAgainstChildSuspected: true }, said: "a crime against the child is suspected" },
  { re: /\b(CP plan|child protection plan|on a CPP|subject to (a )?CP)\b/i, set: { plan: "cp" }, said: "on a Child Protection plan" },
  { re: /\b(CiN plan|child in need plan)\b/i, set: { plan: "cin" }, said: "on a Child in Need plan" },
  { re: /\b(early help plan|family network plan|EHA plan|TAF plan)\b/i, set: { plan: "early-help" }, said: "on an early help plan" },
  {
    re: /\b(CP plan|child protection plan) (is )?(ending|to end|ended|coming to an end|being removed)\b|\b(coming off|stepping off|de-?registered from) (the |a )?(CP|child protection) plan\b/i,
    set: { cpPlanEnding: true },
    said: "the CP plan is ending",
  },
  { re: /\b(s\.?\s?20|section 20|accommodated)\b/i, set: { legalStatus: "s20" }, said: "accommodated under section 20" },
  { re: /(?<!interim |supervision )\bcare order\b/i, set: { legalStatus: "care-order" }, said: "on a full care order" },
  { re: /\b(ICO|interim care order)\b/, set: { legalStatus: "interim-care-order" }, said: "on an interim care order" },
  { re: /\b(placement with parents|placed with (their |his |her )?parents|PWP)\b/, set: { legalStatus: "care-order-placed-with-parents" }, said: "on a care order, placed with parents" },
  { re: /\bsupervision order\b/i, set: { legalStatus: "supervision-order" }, said: "on a supervision order" },
  { re: /\b(SGO|special guardianship( order)?)\b/i, set: { legalStatus: "special-guardianship-order" }, said: "on a special guardianship order" },
  { re: /\b(CAO|child arrangements? order)\b/i, set: { legalStatus: "child-arrangements-order" }, said: "on a child arrangements order" },
  { re: /\b(adopted|adoption order)\b/i, set: { legalStatus: "adoption-order" }, said: "adopted (adoption order)" },
  { re: /\bremand(ed)?\b/i, set: { legalStatus: "remand" }, said: "remanded to local authority care" },
  { re: /\bcare leaver\b/i, set: { legalStatus: "care-leaver" }, said: "a care leaver" },
  { re: /\b(PLO|pre-?proceedings)\b/i, set: { careProceedings: "pre-proceedings" }, said: "in pre-proceedings (PLO)" },
  { re: /\b(in|issued|issue of) (care )?proceedings\b|\bcare proceedings (have been |were )?issued\b/i, set: { careProceedings: "issued" }, said: "care proceedings have been issued" },
  { re: /\b(UASC|unaccompanied)\b/i, set: { uasc: true }, said: "an unaccompanied asylum-seeking child" },
  { re: /\bprivate(ly)? fost(ering|ered)\b/i, set: { privateFostering: true }, said: "in a private fostering arrangement" },
  { re: /\b(CSE|CCE|exploitation|exploited|county lines)\b/i, set: { exploitationRisk: true }, said: "at risk of exploitation" },
  { re: /\b(youth justice|YOT|YJS|youth offending)\b/i, set: { youthJustice: true }, said: "involved with youth justice" },
  { re: /\b(missing episodes?|went missing|been missing|missing from home)\b/i, set: { missingEpisodes: true }, said: "has been missing from home" },
  { re: /\b(edge of care|family breakdown|risk of (family )?breakdown)\b/i, set: { familyBreakdown: "at-risk" }, said: "at risk of family breakdown" },
  { re: /\b(care|placement|family|home) (has )?broken down\b/i, set: { familyBreakdown: "broken-down" }, said: "care has broken down" },
  {
    re: /\b(unable|not able|cannot|can't|unlikely) to return home\b|\breturn home (is )?unlikely\b|\bno (plan|indication) (of|to) (a )?return home\b/i,
    set: { returnHomeLikely: false },
    said: "a return home is unlikely",
  },
  { re: /\b(likely to return home|return home (is )?likely)\b/i, set: { returnHomeLikely: true }, said: "a return home is likely" },
  { re: /\b(long[- ]term (care )?plan|permanence plan)\b/i, set: { longTermCarePlan: true }, said: "the care plan is long-term care" },
  { re: /\b(out of hours|OOH|emergency duty)\b/i, set: { outOfHours: true }, said: "out of hours" },
  { re: /\b(dispute|managers? disagree|disagreement)\b/i, set: { managersDisagree: true }, said: "the managers disagree" },
  { re: /\b(NRPF|no recourse to public funds)\b/i, set: { noRecourseToPublicFunds: true }, said: "no recourse to public funds" },
  { re: /\b(consent (has been |was )?(given|obtained|agreed)|(parents?|family|mum|dad) (have |has )?(consented|agree[sd]?))\b/i, set: { consent: "given" }, said: "the family has consented" },
  { re: /\b((consent|they) (has been |was )?(refused|withdrawn)|(refuse[sd]?|withdr[ae]w|not) (to )?consent|no consent|do(es)? not consent)\b/i, set: { consent: "refused" }, said: "consent has been refused" },
];

const NEGATION = /\b(not|no|isn't|is not|never|without|nor)\b[^,.;]{0,20}$/i;

/** Where in the sentence the team is mentioned, and the words just before it. */
const CURRENT_CUES = /\b(open to|held by|allocated to|allocated in|currently (with|in|open to)|with( the)?|in( the)?|from( the)?|known to|case is (with|in)|sits with|holding team is)\s*$/i;
const PROPOSED_CUES = /\b(to( the)?|into( the)?|towards|refer(ral)? to|transfer(ring)? to|step(ping)? (up|down) to|move to|go to|send to)\s*$/i;
const PREVIOUS_CUES = /\b(previously (open to|with|known to|held by|in)|was (open to|with|held by)|closed (to|by)|last (open to|with|held by))\s*$/i;

export function understand(text: string, pack: PolicyPack): Understanding {
  const facts: Partial<CaseFacts> = {};
  const sensitive: Sensitive[] = [];
  // What was said about each fact: a later, more specific phrase replaces an earlier one.
  const saidBy = new Map<string, string>();
  const set = (partial: Partial<CaseFacts>, words: string) => {
    Object.assign(facts, partial);
    for (const key of Object.keys(partial)) saidBy.set(key, words);
  };

  // Dates of birth and names: detected, never kept.
  if (/\b(DOB|D\.O\.B|date of birth|born on)\b/i.test(text) || /\b\d{1,2}[/.]\d{1,2}[/.](19|20)?\d{2}\b/.test(text)) sensitive.push("date-of-birth");
  const teamPhrases = pack.teams.flatMap((t) => [t.name, ...t.aliases]).map((n) => n.toLowerCase());
  const namesAPerson = [...text.matchAll(/\b(?:[Nn]amed|[Cc]alled|[Nn]ame is|[Nn]ame's)\s+([A-Z][a-z]+.*)/g)].some(
    (m) => !teamPhrases.some((p) => (m[1] ?? "").toLowerCase().startsWith(p)),
  );
  if (namesAPerson || /\b(Mr|Mrs|Ms|Miss)\.?\s+[A-Z][a-z]+/.test(text)) sensitive.push("name");
  const cleaned = text.replace(/\b\d{1,2}[/.]\d{1,2}[/.](19|20)?\d{2}\b/g, " ");

  const ref = cleaned.match(/\b(?:case\s*)?(?:ref(?:erence)?|no\.?|number|LCS|LL|EHM|CMS|ID)\s*(?:no\.?|number|id)?\s*[:#-]?\s*([A-Z]{1,3}-\d{4,10}|[A-Z]{0,3}\d{4,10})\b/i);
  const caseReference = ref?.[1]?.toUpperCase();

  const age = cleaned.match(
    /\b(\d{1,2})\s*(?:-|\s)?(?:years?|yrs?|yo)\b(?:[\s-]*old)?|\baged?\s+(\d{1,2})\b|\b(?:child|young person|YP|she|he|they)\s+(?:is|are|is now|turned)\s+(\d{1,2})\b(?!\s*(?:weeks?|months?|days?|times?|%))/i,
  );
  const ageValue = age ? Number(age[1] ?? age[2] ?? age[3]) : undefined;
  if (ageValue !== undefined && ageValue <= 25) set({ ageYears: ageValue }, `${ageValue} years old`);
  else if (/\b(newborn|new-born|baby)\b/i.test(cleaned) && !/\bunborn\b/i.test(cleaned)) {
    // "a baby" does not say an age in years; only a newborn does.
    if (/\bnew-?born\b/i.test(cleaned)) set({ ageYears: 0 }, "a newborn baby");
  }

  for (const p of PHRASES) {
    const m = p.re.exec(cleaned);
    if (!m) continue;
    if (NEGATION.test(cleaned.slice(Math.max(0, m.index - 25), m.index)) && !/consent/.test(p.said)) continue;
    // "PLO? no" — answered in the negative straight after.
    if (/^\s*\??\s*(no|none|not)\b/i.test(cleaned.slice(m.index + m[0].length))) continue;
    set(p.set, p.said);
  }
  // "CP plan ending" also says there is a CP plan; a step down case that is "ending" stays on CP until then.
  if (facts.cpPlanEnding && !facts.plan) set({ plan: "cp" }, "on a Child Protection plan");

  const weeks = cleaned.match(/\b(\d{1,3})\s*weeks?\b(?=[^,.;]{0,20}\b(in care|looked after|accommodated|s\.?\s?20|section 20|LAC|CLA)\b)|\b(?:in care|looked after|accommodated|s\.?\s?20|section 20)\b[^,.;]{0,12}?\b(?:for\s+)?(\d{1,3})\s*weeks?\b/i);
  if (weeks) {
    const n = Number(weeks[1] ?? weeks[3]);
    set({ weeksInCare: n }, `${n} weeks in care`);
  }

  if (/\bhomeless(ness)?\b/i.test(cleaned) && !NEGATION.test(cleaned.slice(0, cleaned.search(/\bhomeless/i)).slice(-25))) {
    if (facts.ageYears === 16 || facts.ageYears === 17 || /\b16\s*(\/|or|-)\s*17\b/.test(cleaned)) set({ homeless16or17: true }, "homeless at 16/17");
  }
  if (/\b(domestic abuse|domestic violence|DA|DV)\b/.test(cleaned) && facts.ageYears !== undefined && facts.ageYears <= 5) {
    set({ domesticAbuseYoungChild: true }, "domestic abuse at home with a child aged five or under");
  }

  // Teams: by id, name and alias, with the words before them saying which role the team plays.
  const names = pack.teams
    .flatMap((t) => [t.id, t.name, ...t.aliases].map((n) => ({ id: t.id, name: t.name, phrase: n })))
    .filter((n) => n.phrase.length >= 2)
    .sort((a, b) => b.phrase.length - a.phrase.length);
  const taken: [number, number][] = [];
  for (const n of names) {
    const escaped = n.phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const re = new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, n.phrase.length <= 4 && n.phrase === n.phrase.toUpperCase() ? "g" : "gi");
    for (const m of cleaned.matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (taken.some(([s, e]) => start < e && end > s)) continue;
      taken.push([start, end]);
      const before = cleaned.slice(Math.max(0, start - 40), start).replace(/\b(the|a|an|our|their)\s+$/i, "");
      if (PREVIOUS_CUES.test(before)) {
        if (!facts.previousTeam) set({ previousTeam: n.id }, `previously open to ${n.name}`);
      } else if (PROPOSED_CUES.test(before) && !/\b(open|allocated|known) to( the)?\s*$/i.test(before)) {
        if (!facts.proposedTeam) set({ proposedTeam: n.id }, `you propose ${n.name}`);
      } else if (CURRENT_CUES.test(before) || /^\s*(have|has|hold|holds|are holding|is holding|currently hold)\b/i.test(cleaned.slice(end, end + 25))) {
        if (!facts.currentTeam) set({ currentTeam: n.id }, `open to ${n.name}`);
      }
    }
  }
  if (/\b(not open to any|not (currently )?open|new (referral|contact)|not known to (us|services))\b/i.test(cleaned) && !facts.currentTeam) {
    set({ currentTeam: "none" }, "not open to any team (a new contact)");
  }

  const said = [...new Set(saidBy.values())];
  return { facts, ...(caseReference ? { caseReference } : {}), sensitive, said };
}
