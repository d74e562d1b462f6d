/**
 * What approvals keep in Azure Table Storage, each table a zod-validated Repository with explicit
 * etags (bot/storage/repository.ts), so that everything survives restarts and concurrent writers
 * never overwrite each other silently.
 *
 *   approvalRequests   pk = request id, rk "request": the request (with its append-only events)
 *                      plus index columns (authority, status, delivery state, waiting key, times)
 *   approvalChannels   pk = authority, rk = "<team or *>|<role>": the channel registered for a role,
 *                      its conversation reference and its approvers
 *   approvalTeams      pk "team", rk = Teams team id: the team's conversation reference (on install)
 *   approvalUsers      pk "user", rk = user id: a personal-chat conversation reference
 *   approvalOutbox     pk = idempotency key, rk "o": one row per proactive post (see outbox.ts)
 *   approvalKeys       pk = "<authority>|<case ref>|<to team>|<requester>", rk "open": the open
 *                      request for that case, so that a repeated click never makes a second one
 */
import { odata } from "@azure/data-tables";
import { z } from "zod";
import { Person, TransferRequest, OPEN_STATUSES } from "../../domain/requests";
import { Repository, RowExistsError, StaleEtagError, type Row } from "../storage/repository";
import { tableClient } from "../storage/tables";

const Iso = z.string().min(10);

/** Where to post in Teams: a channel of a team. */
export const ChannelTarget = z
  .object({
    serviceUrl: z.string().min(1),
    tenantId: z.string().optional(),
    teamId: z.string().min(1),
    teamName: z.string(),
    channelId: z.string().min(1),
    channelName: z.string(),
  })
  .strict();
export type ChannelTarget = z.infer<typeof ChannelTarget>;

export const Registration = z
  .object({
    authorityId: z.string(),
    /** null for an authority-wide role (a head of service, a director). */
    teamId: z.string().nullable(),
    teamName: z.string().nullable(),
    role: z.string(),
    roleTitle: z.string(),
    /** The Teams channel id, copied to the top level so that it can be an index column. */
    channelId: z.string(),
    channel: ChannelTarget,
    approvers: z.array(Person),
    approversSource: z.enum(["members", "command", "demo"]),
    registeredBy: Person,
    registeredAt: Iso,
    /** Set when Teams answered 403/404 for this channel; cleared on re-registration or reinstall. */
    unreachable: z.object({ at: Iso, why: z.string() }).strict().nullable(),
    /** Made by the local demo (anonymous mode with the Agents Playground), never in a real deployment. */
    demo: z.boolean(),
  })
  .strict();
export type Registration = z.infer<typeof Registration>;

export const TeamRecord = z
  .object({
    teamId: z.string(),
    teamName: z.string(),
    serviceUrl: z.string(),
    tenantId: z.string().optional(),
    /** Channels seen in install and conversation updates. */
    channels: z.array(z.object({ id: z.string(), name: z.string() }).strict()),
    installedBy: Person.nullable(),
    updatedAt: Iso,
  })
  .strict();
export type TeamRecord = z.infer<typeof TeamRecord>;

export const UserContact = z
  .object({
    user: Person,
    serviceUrl: z.string(),
    tenantId: z.string().optional(),
    conversationId: z.string(),
    updatedAt: Iso,
  })
  .strict();
export type UserContact = z.infer<typeof UserContact>;

export const RequestRow = z
  .object({
    authorityId: z.string(),
    status: z.string(),
    deliveryState: z.string(),
    /** "<authority>|<team or *>|<role>" while the request waits for a channel (or a working one), else "". */
    waitingKey: z.string(),
    createdAt: Iso,
    updatedAt: Iso,
    request: TransferRequest,
  })
  .strict();
export type RequestRow = z.infer<typeof RequestRow>;

export const OpenKey = z.object({ requestId: z.string() }).strict();

export const OutboxRow = z
  .object({
    key: z.string(),
    state: z.enum(["claimed", "done"]),
    owner: z.string(),
    claimedAt: Iso,
    attempts: z.number().int(),
    result: z.object({ conversationId: z.string(), activityId: z.string() }).strict().nullable(),
  })
  .strict();
export type OutboxRow = z.infer<typeof OutboxRow>;

export function roleKey(authorityId: string, teamId: string | null, role: string): string {
  return `${authorityId}|${teamId ?? "*"}|${role}`;
}

export function toRow(r: TransferRequest): RequestRow {
  const open = OPEN_STATUSES.includes(r.status);
  const waiting = open && (r.delivery.state === "waiting" || r.delivery.state === "unreachable");
  return {
    authorityId: r.authority.id,
    status: r.status,
    deliveryState: r.delivery.state,
    waitingKey: waiting ? roleKey(r.authority.id, r.decider.teamId, r.decider.role) : "",
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    request: r,
  };
}

const REQUEST_RK = "request";

export class ApprovalStore {
  readonly requests: Repository<RequestRow>;
  readonly channels: Repository<Registration>;
  readonly teams: Repository<TeamRecord>;
  readonly users: Repository<UserContact>;
  readonly outbox: Repository<OutboxRow>;
  readonly keys: Repository<z.infer<typeof OpenKey>>;

  constructor(connectionString: string) {
    this.requests = new Repository(tableClient(connectionString, "approvalRequests"), RequestRow, {
      indexColumns: ["authorityId", "status", "deliveryState", "waitingKey", "createdAt", "updatedAt"],
    });
    this.channels = new Repository(tableClient(connectionString, "approvalChannels"), Registration, { indexColumns: ["channelId"] });
    this.teams = new Repository(tableClient(connectionString, "approvalTeams"), TeamRecord);
    this.users = new Repository(tableClient(connectionString, "approvalUsers"), UserContact);
    this.outbox = new Repository(tableClient(connectionString, "approvalOutbox"), OutboxRow);
    this.keys = new Repository(tableClient(connectionString, "approvalKeys"), OpenKey);
  }

  // -- requests

  async getRequest(id: string): Promise<{ request: TransferRequest; etag: string } | undefined> {
    const row = await this.requests.get(id, REQUEST_RK);
    return row ? { request: row.value.request, etag: row.etag } : undefined;
  }

  createRequest(r: TransferRequest): Promise<string> {
    return this.requests.create(r.id, REQUEST_RK, toRow(r));
  }

  replaceRequest(r: TransferRequest, etag: string): Promise<string> {
    return this.requests.replace(r.id, REQUEST_RK, toRow(r), etag);
  }

  /**
   * Requests matching an OData filter on the index columns, and `check` on the stored row: the same
   * condition again, in code. The service's filter does the work in Azure; the check keeps the
   * answer right where a filter is not applied (an in-process Azurite next to restify ignores
   * query parameters: see the report on bot/storage/azurite.ts).
   */
  async requestsWhere(filter: string, check: (row: RequestRow) => boolean): Promise<TransferRequest[]> {
    return (await all(this.requests.query(filter))).filter((row) => check(row.value)).map((row) => row.value.request);
  }

  waitingFor(authorityId: string, teamId: string | null, role: string): Promise<TransferRequest[]> {
    const key = roleKey(authorityId, teamId, role);
    return this.requestsWhere(odata`waitingKey eq ${key}`, (row) => row.waitingKey === key);
  }

  /** Open requests that were never posted (a failed first attempt), for the retry sweep. */
  undelivered(): Promise<TransferRequest[]> {
    return this.requestsWhere(odata`deliveryState eq ${"new"} and (status eq ${"pending"} or status eq ${"info-requested"})`, (row) => row.deliveryState === "new" && (row.status === "pending" || row.status === "info-requested"));
  }

  /** Open requests waiting for a channel (any role). */
  waiting(): Promise<TransferRequest[]> {
    return this.requestsWhere(odata`deliveryState eq ${"waiting"}`, (row) => row.deliveryState === "waiting" && row.waitingKey !== "");
  }

  // -- channel registrations

  async registration(authorityId: string, teamId: string | null, role: string): Promise<{ value: Registration; etag: string } | undefined> {
    return this.channels.get(authorityId, `${teamId ?? "*"}|${role}`);
  }

  putRegistration(r: Registration): Promise<string> {
    return this.channels.upsert(r.authorityId, `${r.teamId ?? "*"}|${r.role}`, r);
  }

  replaceRegistration(r: Registration, etag: string): Promise<string> {
    return this.channels.replace(r.authorityId, `${r.teamId ?? "*"}|${r.role}`, r, etag);
  }

  deleteRegistration(r: Registration): Promise<boolean> {
    return this.channels.delete(r.authorityId, `${r.teamId ?? "*"}|${r.role}`);
  }

  async registrationsInChannel(channelId: string): Promise<Row<Registration>[]> {
    return (await all(this.channels.query(odata`channelId eq ${channelId}`))).filter((r) => r.value.channelId === channelId);
  }

  async registrationsInTeam(teamId: string): Promise<Row<Registration>[]> {
    return (await all(this.channels.query(""))).filter((r) => r.value.channel.teamId === teamId);
  }

  async allRegistrations(): Promise<Row<Registration>[]> {
    return all(this.channels.query(""));
  }

  /** Read–modify–write of one registration with its etag (retried on a concurrent change). */
  async updateRegistration(authorityId: string, teamId: string | null, role: string, change: (r: Registration) => Registration): Promise<Registration | undefined> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const row = await this.registration(authorityId, teamId, role);
      if (!row) return undefined;
      const next = change(row.value);
      try {
        await this.replaceRegistration(next, row.etag);
        return next;
      } catch (err) {
        if (!(err instanceof StaleEtagError)) throw err;
      }
    }
    throw new Error(`registration ${roleKey(authorityId, teamId, role)} kept changing; giving up`);
  }

  // -- teams and users

  putTeam(t: TeamRecord): Promise<string> {
    return this.teams.upsert("team", t.teamId, t);
  }

  async team(teamId: string): Promise<TeamRecord | undefined> {
    return (await this.teams.get("team", teamId))?.value;
  }

  async allTeams(): Promise<TeamRecord[]> {
    return (await all(this.teams.list("team"))).map((r) => r.value);
  }

  putContact(c: UserContact): Promise<string> {
    return this.users.upsert("user", c.user.id, c);
  }

  async contact(userId: string): Promise<UserContact | undefined> {
    return (await this.users.get("user", userId))?.value;
  }

  // -- the open request of a case (idempotency of "request this transfer")

  /**
   * Claims `key` for `requestId`. Returns the id of the open request that already holds it, or
   * undefined if the claim is ours. A key held by a request that is no longer open is taken over.
   */
  async claimOpenKey(key: string, requestId: string): Promise<string | undefined> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const row = await this.keys.get(key, "open");
      if (!row) {
        try {
          await this.keys.create(key, "open", { requestId });
          return undefined;
        } catch (err) {
          if (err instanceof RowExistsError) continue;
          throw err;
        }
      }
      const holder = await this.getRequest(row.value.requestId);
      if (holder && OPEN_STATUSES.includes(holder.request.status)) return holder.request.id;
      try {
        await this.keys.replace(key, "open", { requestId }, row.etag);
        return undefined;
      } catch (err) {
        if (!(err instanceof StaleEtagError)) throw err;
      }
    }
    throw new Error("claimOpenKey: too much contention");
  }

  async releaseOpenKey(key: string, requestId: string): Promise<void> {
    const row = await this.keys.get(key, "open");
    if (row?.value.requestId === requestId) await this.keys.delete(key, "open", row.etag).catch(() => undefined);
  }
}

export async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}
