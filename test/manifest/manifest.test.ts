/**
 * The Teams app package: built by the real builder (scripts/manifest.ts),
 * unzipped, validated offline against the bundled Teams manifest v1.30 JSON
 * schema, and its icons checked pixel by pixel.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import JSZip from "jszip";
import { PNG } from "pngjs";
import { AppManifestUtils, TeamsManifestConverter, type TeamsManifestLatest } from "@microsoft/app-manifest";
import {
  DEV_BOT_APP_ID,
  DEV_TEAMS_APP_ID,
  MANIFEST_ENV_VARS,
  ManifestConfigError,
  ROOT,
  buildAppPackage,
  loadManifestConfig,
  renderManifest,
} from "../../scripts/manifest";
import { ACCENT_COLOR, drawColor, drawOutline } from "../../scripts/make-icons";

// @microsoft/app-manifest requires `strip-bom`, whose v5 is ES-module only: plain
// Node 20 loads it (require(esm)), jest's CommonJS runtime cannot. Only the
// library's file readers use it, so an equivalent three-line stand-in suffices.
jest.mock("strip-bom", () => ({
  __esModule: true,
  default: (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s),
}));

const COUNCIL_ENV = {
  TEAMS_APP_ID: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
  MicrosoftAppId: "6ba7b810-9dad-41d1-80b4-00c04fd430c8",
  BOT_DOMAIN: "stepwise-enfield.azurewebsites.net",
  STEPWISE_COUNCIL: "enfield",
  DEVELOPER_NAME: "London Borough of Enfield",
  DEVELOPER_WEBSITE_URL: "https://www.enfield.gov.uk",
  DEVELOPER_PRIVACY_URL: "https://www.enfield.gov.uk/privacy",
  DEVELOPER_TERMS_URL: "https://www.enfield.gov.uk/terms",
};

const EXPECTED_COMMANDS: Record<"personal" | "team" | "groupChat", string[]> = {
  personal: ["where should this case go?", "start again", "back", "change an answer", "help", "council"],
  team: ["register this channel", "approvers", "history", "help"],
  groupChat: ["where should this case go?", "help"],
};

interface Unzipped {
  names: string[];
  manifestJson: string;
  manifest: TeamsManifestLatest;
  color: PNG;
  outline: PNG;
}

async function unzip(zipPath: string): Promise<Unzipped> {
  const zip = await JSZip.loadAsync(readFileSync(zipPath));
  const names = Object.keys(zip.files).sort();
  const read = async (name: string): Promise<Buffer> => {
    const f = zip.file(name);
    if (!f) throw new Error(`${name} missing from ${zipPath}`);
    return f.async("nodebuffer");
  };
  const manifestJson = (await read("manifest.json")).toString("utf8");
  return {
    names,
    manifestJson,
    manifest: JSON.parse(manifestJson) as TeamsManifestLatest,
    color: PNG.sync.read(await read("color.png")),
    outline: PNG.sync.read(await read("outline.png")),
  };
}

/** The environment without any of the builder's variables, so CI's own settings cannot leak in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of MANIFEST_ENV_VARS) delete env[name];
  return env;
}

let tmp: string;
let fetchSpy: jest.SpyInstance | undefined;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "stepwise-manifest-"));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  // Schema validation must work offline: any attempt to fetch fails the test.
  if (typeof globalThis.fetch === "function") {
    fetchSpy = jest.spyOn(globalThis, "fetch").mockImplementation(() => {
      throw new Error("network access is not allowed in the manifest tests");
    });
  }
});
afterEach(() => {
  if (fetchSpy) expect(fetchSpy).not.toHaveBeenCalled();
  fetchSpy?.mockRestore();
});

describe("npm run manifest (fresh clone, no configuration)", () => {
  let stdout: string;
  let stderr: string;

  beforeAll(() => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const result = spawnSync(npm, ["run", "-s", "manifest"], {
      cwd: ROOT,
      env: cleanEnv(),
      encoding: "utf8",
      timeout: 60_000,
    });
    if (result.error) throw result.error;
    stdout = result.stdout;
    stderr = result.stderr;
    if (result.status !== 0) throw new Error(`npm run manifest exited ${result.status}:\n${stderr}`);
  });

  it("prints the path of manifest/build/stepwise-dev.zip and writes it", async () => {
    const lines = stdout.trim().split(/\r?\n/);
    const zipPath = lines[lines.length - 1] ?? "";
    expect(basename(zipPath)).toBe("stepwise-dev.zip");
    expect(dirname(zipPath)).toBe(join(ROOT, "manifest", "build"));
    expect(existsSync(zipPath)).toBe(true);

    const pkg = await unzip(zipPath);
    expect(pkg.names).toEqual(["color.png", "manifest.json", "outline.png"]);
    expect(pkg.manifest.id).toBe(DEV_TEAMS_APP_ID);
    expect(pkg.manifest.bots?.[0]?.botId).toBe(DEV_BOT_APP_ID);
    expect(await AppManifestUtils.validateAgainstSchema(pkg.manifest)).toEqual([]);
  });

  it("warns that a package without MicrosoftAppId is for local use only", () => {
    expect(stderr).toMatch(/MicrosoftAppId/);
    expect(stderr).toMatch(/local use only/);
  });
});

describe("a council's app package", () => {
  let pkg: Unzipped;
  let zipPath: string;

  beforeAll(async () => {
    const config = loadManifestConfig({ ...COUNCIL_ENV });
    expect(config.warnings).toEqual([]);
    expect(config.localOnly).toBe(false);
    ({ zipPath } = await buildAppPackage(config, { outDir: tmp }));
    pkg = await unzip(zipPath);
  });

  it("is named after the council and holds exactly manifest.json, color.png and outline.png", () => {
    expect(basename(zipPath)).toBe("stepwise-enfield.zip");
    expect(pkg.names).toEqual(["color.png", "manifest.json", "outline.png"]);
    expect(existsSync(join(tmp, "package", "manifest.json"))).toBe(true);
  });

  it("validates against the Teams manifest schema offline with zero errors", async () => {
    expect(pkg.manifest.manifestVersion).toBe("1.30");
    expect(pkg.manifest.$schema).toBe("https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json");
    // The schema URL resolves to the copy bundled in the package.
    const bundled = join(
      dirname(require.resolve("@microsoft/app-manifest/package.json")),
      "build/json-schemas/teams/v1.30/MicrosoftTeams.schema.json",
    );
    expect(existsSync(bundled)).toBe(true);
    expect(await AppManifestUtils.validateAgainstSchema(pkg.manifest)).toEqual([]);
    // The package's typed converter accepts it too.
    expect(TeamsManifestConverter.jsonToManifest(pkg.manifestJson).manifestVersion).toBe("1.30");
  });

  it("the validator is not vacuous: it rejects lowercase groupchat and a long short name", async () => {
    const broken = JSON.parse(pkg.manifestJson) as { bots: Array<{ scopes: string[] }>; name: { short: string } };
    broken.bots[0]!.scopes = ["personal", "team", "groupchat"];
    broken.name.short = "x".repeat(31);
    const errors = await AppManifestUtils.validateAgainstSchema(broken as unknown as TeamsManifestLatest);
    expect(errors.join("\n")).toMatch(/\/bots\/0\/scopes\/2/);
    expect(errors.join("\n")).toMatch(/\/name\/short/);
  });

  it("fills every value from the configuration", () => {
    const m = pkg.manifest;
    expect(m.id).toBe(COUNCIL_ENV.TEAMS_APP_ID);
    expect(m.bots?.[0]?.botId).toBe(COUNCIL_ENV.MicrosoftAppId);
    expect(m.validDomains).toEqual([COUNCIL_ENV.BOT_DOMAIN]);
    expect(m.name.short).toBe("Stepwise");
    expect(m.developer).toEqual({
      name: COUNCIL_ENV.DEVELOPER_NAME,
      websiteUrl: COUNCIL_ENV.DEVELOPER_WEBSITE_URL,
      privacyUrl: COUNCIL_ENV.DEVELOPER_PRIVACY_URL,
      termsOfUseUrl: COUNCIL_ENV.DEVELOPER_TERMS_URL,
    });
    expect(m.description.full).toContain("enfield");
    expect(m.accentColor).toBe(ACCENT_COLOR);
    expect(pkg.manifestJson).not.toMatch(/\$\{\{/);
  });

  it("declares one conversational bot in personal, team and groupChat scopes, without files", () => {
    expect(m().bots).toHaveLength(1);
    const bot = m().bots![0]!;
    expect(bot.scopes).toEqual(["personal", "team", "groupChat"]);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
  });

  it.each(Object.entries(EXPECTED_COMMANDS))("lists the %s commands", (scope, titles) => {
    const lists = (m().bots![0]!.commandLists ?? []).filter((l) => (l.scopes as string[]).includes(scope));
    expect(lists).toHaveLength(1);
    const commands = lists[0]!.commands;
    expect(commands.map((c) => c.title)).toEqual(titles);
    for (const c of commands) expect(c.description?.length ?? 0).toBeGreaterThan(0);
  });

  it("every bot scope has a command list", () => {
    const bot = m().bots![0]!;
    const covered = new Set((bot.commandLists ?? []).flatMap((l) => l.scopes as string[]));
    for (const scope of bot.scopes as string[]) expect(covered.has(scope)).toBe(true);
  });

  it("has a 192×192 opaque colour icon", () => {
    expect([pkg.color.width, pkg.color.height]).toEqual([192, 192]);
    let light = 0;
    let notOpaque = 0;
    for (let i = 0; i < pkg.color.data.length; i += 4) {
      if (pkg.color.data[i + 3] !== 255) notOpaque++;
      if (pkg.color.data[i]! > 200 && pkg.color.data[i + 1]! > 200 && pkg.color.data[i + 2]! > 200) light++;
    }
    expect(notOpaque).toBe(0);
    // The white glyph is there, and is neither a speck nor a flood.
    expect(light).toBeGreaterThan(192 * 192 * 0.03);
    expect(light).toBeLessThan(192 * 192 * 0.5);
  });

  it("has a 32×32 outline icon whose every pixel is fully transparent or white", () => {
    expect([pkg.outline.width, pkg.outline.height]).toEqual([32, 32]);
    let opaque = 0;
    const offenders: string[] = [];
    for (let i = 0; i < pkg.outline.data.length; i += 4) {
      const [r, g, b, a] = [pkg.outline.data[i]!, pkg.outline.data[i + 1]!, pkg.outline.data[i + 2]!, pkg.outline.data[i + 3]!];
      const transparent = a === 0;
      const white = r === 255 && g === 255 && b === 255 && a === 255;
      if (!transparent && !white) offenders.push(`(${(i / 4) % 32},${Math.floor(i / 4 / 32)}) rgba(${r},${g},${b},${a})`);
      if (white) opaque++;
    }
    expect(offenders).toEqual([]);
    expect(opaque).toBeGreaterThan(32 * 32 * 0.05);
    expect(opaque).toBeLessThan(32 * 32 * 0.6);
  });

  it("ships the icons that scripts/make-icons.ts draws (committed PNGs are up to date)", () => {
    expect(Buffer.compare(pkg.color.data, drawColor().data)).toBe(0);
    expect(Buffer.compare(pkg.outline.data, drawOutline().data)).toBe(0);
  });

  function m(): TeamsManifestLatest {
    return pkg.manifest;
  }
});

describe("configuration errors name the variable", () => {
  const attempt = (env: Record<string, string>): ManifestConfigError => {
    try {
      loadManifestConfig(env);
    } catch (e) {
      if (e instanceof ManifestConfigError) return e;
      throw e;
    }
    throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
  };

  it.each([
    ["MicrosoftAppId", { ...COUNCIL_ENV, MicrosoftAppId: "not-a-guid" }, /MicrosoftAppId: must be a GUID/],
    ["TEAMS_APP_ID", { ...COUNCIL_ENV, TEAMS_APP_ID: "1234" }, /TEAMS_APP_ID: must be a GUID/],
    ["APP_NAME_SHORT", { ...COUNCIL_ENV, APP_NAME_SHORT: "Stepwise for the London Borough of X" }, /APP_NAME_SHORT: must be at most 30/],
    ["BOT_DOMAIN", { ...COUNCIL_ENV, BOT_DOMAIN: "https://stepwise.example.org/api/messages" }, /BOT_DOMAIN: must be a bare host name/],
    ["DEVELOPER_PRIVACY_URL", { ...COUNCIL_ENV, DEVELOPER_PRIVACY_URL: "http://www.enfield.gov.uk/privacy" }, /DEVELOPER_PRIVACY_URL: must be an absolute https:\/\/ URL/],
    ["STEPWISE_COUNCIL", { ...COUNCIL_ENV, STEPWISE_COUNCIL: "Enfield Council" }, /STEPWISE_COUNCIL: must be a council id/],
    ["BOT_DOMAIN (missing with a real bot id)", { MicrosoftAppId: COUNCIL_ENV.MicrosoftAppId }, /BOT_DOMAIN: is required when MicrosoftAppId is set/],
  ])("rejects a bad %s", (_name, env, message) => {
    const err = attempt(env);
    expect(err.message).toMatch(message);
    expect(err.problems).toHaveLength(1);
  });

  it("reports every bad variable at once, with the offending value", () => {
    const err = attempt({ MicrosoftAppId: "nope", APP_NAME_SHORT: "x".repeat(31), BOT_DOMAIN: "a b" });
    expect(err.problems.map((p) => p.variable).sort()).toEqual(["APP_NAME_SHORT", "BOT_DOMAIN", "MicrosoftAppId"]);
    expect(err.message).toContain('(got "nope")');
  });

  it("treats empty values (as Agents Toolkit .env files write them) as unset", () => {
    const config = loadManifestConfig({ TEAMS_APP_ID: "", MicrosoftAppId: " ", BOT_DOMAIN: "", STEPWISE_COUNCIL: "" });
    expect(config.teamsAppId).toBe(DEV_TEAMS_APP_ID);
    expect(config.botAppId).toBe(DEV_BOT_APP_ID);
    expect(config.localOnly).toBe(true);
    expect(config.council).toBeUndefined();
  });

  it("a value with quotes cannot break the JSON", () => {
    const config = loadManifestConfig({ ...COUNCIL_ENV, DEVELOPER_NAME: 'Borough "of" \\ X' });
    expect(renderManifest(config).developer.name).toBe('Borough "of" \\ X');
  });

  it("an unknown placeholder in the template is an error, not a silent blank", () => {
    const config = loadManifestConfig({});
    expect(() => renderManifest(config, JSON.stringify({ id: "${{NO_SUCH_VALUE}}" }))).toThrow(/NO_SUCH_VALUE/);
  });
});
