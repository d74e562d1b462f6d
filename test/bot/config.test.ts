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

  it("reports the whole list in the error message", () => {
    expect(() => loadConfig({ PORT: "x", LOG_LEVEL: "y" })).toThrow("The configuration is not valid:\n  - PORT: expected a port number\n  - LOG_LEVEL: expected one of debug, info, warn, error");
  });
});
