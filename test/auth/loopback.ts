/**
 * Loopback stand-ins for the Bot Framework's cloud, for the token tests:
 *
 * - LoopbackIssuer: an OpenID issuer on 127.0.0.1 with its own RSA key, serving
 *   `/.well-known/openid-configuration` and a JWKS (with Teams endorsements, as
 *   login.botframework.com does), and signing tokens the way the Bot Connector does.
 *   `cloudSettings()` are the settings botbuilder's ConfigurationBotFrameworkAuthentication reads
 *   for a non-public cloud, pointing validation at this issuer; nothing in botbuilder is patched.
 * - LoopbackCredentialFactory: the real ConfigurationServiceClientCredentialFactory (app id check,
 *   app types) whose outbound credentials get their token from this issuer instead of Entra ID, so
 *   that replies can reach the loopback connector without a real tenant.
 * - RecordingConnector: the activities' serviceUrl; records every call with its Authorization header.
 * - CountingProxy: an HTTP proxy in front of Azurite that counts every storage request.
 */
import { createHmac, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigurationServiceClientCredentialFactory, type ConfigurationServiceClientCredentialFactoryOptions } from "botbuilder";
import { AppCredentials, MicrosoftAppCredentials, type AuthenticatorResult } from "botframework-connector";
import jwt from "jsonwebtoken";

/** The OAuth scope of tokens to the channel (public cloud value; the loopback connector does not care). */
export const CHANNEL_SCOPE = "https://api.botframework.com";

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await listen(s);
  const port = (s.address() as AddressInfo).port;
  await close(s);
  return port;
}

const b64url = (v: string | Buffer) => Buffer.from(v).toString("base64url");

export interface TokenOptions {
  /** Claims to add or override (undefined removes one). */
  claims?: Record<string, unknown>;
  /** Sign with this key instead of the issuer's. */
  key?: KeyObject;
  /** The `kid` header (default: the issuer's key id). */
  kid?: string;
  /** Seconds from now; negative for an expired token (default 3600). */
  expiresIn?: number;
}

export class LoopbackIssuer {
  /** Requests for the metadata document and for the keys. */
  readonly requests: string[] = [];
  readonly kid = `loopback-${randomUUID()}`;
  private readonly keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  private server: Server | undefined;
  url = "";

  static async start(): Promise<LoopbackIssuer> {
    const issuer = new LoopbackIssuer();
    issuer.server = createServer((req, res) => issuer.handle(req, res));
    issuer.url = await listen(issuer.server);
    return issuer;
  }

  /** The `iss` of the tokens (the role of https://api.botframework.com). */
  get issuer(): string {
    return `${this.url}/issuer`;
  }

  get metadataUrl(): string {
    return `${this.url}/.well-known/openid-configuration`;
  }

  get publicKey(): KeyObject {
    return this.keys.publicKey;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(req.url ?? "");
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/.well-known/openid-configuration") {
      return json({ issuer: this.issuer, jwks_uri: `${this.url}/keys`, id_token_signing_alg_values_supported: ["RS256"], token_endpoint_auth_signing_alg_values_supported: ["RS256"] });
    }
    if (req.url === "/keys") {
      const jwk = this.keys.publicKey.export({ format: "jwk" });
      return json({ keys: [{ kty: "RSA", use: "sig", kid: this.kid, n: jwk.n, e: jwk.e, endorsements: ["msteams"] }] });
    }
    res.writeHead(404);
    res.end();
  }

  /** Signs `payload` with RS256 under the issuer's key (or `key`) and key id (or `kid`). */
  sign(payload: Record<string, unknown>, options: Pick<TokenOptions, "key" | "kid"> = {}): string {
    return jwt.sign(payload, (options.key ?? this.keys.privateKey).export({ format: "pem", type: "pkcs8" }) as string, { algorithm: "RS256", keyid: options.kid ?? this.kid });
  }

  /** A token as the Bot Connector sends it to the bot: issuer, audience = app id, serviceurl, 1 h. */
  channelToken(appId: string, serviceUrl: string, options: TokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (options.expiresIn ?? 3600);
    const payload: Record<string, unknown> = { iss: this.issuer, aud: appId, serviceurl: serviceUrl, nbf: Math.min(now, exp) - 60, iat: Math.min(now, exp) - 60, exp };
    for (const [k, v] of Object.entries(options.claims ?? {})) {
      if (v === undefined) delete payload[k];
      else payload[k] = v;
    }
    return this.sign(payload, options);
  }

  /**
   * A token "signed" with HS256 using the issuer's PUBLIC key as the HMAC secret, under the issuer's
   * key id: the classic algorithm-confusion forgery.
   */
  hs256Forgery(appId: string, serviceUrl: string): string {
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT", kid: this.kid }));
    const body = b64url(JSON.stringify({ iss: this.issuer, aud: appId, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600 }));
    const secret = this.keys.publicKey.export({ format: "pem", type: "spki" }) as string;
    return `${head}.${body}.${createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")}`;
  }

  /** An unsigned token (`alg: none`). */
  unsigned(appId: string, serviceUrl: string): string {
    const now = Math.floor(Date.now() / 1000);
    return `${b64url(JSON.stringify({ alg: "none", typ: "JWT", kid: this.kid }))}.${b64url(JSON.stringify({ iss: this.issuer, aud: appId, serviceurl: serviceUrl, exp: now + 3600 }))}.`;
  }

  /**
   * The settings botbuilder's ConfigurationBotFrameworkAuthentication reads for a cloud other than
   * the public one (BotFrameworkAuthenticationFactory.create: once any of these is set, all are
   * used as given). `metadataUrl` replaces the OpenID metadata URL (e.g. a closed port).
   */
  cloudSettings(metadataUrl = this.metadataUrl): Record<string, string | boolean> {
    return {
      ToBotFromChannelTokenIssuer: this.issuer,
      ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
      ToChannelFromBotLoginUrl: `${this.url}/login`,
      ToChannelFromBotOAuthScope: CHANNEL_SCOPE,
      OAuthUrl: `${this.url}/oauth`,
      CallerId: "urn:botframework:loopback",
      ValidateAuthority: true,
    };
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}

/** Outbound credentials whose token comes from the loopback issuer (the role of Entra ID's token endpoint). */
class LoopbackAppCredentials extends AppCredentials {
  constructor(
    appId: string,
    scope: string,
    private readonly issuer: LoopbackIssuer,
  ) {
    super(appId, undefined, scope);
  }

  protected async refreshToken(): Promise<AuthenticatorResult> {
    const now = Math.floor(Date.now() / 1000);
    const accessToken = this.issuer.sign({ iss: this.issuer.issuer, aud: this.oAuthScope, appid: this.appId, nbf: now, exp: now + 3600 });
    return { accessToken, expiresOn: new Date((now + 3600) * 1000) };
  }
}

/**
 * botbuilder's own credential factory for the configured app type (SingleTenant, MultiTenant,
 * UserAssignedMSI): inbound, its app id check is what decides the audience. Only the outbound
 * token (for replies) comes from the loopback issuer.
 */
export class LoopbackCredentialFactory extends ConfigurationServiceClientCredentialFactory {
  constructor(
    settings: ConfigurationServiceClientCredentialFactoryOptions,
    private readonly issuer: LoopbackIssuer,
  ) {
    super(settings);
  }

  override async createCredentials(appId: string, audience: string): Promise<AppCredentials> {
    if (await this.isAuthenticationDisabled()) return MicrosoftAppCredentials.Empty;
    if (!(await this.isValidAppId(appId))) throw new Error("Invalid appId.");
    return new LoopbackAppCredentials(appId, audience || CHANNEL_SCOPE, this.issuer);
  }
}

export interface ConnectorCall {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> | undefined;
}

/** The activities' serviceUrl: answers like the Bot Connector and records every call. */
export class RecordingConnector {
  readonly calls: ConnectorCall[] = [];
  private server: Server | undefined;
  url = "";

  static async start(): Promise<RecordingConnector> {
    const c = new RecordingConnector();
    c.server = createServer((req, res) => void c.handle(req, res));
    c.url = `${await listen(c.server)}/`;
    return c;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    this.calls.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: `reply-${randomUUID()}` }));
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}

/** An HTTP proxy in front of a storage endpoint that counts the requests going through it. */
export class CountingProxy {
  count = 0;
  private server: Server | undefined;
  url = "";

  static async start(target: string): Promise<CountingProxy> {
    const p = new CountingProxy();
    const to = new URL(target);
    p.server = createServer((req, res) => {
      p.count++;
      const upstream = httpRequest({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on("error", () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    p.url = await listen(p.server);
    return p;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}

/** An HTTP server that accepts connections and never answers (metadata that hangs). */
export class SilentServer {
  private server: Server | undefined;
  url = "";

  static async start(): Promise<SilentServer> {
    const s = new SilentServer();
    s.server = createServer(() => undefined);
    s.url = await listen(s.server);
    return s;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}
