/**
 * Builds the Teams app package (manifest.json + color.png + outline.png) for
 * Stepwise from manifest/manifest.template.json and configuration read from the
 * environment.
 *
 *   npm run manifest                      -> manifest/build/stepwise-dev.zip
 *   STEPWISE_COUNCIL=enfield MicrosoftAppId=<guid> BOT_DOMAIN=stepwise.example.org \
 *     TEAMS_APP_ID=<guid> npm run manifest -> manifest/build/stepwise-enfield.zip
 *
 * The zip path is the only thing printed on stdout; warnings go to stderr.
 * The same files are also left unzipped in manifest/build/package/, which the
 * Microsoft 365 Agents Toolkit (m365agents.yml) validates and uploads.
 *
 * The template uses the Agents Toolkit placeholder syntax `${{NAME}}`; every
 * placeholder is filled from the validated configuration below (never straight
 * from the environment), and the result is checked against the Teams manifest
 * JSON schema bundled in @microsoft/app-manifest before anything is written.
 * Nothing is fetched from the network.
 */
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import JSZip from "jszip";
import { z } from "zod";
import { AppManifestUtils, type TeamsManifestLatest } from "@microsoft/app-manifest";

export const ROOT = resolve(__dirname, "..");
export const MANIFEST_DIR = join(ROOT, "manifest");
export const TEMPLATE_PATH = join(MANIFEST_DIR, "manifest.template.json");
export const DEFAULT_OUT_DIR = join(MANIFEST_DIR, "build");
export const ICON_FILES = ["color.png", "outline.png"] as const;
export const MANIFEST_VERSION = "1.30";

/** Fixed development ids, so that a package built with no configuration is stable. */
export const DEV_TEAMS_APP_ID = "8d1f3c2a-5b7e-4f09-a6c4-3e2d1b0a9f87";
export const DEV_BOT_APP_ID = "0d5e1f7a-9c3b-4e2d-8f6a-1b2c3d4e5f60";
export const DEV_BOT_DOMAIN = "localhost";

export const DEFAULT_APP_NAME_SHORT = "Stepwise";
export const DEFAULT_APP_NAME_FULL = "Stepwise: step up, step down and case transfer assistant";
export const DEFAULT_DEVELOPER_NAME = "Stepwise";
export const DEFAULT_DEVELOPER_WEBSITE_URL = "https://stepwise.example.org";
export const DEFAULT_DEVELOPER_PRIVACY_URL = "https://stepwise.example.org/privacy";
export const DEFAULT_DEVELOPER_TERMS_URL = "https://stepwise.example.org/terms";

const GUID_RE = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
/** Same pattern as the manifest schema's `semver` definition. */
const SEMVER_RE = /^([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)$/;
/** A host name (optionally with a port), no scheme, no path, no wildcard. */
const HOST_RE = /^(?=.{1,253}(:|$))([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*(:[0-9]{1,5})?$/;
const COUNCIL_RE = /^[a-z][a-z0-9-]{1,39}$/;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" && SEMVER_RE.test(pkg.version) ? pkg.version : "1.0.0";
}

/** Unset and empty (as Agents Toolkit .env files write them) both mean "use the default". */
const blankToUndefined = (v: unknown): unknown => {
  if (typeof v !== "string") return v;
  const t = v.trim();
  return t === "" ? undefined : t;
};

const guid = (what: string) =>
  z.string().regex(GUID_RE, { error: `must be a GUID such as 00000000-0000-0000-0000-000000000000 (${what})` });

const httpsUrl = z
  .string()
  .max(2048, { error: "must be at most 2048 characters" })
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === "https:" && u.hostname.length > 0;
      } catch {
        return false;
      }
    },
    { error: "must be an absolute https:// URL" },
  );

function opt<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema.optional());
}

/** The environment variables the builder reads, each validated on its own. */
export const ManifestEnvSchema = z.object({
  TEAMS_APP_ID: opt(guid("the Teams app id; keep it the same for every update of one council's app")),
  MicrosoftAppId: opt(guid("the bot's Microsoft Entra app id or managed identity client id")),
  BOT_DOMAIN: opt(
    z.string().regex(HOST_RE, {
      error: "must be a bare host name such as stepwise.example.org or abc123-3978.uks1.devtunnels.ms (no https://, no path)",
    }),
  ),
  APP_NAME_SHORT: opt(z.string().max(30, { error: "must be at most 30 characters (Teams limit for name.short)" })),
  APP_NAME_FULL: opt(z.string().max(100, { error: "must be at most 100 characters (Teams limit for name.full)" })),
  APP_VERSION: opt(z.string().regex(SEMVER_RE, { error: "must be a version like 1.2.3" })),
  STEPWISE_COUNCIL: opt(
    z.string().regex(COUNCIL_RE, {
      error: "must be a council id: lower-case letters, digits and hyphens, starting with a letter (e.g. enfield)",
    }),
  ),
  DEVELOPER_NAME: opt(z.string().max(32, { error: "must be at most 32 characters (Teams limit for developer.name)" })),
  DEVELOPER_WEBSITE_URL: opt(httpsUrl),
  DEVELOPER_PRIVACY_URL: opt(httpsUrl),
  DEVELOPER_TERMS_URL: opt(httpsUrl),
});

export type ManifestEnv = z.infer<typeof ManifestEnvSchema>;
export const MANIFEST_ENV_VARS = Object.keys(ManifestEnvSchema.shape) as Array<keyof ManifestEnv>;

/** Fully resolved configuration: every value present, defaults applied. */
export interface ManifestConfig {
  teamsAppId: string;
  botAppId: string;
  botDomain: string;
  appNameShort: string;
  appNameFull: string;
  appVersion: string;
  council: string | undefined;
  developerName: string;
  developerWebsiteUrl: string;
  developerPrivacyUrl: string;
  developerTermsUrl: string;
  /** True when MicrosoftAppId was not given: the package only suits local tools such as the Playground. */
  localOnly: boolean;
  /** Human-readable notes about defaults that should not reach production. */
  warnings: string[];
}

export class ManifestConfigError extends Error {
  constructor(
    readonly problems: ReadonlyArray<{ variable: string; message: string; value?: string }>,
  ) {
    super(
      "Invalid Teams app manifest configuration:\n" +
        problems
          .map((p) => `  - ${p.variable}: ${p.message}${p.value === undefined ? "" : ` (got ${JSON.stringify(p.value)})`}`)
          .join("\n"),
    );
    this.name = "ManifestConfigError";
  }
}

/**
 * Reads and validates the configuration. Throws ManifestConfigError naming
 * every bad or missing variable at once.
 */
export function loadManifestConfig(env: NodeJS.ProcessEnv = process.env): ManifestConfig {
  const raw: Record<string, string | undefined> = {};
  for (const name of MANIFEST_ENV_VARS) raw[name] = env[name];

  const parsed = ManifestEnvSchema.safeParse(raw);
  const problems: Array<{ variable: string; message: string; value?: string }> = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? "(configuration)");
      const value = raw[variable]?.trim();
      problems.push(value === undefined ? { variable, message: issue.message } : { variable, message: issue.message, value });
    }
  }
  const cfg = parsed.success ? parsed.data : undefined;

  // A real bot id means a package for a real tenant: its domain must be real too.
  const botIdGiven = blankToUndefined(raw.MicrosoftAppId) !== undefined;
  if (botIdGiven && blankToUndefined(raw.BOT_DOMAIN) === undefined) {
    problems.push({
      variable: "BOT_DOMAIN",
      message: "is required when MicrosoftAppId is set (the host name that serves /api/messages, e.g. stepwise.example.org)",
    });
  }
  if (problems.length > 0 || !cfg) throw new ManifestConfigError(problems);

  const warnings: string[] = [];
  const localOnly = cfg.MicrosoftAppId === undefined;
  if (localOnly) {
    warnings.push(
      `MicrosoftAppId is not set: using the development bot id ${DEV_BOT_APP_ID}. ` +
        "This package is for local use only (e.g. the Agents Playground); it will not work in a real Teams tenant.",
    );
  } else {
    if (cfg.TEAMS_APP_ID === undefined) {
      warnings.push(
        `TEAMS_APP_ID is not set: using the development app id ${DEV_TEAMS_APP_ID}. ` +
          "Give each council's app its own GUID and keep it for every update.",
      );
    }
    const defaults = (["DEVELOPER_WEBSITE_URL", "DEVELOPER_PRIVACY_URL", "DEVELOPER_TERMS_URL"] as const).filter(
      (k) => cfg[k] === undefined,
    );
    if (defaults.length > 0) {
      warnings.push(`${defaults.join(", ")} not set: the package points at placeholder pages on stepwise.example.org.`);
    }
  }

  return {
    teamsAppId: cfg.TEAMS_APP_ID ?? DEV_TEAMS_APP_ID,
    botAppId: cfg.MicrosoftAppId ?? DEV_BOT_APP_ID,
    botDomain: cfg.BOT_DOMAIN ?? DEV_BOT_DOMAIN,
    appNameShort: cfg.APP_NAME_SHORT ?? DEFAULT_APP_NAME_SHORT,
    appNameFull: cfg.APP_NAME_FULL ?? DEFAULT_APP_NAME_FULL,
    appVersion: cfg.APP_VERSION ?? packageVersion(),
    council: cfg.STEPWISE_COUNCIL,
    developerName: cfg.DEVELOPER_NAME ?? DEFAULT_DEVELOPER_NAME,
    developerWebsiteUrl: cfg.DEVELOPER_WEBSITE_URL ?? DEFAULT_DEVELOPER_WEBSITE_URL,
    developerPrivacyUrl: cfg.DEVELOPER_PRIVACY_URL ?? DEFAULT_DEVELOPER_PRIVACY_URL,
    developerTermsUrl: cfg.DEVELOPER_TERMS_URL ?? DEFAULT_DEVELOPER_TERMS_URL,
    localOnly,
    warnings,
  };
}

/** "enfield" or "dev": names the zip. */
export function packageSlug(config: ManifestConfig): string {
  return config.council ?? "dev";
}

/** The values for each `${{NAME}}` placeholder in the template. */
export function placeholderValues(config: ManifestConfig): Record<string, string> {
  return {
    TEAMS_APP_ID: config.teamsAppId,
    MicrosoftAppId: config.botAppId,
    BOT_DOMAIN: config.botDomain,
    APP_NAME_SHORT: config.appNameShort,
    APP_NAME_FULL: config.appNameFull,
    APP_VERSION: config.appVersion,
    DEVELOPER_NAME: config.developerName,
    DEVELOPER_WEBSITE_URL: config.developerWebsiteUrl,
    DEVELOPER_PRIVACY_URL: config.developerPrivacyUrl,
    DEVELOPER_TERMS_URL: config.developerTermsUrl,
    COUNCIL_SENTENCE: config.council
      ? `This package is set up for the ${config.council} council protocol by default.`
      : "This package does not set a default council; each user or team chooses one with the \"council\" command.",
  };
}

const PLACEHOLDER_RE = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function fillStrings(node: unknown, values: Record<string, string>, unknown: Set<string>): unknown {
  if (typeof node === "string") {
    return node.replace(PLACEHOLDER_RE, (whole, name: string) => {
      const v = values[name];
      if (v === undefined) {
        unknown.add(name);
        return whole;
      }
      return v;
    });
  }
  if (Array.isArray(node)) return node.map((n) => fillStrings(n, values, unknown));
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fillStrings(v, values, unknown)]));
  }
  return node;
}

/**
 * Fills the template. Substitution happens inside parsed JSON strings, so a
 * value containing quotes or backslashes cannot break the document.
 */
export function renderManifest(config: ManifestConfig, templateText = readFileSync(TEMPLATE_PATH, "utf8")): TeamsManifestLatest {
  const template: unknown = JSON.parse(templateText);
  const unknownNames = new Set<string>();
  const filled = fillStrings(template, placeholderValues(config), unknownNames);
  if (unknownNames.size > 0) {
    throw new Error(`manifest template uses unknown placeholder(s): ${[...unknownNames].join(", ")}`);
  }
  return filled as TeamsManifestLatest;
}

/** The JSON schema for the manifest version in use, from the copy bundled in @microsoft/app-manifest. */
export function localManifestSchema(): object {
  const pkgDir = dirname(require.resolve("@microsoft/app-manifest/package.json"));
  const file = join(pkgDir, "build", "json-schemas", "teams", `v${MANIFEST_VERSION}`, "MicrosoftTeams.schema.json");
  return JSON.parse(readFileSync(file, "utf8")) as object;
}

/** Schema errors for a manifest (empty when valid). Offline: the schema is passed in explicitly. */
export async function schemaErrors(manifest: TeamsManifestLatest): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(
    manifest,
    localManifestSchema() as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1],
  );
}

export interface BuildOptions {
  /** Where the zip and the unzipped package/ folder go. Default manifest/build. */
  outDir?: string;
  /** Where the template and icons are read from. Default manifest/. */
  manifestDir?: string;
}

export interface BuildResult {
  zipPath: string;
  /** Folder holding the same manifest.json and icons, unzipped. */
  packageDir: string;
  manifest: TeamsManifestLatest;
}

/** Renders, validates and writes the app package. */
export async function buildAppPackage(config: ManifestConfig, options: BuildOptions = {}): Promise<BuildResult> {
  const manifestDir = options.manifestDir ?? MANIFEST_DIR;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const manifest = renderManifest(config, readFileSync(join(manifestDir, "manifest.template.json"), "utf8"));

  const errors = await schemaErrors(manifest);
  if (errors.length > 0) {
    throw new Error(`manifest.json does not match the Teams manifest v${MANIFEST_VERSION} schema:\n  - ${errors.join("\n  - ")}`);
  }

  const manifestJson = JSON.stringify(manifest, null, 2) + "\n";
  const icons = ICON_FILES.map((name) => ({ name, data: readFileSync(join(manifestDir, name)) }));

  const packageDir = join(outDir, "package");
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(packageDir, "manifest.json"), manifestJson);
  for (const icon of ICON_FILES) copyFileSync(join(manifestDir, icon), join(packageDir, icon));

  // Fixed timestamps keep the zip byte-for-byte reproducible.
  const date = new Date(2000, 0, 1);
  const zip = new JSZip();
  zip.file("manifest.json", manifestJson, { date });
  for (const icon of icons) zip.file(icon.name, icon.data, { date });
  const bytes = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", platform: "UNIX" });
  const zipPath = join(outDir, `stepwise-${packageSlug(config)}.zip`);
  writeFileSync(zipPath, bytes);

  return { zipPath, packageDir, manifest };
}

async function main(): Promise<void> {
  let config: ManifestConfig;
  try {
    config = loadManifestConfig(process.env);
  } catch (e) {
    if (e instanceof ManifestConfigError) {
      console.error(e.message);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  for (const w of config.warnings) console.error(`warning: ${w}`);
  const { zipPath } = await buildAppPackage(config);
  console.log(zipPath);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
