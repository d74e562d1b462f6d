/**
 * Inbound authentication for `POST /api/messages`.
 *
 * Every request's Bot Framework token is checked before the turn starts: a refused request runs no
 * middleware and no bot handler, touches no storage and makes no connector call. The check itself
 * is botbuilder's (`BotFrameworkAuthentication.authenticateRequest`, normally
 * `ConfigurationBotFrameworkAuthentication` built from the MicrosoftApp* settings): issuer, signing
 * key from the OpenID metadata, expiry, audience = the bot's app id, the `serviceurl` claim against
 * the activity's serviceUrl, and key endorsements for the channel. With no MicrosoftAppId it accepts
 * every request (anonymous mode, local runs and tests only; createServer warns at start).
 *
 * Why not `CloudAdapter.process` (botbuilder 4.23.3), which checks the same token: it answers some
 * bad tokens with 500 and the error text (a token signed by another key under a known key id gives
 * jsonwebtoken's "invalid signature"; an HS256 token gives "invalid algorithm"; OpenID metadata that
 * cannot be fetched gives node-fetch's FetchError), answers the others with 401 and botbuilder's
 * message as a text body (e.g. "Unauthorized. Invalid AppId passed on token: <aud>"), prints every
 * refusal with console.error, and never times out the metadata fetch. test/auth/botbuilder.test.ts
 * pins that behaviour. Here every failure is the same `401 {"error":"unauthorized"}`, logged as one
 * JSON line with a fixed reason (never the token or anything else taken from the request), within
 * `AUTH_TIMEOUT_MS`.
 */
import type { Activity, InvokeResponse, TurnContext } from "botbuilder";
import { CloudAdapter } from "botbuilder";
import type { AuthenticateRequestResult } from "botframework-connector";
import type { Request, Response } from "restify";
import type { Config } from "./config";
import type { Logger } from "./log";

/** How long a token check may take (it may fetch the OpenID metadata and keys) before it counts as failed. */
export const AUTH_TIMEOUT_MS = 5000;

/** Why a request was refused: a fixed vocabulary, so that nothing from the request reaches the log. */
export type RefusalReason =
  | "missing token"
  | "not a Bot Framework token"
  | "expired"
  | "not yet valid"
  | "bad signature"
  | "unknown signing key"
  | "wrong audience"
  | "serviceUrl does not match the token"
  | "signing keys unavailable"
  | "timed out"
  | "invalid token";

class AuthTimeout extends Error {
  override name = "AuthTimeout";
}

/** Maps what botbuilder (or jsonwebtoken, or node-fetch under it) threw to a RefusalReason. */
export function refusalReason(err: unknown, authHeader: string): RefusalReason {
  if (!authHeader.trim()) return "missing token";
  const name = (err as { name?: unknown } | null)?.name;
  const message = String((err as { message?: unknown } | null)?.message ?? "");
  if (err instanceof AuthTimeout) return "timed out";
  if (name === "TokenExpiredError" || /token has expired/i.test(message)) return "expired";
  if (name === "NotBeforeError") return "not yet valid";
  if (name === "FetchError" || /Failed to load (openID config|Keys)/i.test(message)) return "signing keys unavailable";
  if (/Signing Key could not be retrieved/i.test(message)) return "unknown signing key";
  if (/Invalid AppId|audience/i.test(message)) return "wrong audience";
  if (/ServiceUrl claim/i.test(message)) return "serviceUrl does not match the token";
  if (/No valid identity|not authenticated/i.test(message)) return "not a Bot Framework token";
  if (name === "JsonWebTokenError" && /signature|algorithm/i.test(message)) return "bad signature";
  return "invalid token";
}

/** A human description of the configured identity, for the start-up log line. */
export function authMode(config: Config): string {
  if (!config.microsoftAppId) return "anonymous";
  const type = config.microsoftAppType ?? "MultiTenant";
  return `${type} (${type === "UserAssignedMSI" ? "managed identity" : "client secret"})`;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuthTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** What botbuilder's validateAndFixActivity does: ISO timestamps become Dates (the raw text is kept). */
function fixTimestamps(activity: Record<string, unknown>): Activity {
  for (const [field, raw] of [["timestamp", "rawTimestamp"], ["expiration", "rawExpiration"], ["localTimestamp", "rawLocalTimestamp"]] as const) {
    const value = activity[field];
    if (typeof value === "string") {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}

export interface ProcessOptions {
  /** The HTTP request's id (in every log line about it). */
  requestId: string;
  log: Logger;
  /** Default AUTH_TIMEOUT_MS. */
  authTimeoutMs?: number;
}

/**
 * CloudAdapter whose `processAuthenticated` checks the token first and answers refusals itself;
 * everything else (middleware, turn, replies through the connector, invoke responses) is
 * CloudAdapter's own.
 */
export class StepwiseAdapter extends CloudAdapter {
  /** Authenticate, then run the turn; the HTTP answer mirrors `CloudAdapter.process` except for failures. */
  async processAuthenticated(req: Request, res: Response, logic: (context: TurnContext) => Promise<void>, options: ProcessOptions): Promise<void> {
    const { requestId, log } = options;
    const started = Date.now();
    const body: unknown = req.body;
    const authHeader = typeof req.headers.authorization === "string" ? req.headers.authorization : "";

    // 1. The token, before anything else (an unparseable body is checked as an empty activity: no
    //    serviceUrl to compare, so only a valid token gets as far as the 400 below).
    let auth: AuthenticateRequestResult;
    try {
      const probe = isRecord(body) ? fixTimestamps(body) : ({} as Activity);
      auth = await withTimeout(this.botFrameworkAuthentication.authenticateRequest(probe, authHeader), options.authTimeoutMs ?? AUTH_TIMEOUT_MS);
    } catch (err) {
      log.warn("request refused: no valid Bot Framework token", { requestId, reason: refusalReason(err, authHeader), ms: Date.now() - started });
      res.header("WWW-Authenticate", "Bearer");
      res.send(401, { error: "unauthorized" });
      return;
    }

    // 2. The activity (the same checks as CloudAdapter.process).
    if (!isRecord(body) || typeof body.type !== "string" || !body.type) {
      log.warn("request refused: not an activity", { requestId });
      res.send(400, { error: "bad request" });
      return;
    }
    const activity = body as unknown as Activity;

    // 3. The turn.
    try {
      const invokeResponse: InvokeResponse | undefined = await this.processActivity(auth, activity, logic);
      res.status(invokeResponse?.status ?? 200);
      if (invokeResponse?.body !== undefined) res.send(invokeResponse.body);
      else res.end();
      log.debug("activity", { requestId, conversationId: activity.conversation?.id, activity: activity.type, status: invokeResponse?.status ?? 200, ms: Date.now() - started });
    } catch (err) {
      log.error("request failed", { requestId, conversationId: activity.conversation?.id, error: (err as Error)?.name ?? "Error", message: (err as Error)?.message });
      if (!res.headersSent) res.send(500, { error: "internal error" });
    }
  }
}
