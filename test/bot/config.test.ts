/** Configuration from the environment: defaults, and one clear line per missing or bad value. */
import { ConfigError, loadConfig } from "../../bot/config";

const GUID = "0d5e1f7a-9c3b-4e2d-8f6a-1b2c3d4e5f60";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("loadConfig", () => {
  it("runs anonymously on port 3978 with the Playground when nothing is set", () => {
    expect(loadConfig({})).toEqual({ port: 3978, playground: true, logLevel: "info" });
  });

  it("treats blank values as unset, as the Agents Toolkit writes them", () => {
    expect(loadConfig({ MicrosoftAppId: "", MicrosoftAppTenantId: " ", PORT: "", STEPWISE_COUNCIL: "" })).toEqual({ port: 3978, playground: true, logLevel: "info" });
  });

  it("reads every setting", () => {
    expect(
      loadConfig({
        MicrosoftAppId: GUID,
        MicrosoftAppPassword: "secret",
        MicrosoftAppType: "SingleTenant",
        MicrosoftAppTenantId: GUID,
        STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true",
        PORT: "8080",
        PLAYGROUND: "0",
        STEPWISE_COUNCIL: "enfield",
        LOG_LEVEL: "DEBUG",
      }),
    ).toEqual({
      microsoftAppId: GUID,
      microsoftAppPassword: "secret",
      microsoftAppType: "SingleTenant",
      microsoftAppTenantId: GUID,
      storageConnectionString: "UseDevelopmentStorage=true",
      port: 8080,
      playground: false,
      council: "enfield",
      logLevel: "debug",
    });
  });

  it("names each bad value and what was expected", () => {
    expect(problems({ PORT: "http", PLAYGROUND: "maybe", STEPWISE_COUNCIL: "atlantis", LOG_LEVEL: "loud", MicrosoftAppId: "bot", STORAGE_CONNECTION_STRING: "nonsense" })).toEqual([
      "MicrosoftAppId: expected the bot's Entra app (client) id, a GUID",
      expect.stringMatching(/^STORAGE_CONNECTION_STRING: expected an Azure Storage connection string/),
      "PORT: expected a port number",
      'PLAYGROUND: expected "1" (start the Agents Playground) or "0" (do not)',
      "STEPWISE_COUNCIL: expected one of hertfordshire, suffolk, leicestershire, enfield, leicester-city",
      "LOG_LEVEL: expected one of debug, info, warn, error",
    ]);
    expect(problems({ PORT: "70000" })).toEqual(["PORT: expected a port 0-65535"]);
  });

  it("asks for what an app id needs", () => {
    expect(problems({ MicrosoftAppId: GUID })).toEqual([
      'MicrosoftAppType: required with MicrosoftAppId: "SingleTenant", "MultiTenant" or "UserAssignedMSI"',
      "MicrosoftAppPassword: required with MicrosoftAppId (the client secret of the bot's app registration)",
    ]);
    expect(problems({ MicrosoftAppId: GUID, MicrosoftAppType: "SingleTenant", MicrosoftAppPassword: "s" })).toEqual(["MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant"]);
    expect(problems({ MicrosoftAppId: GUID, MicrosoftAppType: "UserAssignedMSI", MicrosoftAppTenantId: GUID })).toEqual([]);
    expect(problems({ MicrosoftAppId: GUID, MicrosoftAppType: "Personal", MicrosoftAppPassword: "s" })).toEqual(['MicrosoftAppType: expected "SingleTenant", "MultiTenant" or "UserAssignedMSI"']);
  });

  it("reads STORAGE_ACCOUNT_URL, the Table endpoint used with the managed identity (issue 6)", () => {
    expect(loadConfig({ STORAGE_ACCOUNT_URL: "https://stepwiseabc123.table.core.windows.net/" })).toEqual({ storageAccountUrl: "https://stepwiseabc123.table.core.windows.net", port: 3978, playground: true, logLevel: "info" });
    expect(loadConfig({ STORAGE_ACCOUNT_URL: " https://stepwiseabc123.table.core.usgovcloudapi.net " }).storageAccountUrl).toBe("https://stepwiseabc123.table.core.usgovcloudapi.net");
    for (const bad of ["http://stepwiseabc123.table.core.windows.net", "https://stepwiseabc123.blob.core.windows.net", "https://stepwiseabc123.table.core.windows.net/botstate", "https://stepwiseabc123.table.core.windows.net/?sv=2022&sig=x", "UseDevelopmentStorage=true"]) {
      expect(problems({ STORAGE_ACCOUNT_URL: bad })).toEqual([expect.stringMatching(/^STORAGE_ACCOUNT_URL: expected the Table endpoint of a storage account, "https:\/\/<account>\.table\.core\.windows\.net"/)]);
    }
  });

  it("takes one storage setting, not both", () => {
    expect(problems({ STORAGE_ACCOUNT_URL: "https://stepwiseabc123.table.core.windows.net", STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true" })).toEqual(["STORAGE_ACCOUNT_URL: set either STORAGE_ACCOUNT_URL (managed identity) or STORAGE_CONNECTION_STRING, not both"]);
  });

  it("in production (NODE_ENV=production) requires storage and MicrosoftAppId: no Azurite, no anonymous mode", () => {
    expect(problems({ NODE_ENV: "production" })).toEqual([
      "STORAGE_ACCOUNT_URL: required in production (NODE_ENV=production): the Table endpoint, reached with the managed identity; or set STORAGE_CONNECTION_STRING instead",
      "MicrosoftAppId: required in production (NODE_ENV=production): without it every request would be accepted unauthenticated",
    ]);
    // What infra/main.bicep sets by default.
    expect(
      loadConfig({ NODE_ENV: "production", MicrosoftAppType: "UserAssignedMSI", MicrosoftAppId: GUID, MicrosoftAppTenantId: GUID, STORAGE_ACCOUNT_URL: "https://stepwiseabc123.table.core.windows.net/", PLAYGROUND: "0" }),
    ).toEqual({ microsoftAppId: GUID, microsoftAppType: "UserAssignedMSI", microsoftAppTenantId: GUID, storageAccountUrl: "https://stepwiseabc123.table.core.windows.net", port: 3978, playground: false, logLevel: "info" });
    expect(problems({ NODE_ENV: "development" })).toEqual([]);
  });

  it("refuses a client secret with a managed identity (botbuilder would refuse it at start)", () => {
    expect(problems({ MicrosoftAppId: GUID, MicrosoftAppType: "UserAssignedMSI", MicrosoftAppTenantId: GUID, MicrosoftAppPassword: "s" })).toEqual([
      "MicrosoftAppPassword: must not be set when MicrosoftAppType is UserAssignedMSI (the managed identity needs no secret; botbuilder refuses one)",
    ]);
  });

  it("reports the whole list in the error message", () => {
    expect(() => loadConfig({ PORT: "x", LOG_LEVEL: "y" })).toThrow("The configuration is not valid:\n  - PORT: expected a port number\n  - LOG_LEVEL: expected one of debug, info, warn, error");
  });
});
