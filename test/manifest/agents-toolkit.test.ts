/**
 * Consistency checks of the Microsoft 365 Agents Toolkit project files
 * (m365agents.yml, m365agents.local.yml, env/.env.*) with each other, with
 * infra/main.bicep and with the manifest builder.
 *
 * The files were validated against the toolkit's own yml JSON schema (v1.11,
 * from @microsoft/m365agentstoolkit-cli) when written; that schema is not a
 * dependency here, so these tests read the yml as text (no YAML parser is a
 * declared dependency either) and check what the toolkit would trip over at run
 * time: the order of actions, and that every ${{PLACEHOLDER}} has a value by the
 * time its action runs (the toolkit stops on an empty one).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

// scripts/manifest.ts imports @microsoft/app-manifest, which requires the
// ES-module-only strip-bom (see manifest.test.ts).
jest.mock("strip-bom", () => ({ __esModule: true, default: (s: string): string => s }));
import { DEFAULT_OUT_DIR, ROOT } from "../../scripts/manifest";

interface Action {
  uses: string;
  text: string;
}

const read = (p: string): string => readFileSync(join(ROOT, p), "utf8");

/** The yml without full-line comments. */
function uncommented(yml: string): string {
  return yml
    .split("\n")
    .filter((l) => !/^\s*#/.test(l))
    .join("\n");
}

function section(yml: string, name: string): string {
  const body = uncommented(yml);
  const start = body.search(new RegExp(`^${name}:\\s*$`, "m"));
  if (start < 0) return "";
  const rest = body.slice(start + name.length + 1);
  const end = rest.search(/^\S/m);
  return end < 0 ? rest : rest.slice(0, end);
}

function actions(yml: string, name: string): Action[] {
  const text = section(yml, name);
  const parts = text.split(/^(?=\s*- uses:)/m).filter((p) => /- uses:/.test(p));
  return parts.map((p) => ({ uses: /- uses:\s*(\S+)/.exec(p)![1]!, text: p }));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1]!);
}

/** Names an action writes to the environment file (writeToEnvironmentFile values). */
function written(action: Action): string[] {
  const m = /writeToEnvironmentFile:\s*\n((?:\s{6,}\S[^\n]*\n?)+)/.exec(action.text);
  if (!m) return [];
  return [...m[1]!.matchAll(/^\s+\w+:\s*([A-Z][A-Z0-9_]*)\s*$/gm)].map((x) => x[1]!);
}

function envFile(p: string): Map<string, string> {
  return new Map([...read(p).matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()] as const));
}

const bicepOutputs = [...read("infra/main.bicep").matchAll(/^output\s+(\w+)/gm)].map((m) => m[1]!.toUpperCase());
/** Set by the toolkit itself or asked for interactively when empty. */
const TOOLKIT_BUILTINS = ["TEAMSFX_ENV", "APP_NAME_SUFFIX", "AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP_NAME"];

/**
 * Walks the lifecycles in order and returns the placeholders that would be
 * empty when their action runs.
 */
function unresolved(yml: string, env: Map<string, string>, suppliedByUser: string[]): string[] {
  const known = new Set<string>([
    ...TOOLKIT_BUILTINS,
    ...suppliedByUser,
    ...[...env].filter(([, v]) => v !== "").map(([k]) => k),
  ]);
  const missing: string[] = [];
  for (const lifecycle of ["provision", "deploy", "publish"]) {
    for (const action of actions(yml, lifecycle)) {
      for (const p of placeholders(action.text.replace(/writeToEnvironmentFile:[\s\S]*$/, ""))) {
        if (!known.has(p)) missing.push(`${lifecycle} ${action.uses}: ${p}`);
      }
      for (const w of written(action)) known.add(w);
      if (action.uses === "arm/deploy") for (const o of bicepOutputs) known.add(o);
    }
  }
  return missing;
}

const PACKAGE_MANIFEST = "./" + relative(ROOT, join(DEFAULT_OUT_DIR, "package", "manifest.json")).split("\\").join("/");

describe("m365agents.yml (Azure)", () => {
  const yml = read("m365agents.yml");

  it("uses yml schema v1.11 and the env/ folder", () => {
    expect(yml).toMatch(/^version: v1\.11$/m);
    expect(yml).toMatch(/^environmentFolderPath: \.\/env$/m);
  });

  it("provisions in order: Teams app, Azure resources, package build, validate, zip, update", () => {
    const uses = actions(yml, "provision").map((a) => a.uses);
    const order = [
      "teamsApp/create",
      "arm/deploy",
      "cli/runNpmCommand",
      "teamsApp/validateManifest",
      "teamsApp/zipAppPackage",
      "teamsApp/update",
    ];
    const positions = order.map((u) => uses.indexOf(u));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("deploys by installing, compiling and zip-deploying to the web app", () => {
    const deploy = actions(yml, "deploy");
    expect(deploy.map((a) => a.uses)).toEqual(["cli/runNpmCommand", "cli/runNpmCommand", "azureAppService/zipDeploy"]);
    expect(deploy[0]!.text).toMatch(/args:\s*ci\b/);
    expect(deploy[1]!.text).toMatch(/args:\s*run build/);
    expect(deploy[2]!.text).toMatch(/resourceId:\s*\$\{\{AZURE_APP_SERVICE_RESOURCE_ID\}\}/);
    expect(bicepOutputs).toContain("AZURE_APP_SERVICE_RESOURCE_ID");
    const ignore = /ignoreFile:\s*(\S+)/.exec(deploy[2]!.text)![1]!;
    expect(existsSync(join(ROOT, ignore))).toBe(true);
  });

  it("builds the package with npm run manifest, passing the bot id and domain from the Bicep outputs", () => {
    const build = actions(yml, "provision").find((a) => a.uses === "cli/runNpmCommand")!;
    expect(build.text).toMatch(/args:\s*run -s manifest/);
    expect(build.text).toMatch(/MicrosoftAppId:\s*\$\{\{BOT_ID\}\}/);
    expect(build.text).toMatch(/BOT_DOMAIN:\s*\$\{\{BOT_DOMAIN\}\}/);
    expect(build.text).toMatch(/TEAMS_APP_ID:\s*\$\{\{TEAMS_APP_ID\}\}/);
    expect(bicepOutputs).toEqual(expect.arrayContaining(["BOT_ID", "BOT_DOMAIN", "BOT_ENDPOINT", "STORAGE_TABLE_ENDPOINT"]));
  });

  it("validates and zips the manifest that the builder writes", () => {
    for (const uses of ["teamsApp/validateManifest", "teamsApp/zipAppPackage"]) {
      const a = actions(yml, "provision").find((x) => x.uses === uses)!;
      expect(/manifestPath:\s*(\S+)/.exec(a.text)![1]).toBe(PACKAGE_MANIFEST);
    }
  });

  it("has a value for every placeholder when its action runs", () => {
    expect(unresolved(yml, envFile("env/.env.dev"), [])).toEqual([]);
  });
});

describe("m365agents.local.yml (dev tunnel)", () => {
  const yml = read("m365agents.local.yml");

  it("uses yml schema v1.11 and the env/ folder", () => {
    expect(yml).toMatch(/^version: v1\.11$/m);
    expect(yml).toMatch(/^environmentFolderPath: \.\/env$/m);
  });

  it("creates the bot's Entra app and registers the bot at the tunnel's /api/messages", () => {
    const provision = actions(yml, "provision");
    const uses = provision.map((a) => a.uses);
    expect(uses.indexOf("botAadApp/create")).toBeGreaterThanOrEqual(0);
    expect(uses.indexOf("botFramework/create")).toBeGreaterThan(uses.indexOf("botAadApp/create"));
    const aad = provision.find((a) => a.uses === "botAadApp/create")!;
    expect(written(aad)).toEqual(["BOT_ID", "SECRET_BOT_PASSWORD"]);
    const reg = provision.find((a) => a.uses === "botFramework/create")!;
    expect(reg.text).toMatch(/botId:\s*\$\{\{BOT_ID\}\}/);
    expect(reg.text).toMatch(/messagingEndpoint:\s*\$\{\{BOT_ENDPOINT\}\}\/api\/messages/);
    expect(reg.text).toMatch(/-\s*name:\s*msteams/);
    for (const u of ["teamsApp/create", "cli/runNpmCommand", "teamsApp/validateManifest", "teamsApp/zipAppPackage", "teamsApp/update"]) {
      expect(uses).toContain(u);
    }
  });

  it("writes the bot's settings into .localConfigs", () => {
    const file = actions(yml, "deploy").find((a) => a.uses === "file/createOrUpdateEnvironmentFile")!;
    expect(file.text).toMatch(/target:\s*\.\/\.localConfigs/);
    expect(file.text).toMatch(/MicrosoftAppId:\s*\$\{\{BOT_ID\}\}/);
    expect(file.text).toMatch(/MicrosoftAppPassword:\s*\$\{\{SECRET_BOT_PASSWORD\}\}/);
    expect(file.text).toMatch(/MicrosoftAppType:\s*MultiTenant/);
    expect(file.text).toMatch(/PORT:\s*3978/);
    expect(file.text).toMatch(/PLAYGROUND:\s*0/);
  });

  it("has a value for every placeholder when its action runs (the tunnel address is typed in first)", () => {
    expect(unresolved(yml, envFile("env/.env.local"), ["BOT_ENDPOINT", "BOT_DOMAIN"])).toEqual([]);
  });
});

describe("env templates and deploy ignore file", () => {
  it.each(["env/.env.dev", "env/.env.local"])("%s holds no secret", (p) => {
    const env = envFile(p);
    for (const [k, v] of env) {
      if (/^SECRET_|PASSWORD|KEY/i.test(k)) expect(v).toBe("");
    }
    expect(env.get("TEAMSFX_ENV")).toBe(p.split(".").pop());
  });

  it("keeps the toolkit's secret files out of git", () => {
    expect(read("env/.gitignore")).toMatch(/^\.env\.\*\.user$/m);
  });

  it("uploads dist/ but not node_modules, env files or local settings", () => {
    const ignore = read("infra/.webappignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const p of ["node_modules/", "env/", ".localConfigs*", "test/", ".git/"]) expect(ignore).toContain(p);
    expect(ignore.some((l) => /^\/?dist\b/.test(l))).toBe(false);
  });
});
