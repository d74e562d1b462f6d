/**
 * The triage conversation ("where should this case go?") as a pure state machine: no I/O, the clock
 * is passed in. `step(state, input, env)` returns the next state and semantic replies (text, a
 * question with options, a recommendation, an error); the Teams bot and the terminal chat only render
 * them.
 *
 * The state is the answer history; facts, the case reference, the pending question and the stage
 * are recomputed from it on every transition (`settle`), so "back" is "drop the last step" and
 * "change an answer" is a step that forgets one answer and asks its question again.
 *
 * Bad input (an empty message, an unknown command, an answer that is not an option, a stale or
 * invalid card action, a name or date of birth) gets an error reply and the state is returned as it
 * was. Names and dates of birth are never stored: a message that seems to contain one is refused
 * whole.
 */
import { z } from "zod";
import { recommend, type Recommendation } from "./engine";
import { CaseFacts, DateFact, FACT_NAMES, FactsError, type FactName } from "./facts";
import type { PolicyPack } from "./pack";
import { questionFor, type Question } from "./questions";
import { understand, type Sensitive } from "./understand";

// ---------------------------------------------------------------------------
// Types

/** The case reference is asked like a question, after the engine has decided. */
export const REFERENCE = "caseReference" as const;
export type QuestionId = FactName | typeof REFERENCE;

export interface AskedQuestion {
  id: QuestionId;
  text: string;
  kind: Question["kind"] | "text";
  /** Option values as strings ("true"/"false" for yes-no), as card buttons carry them. */
  options: { value: string; label: string }[];
  help?: string;
}

/** One thing the practitioner did; facts and the pending question are derived from the list. */
export type Step =
  | { kind: "described"; facts: CaseFacts; caseReference?: string }
  | { kind: "answer"; id: FactName; value: string | number | boolean }
  | { kind: "reference"; value: string | null }
  | { kind: "change"; id: QuestionId };

export type Stage = "council" | "describe" | "asking" | "choosing-change" | "decided";

export interface TriageState {
  v: 1;
  authorityId: string | null;
  stage: Stage;
  history: Step[];
  facts: CaseFacts;
  caseReference: string | null;
  pending: AskedQuestion | null;
}

export type Command = "back" | "change" | "restart" | "cancel" | "help" | "council";

export type TriageInput =
  | { type: "text"; text: string }
  | { type: "command"; command: Command }
  /** A card button or a card input: the value as a string, parsed like a typed answer. */
  | { type: "answer"; questionId: string; value: string }
  | { type: "chooseCouncil"; councilId: string }
  | { type: "changeAnswer"; questionId: string }
  | { type: "requestTransfer" }
  | { type: "welcome" }
  /** A card action whose payload failed validation in the shell. */
  | { type: "invalid"; problem: string };

export type ErrorCode = "empty" | "unknown-command" | "not-an-option" | "stale" | "invalid-action" | "sensitive" | "nothing-to-do" | "unknown-council";

export interface Council {
  id: string;
  name: string;
}

export interface ChangeItem {
  id: QuestionId;
  question: string;
  answer: string;
}

export type Reply =
  | { type: "text"; text: string }
  | { type: "question"; question: AskedQuestion; number: number; canGoBack: boolean }
  | { type: "choose-council"; councils: Council[]; current: string | null }
  | { type: "choose-change"; items: ChangeItem[] }
  | { type: "recommendation"; recommendation: Recommendation; caseReference: string | null }
  /** "Request this transfer": the shell hands this to the transfer-request hook. */
  | { type: "transfer-request"; authorityId: string; caseReference: string | null; facts: CaseFacts; recommendation: Recommendation }
  | { type: "error"; code: ErrorCode; text: string };

export interface StepResult {
  state: TriageState;
  replies: Reply[];
  /** For an accepted card action: what the clicked card should now say (its question and the answer). */
  ack?: { title: string; text: string };
}

export interface TriageEnv {
  /** The packs that can be used, by council id. */
  packs: Readonly<Record<string, PolicyPack>>;
  now: Date;
}

// ---------------------------------------------------------------------------
// Words

export const COMMANDS_LINE = 'You can type "back", "change an answer", "start again", "cancel", "council" or "help" at any point.';
const DESCRIBE_PROMPT =
  'Describe the case in a sentence, for example "16 year old, homeless, S20 for 14 weeks, open to TYSS", or just say "where should this case go?" and I\'ll ask. No names or dates of birth, please.';
const REFERENCE_TEXT = "What is the case reference (the child's number in the case management system)?";
const REFERENCE_HELP = "Only the reference number: never the child's name or date of birth. You can skip this.";

function sensitiveText(kinds: Sensitive[]): string {
  const what = kinds.includes("name") && kinds.includes("date-of-birth") ? "a name and a date of birth" : kinds.includes("name") ? "a name" : "a date of birth";
  return `That message seems to contain ${what}. Stepwise never needs a child's name or date of birth, so I haven't kept any of it. Identify the case by its case reference (the number in the case management system) and send the rest again without them.`;
}

// ---------------------------------------------------------------------------
// Validation of stored state

const QuestionIdSchema = z.enum([...FACT_NAMES, REFERENCE] as unknown as [QuestionId, ...QuestionId[]]);
const StepSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("described"), facts: CaseFacts, caseReference: z.string().optional() }),
  z.object({ kind: z.literal("answer"), id: z.enum(FACT_NAMES as [FactName, ...FactName[]]), value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.object({ kind: z.literal("reference"), value: z.string().nullable() }),
  z.object({ kind: z.literal("change"), id: QuestionIdSchema }),
]);
const TriageStateSchema = z.object({
  v: z.literal(1),
  authorityId: z.string().nullable(),
  stage: z.enum(["council", "describe", "asking", "choosing-change", "decided"]),
  history: z.array(StepSchema),
  facts: CaseFacts,
  caseReference: z.string().nullable(),
  pending: z
    .object({
      id: QuestionIdSchema,
      text: z.string(),
      kind: z.enum(["choice", "yes-no", "number", "date", "team", "text"]),
      options: z.array(z.object({ value: z.string(), label: z.string() })),
      help: z.string().optional(),
    })
    .nullable(),
});

/** A stored state, or null if it is missing or not of this version (the shell then starts afresh). */
export function parseState(raw: unknown): TriageState | null {
  const result = TriageStateSchema.safeParse(raw);
  return result.success ? (result.data as TriageState) : null;
}

export function initialState(authorityId: string | null = null): TriageState {
  return { v: 1, authorityId, stage: authorityId ? "describe" : "council", history: [], facts: {}, caseReference: null, pending: null };
}

export function councils(env: TriageEnv): Council[] {
  return Object.values(env.packs).map((p) => ({ id: p.id, name: p.name }));
}

// ---------------------------------------------------------------------------
// Commands

const COMMANDS: [Command, RegExp][] = [
  ["back", /^(back|go back|previous|undo)$/],
  ["change", /^(change( an| my)? answers?|change)$/],
  ["restart", /^(start again|start over|restart|reset|new case)$/],
  ["cancel", /^(cancel|stop|quit)$/],
  ["help", /^(help|\?|what can you do)$/],
  ["council", /^(council|change council|which council)$/],
];

const normalise = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/^\//, "")
    .replace(/[\s.!?'"]+$/g, "")
    .replace(/\s+/g, " ");

/** The command a typed message names, if any ("Back", "/help", "start again." …). */
export function parseCommand(text: string): Command | null {
  if (text.trim() === "?") return "help";
  const t = normalise(text);
  return COMMANDS.find(([, re]) => re.test(t))?.[0] ?? null;
}

// ---------------------------------------------------------------------------
// Deriving the state from its history

function packOf(state: Pick<TriageState, "authorityId">, env: TriageEnv): PolicyPack | undefined {
  return state.authorityId ? env.packs[state.authorityId] : undefined;
}

function asked(q: Question): AskedQuestion {
  return { id: q.id, text: q.text, kind: q.kind, options: q.options.map((o) => ({ value: String(o.value), label: o.label })), ...(q.help ? { help: q.help } : {}) };
}

function askFor(id: QuestionId, pack: PolicyPack): AskedQuestion {
  if (id === REFERENCE) return { id, text: REFERENCE_TEXT, kind: "text", options: [{ value: "skip", label: "Skip for now" }], help: REFERENCE_HELP };
  return asked(questionFor(id, pack));
}

/** Recompute facts, case reference, stage and pending question from the history. Throws FactsError. */
function settle(state: Pick<TriageState, "authorityId" | "history">, env: TriageEnv, choosingChange = false): TriageState {
  const pack = packOf(state, env);
  if (!pack) return initialState(null);
  const facts: Record<string, unknown> = {};
  let caseReference: string | null = null;
  let referenceAsked = false;
  for (const s of state.history) {
    if (s.kind === "described") {
      Object.assign(facts, s.facts);
      if (s.caseReference) {
        caseReference = s.caseReference;
        referenceAsked = true;
      }
    } else if (s.kind === "answer") facts[s.id] = s.value;
    else if (s.kind === "reference") {
      caseReference = s.value;
      referenceAsked = true;
    } else if (s.id === REFERENCE) caseReference = null;
    else delete facts[s.id];
  }
  const base = { v: 1 as const, authorityId: pack.id, history: state.history, facts: facts as CaseFacts, caseReference };
  if (choosingChange) return { ...base, stage: "choosing-change", pending: null };
  if (state.history.length === 0) return { ...base, stage: "describe", pending: null };
  const last = state.history[state.history.length - 1];
  if (last?.kind === "change") return { ...base, stage: "asking", pending: askFor(last.id, pack) };
  const rec = recommend(pack, facts, env.now);
  const next = rec.questions[0];
  if (rec.status === "needs-answers" && next) return { ...base, stage: "asking", pending: asked(next) };
  if (!referenceAsked) return { ...base, stage: "asking", pending: askFor(REFERENCE, pack) };
  return { ...base, stage: "decided", pending: null };
}

/** Facts and the reference, in the order they were first given, for "change an answer". */
function changeItems(state: TriageState, pack: PolicyPack): ChangeItem[] {
  const order: QuestionId[] = [];
  for (const s of state.history) {
    const ids: QuestionId[] = s.kind === "described" ? [...(Object.keys(s.facts) as FactName[]), ...(s.caseReference ? [REFERENCE] : [])] : s.kind === "answer" ? [s.id] : s.kind === "reference" ? [REFERENCE] : [];
    for (const id of ids) if (!order.includes(id)) order.push(id);
  }
  return order.flatMap((id): ChangeItem[] => {
    if (id === REFERENCE) return state.caseReference ? [{ id, question: "Case reference", answer: state.caseReference }] : [];
    const value = state.facts[id];
    if (value === undefined) return [];
    return [{ id, question: questionFor(id, pack).text, answer: answerLabel(askFor(id, pack), value) }];
  });
}

/** "Yes", "Child in Need plan", "15", "Tuesday 29 December 2026" — an answer in words. */
export function answerLabel(q: AskedQuestion, value: unknown): string {
  if (value === null) return "Skipped";
  const option = q.options.find((o) => o.value === String(value));
  if (option) return option.label;
  if (q.kind === "date" && typeof value === "string") return ukDate(value);
  return String(value);
}

/** "Tuesday 29 December 2026" for a YYYY-MM-DD date (or the London date of an instant). */
export function ukDate(value: string): string {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(instant).replace(",", "");
}

// ---------------------------------------------------------------------------
// Reading answers

type Parsed = { ok: true; value: string | number | boolean | null } | { ok: false; problem: string; code?: ErrorCode };

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function londonDay(now: Date, offsetDays = 0): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

/** YYYY-MM-DD from "2026-03-04", "4/3/2026", "4 March 2026", "today", "tomorrow", "yesterday". */
export function parseDate(text: string, now: Date): string | null {
  const t = normalise(text);
  const relative: Record<string, number> = { today: 0, tomorrow: 1, yesterday: -1 };
  if (t in relative) return londonDay(now, relative[t]);
  const pad = (n: string | number) => String(n).padStart(2, "0");
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  let iso: string | null = null;
  if (m) iso = `${m[1]}-${pad(m[2] ?? "")}-${pad(m[3] ?? "")}`;
  else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t))) iso = `${m[3]}-${pad(m[2] ?? "")}-${pad(m[1] ?? "")}`;
  else if ((m = /^(?:[a-z]+day,? )?(\d{1,2})(?:st|nd|rd|th)? ([a-z]+),? (\d{4})$/.exec(t))) {
    const month = MONTHS.indexOf((m[2] ?? "").slice(0, 3));
    if (month >= 0) iso = `${m[3]}-${pad(month + 1)}-${pad(m[1] ?? "")}`;
  }
  return iso && DateFact.safeParse(iso).success ? iso : null;
}

function parseAnswer(q: AskedQuestion, raw: string, pack: PolicyPack, now: Date): Parsed {
  const t = normalise(raw);
  const notAnOption: Parsed = { ok: false, problem: `"${raw.trim().slice(0, 60)}" is not one of the answers to "${q.text}". Choose one of its ${q.options.length} options (the number is enough).` };
  const byOption = (): string | undefined => {
    const exact = q.options.find((o) => o.value.toLowerCase() === t || normalise(o.label) === t);
    if (exact) return exact.value;
    if (/^\d{1,2}$/.test(t)) return q.options[Number(t) - 1]?.value;
    return undefined;
  };
  const asFact = (value: unknown): Parsed => {
    const schema = CaseFacts.shape[q.id as FactName];
    const r = schema.safeParse(value);
    return r.success ? { ok: true, value: r.data as string | number | boolean } : { ok: false, problem: `That answer doesn't fit "${q.text}": ${r.error.issues[0]?.message ?? "not valid"}.` };
  };
  switch (q.kind) {
    case "yes-no": {
      if (/^(y|yes|yeah|yep|true)$/.test(t)) return { ok: true, value: true };
      if (/^(n|no|nope|false)$/.test(t)) return { ok: true, value: false };
      const v = byOption();
      return v === undefined ? notAnOption : { ok: true, value: v === "true" };
    }
    case "choice":
    case "team": {
      let v = byOption();
      if (v === undefined && q.kind === "team") {
        const team = pack.teams.find((x) => [x.id, x.name, ...x.aliases].some((n) => normalise(n) === t));
        v = team?.id;
      }
      if (v === undefined && t.length >= 3) {
        const partial = q.options.filter((o) => normalise(o.label).includes(t));
        if (partial.length === 1) v = partial[0]?.value;
      }
      return v === undefined ? notAnOption : asFact(v);
    }
    case "number": {
      const numbers = t.match(/\d+/g) ?? [];
      if (numbers.length !== 1) return { ok: false, problem: `Please answer "${q.text}" with a whole number, for example 14.` };
      return asFact(Number(numbers[0]));
    }
    case "date": {
      const iso = parseDate(raw, now);
      return iso ? asFact(iso) : { ok: false, problem: `Please answer "${q.text}" with a date such as 29/12/2026, 29 December 2026 or "today".` };
    }
    case "text": {
      if (/^(skip|skip for now|none|no reference|don'?t know|not known|n\/a)$/.test(t)) return { ok: true, value: null };
      const reference = raw.trim().toUpperCase();
      if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(reference)) return { ok: false, problem: sensitiveText(["date-of-birth"]), code: "sensitive" };
      if (/^[A-Z0-9][A-Z0-9/-]{2,24}$/.test(reference) && /\d/.test(reference)) return { ok: true, value: reference };
      const given = understand(raw, pack).caseReference; // "ref 1234567", "it's LL 1234567"
      if (given) return { ok: true, value: given };
      return { ok: false, problem: 'That doesn\'t look like a case reference. Give the number from the case management system (for example 1234567), or say "skip".' };
    }
  }
}

// ---------------------------------------------------------------------------
// Replies

function text(t: string): Reply {
  return { type: "text", text: t };
}

function answeredCount(state: TriageState): number {
  return state.history.filter((s) => s.kind === "answer" || s.kind === "reference").length;
}

/** What to show for where the conversation is now. */
function prompt(state: TriageState, env: TriageEnv, brief = false): Reply[] {
  const pack = packOf(state, env);
  if (!pack) return [{ type: "choose-council", councils: councils(env), current: null }];
  switch (state.stage) {
    case "council":
      return [{ type: "choose-council", councils: councils(env), current: state.authorityId }];
    case "describe":
      return [text(DESCRIBE_PROMPT)];
    case "asking":
      return state.pending ? [{ type: "question", question: state.pending, number: answeredCount(state) + 1, canGoBack: state.history.length > 0 }] : [];
    case "choosing-change":
      return [{ type: "choose-change", items: changeItems(state, pack) }];
    case "decided":
      if (brief) return [text('That is my recommendation for this case. Say "change an answer" to revisit one, or "start again" for another case.')];
      return [{ type: "recommendation", recommendation: recommend(pack, state.facts, env.now), caseReference: state.caseReference }];
  }
}

function fail(state: TriageState, env: TriageEnv, code: ErrorCode, message: string): StepResult {
  return { state, replies: [{ type: "error", code, text: message }, ...prompt(state, env, true)] };
}

/** Settle a new history, or report why its facts cannot be used and keep the old state. */
function move(state: TriageState, history: Step[], env: TriageEnv, before: Reply[] = [], ack?: StepResult["ack"]): StepResult {
  let next: TriageState;
  try {
    next = settle({ authorityId: state.authorityId, history }, env);
  } catch (err) {
    if (err instanceof FactsError) return fail(state, env, "not-an-option", `I can't use that answer: ${err.issues.map((i) => i.expected).join("; ")}.`);
    throw err;
  }
  return { state: next, replies: [...before, ...prompt(next, env)], ...(ack ? { ack } : {}) };
}

// ---------------------------------------------------------------------------
// The transition function

export function step(state: TriageState, input: TriageInput, env: TriageEnv): StepResult {
  const pack = packOf(state, env);
  switch (input.type) {
    case "welcome":
      return { state, replies: [text(welcome(state, env)), ...prompt(state, env)] };
    case "invalid":
      return fail(state, env, "invalid-action", `That card action was not valid (${input.problem}), so nothing has changed.`);
    case "command":
      return command(state, input.command, env);
    case "chooseCouncil":
      return chooseCouncil(state, input.councilId, env);
    case "requestTransfer":
      if (!pack || state.stage !== "decided") return fail(state, env, "stale", "There is no recommendation to request yet: finish the questions first.");
      return {
        state,
        replies: [{ type: "transfer-request", authorityId: pack.id, caseReference: state.caseReference, facts: state.facts, recommendation: recommend(pack, state.facts, env.now) }],
      };
    case "changeAnswer": {
      const item = pack ? changeItems(state, pack).find((i) => i.id === input.questionId) : undefined;
      if (!item) return fail(state, env, "stale", "That answer can't be changed now: it is no longer part of this case.");
      return move(state, [...state.history, { kind: "change", id: item.id }], env, [], { title: "Change an answer", text: item.question });
    }
    case "answer": {
      const q = state.pending;
      if (!pack || state.stage !== "asking" || !q || q.id !== input.questionId) return fail(state, env, "stale", "That question is not the one open now, so I haven't used that answer.");
      return answer(state, q, input.value, pack, env, false);
    }
    case "text":
      return typed(state, input.text, env);
  }
}

function typed(state: TriageState, raw: string, env: TriageEnv): StepResult {
  const t = raw.trim();
  if (!t) return fail(state, env, "empty", "I didn't get any words in that message.");
  const cmd = parseCommand(t);
  if (cmd) return command(state, cmd, env);
  if (t.startsWith("/")) return fail(state, env, "unknown-command", `I don't know the command "${t.split(/\s/)[0]}". ${COMMANDS_LINE}`);
  const pack = packOf(state, env);
  if (!pack) {
    const chosen = councils(env).find((c) => normalise(c.id) === normalise(t) || normalise(c.name).includes(normalise(t)));
    if (chosen && normalise(t).length >= 3) return chooseCouncil(state, chosen.id, env);
    return { state, replies: [text("First, which council's protocol should I use?"), ...prompt(state, env)] };
  }
  switch (state.stage) {
    case "council":
    case "describe":
      return describe(state, t, pack, env);
    case "decided": {
      const u = understand(t, pack);
      if (u.sensitive.length) return fail(state, env, "sensitive", sensitiveText(u.sensitive));
      if (Object.keys(u.facts).length === 0 && !/\bcase\b/i.test(t)) return fail(state, env, "nothing-to-do", `I didn't understand that as a command. ${COMMANDS_LINE}`);
      return describe(state, t, pack, env, true);
    }
    case "asking":
      return state.pending ? answer(state, state.pending, t, pack, env, true) : fail(state, env, "stale", "There is no question open.");
    case "choosing-change": {
      const items = changeItems(state, pack);
      const n = normalise(t);
      const item = /^\d{1,2}$/.test(n) ? items[Number(n) - 1] : items.find((i) => normalise(i.question) === n || i.id.toLowerCase() === n);
      if (!item) return fail(state, env, "not-an-option", `Choose the answer to change by its number, 1 to ${items.length}, or say "back".`);
      return move(state, [...state.history, { kind: "change", id: item.id }], env);
    }
  }
}

/** A sentence about the case: its facts become a step (the first of a new case when `newCase`). */
function describe(state: TriageState, t: string, pack: PolicyPack, env: TriageEnv, newCase = false): StepResult {
  const u = understand(t, pack);
  if (u.sensitive.length) return fail(state, env, "sensitive", sensitiveText(u.sensitive));
  // Keep only what the schema accepts; anything else will be asked.
  const facts = Object.fromEntries(Object.entries(u.facts).filter(([k, v]) => CaseFacts.shape[k as FactName]?.safeParse(v).success)) as CaseFacts;
  const said = u.said.length ? `I understood: ${u.said.join("; ")}.` : "Let's work it out: I'll ask a few questions, one at a time.";
  const ref = u.caseReference ? ` Case reference ${u.caseReference}.` : "";
  const described: Step = { kind: "described", facts, ...(u.caseReference ? { caseReference: u.caseReference } : {}) };
  const lead = newCase ? "Starting a new case. " : "";
  return move(state, newCase ? [described] : [...state.history, described], env, [text(`${lead}${said}${ref}`)]);
}

function answer(state: TriageState, q: AskedQuestion, raw: string, pack: PolicyPack, env: TriageEnv, typed: boolean): StepResult {
  const parsed = parseAnswer(q, raw, pack, env.now);
  if (!parsed.ok) {
    const u = understand(raw, pack);
    if (u.sensitive.length) return fail(state, env, "sensitive", sensitiveText(u.sensitive));
    // Not an answer, but a typed sentence that states facts (more about the case): take those.
    if (typed && q.id !== REFERENCE && Object.keys(u.facts).length > 0) return describe(state, raw, pack, env);
    return fail(state, env, parsed.code ?? "not-an-option", parsed.problem);
  }
  const s: Step = q.id === REFERENCE ? { kind: "reference", value: parsed.value as string | null } : { kind: "answer", id: q.id, value: parsed.value as string | number | boolean };
  return move(state, [...state.history, s], env, [], { title: q.text, text: answerLabel(q, parsed.value) });
}

function chooseCouncil(state: TriageState, councilId: string, env: TriageEnv): StepResult {
  const pack = env.packs[councilId];
  if (!pack) return fail(state, env, "unknown-council", `Stepwise has no protocol for "${councilId}". Choose one of: ${councils(env).map((c) => c.name).join(", ")}.`);
  const ack = { title: "Council", text: pack.name };
  if (state.authorityId === pack.id) return { state, replies: [text(`I'm already using ${pack.name}'s protocol.`), ...prompt(state, env, true)], ack };
  const next = settle({ authorityId: pack.id, history: [] }, env);
  const cleared = state.history.length ? " I've cleared the answers given under the other council's protocol." : "";
  return { state: next, replies: [text(`I'll use ${pack.name}'s protocol.${cleared}`), ...prompt(next, env)], ack };
}

function command(state: TriageState, cmd: Command, env: TriageEnv): StepResult {
  const pack = packOf(state, env);
  switch (cmd) {
    case "help":
      return { state, replies: [text(help(state, env)), ...prompt(state, env, true)] };
    case "council":
      return { state, replies: [{ type: "choose-council", councils: councils(env), current: state.authorityId }] };
    case "restart": {
      const next = settle({ authorityId: state.authorityId, history: [] }, env);
      return { state: next, replies: [text("Starting again: I've cleared the answers."), ...prompt(next, env)] };
    }
    case "cancel": {
      if (state.stage === "choosing-change") return move(state, state.history, env, [text("OK, no change.")]);
      const next = settle({ authorityId: state.authorityId, history: [] }, env);
      return { state: next, replies: [text("Cancelled: I've cleared this case's answers. Describe another case whenever you're ready.")] };
    }
    case "back": {
      if (state.stage === "choosing-change") return move(state, state.history, env);
      if (state.history.length === 0) return fail(state, env, "nothing-to-do", "There's nothing to go back to yet.");
      const history = state.history.slice(0, -1);
      return move(state, history, env, history.length === 0 ? [text("Back to the start.")] : []);
    }
    case "change": {
      const items = pack ? changeItems(state, pack) : [];
      if (!pack || items.length === 0) return fail(state, env, "nothing-to-do", "There are no answers to change yet.");
      return { state: settle(state, env, true), replies: [{ type: "choose-change", items }] };
    }
  }
}

function welcome(state: TriageState, env: TriageEnv): string {
  const pack = packOf(state, env);
  const whose = pack ? `${pack.name}'s` : "your council's";
  return `Hello, I'm Stepwise. I help you work out where a case should go under ${whose} step up, step down and transfer protocol: describe the case, answer a few questions, and I'll give the recommendation with its reasons. I never need a child's name or date of birth; I'll ask for the case reference instead.`;
}

function help(state: TriageState, env: TriageEnv): string {
  const pack = packOf(state, env);
  const council = pack ? `I'm using ${pack.name}'s protocol (say "council" to change it).` : "First choose your council.";
  return `${council} Describe the case in a sentence and answer the questions; the last card is the recommendation with the protocol paragraphs it rests on. ${COMMANDS_LINE} Never type a child's name or date of birth: give the case reference instead.`;
}
