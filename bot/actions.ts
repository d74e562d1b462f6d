/**
 * Adaptive Card Universal Actions (`Action.Execute`) the bot's cards send, one zod schema per verb,
 * validated on the way in. A payload that fails becomes an "invalid" triage input: the practitioner
 * gets a clear error and the conversation does not move.
 */
import { z } from "zod";
import type { TriageInput } from "../domain/triage";

const id = z.string().trim().min(1, "expected a non-empty id").max(60, "expected an id of at most 60 characters");
const answerValue = z
  .union([z.string(), z.number(), z.boolean()], { error: "expected the answer as text, a number or true/false" })
  .transform(String)
  .pipe(z.string().trim().min(1, "expected an answer").max(200, "expected an answer of at most 200 characters"));

export const CardAction = z.discriminatedUnion(
  "verb",
  [
    z.object({ verb: z.literal("answer"), data: z.object({ questionId: id, value: answerValue }) }),
    z.object({ verb: z.literal("chooseCouncil"), data: z.object({ councilId: id }) }),
    z.object({ verb: z.literal("changeAnswer"), data: z.object({ questionId: id.optional() }).optional() }),
    z.object({ verb: z.literal("back") }),
    z.object({ verb: z.literal("startAgain") }),
    z.object({ verb: z.literal("requestTransfer") }),
  ],
  { error: 'expected verb "answer", "chooseCouncil", "changeAnswer", "back", "startAgain" or "requestTransfer"' },
);
export type CardAction = z.infer<typeof CardAction>;

/** The `value` of an `adaptiveCard/action` invoke. */
const InvokeValue = z.object({
  action: z.object({
    type: z.literal("Action.Execute", { error: 'expected an "Action.Execute" action' }),
    verb: z.string({ error: "expected a verb" }),
    data: z.unknown().optional(),
  }),
});

export function toTriageInput(action: CardAction): TriageInput {
  switch (action.verb) {
    case "answer":
      return { type: "answer", questionId: action.data.questionId, value: action.data.value };
    case "chooseCouncil":
      return { type: "chooseCouncil", councilId: action.data.councilId };
    case "changeAnswer":
      return action.data?.questionId ? { type: "changeAnswer", questionId: action.data.questionId } : { type: "command", command: "change" };
    case "back":
      return { type: "command", command: "back" };
    case "startAgain":
      return { type: "command", command: "restart" };
    case "requestTransfer":
      return { type: "requestTransfer" };
  }
}

/** Validate an invoke's value; any failure is described in one line. */
export function parseCardAction(value: unknown): { ok: true; action: CardAction; input: TriageInput } | { ok: false; problem: string } {
  const outer = InvokeValue.safeParse(value);
  if (!outer.success) return { ok: false, problem: describe(outer.error) };
  const { verb, data } = outer.data.action;
  const inner = CardAction.safeParse(data === undefined ? { verb } : { verb, data });
  if (!inner.success) return { ok: false, problem: describe(inner.error) };
  return { ok: true, action: inner.data, input: toTriageInput(inner.data) };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "not valid";
  const path = issue.path.join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}
