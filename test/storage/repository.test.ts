import { randomUUID } from "node:crypto";
import { odata, type TableClient } from "@azure/data-tables";
import { z } from "zod";
import { startAzurite, type RunningAzurite } from "../../bot/storage/azurite";
import { EntityTooLargeError } from "../../bot/storage/jsonColumns";
import {
  Repository,
  RowExistsError,
  RowValidationError,
  StaleEtagError,
  type Row,
} from "../../bot/storage/repository";
import { encodeKey, tableClient } from "../../bot/storage/tables";

const Transfer = z.object({
  id: z.string(),
  status: z.enum(["requested", "accepted", "declined"]),
  fromTeam: z.string(),
  dueAt: z.string().datetime(),
  notes: z.string().optional(),
});
type Transfer = z.infer<typeof Transfer>;

let azurite: RunningAzurite;
let client: TableClient;
let repo: Repository<Transfer>;

beforeAll(async () => {
  azurite = await startAzurite({ port: 0 });
});
afterAll(async () => {
  await azurite.stop();
});
beforeEach(() => {
  client = tableClient(azurite.connectionString, `repo${randomUUID().replace(/-/g, "")}`);
  repo = new Repository(client, Transfer, { indexColumns: ["status", "dueAt"] });
});

const transfer = (id: string, over: Partial<Transfer> = {}): Transfer => ({
  id,
  status: "requested",
  fromTeam: "19:team-a@thread.tacv2",
  dueAt: "2025-03-03T09:00:00.000Z",
  ...over,
});

async function all<T>(rows: AsyncIterable<Row<T>>): Promise<Row<T>[]> {
  const out: Row<T>[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe("Repository", () => {
  it("creates and gets a row, with an etag", async () => {
    const etag = await repo.create("transfers", "T-1", transfer("T-1"));
    expect(await repo.get("transfers", "T-1")).toEqual({ value: transfer("T-1"), etag });
    expect(await repo.get("transfers", "T-2")).toBeUndefined();
  });

  it("create fails with RowExistsError when the row exists", async () => {
    await repo.create("transfers", "T-1", transfer("T-1"));
    const err = await repo.create("transfers", "T-1", transfer("T-1")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RowExistsError);
    expect(err).toMatchObject({ table: client.tableName, pk: "transfers", rk: "T-1" });
  });

  it("replace succeeds with the current etag and fails with StaleEtagError on a stale one", async () => {
    const first = await repo.create("transfers", "T-1", transfer("T-1"));
    const second = await repo.replace("transfers", "T-1", transfer("T-1", { status: "accepted" }), first);
    expect(second).not.toBe(first);

    const stale = await repo.replace("transfers", "T-1", transfer("T-1", { status: "declined" }), first).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(StaleEtagError);
    expect((stale as Error).message).toMatch(/changed since it was read/);
    expect((await repo.get("transfers", "T-1"))?.value.status).toBe("accepted");

    await repo.delete("transfers", "T-1");
    await expect(repo.replace("transfers", "T-1", transfer("T-1"), second)).rejects.toThrow(/deleted since it was read/);
    await expect(repo.replace("transfers", "T-1", transfer("T-1"), "*")).rejects.toThrow(/needs the etag/);
  });

  it("two concurrent replaces with the same etag: exactly one wins", async () => {
    const etag = await repo.create("transfers", "T-1", transfer("T-1"));
    const results = await Promise.allSettled([
      repo.replace("transfers", "T-1", transfer("T-1", { status: "accepted" }), etag),
      repo.replace("transfers", "T-1", transfer("T-1", { status: "declined" }), etag),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: expect.any(StaleEtagError) });
  });

  it("upsert creates or overwrites", async () => {
    await repo.upsert("transfers", "T-1", transfer("T-1"));
    await repo.upsert("transfers", "T-1", transfer("T-1", { status: "declined" }));
    expect((await repo.get("transfers", "T-1"))?.value.status).toBe("declined");
  });

  it("delete: unconditional, with a current etag, with a stale etag, and of a missing row", async () => {
    const etag = await repo.create("transfers", "T-1", transfer("T-1"));
    await repo.upsert("transfers", "T-1", transfer("T-1", { status: "accepted" }));
    await expect(repo.delete("transfers", "T-1", etag)).rejects.toThrow(StaleEtagError);
    const current = (await repo.get("transfers", "T-1"))!.etag;
    await expect(repo.delete("transfers", "T-1", current)).resolves.toBe(true);
    await expect(repo.delete("transfers", "T-1")).resolves.toBe(false);

    await repo.create("transfers", "T-2", transfer("T-2"));
    await expect(repo.delete("transfers", "T-2")).resolves.toBe(true);
  });

  it("rejects values that do not match the schema, naming table, key and field", async () => {
    const bad = { ...transfer("T-1"), status: "lost" } as unknown as Transfer;
    const err = await repo.create("transfers", "T-1", bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RowValidationError);
    expect(err).toMatchObject({ direction: "write", table: client.tableName, pk: "transfers", rk: "T-1" });
    expect((err as Error).message).toContain("status");
    expect(await repo.get("transfers", "T-1")).toBeUndefined();
  });

  it("throws a clear error when a stored row no longer matches the schema", async () => {
    // Written by an older schema in which dueAt was a free-text field.
    const OldTransfer = Transfer.extend({ dueAt: z.string() });
    await new Repository(client, OldTransfer).create("transfers", "T-9", { ...transfer("T-9"), dueAt: "next week" });

    const err = await repo.get("transfers", "T-9").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RowValidationError);
    expect(err).toMatchObject({ direction: "read", pk: "transfers", rk: "T-9" });
    expect((err as Error).message).toContain(client.tableName);
    expect((err as Error).message).toContain("T-9");
    expect((err as Error).message).toContain("dueAt");
  });

  it("strips unknown fields on the way in (zod object default)", async () => {
    await repo.create("transfers", "T-1", { ...transfer("T-1"), extra: "dropped" } as Transfer);
    expect((await repo.get("transfers", "T-1"))?.value).toEqual(transfer("T-1"));
  });

  it("lists a partition in row key order, optionally by row key prefix, with decoded awkward keys", async () => {
    const pk = "19:team-a@thread.tacv2;messageid=1699999999999";
    const rks = ["2025-03-02/T-2", "2025-03-01/T-1", "2025-04-01/T-3", "a/b#c?d\\e"];
    for (const rk of rks) await repo.create(pk, rk, transfer(rk));
    await repo.create("other", "2025-03-01/T-x", transfer("T-x"));

    const listed = await all(repo.list(pk));
    expect(listed.map((r) => r.rk)).toEqual(["2025-03-01/T-1", "2025-03-02/T-2", "2025-04-01/T-3", "a/b#c?d\\e"]);
    expect(listed.every((r) => r.pk === pk && typeof r.etag === "string")).toBe(true);

    const march = await all(repo.list(pk, { rowKeyPrefix: "2025-03" }));
    expect(march.map((r) => r.value.id)).toEqual(["2025-03-01/T-1", "2025-03-02/T-2"]);
  });

  it("queries plain index columns with odata filters", async () => {
    await repo.create("transfers", "T-1", transfer("T-1", { dueAt: "2025-03-01T09:00:00.000Z" }));
    await repo.create("transfers", "T-2", transfer("T-2", { dueAt: "2025-03-05T09:00:00.000Z" }));
    await repo.create("transfers", "T-3", transfer("T-3", { dueAt: "2025-03-02T09:00:00.000Z", status: "accepted" }));

    const due = await all(repo.query(odata`status eq ${"requested"} and dueAt le ${"2025-03-03T00:00:00.000Z"}`));
    expect(due.map((r) => r.rk)).toEqual(["T-1"]);

    const raw = await client.getEntity(encodeKey("transfers"), encodeKey("T-3"));
    expect(raw).toMatchObject({ status: "accepted", dueAt: "2025-03-02T09:00:00.000Z" });
    expect(raw.notes).toBeUndefined();
  });

  it("stores numeric index columns as Edm.Double so large integers (epoch ms) filter numerically", async () => {
    const Timer = z.object({ fireAt: z.number(), label: z.string() });
    const timers = new Repository(client, Timer, { indexColumns: ["fireAt"] });
    await timers.create("timers", "a", { fireAt: 1_740_000_000_000, label: "a" });
    await timers.create("timers", "b", { fireAt: 1_760_000_000_000, label: "b" });
    const due = await all(timers.query(odata`fireAt le ${1_750_000_000_000}`));
    expect(due.map((r) => r.value.label)).toEqual(["a"]);
  });

  it("chunks large values and refuses values over the entity limit", async () => {
    const notes = "n".repeat(200_000);
    await repo.create("transfers", "big", transfer("big", { notes }));
    expect((await repo.get("transfers", "big"))?.value.notes).toHaveLength(200_000);
    await expect(repo.create("transfers", "huge", transfer("huge", { notes: "n".repeat(600_000) }))).rejects.toThrow(
      EntityTooLargeError,
    );
  });

  it("validates keys and index column names", async () => {
    await expect(repo.get("", "x")).rejects.toThrow(/pk must be a non-empty string/);
    await expect(repo.get("p", "r".repeat(600))).rejects.toThrow(/rk is too long/);
    const Any = z.object({ json0: z.string() });
    expect(() => new Repository(client, Any, { indexColumns: ["json0"] })).toThrow(/cannot be used as an index column/);
  });
});
