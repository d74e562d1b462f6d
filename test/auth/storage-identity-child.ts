/**
 * Run by storage-identity.test.ts in a process of its own (DefaultAzureCredential reads the
 * environment): the bot's storage through a Table endpoint URL and the managed identity, as in App
 * Service (AZURE_CLIENT_ID, IDENTITY_ENDPOINT, IDENTITY_HEADER). Prints one JSON line.
 */
import type { AddressInfo } from "node:net";
import { createServer } from "../../bot/server";
import { silentLogger } from "../../bot/log";
import { pingStorage, tableClient } from "../../bot/storage/tables";

const url = process.env.STEPWISE_TEST_TABLE_ENDPOINT ?? "";

async function main(): Promise<Record<string, unknown>> {
  const ping = await pingStorage(url, 10_000);
  const client = tableClient(url, "identitycheck");
  await client.createTable();
  await client.createEntity({ partitionKey: "p", rowKey: "r", value: "written with a token" });
  const read = await client.getEntity<{ value: string }>("p", "r");

  // createServer on the same endpoint: /health goes through the identity too.
  const server = createServer({ storageAccountUrl: url, port: 0, playground: false, logLevel: "error" }, { log: silentLogger });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const health = (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health`)).status;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { ping, value: read.value, health };
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: (err as Error).name, message: (err as Error).message })}\n`);
    process.exitCode = 1;
  },
);
