/**
 * Structural checks of infra/main.bicep and infra/main.parameters.json.
 *
 * No Bicep compiler can be installed on this machine (it is not packaged for
 * npm or Debian; `az bicep install` downloads it from GitHub), so the template
 * is read as text: comments and strings are tokenised properly, each
 * `resource` block is cut out by brace matching, and the required resources,
 * settings and wiring are asserted on those blocks. docs/deploy.md says how to
 * compile it for real (`az bicep build --file infra/main.bicep`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const BICEP_PATH = join(ROOT, "infra", "main.bicep");
const PARAMS_PATH = join(ROOT, "infra", "main.parameters.json");

/** The source with comments blanked out (strings kept), same length and line breaks. */
function stripComments(src: string): string {
  let out = "";
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === "'") {
      // Bicep strings: single quotes, backslash escapes, ${...} interpolation (no nested quotes needed here).
      let j = i + 1;
      while (j < src.length && src[j] !== "'") j += src[j] === "\\" ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && next === "/") {
      while (i < src.length && src[i] !== "\n") {
        out += " ";
        i++;
      }
    } else if (c === "/" && next === "*") {
      while (i < src.length && !(src[i] === "*" && src[i + 1] === "/")) {
        out += src[i] === "\n" ? "\n" : " ";
        i++;
      }
      out += "  ";
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the bracket that closes the one at `open`, skipping strings. */
function matchClose(src: string, open: number): number {
  const pairs: Record<string, string> = { "{": "}", "[": "]", "(": ")" };
  const stack: string[] = [];
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== "'") j += src[j] === "\\" ? 2 : 1;
      i = j;
    } else if (pairs[c]) {
      stack.push(pairs[c]!);
    } else if (c === "}" || c === "]" || c === ")") {
      if (stack.pop() !== c) throw new Error(`unbalanced '${c}' at offset ${i}`);
      if (stack.length === 0) return i + 1;
    }
  }
  throw new Error(`no closing bracket for offset ${open}`);
}

interface Resource {
  symbol: string;
  type: string;
  apiVersion: string;
  body: string;
}

const source = readFileSync(BICEP_PATH, "utf8");
const code = stripComments(source);

const resources: Resource[] = [...code.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*=\s*\{/gm)].map((m) => {
  const open = m.index! + m[0].length - 1;
  return { symbol: m[1]!, type: m[2]!, apiVersion: m[3]!, body: code.slice(open, matchClose(code, open)) };
});

function one(type: string): Resource {
  const found = resources.filter((r) => r.type === type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0]!;
}

function declaration(kind: "param" | "var" | "output", name: string): string {
  const m = new RegExp(`^${kind}\\s+${name}\\b[^\\n]*`, "m").exec(code);
  if (!m) throw new Error(`${kind} ${name} not declared`);
  // For vars whose value spans lines (arrays), return the whole value.
  const eq = code.indexOf("=", m.index);
  const firstBracket = code.slice(eq).search(/[[{]/);
  const lineEnd = code.indexOf("\n", m.index);
  if (kind === "var" && firstBracket >= 0 && eq + firstBracket < lineEnd) {
    // Take everything up to the next top-level declaration.
    const rest = code.slice(m.index + 1);
    const nextDecl = rest.search(/^(param|var|resource|output|module)\s/m);
    return code.slice(m.index, nextDecl < 0 ? undefined : m.index + 1 + nextDecl);
  }
  return m[0];
}

/** The decorators (lines starting with @) right above a param. */
function decoratorsOf(param: string): string {
  const idx = code.search(new RegExp(`^param\\s+${param}\\b`, "m"));
  if (idx < 0) throw new Error(`param ${param} not declared`);
  const before = code.slice(0, idx).trimEnd().split("\n");
  const lines: string[] = [];
  for (let i = before.length - 1; i >= 0; i--) {
    const line = before[i]!.trim();
    if (line === "" || line.startsWith("@") || /^'[^']*'$/.test(line) || line === "])" || line === ")") lines.unshift(line);
    else break;
  }
  return lines.join("\n");
}

describe("infra/main.bicep (structural: no Bicep compiler here)", () => {
  it("has balanced brackets outside strings and comments", () => {
    let stray = 0;
    let i = 0;
    while (i < code.length) {
      const c = code[i]!;
      if (c === "'") {
        let j = i + 1;
        while (j < code.length && code[j] !== "'") j += code[j] === "\\" ? 2 : 1;
        expect(j).toBeLessThan(code.length); // every string is closed
        i = j + 1;
      } else if ("{[(".includes(c)) {
        i = matchClose(code, i); // throws on a mismatched closer
      } else {
        if ("}])".includes(c)) stray++;
        i++;
      }
    }
    expect(stray).toBe(0);
  });

  it("only references symbols it declares", () => {
    const declared = new Set(
      [...code.matchAll(/^(?:param|var|resource|output)\s+(\w+)/gm)].map((m) => m[1]!),
    );
    const builtins = new Set(["resourceGroup", "subscription", "tenant", "environment", "deployment"]);
    const used = [...code.matchAll(/\b([a-zA-Z_]\w*)\.(properties|id|name|listKeys)\b/g)].map((m) => m[1]!);
    const unknown = used.filter((s) => !declared.has(s) && !builtins.has(s));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it("declares the Azure Bot with the Teams channel and the /api/messages endpoint on the web app", () => {
    const bot = one("Microsoft.BotService/botServices");
    expect(bot.body).toMatch(/kind:\s*'azurebot'/);
    expect(bot.body).toMatch(/location:\s*'global'/);
    expect(bot.body).toMatch(/endpoint:\s*'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/);
    expect(bot.body).toMatch(/msaAppType:\s*microsoftAppType/);
    expect(bot.body).toMatch(/msaAppMSIResourceId:\s*usesManagedIdentityForBot \? identity\.id/);
    expect(bot.body).toMatch(/msaAppId:\s*usesManagedIdentityForBot \? identity\.properties\.clientId : botAppId/);

    const channel = one("Microsoft.BotService/botServices/channels");
    expect(channel.body).toMatch(new RegExp(`parent:\\s*${bot.symbol}\\b`));
    expect(channel.body).toMatch(/name:\s*'MsTeamsChannel'/);
    expect(channel.body).toMatch(/channelName:\s*'MsTeamsChannel'/);
    expect(channel.body).toMatch(/isEnabled:\s*true/);
  });

  it("runs a Linux App Service plan and a Node 20 web app, HTTPS only, TLS 1.2, health check /health", () => {
    const plan = one("Microsoft.Web/serverfarms");
    expect(plan.body).toMatch(/kind:\s*'linux'/);
    expect(plan.body).toMatch(/reserved:\s*true/);

    const app = one("Microsoft.Web/sites");
    expect(app.body).toMatch(new RegExp(`serverFarmId:\\s*${plan.symbol}\\.id`));
    expect(app.body).toMatch(/httpsOnly:\s*true/);
    expect(app.body).toMatch(/linuxFxVersion:\s*'NODE\|20-lts'/);
    expect(app.body).toMatch(/minTlsVersion:\s*'1\.2'/);
    expect(app.body).toMatch(/ftpsState:\s*'Disabled'/);
    expect(app.body).toMatch(/healthCheckPath:\s*'\/health'/);
    expect(app.body).toMatch(/appCommandLine:\s*startupCommand/);
  });

  it("starts the bot only: no npm start, Playground or Azurite in production", () => {
    const startup = declaration("param", "startupCommand");
    const value = /=\s*'([^']*)'/.exec(startup)?.[1] ?? "";
    expect(value).toMatch(/^(node dist\/|npx tsx bot\/)/);
    expect(value).not.toMatch(/npm start|playground|azurite/i);
  });

  it("gives the web app a user-assigned managed identity with Storage Table Data Contributor on the account", () => {
    const identity = one("Microsoft.ManagedIdentity/userAssignedIdentities");
    const app = one("Microsoft.Web/sites");
    expect(app.body).toMatch(/type:\s*'UserAssigned'/);
    expect(app.body).toMatch(new RegExp(`'\\$\\{${identity.symbol}\\.id\\}':\\s*\\{\\}`));

    const storage = one("Microsoft.Storage/storageAccounts");
    const role = one("Microsoft.Authorization/roleAssignments");
    expect(role.body).toMatch(new RegExp(`scope:\\s*${storage.symbol}\\b`));
    expect(role.body).toMatch(new RegExp(`principalId:\\s*${identity.symbol}\\.properties\\.principalId`));
    expect(role.body).toMatch(/principalType:\s*'ServicePrincipal'/);
    expect(role.body).toMatch(/roleDefinitionId:\s*subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions',\s*storageTableDataContributorRoleId\)/);
    // Built-in role id of "Storage Table Data Contributor".
    expect(declaration("var", "storageTableDataContributorRoleId")).toContain("'0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
  });

  it("keeps state in a StorageV2 account's Table service, TLS 1.2, no public blob access", () => {
    const storage = one("Microsoft.Storage/storageAccounts");
    expect(storage.body).toMatch(/kind:\s*'StorageV2'/);
    expect(storage.body).toMatch(/minimumTlsVersion:\s*'TLS1_2'/);
    expect(storage.body).toMatch(/allowBlobPublicAccess:\s*false/);
    expect(storage.body).toMatch(/supportsHttpsTrafficOnly:\s*true/);
    const tables = one("Microsoft.Storage/storageAccounts/tableServices");
    expect(tables.body).toMatch(new RegExp(`parent:\\s*${storage.symbol}\\b`));
  });

  it("offers the three bot identity types, managed identity by default, the secret as a secure parameter", () => {
    const type = declaration("param", "microsoftAppType");
    expect(type).toMatch(/=\s*'UserAssignedMSI'/);
    const allowed = decoratorsOf("microsoftAppType");
    for (const t of ["UserAssignedMSI", "SingleTenant", "MultiTenant"]) expect(allowed).toContain(`'${t}'`);
    expect(decoratorsOf("botAppPassword")).toContain("@secure()");
  });

  const appSettingNames = (varName: string): string[] =>
    [...declaration("var", varName).matchAll(/name:\s*'([^']+)'/g)].map((m) => m[1]!);

  it("wires every app setting the bot reads", () => {
    const app = one("Microsoft.Web/sites");
    const settingsExpr = /appSettings:\s*concat\(([^)]*)\)/.exec(app.body)?.[1] ?? "";
    const vars = settingsExpr.split(",").map((s) => s.trim());
    const names = new Set(vars.flatMap(appSettingNames));
    for (const name of [
      "MicrosoftAppType",
      "MicrosoftAppId",
      "MicrosoftAppTenantId",
      "MicrosoftAppPassword",
      "STORAGE_ACCOUNT_URL",
      "AZURE_CLIENT_ID",
      "PLAYGROUND",
      "NODE_ENV",
      "LOG_LEVEL",
      "STEPWISE_COUNCIL",
      "WEBSITE_NODE_DEFAULT_VERSION",
    ]) {
      expect(names).toContain(name);
    }
    const common = declaration("var", "commonSettings");
    expect(common).toMatch(/name:\s*'PLAYGROUND'\s*\n\s*value:\s*'0'/);
    expect(common).toMatch(/name:\s*'NODE_ENV'\s*\n\s*value:\s*'production'/);
    const storageSettings = declaration("var", "storageSettings");
    expect(storageSettings).toMatch(/name:\s*'STORAGE_ACCOUNT_URL'\s*\n\s*value:\s*storage\.properties\.primaryEndpoints\.table/);
  });

  it("gives the bot exactly one storage setting: the account URL, or the connection string when asked for", () => {
    const storageSettings = declaration("var", "storageSettings");
    const [withKey, withIdentity] = storageSettings.split(/\]\s*:\s*\[/);
    expect(withKey).toMatch(/useStorageConnectionString \? \[/);
    expect(withKey).toContain("STORAGE_CONNECTION_STRING");
    expect(withKey).not.toContain("STORAGE_ACCOUNT_URL");
    expect(withIdentity).toContain("STORAGE_ACCOUNT_URL");
    expect(withIdentity).not.toContain("STORAGE_CONNECTION_STRING");
  });

  it("sets MicrosoftAppPassword only for the secret-based types", () => {
    const bot = declaration("var", "botSettings");
    const [msiBranch, secretBranch] = bot.split(/\]\s*:\s*\[/);
    expect(msiBranch).toMatch(/usesManagedIdentityForBot \? \[/);
    expect(msiBranch).not.toContain("MicrosoftAppPassword");
    expect(msiBranch).toMatch(/value:\s*'UserAssignedMSI'/);
    expect(secretBranch).toContain("MicrosoftAppPassword");
    expect(secretBranch).toMatch(/value:\s*botAppPassword/);
  });

  it("outputs the bot endpoint, web app host name and storage table endpoint", () => {
    expect(declaration("output", "BOT_ENDPOINT")).toMatch(/'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/);
    expect(declaration("output", "BOT_DOMAIN")).toMatch(/webApp\.properties\.defaultHostName/);
    expect(declaration("output", "STORAGE_TABLE_ENDPOINT")).toMatch(/storage\.properties\.primaryEndpoints\.table/);
    expect(declaration("output", "BOT_ID")).toBeTruthy();
    expect(declaration("output", "AZURE_APP_SERVICE_RESOURCE_ID")).toMatch(/webApp\.id/);
  });

  it("leaks no secret through an output", () => {
    const outputs = [...code.matchAll(/^output\s+[^\n]*/gm)].map((m) => m[0]);
    for (const o of outputs) expect(o).not.toMatch(/listKeys|botAppPassword|Password/);
  });
});

describe("infra/main.parameters.json", () => {
  const params = JSON.parse(readFileSync(PARAMS_PATH, "utf8")) as {
    $schema: string;
    parameters: Record<string, { value: unknown }>;
  };

  it("is an ARM deployment parameters file", () => {
    expect(params.$schema).toMatch(/deploymentParameters\.json#$/);
  });

  it("only sets parameters main.bicep declares, and every parameter without a default", () => {
    const declared = [...code.matchAll(/^param\s+(\w+)\s+\w+([^\n]*)/gm)].map((m) => ({
      name: m[1]!,
      hasDefault: /=/.test(m[2]!),
    }));
    const names = new Set(declared.map((d) => d.name));
    for (const key of Object.keys(params.parameters)) expect(names).toContain(key);
    for (const d of declared.filter((x) => !x.hasDefault)) expect(Object.keys(params.parameters)).toContain(d.name);
  });

  it("uses only Agents Toolkit placeholders that env/.env.dev defines with a value", () => {
    const env = readFileSync(join(ROOT, "env", ".env.dev"), "utf8");
    const defined = new Map(
      [...env.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()] as const),
    );
    const placeholders = [...JSON.stringify(params).matchAll(/\$\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
    expect(placeholders.length).toBeGreaterThan(0);
    for (const p of placeholders) {
      expect(defined.get(p)).toBeTruthy();
    }
  });

  it("is referenced by m365agents.yml together with main.bicep", () => {
    const yml = readFileSync(join(ROOT, "m365agents.yml"), "utf8");
    expect(yml).toMatch(/path:\s*\.\/infra\/main\.bicep/);
    expect(yml).toMatch(/parameters:\s*\.\/infra\/main\.parameters\.json/);
    expect(existsSync(BICEP_PATH)).toBe(true);
  });
});
