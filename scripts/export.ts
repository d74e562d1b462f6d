/**
 * npm run -s export -- --from <date> --to <date> [--authority <id>] [--out <file>]
 *
 * Writes the transfer requests' audit trail (every event: created, posted, viewed, decided,
 * reassigned, info asked and given…, with who, when and why) as CSV (RFC 4180) for the case record,
 * to stdout or to --out. Dates are London days (YYYY-MM-DD, --to inclusive) or ISO date-times.
 * Reads the Table Storage named by STORAGE_CONNECTION_STRING (the same store the bot uses; for a
 * local Azurite, the connection string `npm start` prints). Bad arguments exit 2 with the reason on
 * stderr and nothing on stdout.
 */
import { writeFileSync } from "node:fs";
import { exportCsv, parseWhen } from "../bot/approvals/export";
import { ApprovalStore } from "../bot/approvals/store";
import { AUTHORITY_IDS } from "../domain/packs";

const USAGE = "usage: export --from <YYYY-MM-DD or ISO date-time> --to <YYYY-MM-DD or ISO date-time> [--authority <id>] [--out <file>]";

function parseArgs(argv: string[]): { from: Date; to: Date; authority?: string; out?: string } | string {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--help") return USAGE;
    if (!["--from", "--to", "--authority", "--out"].includes(a)) return `${a}: not a known option (expected --from, --to, --authority, --out)`;
    const v = argv[++i];
    if (v === undefined || v.startsWith("--")) return `${a}: expected a value`;
    values.set(a, v);
  }
  const from = values.get("--from");
  const to = values.get("--to");
  if (!from || !to) return `--from and --to are required\n${USAGE}`;
  const fromDate = parseWhen(from, false);
  const toDate = parseWhen(to, true);
  if (!fromDate) return `--from: expected a date such as 2026-11-23 or an ISO date-time, got "${from}"`;
  if (!toDate) return `--to: expected a date such as 2026-11-30 or an ISO date-time, got "${to}"`;
  if (toDate < fromDate) return "--to: must not be before --from";
  const authority = values.get("--authority");
  if (authority !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(authority)) return `--authority: expected a council id such as ${AUTHORITY_IDS.join(", ")}`;
  const out = values.get("--out");
  return { from: fromDate, to: toDate, ...(authority ? { authority } : {}), ...(out ? { out } : {}) };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === "string") {
    if (args === USAGE) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    process.stderr.write(`${args}\n`);
    return 2;
  }
  // The same store the bot uses: a connection string, or the Table endpoint reached with the
  // managed identity (tableClient takes either).
  const connectionString = process.env.STORAGE_CONNECTION_STRING?.trim() || process.env.STORAGE_ACCOUNT_URL?.trim();
  if (!connectionString) {
    process.stderr.write("STORAGE_CONNECTION_STRING: expected the Azure Storage connection string of the bot's store (or STORAGE_ACCOUNT_URL with a managed identity)\n");
    return 2;
  }
  const csv = await exportCsv(new ApprovalStore(connectionString), args);
  if (args.out) writeFileSync(args.out, csv);
  else process.stdout.write(csv);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`export failed: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
