/**
 * The audit trail as CSV for the case record: one row per event of every transfer request, oldest
 * first, for events in [from, to] (and one council if asked). RFC 4180: comma-separated, CRLF line
 * ends, fields with a comma, a quote or a line break in double quotes with quotes doubled. Free text
 * that a spreadsheet would run as a formula (starting with = + - @) is prefixed with an apostrophe.
 *
 * There are no children's names or dates of birth to leave out: requests never hold any (the case
 * reference identifies the case); the names in the file are the staff who acted.
 */
import { odata } from "@azure/data-tables";
import { defaultCalendar } from "../../domain/calendar";
import { deciderLabel, directionLabel, type RequestEvent, type TransferRequest } from "../../domain/requests";
import type { ApprovalStore } from "./store";

export const CSV_COLUMNS = [
  "request_id",
  "authority",
  "case_reference",
  "direction",
  "from_team",
  "to_team",
  "decider",
  "requester",
  "event_seq",
  "event",
  "outcome",
  "at_utc",
  "at_london",
  "by_id",
  "by_name",
  "to_id",
  "to_name",
  "channel",
  "why",
] as const;

export interface ExportOptions {
  from: Date;
  to: Date;
  authority?: string;
}

/** One CSV field (RFC 4180), with formula-looking free text defused. */
export function csvField(value: string | number | null | undefined, freeText = false): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (freeText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: string[]): string {
  return `${fields.join(",")}\r\n`;
}

function row(r: TransferRequest, e: RequestEvent): string {
  const at = new Date(e.at);
  const cells: [string | number | null | undefined, boolean][] = [
    [r.id, false],
    [r.authority.id, false],
    [r.caseReference, false],
    [directionLabel(r.direction), false],
    [r.fromTeam?.name ?? "", true],
    [r.toTeam.name, true],
    [deciderLabel(r.decider), true],
    [r.requester.name, true],
    [e.seq, false],
    [e.type, false],
    [e.type === "decided" || e.type === "dispute-resolved" ? e.outcome : "", false],
    [e.at, false],
    [`${defaultCalendar.londonDate(at)} ${defaultCalendar.londonTime(at)}`, false],
    [e.by.id, false],
    [e.by.name, true],
    [e.type === "reassigned" ? e.to.id : "", false],
    [e.type === "reassigned" ? e.to.name : "", true],
    [e.type === "posted" || e.type === "reminded" || e.type === "escalated" ? e.channel : e.type === "disputed" ? (e.channel ?? "") : "", true],
    [e.why ?? "", true],
  ];
  return csvLine(cells.map(([v, free]) => csvField(v, free)));
}

/** The events of every request in the window, as CSV text (a header line first). */
export async function exportCsv(store: ApprovalStore, opts: ExportOptions): Promise<string> {
  const fromIso = opts.from.toISOString();
  const toIso = opts.to.toISOString();
  // Requests created by the end of the window and changed since its start hold all its events.
  let filter = odata`createdAt le ${toIso} and updatedAt ge ${fromIso}`;
  if (opts.authority) filter += ` and ${odata`authorityId eq ${opts.authority}`}`;
  const events: { r: TransferRequest; e: RequestEvent }[] = [];
  const inWindow = (row: { createdAt: string; updatedAt: string; authorityId: string }) => row.createdAt <= toIso && row.updatedAt >= fromIso && (!opts.authority || row.authorityId === opts.authority);
  for (const r of await store.requestsWhere(filter, inWindow)) for (const e of r.events) if (e.at >= fromIso && e.at <= toIso) events.push({ r, e });
  events.sort((a, b) => a.e.at.localeCompare(b.e.at) || a.r.id.localeCompare(b.r.id) || a.e.seq - b.e.seq);
  return csvLine([...CSV_COLUMNS]) + events.map(({ r, e }) => row(r, e)).join("");
}

/** "2026-11-23" as the start (or end) of that day in London; an ISO instant as itself. */
export function parseWhen(text: string, end: boolean): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const probe = new Date(`${text}T12:00:00Z`);
    if (Number.isNaN(probe.getTime()) || !probe.toISOString().startsWith(text)) return undefined;
    if (!end) return defaultCalendar.atLondon(text, "00:00");
    const next = new Date(probe.getTime() + 86_400_000).toISOString().slice(0, 10);
    return new Date(defaultCalendar.atLondon(next, "00:00").getTime() - 1);
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}
