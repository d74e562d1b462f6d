/**
 * Adaptive Card checks for tests: parse with the `adaptivecards` package (jest maps it to its UMD
 * bundle) and collect every parse and validation event, plus any template expression left unexpanded.
 *
 *   expect(cardProblems(card)).toEqual([]);   // or: expectValidCard(card)
 */
import { AdaptiveCard, SerializationContext } from "adaptivecards";

export function cardProblems(json: unknown): string[] {
  const problems: string[] = [];
  const card = json as { type?: unknown; version?: unknown };
  if (card?.type !== "AdaptiveCard") problems.push(`type: expected "AdaptiveCard", got ${JSON.stringify(card?.type)}`);
  if (typeof card?.version !== "string") problems.push("version: missing");
  const unexpanded = JSON.stringify(json).match(/\$\{[^}]*\}/g);
  if (unexpanded) problems.push(`unexpanded template expressions: ${[...new Set(unexpanded)].join(", ")}`);
  const parsed = new AdaptiveCard();
  const context = new SerializationContext();
  parsed.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  return problems;
}

export function expectValidCard(json: unknown): void {
  expect(cardProblems(json)).toEqual([]);
}
