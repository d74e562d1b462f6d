/** Clocks for store, sweeper and process tests (and the benchmark): the mini pack's step-up ladder. */
import { loadPack } from "../../domain/check";
import { startClock, type ClockState } from "../../domain/escalation";
import miniPack from "../fixtures/mini-pack.json";

const pack = loadPack(miniPack);
const HOUR = 3_600_000;

/**
 * `n` clocks whose level-1 escalation (24-hour urgent clock, so never deferred) fell due `ageHours`
 * ago, and whose level-2 deadline lies `24 - ageHours` hours ahead: exactly one escalation due each.
 * With `dueInHours` the escalation lies that far in the future instead (open, not due).
 */
export function clocks(n: number, now: Date, opts: { prefix?: string; ageHours?: number; dueInHours?: number; reminders?: boolean } = {}): ClockState[] {
  const out: ClockState[] = [];
  const offset = opts.dueInHours !== undefined ? opts.dueInHours * HOUR : -(opts.ageHours ?? 6) * HOUR;
  for (let i = 0; i < n; i++) {
    const due = new Date(now.getTime() + offset - (i % 60) * 1000);
    const startedAt = new Date(due.getTime() - 24 * HOUR);
    out.push(
      startClock({
        pack,
        ladderId: "step-up",
        requestId: `${opts.prefix ?? "TR-"}${String(i).padStart(6, "0")}`,
        case: { caseReference: `CR-${1000 + i}`, heading: "Step up to MASH", direction: "step-up", fromTeam: "Early Help", toTeam: "MASH", requestedBy: null, requestedAt: startedAt.toISOString() },
        context: { currentTeam: "mash" },
        startedAt,
        decisionDeadline: { id: "final-decision", wording: "Final decision within 24 hours", at: due.toISOString(), urgent: true, offset: { amount: 24, unit: "calendar-hours" } },
        policy: opts.reminders ? {} : { reminders: { normal: null, urgent: null } },
      }),
    );
  }
  return out;
}
