/**
 * Triage replies as Bot Framework activities: text messages, and Adaptive Cards expanded from the
 * JSON templates in cards/ (templates, not logic: every value the cards show is prepared here).
 */
import { Template } from "adaptivecards-templating";
import { CardFactory, MessageFactory, type Activity } from "botbuilder";
import type { Recommendation } from "../domain/engine";
import { directionWords, ukDateTime } from "../domain/format";
import type { Reply } from "../domain/triage";
import answeredTemplate from "../cards/answered.json";
import changeTemplate from "../cards/change.json";
import councilTemplate from "../cards/council.json";
import errorTemplate from "../cards/error.json";
import questionTemplate from "../cards/question.json";
import recommendationTemplate from "../cards/recommendation.json";

export type CardJson = Record<string, unknown>;

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

const TEMPLATES = {
  answered: answeredTemplate,
  change: changeTemplate,
  council: councilTemplate,
  error: errorTemplate,
  question: questionTemplate,
  recommendation: recommendationTemplate,
} as const;
export type CardName = keyof typeof TEMPLATES;

// Building a Template parses every expression in it (about 20 ms); expanding a built one is well
// under 1 ms, and it keeps no state between expansions, so each is built once.
const built = new Map<CardName, Template>();

export function expandCard(name: CardName, data: object): CardJson {
  let template = built.get(name);
  if (!template) built.set(name, (template = new Template(TEMPLATES[name])));
  return template.expand({ $root: data }) as CardJson;
}

function heading(r: Recommendation): string {
  const to = r.destination?.name;
  switch (r.direction) {
    case "step-up":
      return to ? `Step up to ${to}` : "Step up";
    case "step-down":
      return to ? `Step down to ${to}` : "Step down";
    case "transfer":
      return to ? `Transfer to ${to}` : "Transfer";
    case "stay":
      return to ? `Stays with ${to}` : "Stays with the current team";
    case "refuse":
      return to ? `${to} cannot accept this case` : "This case cannot be accepted";
    default:
      return directionWords(r.direction);
  }
}

export function recommendationCardData(r: Recommendation, caseReference: string | null): object {
  const who = r.decider ? `${r.decider.title}${r.decider.teamName && !r.decider.title.includes(r.decider.teamName) ? ` (${r.decider.teamName})` : ""}` : "Not named by the protocol";
  const facts = [
    { title: "Direction", value: directionWords(r.direction) },
    { title: "Destination", value: r.destination?.name ?? "None named" },
    { title: "Who decides", value: who },
    ...(r.transferPoint ? [{ title: "Responsibility passes", value: r.transferPoint }] : []),
    { title: "Case reference", value: caseReference ?? "Not given" },
  ];
  return {
    authority: r.authority.name,
    heading: heading(r),
    explanation: r.explanation,
    facts,
    deadlines: r.deadlines.map((d) => ({ when: d.at ? ukDateTime(d.at) : "Date not fixed yet", wording: d.note ? `${d.wording} (${d.note})` : d.wording })),
    documents: r.documents.map((text) => ({ text })),
    actions: r.actions.map((text) => ({ text })),
    warnings: r.warnings.map((text) => ({ text })),
    alternatives: r.alternatives.map((a) => ({ name: a.name, when: a.when })),
    citations: r.citations.map((c) => ({ section: c.section, quote: c.quote, file: c.file })),
  };
}

/** The card for a reply, or null for replies that are plain text (or handled by the bot). */
export function cardFor(reply: Reply): CardJson | null {
  switch (reply.type) {
    case "question": {
      const q = reply.question;
      const input = q.kind === "number" || q.kind === "date" || q.kind === "text";
      return expandCard("question", {
        id: q.id,
        text: q.text,
        help: q.help ?? "",
        number: reply.number,
        isNumber: q.kind === "number",
        isDate: q.kind === "date",
        isText: q.kind === "text",
        hasInput: input,
        canGoBack: reply.canGoBack,
        options: q.options,
      });
    }
    case "choose-council":
      return expandCard("council", { councils: reply.councils, current: reply.councils.find((c) => c.id === reply.current)?.name ?? "" });
    case "choose-change":
      return expandCard("change", { items: reply.items.map((item, i) => ({ ...item, number: i + 1 })) });
    case "recommendation":
      return expandCard("recommendation", recommendationCardData(reply.recommendation, reply.caseReference));
    default:
      return null;
  }
}

export function errorCard(text: string): CardJson {
  return expandCard("error", { text });
}

export function answeredCard(title: string, text: string): CardJson {
  return expandCard("answered", { title, text });
}

/** The activity that shows a reply in the chat (null for a transfer request, which the bot hands on). */
export function renderReply(reply: Reply): Partial<Activity> | null {
  const card = cardFor(reply);
  if (card) return MessageFactory.attachment(CardFactory.adaptiveCard(card));
  return reply.type === "text" || reply.type === "error" ? MessageFactory.text(reply.text) : null;
}
