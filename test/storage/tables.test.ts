import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { randomUUID } from "node:crypto";
import { startAzurite, type RunningAzurite } from "../../bot/storage/azurite";
import {
  decodeKey,
  encodeKey,
  ensureTable,
  errorCode,
  isConflict,
  isEntityNotFound,
  isNotFound,
  isPreconditionFailed,
  pingStorage,
  tableClient,
} from "../../bot/storage/tables";

let azurite: RunningAzurite;
const filesBefore = readdirSync(process.cwd());

beforeAll(async () => {
  azurite = await startAzurite({ port: 0 });
});
afterAll(async () => {
  await azurite.stop();
});

const newTableName = () => `t${randomUUID().replace(/-/g, "")}`;

/** A port that nothing listens on: bind to 0, read the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("startAzurite", () => {
  it("listens on loopback with a usable connection string", () => {
    expect(azurite.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    expect(azurite.connectionString).toContain(`TableEndpoint=${azurite.url};`);
  });

  it("writes no database or log files into the working directory", () => {
    const created = readdirSync(process.cwd()).filter((f) => !filesBefore.includes(f));
    expect(created.filter((f) => /azurite|loki|debug\.log/i.test(f))).toEqual([]);
  });

  it("stops Azurite's applicationinsights dependency patching console, and exits cleanly after stop()", () => {
    // Jest's sandboxed console hides the patch, so check in a plain Node process.
    const script = `
      const before = console.log;
      require(${JSON.stringify(require.resolve("../../bot/storage/azurite"))}).startAzurite({ port: 0 }).then(async (a) => {
        const result = { patched: console.log !== before, optOutLeft: "APPLICATION_INSIGHTS_NO_DIAGNOSTIC_CHANNEL" in process.env };
        await a.stop();
        process.stdout.write(JSON.stringify(result));
      });`;
    const out = execFileSync(process.execPath, ["-r", require.resolve("tsx/cjs"), "-e", script], {
      encoding: "utf8",
      timeout: 20_000, // also fails the test if open handles keep the process alive after stop()
    });
    expect(JSON.parse(out)).toEqual({ patched: false, optOutLeft: false });
  });
});

describe("key encoding", () => {
  const awkward = [
    "msteams/conversations/a:1Xb9kTq0ZrYqH2c3v4B5n6M7-8_9.0wERtyUIopASDfGHjkLzxCVbnm/",
    "msteams/conversations/19:3f1c0e8a9b7d4c2e8f6a5b4c3d2e1f0a@thread.tacv2;messageid=1699999999999/",
    "msteams/conversations/a:1abc/users/29:1xYz-AbC_dEf/",
    "msteams/users/8:orgid:00000000-0000-0000-0000-000000000000/",
    "!@#$%^&*()~/\\><,.?';\"`~", // botbuilder's own "crazy key" test
    "tab\tnew\nline\u0000nul\u007fdel\u0085nel",
    "dollar $41 and percent %41",
    "unicode: café 日本 👩‍👧",
    "",
  ];

  it.each(awkward)("round-trips %j and produces only legal key characters", (raw) => {
    const encoded = encodeKey(raw);
    expect(encoded).not.toMatch(/[\u0000-\u001f\u007f-\u009f/\\#?']/);
    expect(decodeKey(encoded)).toBe(raw);
  });

  it("leaves Teams id characters and ISO timestamps readable", () => {
    expect(encodeKey("19:abc@thread.tacv2")).toBe("19:abc@thread.tacv2");
    expect(encodeKey("2025-03-01T09:30:00.000Z")).toBe("2025-03-01T09:30:00.000Z");
    expect(encodeKey("a/b")).toBe("a$2Fb");
  });

  it("rejects strings encodeKey could not have produced", () => {
    for (const bad of ["a/b", "$4", "$2f", "$41", "$C3", "a b"]) {
      expect(() => decodeKey(bad)).toThrow(/Not an encoded key/);
    }
  });

  it("rejects unpaired surrogates, which cannot be stored reversibly", () => {
    expect(() => encodeKey("x\ud800y")).toThrow(/surrogate/);
  });
});

describe("tableClient / ensureTable", () => {
  it("rejects invalid table names", () => {
    for (const bad of ["ab", "1abc", "has-dash", "x".repeat(64)]) {
      expect(() => tableClient(azurite.connectionString, bad)).toThrow(/Invalid table name/);
    }
  });

  it("is idempotent and safe when several callers race to create the table", async () => {
    const name = newTableName();
    const clients = Array.from({ length: 5 }, () => tableClient(azurite.connectionString, name));
    await Promise.all(clients.map((c) => ensureTable(c)));
    await ensureTable(clients[0]!);
    await clients[0]!.upsertEntity({ partitionKey: "p", rowKey: "r", v: 1 });
    expect((await clients[1]!.getEntity("p", "r")).v).toBe(1);
  });
});

describe("error predicates against real service errors", () => {
  it("classify 412, 409 and 404", async () => {
    const client = tableClient(azurite.connectionString, newTableName());
    await ensureTable(client);
    const { etag } = await client.createEntity({ partitionKey: "p", rowKey: "r", v: 1 });
    await client.updateEntity({ partitionKey: "p", rowKey: "r", v: 2 }, "Replace", { etag });

    const stale = await client
      .updateEntity({ partitionKey: "p", rowKey: "r", v: 3 }, "Replace", { etag })
      .catch((e: unknown) => e);
    expect(isPreconditionFailed(stale)).toBe(true);
    expect(errorCode(stale)).toBe("UpdateConditionNotSatisfied");
    expect((stale as { code?: unknown }).code).toBeUndefined();

    const exists = await client.createEntity({ partitionKey: "p", rowKey: "r" }).catch((e: unknown) => e);
    expect(isConflict(exists)).toBe(true);
    expect(isPreconditionFailed(exists)).toBe(false);

    const missing = await client.getEntity("p", "nope").catch((e: unknown) => e);
    expect(isNotFound(missing)).toBe(true);
    expect(isEntityNotFound(missing)).toBe(true);

    const noTable = await tableClient(azurite.connectionString, newTableName())
      .getEntity("p", "r")
      .catch((e: unknown) => e);
    expect(isNotFound(noTable)).toBe(true);
    expect(isEntityNotFound(noTable)).toBe(false);

    expect(isNotFound(new Error("plain"))).toBe(false);
    expect(isConflict(undefined)).toBe(false);
  });
});

describe("pingStorage", () => {
  it("is true against Azurite", async () => {
    await expect(pingStorage(azurite.connectionString)).resolves.toBe(true);
  });

  it("is false, quickly, against a closed port", async () => {
    const port = await closedPort();
    const started = Date.now();
    const cs = azurite.connectionString.replace(/:\d+\/devstoreaccount1/, `:${port}/devstoreaccount1`);
    await expect(pingStorage(cs, 1500)).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(1500 + 500);
  });

  it("is false for a wrong account key and for a malformed connection string", async () => {
    const wrongKey = azurite.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.from("nope").toString("base64")}`);
    await expect(pingStorage(wrongKey)).resolves.toBe(false);
    await expect(pingStorage("not a connection string")).resolves.toBe(false);
  });

  it("is false against a server that accepts connections but never answers", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const cs = azurite.connectionString.replace(/:\d+\/devstoreaccount1/, `:${port}/devstoreaccount1`);
    try {
      const started = Date.now();
      await expect(pingStorage(cs, 300)).resolves.toBe(false);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
