/**
 * Reading the approvals commands typed to Stepwise (in a channel, after its @mention):
 *
 *   register this channel as <council> <team> <role>    e.g. "register this channel as enfield mash team manager"
 *   register this channel as <council> <role>           an authority-wide role ("… as enfield head of service")
 *   unregister this channel
 *   channels                                            what is registered in this team
 *   approvers | approvers add @a @b | approvers remove @a | approvers sync
 *   history <request id>                                the request's timeline (anywhere)
 *   approvals help
 *
 * Council, team and role are matched on ids, names, aliases and titles, case-insensitively, with
 * plurals ("team managers") and hyphens ("team-manager") both accepted. Pure: no I/O.
 */
import type { PolicyPack } from "../../domain/pack";
import { parseRequestId } from "../../domain/requests";

export type Command =
  | { kind: "register"; spec: string }
  | { kind: "unregister" }
  | { kind: "channels" }
  | { kind: "approvers"; op: "list" | "add" | "remove" | "sync" }
  | { kind: "history"; requestId: string | undefined; raw: string }
  | { kind: "help" };

/** The command a message names, or undefined (then it is the triage conversation's). */
export function parseCommand(text: string): Command | undefined {
  const t = text
    .replace(/<at>[^<]*<\/at>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const lower = t.toLowerCase().replace(/[.!]+$/, "");
  let m: RegExpExecArray | null;
  if ((m = /^register (?:this |the )?channel (?:as|for) (.+)$/i.exec(t))) return { kind: "register", spec: (m[1] ?? "").replace(/[.!]+$/, "") };
  if (/^(unregister|deregister)( this channel)?$/.test(lower)) return { kind: "unregister" };
  if (/^(channels|registrations|registered channels)$/.test(lower)) return { kind: "channels" };
  if ((m = /^approvers?(?: (list|add|remove|sync))?\b/.exec(lower))) return { kind: "approvers", op: (m[1] as "list" | "add" | "remove" | "sync" | undefined) ?? "list" };
  // Only "history" alone or with something shaped like a request id: "history of neglect, …" is a case.
  if ((m = /^history(?: of)?(?: request)?\s*(tr-?[0-9a-z]{6})?$/.exec(lower))) return { kind: "history", requestId: parseRequestId(m[1] ?? ""), raw: (m[1] ?? "").trim() };
  if (/^(approvals? help|help approvals?|help with approvals)$/.test(lower)) return { kind: "help" };
  return undefined;
}

export const APPROVALS_HELP = [
  "Transfer requests go to the channel registered for the manager role that decides them. In a team channel, @mention me with:",
  "- **register this channel as** *council team role*, e.g. `register this channel as enfield mash team manager` (the channel's members become the approvers)",
  "- **approvers**, **approvers add** @name, **approvers remove** @name, **approvers sync** (read the members again)",
  "- **channels** (what is registered in this team), **unregister this channel**",
  "- **history** *TR-XXXXXX*: everything that happened to a request",
].join("\n");

export interface RoleSpec {
  pack: PolicyPack;
  teamId: string | null;
  teamName: string | null;
  role: string;
  roleTitle: string;
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[-_/,.'’()]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
/** "team managers" and "team manager" read the same. */
const singular = (s: string) =>
  norm(s)
    .split(" ")
    .map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w))
    .join(" ");

const COUNCIL_NOISE = /\b(london borough of|county council|city council|borough council|council)\b/g;

function councilNames(p: PolicyPack): string[] {
  return [p.id, p.name, p.name.replace(COUNCIL_NOISE, " ")].map(singular).filter((n) => n.length >= 3);
}

/** The longest name in `names` that `text` starts with (as whole words), and what follows. */
function prefix(text: string, names: string[]): { name: string; rest: string } | undefined {
  const best = names
    .filter((n) => text === n || text.startsWith(`${n} `))
    .sort((a, b) => b.length - a.length)[0];
  return best === undefined ? undefined : { name: best, rest: text.slice(best.length).trim() };
}

/** A name as typed: as it is, and without its brackets ("Head of Service (MASH)" → "head of service"). */
function variants(name: string): string[] {
  return [...new Set([singular(name), singular(name.replace(/\([^)]*\)/g, " "))])].filter((v) => v.length >= 2);
}

interface Candidate {
  phrase: string;
  teamId: string | null;
  teamName: string | null;
  role: { id: string; title: string };
  /**
   * How surely the phrase names this role: a team named explicitly beats an authority-wide role,
   * which beats a team's role named without its team; a role's own id or title beats what is left
   * of its title once the team's name is taken off ("MASH Team Manager" → "team manager").
   */
  score: number;
}

function candidates(pack: PolicyPack): Candidate[] {
  const out: Candidate[] = [];
  for (const r of pack.roles) for (const v of [...variants(r.id), ...variants(r.title)]) out.push({ phrase: v, teamId: null, teamName: null, role: r, score: 32 });
  for (const t of pack.teams) {
    const teamNames = [...new Set([t.id, t.name, ...t.aliases].flatMap(variants))];
    for (const r of t.roles) {
      const own = new Set([...variants(r.id), ...variants(r.title)]);
      const derived = new Set<string>();
      for (const v of own) for (const tn of teamNames) if (v.startsWith(`${tn} `)) derived.add(v.slice(tn.length + 1));
      for (const [names, strength] of [[own, 2], [derived, 1]] as const)
        for (const rn of names) {
          out.push({ phrase: rn, teamId: t.id, teamName: t.name, role: r, score: 10 + strength });
          for (const tn of teamNames) out.push({ phrase: `${tn} ${rn}`, teamId: t.id, teamName: t.name, role: r, score: 40 + strength });
        }
    }
  }
  return out;
}

/** Read "<council> <team> <role>" (or "<council> <role>" for an authority-wide role); a message for the person when it cannot. */
export function parseRoleSpec(spec: string, packs: Readonly<Record<string, PolicyPack>>): { ok: true; value: RoleSpec } | { ok: false; problem: string } {
  const text = singular(spec);
  const councils = Object.values(packs).flatMap((p) => councilNames(p).map((n) => ({ p, n })));
  const c = prefix(text, councils.map((x) => x.n));
  const pack = c ? councils.find((x) => x.n === c.name)?.p : undefined;
  if (!c || !pack) return { ok: false, problem: `I don't know the council in "${spec}". Start with one of: ${Object.values(packs).map((p) => p.id).join(", ")}.` };
  const rest = c.rest.replace(/^the /, "").trim();
  const all = candidates(pack).filter((x) => x.phrase === rest);
  const best = Math.max(...all.map((x) => x.score));
  const found = [...new Map(all.filter((x) => x.score === best).map((x) => [`${x.teamId}|${x.role.id}`, x])).values()];
  if (found.length === 1) {
    const m = found[0] as Candidate;
    return { ok: true, value: { pack, teamId: m.teamId, teamName: m.teamName, role: m.role.id, roleTitle: m.role.title } };
  }
  if (found.length > 1) {
    return { ok: false, problem: `"${rest}" could be ${found.map((x) => `${x.teamId ?? pack.id} ${x.role.id} (${x.role.title})`).join(" or ")}: name the team too, e.g. "${pack.id} ${found[0]?.teamId ?? ""} ${found[0]?.role.id}".` };
  }
  // Say what the team (if one was named) offers.
  const team = pack.teams
    .map((t) => ({ t, name: [...new Set([t.id, t.name, ...t.aliases].flatMap(variants))].filter((n) => rest === n || rest.startsWith(`${n} `)).sort((a, b) => b.length - a.length)[0] }))
    .filter((x) => x.name)
    .sort((a, b) => (b.name?.length ?? 0) - (a.name?.length ?? 0))[0];
  if (team) {
    const roleWords = rest.slice(team.name?.length ?? 0).trim() || "(none given)";
    return { ok: false, problem: `I can't tell which role "${roleWords}" is. ${team.t.name} has the roles: ${team.t.roles.map((r) => `${r.id} (${r.title})`).join(", ")}.` };
  }
  return {
    ok: false,
    problem: `I can't tell which team and role "${rest || "(none given)"}" is. Name a team of ${pack.name} (${pack.teams.map((t) => t.id).join(", ")}) and one of its roles${pack.roles.length ? `, or an authority-wide role (${pack.roles.map((r) => r.id).join(", ")})` : ""}.`,
  };
}
