/**
 * The bot's configuration, read from the environment once at start and validated with zod. Every
 * missing or bad value is reported on its own line, naming the variable and what was expected.
 * Blank values (as the Agents Toolkit writes them) count as unset.
 *
 * Storage is either STORAGE_ACCOUNT_URL (Table endpoint + managed identity) or
 * STORAGE_CONNECTION_STRING, never both; with neither, `npm start` runs an in-process Azurite. With
 * NODE_ENV=production one of them and MicrosoftAppId are required (no Azurite, no anonymous mode).
 */
import { TableClient } from "@azure/data-tables";
import { z } from "zod";
import { WORKING_HOURS_RULES } from "../domain/escalation";
import { councilIds } from "./packs";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

/** An https Table endpoint URL: `https://<account>.table.<cloud suffix>`, optionally with a trailing slash. */
function isTableEndpoint(s: string): boolean {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return false;
  }
  return url.protocol === "https:" && /^[a-z0-9]{3,24}\.table\./i.test(url.hostname) && (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash && !url.username && !url.password;
}

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const envSchema = (councils: string[]) =>
  z
  .object({
    MicrosoftAppId: optional(z.string().regex(GUID, "expected the bot's Entra app (client) id, a GUID")),
    MicrosoftAppPassword: optional(z.string()),
    MicrosoftAppType: optional(z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"], { error: 'expected "SingleTenant", "MultiTenant" or "UserAssignedMSI"' })),
    MicrosoftAppTenantId: optional(z.string().regex(GUID, "expected the Entra tenant id, a GUID")),
    STORAGE_CONNECTION_STRING: optional(
      z.string().refine((s) => {
        try {
          TableClient.fromConnectionString(s, "probe", { allowInsecureConnection: true });
          return true;
        } catch {
          return false;
        }
      }, 'expected an Azure Storage connection string ("DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;" or "UseDevelopmentStorage=true"); unset it to use the built-in Azurite'),
    ),
    STORAGE_ACCOUNT_URL: optional(
      z.string().refine(isTableEndpoint, 'expected the Table endpoint of a storage account, "https://<account>.table.core.windows.net" (https, no path or query); the bot reaches it with its managed identity (AZURE_CLIENT_ID)'),
    ),
    NODE_ENV: optional(z.string()),
    PORT: z.preprocess(blank, z.coerce.number({ error: "expected a port number" }).int("expected a whole port number").min(0, "expected a port 0-65535").max(65535, "expected a port 0-65535").default(3978)),
    PLAYGROUND: z.preprocess(blank, z.enum(["0", "1", "true", "false"], { error: 'expected "1" (start the Agents Playground) or "0" (do not)' }).default("1")),
    STEPWISE_COUNCIL: optional(z.string().refine((c) => councils.includes(c), { error: `expected one of ${councils.join(", ")}` })),
    LOG_LEVEL: z.preprocess((v) => (typeof blank(v) === "string" ? String(blank(v)).toLowerCase() : blank(v)), z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(", ")}` }).default("info")),
    // Who may register channels and change approvers: comma-separated Teams user ids or Entra object ids.
    STEPWISE_ADMINS: optional(
      z
        .string()
        .transform((v) => v.split(",").map((x) => x.trim()).filter(Boolean))
        .refine((ids) => ids.length > 0 && ids.every((id) => /^[\w:.@-]{3,200}$/.test(id)), {
          error: "expected a comma-separated list of Teams user ids (29:…) or Entra object ids (GUIDs)",
        }),
    ),
    // Issue 5: reminders and escalations that fall outside working hours (Europe/London, bank holidays).
    ESCALATION_WORKING_HOURS: z.preprocess(
      (v) => (typeof blank(v) === "string" ? String(blank(v)).toLowerCase() : blank(v)),
      z
        .enum(WORKING_HOURS_RULES, {
          error: 'expected "defer-unless-urgent" (the default: deferred to the next start of working hours unless the protocol\'s clock is urgent), "defer-all" or "when-due"',
        })
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_CONNECTION_STRING && env.STORAGE_ACCOUNT_URL) ctx.addIssue({ code: "custom", path: ["STORAGE_ACCOUNT_URL"], message: "set either STORAGE_ACCOUNT_URL (managed identity) or STORAGE_CONNECTION_STRING, not both" });
    if (env.NODE_ENV === "production") {
      // No Azurite and no anonymous mode in production (docs/deploy.md).
      if (!env.STORAGE_CONNECTION_STRING && !env.STORAGE_ACCOUNT_URL) ctx.addIssue({ code: "custom", path: ["STORAGE_ACCOUNT_URL"], message: "required in production (NODE_ENV=production): the Table endpoint, reached with the managed identity; or set STORAGE_CONNECTION_STRING instead" });
      if (!env.MicrosoftAppId) ctx.addIssue({ code: "custom", path: ["MicrosoftAppId"], message: "required in production (NODE_ENV=production): without it every request would be accepted unauthenticated" });
    }
    if (!env.MicrosoftAppId) return;
    if (!env.MicrosoftAppType) ctx.addIssue({ code: "custom", path: ["MicrosoftAppType"], message: 'required with MicrosoftAppId: "SingleTenant", "MultiTenant" or "UserAssignedMSI"' });
    if (env.MicrosoftAppType !== "UserAssignedMSI" && !env.MicrosoftAppPassword) ctx.addIssue({ code: "custom", path: ["MicrosoftAppPassword"], message: "required with MicrosoftAppId (the client secret of the bot's app registration)" });
    if (env.MicrosoftAppType === "UserAssignedMSI" && env.MicrosoftAppPassword) ctx.addIssue({ code: "custom", path: ["MicrosoftAppPassword"], message: "must not be set when MicrosoftAppType is UserAssignedMSI (the managed identity needs no secret; botbuilder refuses one)" });
    if ((env.MicrosoftAppType === "SingleTenant" || env.MicrosoftAppType === "UserAssignedMSI") && !env.MicrosoftAppTenantId) ctx.addIssue({ code: "custom", path: ["MicrosoftAppTenantId"], message: `required when MicrosoftAppType is ${env.MicrosoftAppType}` });
  });

export interface Config {
  /** The bot's identity; all unset means anonymous (local runs and tests only). */
  microsoftAppId?: string;
  microsoftAppPassword?: string;
  microsoftAppType?: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
  microsoftAppTenantId?: string;
  /** Unset (and no storageAccountUrl): `npm start` starts an in-process Azurite and fills this in. */
  storageConnectionString?: string;
  /**
   * The Table endpoint (`https://<account>.table.core.windows.net`), reached with DefaultAzureCredential
   * (in Azure: the user-assigned managed identity named by AZURE_CLIENT_ID). Never set together with
   * storageConnectionString.
   */
  storageAccountUrl?: string;
  port: number;
  playground: boolean;
  /** The council for users and teams that have not chosen one. */
  council?: string;
  logLevel: LogLevel;
  /** Outside working hours, reminders and escalations are deferred to the next 09:00 unless urgent (unset: "defer-unless-urgent"), always ("defer-all"), or never ("when-due"). */
  escalationWorkingHours?: (typeof WORKING_HOURS_RULES)[number];
  /** Who may register channels and change approvers (unset: anyone in the team, and it is recorded). */
  admins?: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validate the environment; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = envSchema(councilIds()).safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`));
  const e = result.data;
  return {
    ...(e.MicrosoftAppId ? { microsoftAppId: e.MicrosoftAppId } : {}),
    ...(e.MicrosoftAppPassword ? { microsoftAppPassword: e.MicrosoftAppPassword } : {}),
    ...(e.MicrosoftAppType ? { microsoftAppType: e.MicrosoftAppType } : {}),
    ...(e.MicrosoftAppTenantId ? { microsoftAppTenantId: e.MicrosoftAppTenantId } : {}),
    ...(e.STORAGE_CONNECTION_STRING ? { storageConnectionString: e.STORAGE_CONNECTION_STRING } : {}),
    ...(e.STORAGE_ACCOUNT_URL ? { storageAccountUrl: e.STORAGE_ACCOUNT_URL.replace(/\/+$/, "") } : {}),
    port: e.PORT,
    playground: e.PLAYGROUND === "1" || e.PLAYGROUND === "true",
    ...(e.STEPWISE_COUNCIL ? { council: e.STEPWISE_COUNCIL } : {}),
    logLevel: e.LOG_LEVEL,
    ...(e.ESCALATION_WORKING_HOURS ? { escalationWorkingHours: e.ESCALATION_WORKING_HOURS } : {}),
    ...(e.STEPWISE_ADMINS ? { admins: e.STEPWISE_ADMINS } : {}),
  };
}
