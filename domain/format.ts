/** Plain-text rendering of a recommendation, for the command line and the terminal chat. */
import type { Recommendation } from "./engine";

const DIRECTION_WORDS: Record<string, string> = {
  "step-up": "Step up",
  "step-down": "Step down",
  transfer: "Transfer",
  stay: "Stays with the current team",
  refuse: "Cannot be accepted",
};

/** "Tuesday 29 December 2026, 5pm" in Europe/London. */
export function ukDateTime(iso: string): string {
  const d = new Date(iso);
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    hourCycle: "h12",
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const minutes = get("minute");
  const time = `${get("hour")}${minutes === "00" ? "" : `:${minutes}`}${get("dayPeriod").toLowerCase().replace(/\s|\./g, "")}`;
  return `${get("weekday")} ${get("day")} ${get("month")} ${get("year")}, ${time}`;
}

export function directionWords(direction: string | null): string {
  return direction ? DIRECTION_WORDS[direction] ?? direction : "Not decided yet";
}

export function formatRecommendation(r: Recommendation): string {
  const lines: string[] = [`${r.authority.name}`];
  if (r.status === "needs-answers") {
    lines.push(r.explanation, "", "Questions:");
    r.questions.forEach((q, i) => {
      const options = q.options.length ? ` [${q.options.map((o) => `${String(o.value)}: ${o.label}`).join(" | ")}]` : ` (${q.kind})`;
      lines.push(`  ${i + 1}. ${q.text} (${q.id})${options}`);
    });
    return lines.join("\n");
  }
  const dest = r.destination ? ` → ${r.destination.name}` : "";
  lines.push(`${directionWords(r.direction)}${dest}`, "", `Why: ${r.explanation}`);
  if (r.decider) lines.push(`Who decides: ${r.decider.title}${r.decider.teamName ? ` (${r.decider.teamName})` : ""}`);
  if (r.transferPoint) lines.push(`Transfer point: ${r.transferPoint}`);
  if (r.deadlines.length) {
    lines.push("Deadlines:");
    for (const d of r.deadlines) lines.push(`  - ${d.at ? ukDateTime(d.at) : "date to be fixed"}: ${d.wording}${d.note ? ` (${d.note})` : ""}`);
  }
  const list = (title: string, items: string[]) => items.length && lines.push(`${title}:`, ...items.map((i) => `  - ${i}`));
  list("Actions", r.actions);
  list("Must travel with the case", r.documents);
  list("Warnings", r.warnings);
  list("Alternatives", r.alternatives.map((a) => `${a.name}: ${a.when}`));
  if (r.escalation) lines.push(`If nobody decides: ${r.escalation.levels.map((l) => `${l.role.title}${l.within ? ` (${l.within})` : ""}`).join(" → ")}`);
  lines.push("Policy:", ...r.citations.map((c) => `  - ${c.file} ${c.section}: "${c.quote}"`));
  return lines.join("\n");
}
