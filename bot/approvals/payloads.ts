/**
 * The Universal Actions (`Action.Execute`) of the approval cards: one zod schema per verb, a
 * discriminated union validated on the way in. Teams merges a card's inputs into `action.data`, so
 * the reason, question, answer and reassignment target arrive beside the request id. Missing or
 * blank words are not a payload error: the domain refuses them with a message the manager can act on.
 */
import { z } from "zod";
import { DISPUTE_OUTCOMES, parseRequestId } from "../../domain/requests";

export const APPROVAL_VERBS = ["approve", "decline", "askInfo", "reassign", "refreshView", "giveInfo", "dispute", "resolveDispute"] as const;
export type ApprovalVerb = (typeof APPROVAL_VERBS)[number];

const requestId = z
  .string({ error: "expected the request id" })
  .transform((s, ctx) => {
    const id = parseRequestId(s);
    if (!id) ctx.addIssue({ code: "custom", message: `"${s.slice(0, 20)}" is not a request id (TR- and six letters or digits)` });
    return id ?? "";
  });
const words = (max: number) => z.string({ error: "expected text" }).max(max, `expected at most ${max} characters`).optional();
const required = (max: number, what: string) => z.string({ error: what }).trim().min(1, what).max(max, `expected at most ${max} characters`);

/**
 * Which card the button was on (issue 5): the escalation ladder's cards (an escalation, a reminder,
 * a disagreement) carry the approval card's verbs for the same request, and say which card and
 * level they are, so that the answer is that card brought up to date.
 */
export const CARD_KINDS = ["escalation", "reminder", "dispute"] as const;
export type LadderCardKind = (typeof CARD_KINDS)[number];
const origin = {
  card: z.enum(CARD_KINDS, { error: `expected the card: ${CARD_KINDS.join(", ")}` }).optional(),
  track: z.enum(["decision", "dispute"], { error: "expected the track: decision or dispute" }).optional(),
  level: z.coerce.number({ error: "expected the level" }).int().min(1).optional(),
};

export const ApprovalAction = z.discriminatedUnion(
  "verb",
  [
    z.object({ verb: z.literal("approve"), data: z.object({ requestId, comment: words(2000), ...origin }) }),
    z.object({ verb: z.literal("decline"), data: z.object({ requestId, reason: words(2000), ...origin }) }),
    z.object({ verb: z.literal("askInfo"), data: z.object({ requestId, question: words(2000), ...origin }) }),
    z.object({ verb: z.literal("reassign"), data: z.object({ requestId, to: words(300), why: words(1000), ...origin }) }),
    z.object({ verb: z.literal("refreshView"), data: z.object({ requestId, ...origin }) }),
    z.object({
      verb: z.literal("giveInfo"),
      data: z.object({ requestId, answer: words(2000), askedSeq: z.coerce.number({ error: "expected the question's number" }).int().min(1).optional() }),
    }),
    /** "Disagree…" on a decided approval card: starts the council's dispute ladder. */
    z.object({ verb: z.literal("dispute"), data: z.object({ requestId, reason: required(2000, "a disagreement needs a reason") }) }),
    /** On a disagreement's cards: the level that has it resolves it. */
    z.object({
      verb: z.literal("resolveDispute"),
      data: z.object({
        requestId,
        outcome: z.enum(DISPUTE_OUTCOMES, { error: `expected the outcome: ${DISPUTE_OUTCOMES.join(" or ")}` }),
        reason: required(2000, "say how it was resolved"),
        ...origin,
      }),
    }),
  ],
  { error: `expected one of the verbs ${APPROVAL_VERBS.join(", ")}` },
);
export type ApprovalAction = z.infer<typeof ApprovalAction>;

const InvokeValue = z.object({
  action: z.object({ type: z.literal("Action.Execute"), verb: z.string(), data: z.unknown().optional() }),
  trigger: z.string().optional(),
});

/** The verb of an `adaptiveCard/action` invoke, if it is one of the approval verbs. */
export function approvalVerbOf(value: unknown): ApprovalVerb | undefined {
  const parsed = InvokeValue.safeParse(value);
  if (!parsed.success) return undefined;
  const verb = parsed.data.action.verb;
  return (APPROVAL_VERBS as readonly string[]).includes(verb) ? (verb as ApprovalVerb) : undefined;
}

/** Validate an invoke's value: the action, and whether Teams sent it by itself (an automatic refresh). */
export function parseApprovalAction(value: unknown): { ok: true; action: ApprovalAction; automatic: boolean } | { ok: false; problem: string } {
  const outer = InvokeValue.safeParse(value);
  if (!outer.success) return { ok: false, problem: "not an Action.Execute" };
  const { verb, data } = outer.data.action;
  const inner = ApprovalAction.safeParse({ verb, data: data ?? {} });
  if (!inner.success) {
    const issue = inner.error.issues[0];
    const path = issue?.path.filter((p) => p !== "data").join(".");
    return { ok: false, problem: `${path ? `${path}: ` : ""}${issue?.message ?? "not valid"}` };
  }
  return { ok: true, action: inner.data, automatic: outer.data.trigger === "automatic" };
}
