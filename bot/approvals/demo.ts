/**
 * The local demo's manager persona (see docs/demo.md).
 *
 * The Microsoft 365 Agents Playground shows one user, but a transfer request needs two people: the
 * practitioner who asks and a manager who decides, and Stepwise never lets anyone decide their own
 * request. In the demo, what the Playground user does in a team channel is done as their *manager
 * persona*: a separate identity (`demo-manager:<their id>`, "<name> (demo manager)") that is an
 * approver of the demo's channel registrations. The self-approval rule is untouched: the persona and
 * the practitioner are different identities, and the audit trail says which one acted.
 *
 * The persona exists only when all of these hold, checked on every activity:
 *   - the demo was switched on by the shell (npm start with the Playground), and
 *   - the bot has no Microsoft app id (anonymous, local only: Teams itself cannot reach such a bot), and
 *   - the activity came from a connector on this machine (serviceUrl on localhost / 127.0.0.1 / ::1).
 * `createApprovals` refuses to start with the demo switched on and an app id set.
 *
 * So that the Playground's team comes registered, the demo asks the Playground itself which team and
 * channels it shows (`GET <playground>/_internal/v1/config`, the endpoint its own UI uses) the first
 * time a request needs a channel, and registers its extra channel ("Managers") for the role, with the
 * personas of the Playground's users as approvers. If that fails, the channel is learnt when the
 * Playground opens it (the install/conversation update it sends then), and requests wait till then.
 */
import type { Activity } from "botbuilder";
import { z } from "zod";
import type { Person } from "../../domain/requests";

export const PERSONA_PREFIX = "demo-manager:";

export interface DemoOptions {
  /** The Playground's team channel to register for every role (else the first channel the bot sees in a team). */
  channel?: { serviceUrl: string; tenantId?: string; teamId: string; teamName: string; channelId: string; channelName: string };
  /** More Playground users whose personas are approvers too (so that "Reassign" has someone to offer). */
  users?: Person[];
}

export function isLoopback(serviceUrl: string | undefined): boolean {
  if (!serviceUrl) return false;
  try {
    const host = new URL(serviceUrl).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

export function persona(user: Person): Person {
  if (user.id.startsWith(PERSONA_PREFIX)) return user;
  return { id: `${PERSONA_PREFIX}${user.id}`, name: `${user.name} (demo manager)` };
}

export function isPersona(p: Person): boolean {
  return p.id.startsWith(PERSONA_PREFIX);
}

export class Demo {
  constructor(
    readonly options: DemoOptions | undefined,
    botAppId: string,
  ) {
    if (options && botAppId) {
      throw new Error("The demo manager persona is only for the anonymous local demo: it cannot be switched on when the bot has a Microsoft app id.");
    }
  }

  get enabled(): boolean {
    return this.options !== undefined;
  }

  /** Whether this activity is part of the local demo. */
  appliesTo(activity: Partial<Activity>): boolean {
    return this.enabled && isLoopback(activity.serviceUrl);
  }

  /** Who is acting: in the demo, the manager persona for anything done in a channel. */
  actor(activity: Partial<Activity>, user: Person): Person {
    const inChannel = activity.conversation?.conversationType === "channel";
    return this.appliesTo(activity) && inChannel ? persona(user) : user;
  }

  /** The approvers of a demo registration: the personas of the Playground's users. */
  approvers(requester: Person, more: Person[] = []): Person[] {
    const people = [requester, ...(this.options?.users ?? []), ...more];
    const seen = new Set<string>();
    return people.map(persona).filter((p) => !seen.has(p.id) && (seen.add(p.id), true));
  }
}

const PlaygroundConfig = z.object({
  config: z.object({
    currentUser: z.object({ id: z.string(), name: z.string() }).optional(),
    users: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
    tenantId: z.string().optional(),
    teams: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          channels: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
        }),
      )
      .default([]),
  }),
});

export interface PlaygroundTeam {
  channel: { serviceUrl: string; tenantId?: string; teamId: string; teamName: string; channelId: string; channelName: string };
  users: Person[];
}

/** Ask the Playground behind `serviceUrl` for its team: its first channel other than General (else General), and its users. */
export async function discoverPlayground(serviceUrl: string, timeoutMs = 2000): Promise<PlaygroundTeam | undefined> {
  if (!isLoopback(serviceUrl)) return undefined;
  try {
    const res = await fetch(new URL("/_internal/v1/config", serviceUrl), { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const parsed = PlaygroundConfig.safeParse(await res.json());
    if (!parsed.success) return undefined;
    const { config } = parsed.data;
    const team = config.teams[0];
    if (!team) return undefined;
    const channel = team.channels.find((c) => c.id !== team.id) ?? team.channels[0] ?? { id: team.id, name: "General" };
    return {
      channel: { serviceUrl, ...(config.tenantId ? { tenantId: config.tenantId } : {}), teamId: team.id, teamName: team.name, channelId: channel.id, channelName: channel.name },
      users: [...(config.currentUser ? [config.currentUser] : []), ...config.users],
    };
  } catch {
    return undefined;
  }
}
