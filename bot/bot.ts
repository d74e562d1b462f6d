/**
 * Teams adapter for the triage conversation. Each turn: read the typed text (with the bot's
 * @mention removed) or the validated card action, load the triage state, run the pure `step`, save,
 * then send the rendered replies.
 *
 * State (Table Storage through botbuilder's BotState, so a restart loses nothing):
 *   - the triage, per user per conversation (PrivateConversationState), so that colleagues in one
 *     channel do not share a half-answered case;
 *   - the council, per user in a personal chat, per team in a channel, per group chat.
 * Saving uses the storage's ETags: if another turn of the same conversation saved first, the turn is
 * recomputed on the fresh state (up to three times) instead of overwriting it.
 */
import {
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type ConversationReference,
  type InvokeResponse,
  type StatePropertyAccessor,
  type Storage,
} from "botbuilder";
import type { PolicyPack } from "../domain/pack";
import { initialState, parseState, step, type Reply, type StepResult, type TriageInput, type TriageState } from "../domain/triage";
import { parseCardAction, type CardAction } from "./actions";
import type { Logger } from "./log";
import { answeredCard, CARD_CONTENT_TYPE, errorCard, renderReply } from "./render";
import { GuardedPrivateConversationState, GuardedState } from "./state";
import { StorageConcurrencyError } from "./storage/tableStorage";

/** What "Request this transfer" hands over; the approvals work plugs in here. */
export interface TransferRequest {
  authorityId: string;
  caseReference: string | null;
  facts: Extract<Reply, { type: "transfer-request" }>["facts"];
  recommendation: Extract<Reply, { type: "transfer-request" }>["recommendation"];
  requestedBy: { id: string; name?: string; aadObjectId?: string };
  conversation: Partial<ConversationReference>;
}

/** Handles a transfer request and returns what to tell the practitioner. */
export type RequestTransferHook = (request: TransferRequest, context: TurnContext) => Promise<string>;

/** Until approvals exist: say so, and say who to go to under the protocol. */
export const requestsComingSoon: RequestTransferHook = async (request) => {
  const decider = request.recommendation.decider;
  const who = decider ? `${decider.title}${decider.teamName && !decider.title.includes(decider.teamName) ? ` (${decider.teamName})` : ""}` : "the manager the protocol names";
  return `Sending transfer requests through Stepwise is coming soon. For now, take it to ${who} as the protocol says, with what must travel with the case.`;
};

export interface BotDeps {
  storage: Storage;
  packs: Readonly<Record<string, PolicyPack>>;
  /** The council for users and teams that have not chosen one (STEPWISE_COUNCIL). */
  defaultCouncil?: string;
  now: () => Date;
  log: Logger;
  requestTransfer?: RequestTransferHook;
}

/** Turn-state key under which the server puts the HTTP request's id, for logs. */
export const REQUEST_ID = Symbol("stepwise.requestId");

const MAX_ATTEMPTS = 3;

/** What Teams shows for a button that leaves its card as it was. */
const NOTES: Record<CardAction["verb"], string> = {
  answer: "Answered",
  chooseCouncil: "Council chosen",
  changeAnswer: "Choose the answer to change",
  back: "Going back",
  startAgain: "Starting again",
  requestTransfer: "Transfer request",
};

/** Where the council is remembered: per team, per group chat, or per user (personal chat). */
async function settingsKey(context: TurnContext): Promise<string> {
  const a = context.activity;
  const teamId = (a.channelData as { team?: { id?: string } } | undefined)?.team?.id;
  if (teamId) return `${a.channelId}/teams/${teamId}/settings`;
  if (isGroup(a)) return `${a.channelId}/conversations/${a.conversation.id}/settings`;
  return `${a.channelId}/users/${a.from.id}/settings`;
}

function isGroup(a: Partial<Activity>): boolean {
  const type = a.conversation?.conversationType;
  return type === "channel" || type === "groupChat" || a.conversation?.isGroup === true;
}

function mentionsBot(a: Partial<Activity>): boolean {
  return (a.entities ?? []).some((e) => e.type === "mention" && (e as { mentioned?: { id?: string } }).mentioned?.id === a.recipient?.id);
}

export class StepwiseBot extends TeamsActivityHandler {
  private readonly triageState: GuardedPrivateConversationState;
  private readonly settingsState: GuardedState;
  private readonly triage: StatePropertyAccessor<unknown>;
  private readonly council: StatePropertyAccessor<string | undefined>;

  constructor(private readonly deps: BotDeps) {
    super();
    this.triageState = new GuardedPrivateConversationState(deps.storage);
    this.settingsState = new GuardedState(deps.storage, settingsKey);
    this.triage = this.triageState.createProperty("triage");
    this.council = this.settingsState.createProperty("council");

    this.onMessage(async (context, next) => {
      const a = context.activity;
      // In channels and group chats Teams only sends messages that @mention the bot; ignore any other.
      if (isGroup(a) && !mentionsBot(a)) return next();
      const text = (isGroup(a) || mentionsBot(a) ? TurnContext.removeRecipientMention(a) ?? "" : a.text ?? "").replace(/<at>[^<]*<\/at>/g, "").trim();
      const result = await this.turn(context, { type: "text", text });
      await this.send(context, result.replies);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      if ((context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id)) {
        const result = await this.turn(context, { type: "welcome" });
        await this.send(context, result.replies);
      }
      await next();
    });
  }

  // `adaptiveCard/action` is handled here rather than in onAdaptiveCardInvoke: the base class answers
  // a non-Execute action with a bare 400 and throws (a 500) on a value without `action`, before any
  // handler runs. Here every payload goes through the zod schemas and gets a clear error card.
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== "adaptiveCard/action") return super.onInvokeActivity(context);
    return { status: 200, body: await this.cardAction(context) };
  }

  /** An Action.Execute from one of our cards; the response replaces that card in place. */
  private async cardAction(context: TurnContext): Promise<AdaptiveCardInvokeResponse> {
    const parsed = parseCardAction(context.activity.value);
    const result = await this.turn(context, parsed.ok ? parsed.input : { type: "invalid", problem: parsed.problem });
    const error = result.replies.find((r) => r.type === "error");
    await this.send(context, result.replies.filter((r) => r !== error));
    if (error?.type === "error") return { statusCode: 200, type: CARD_CONTENT_TYPE, value: errorCard(error.text) };
    if (result.ack) return { statusCode: 200, type: CARD_CONTENT_TYPE, value: answeredCard(result.ack.title, result.ack.text) };
    // Buttons on the recommendation and menus: the card stays as it was; Teams shows this short note.
    const note = parsed.ok ? NOTES[parsed.action.verb] : "Done";
    return { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: note as unknown as Record<string, unknown> };
  }

  /** Load, step, save (recomputing on an ETag conflict). Returns what to reply. */
  private async turn(context: TurnContext, input: TriageInput): Promise<StepResult> {
    const started = Date.now();
    const log = this.deps.log.child({ requestId: context.turnState.get(REQUEST_ID) as string | undefined, conversationId: context.activity.conversation?.id });
    for (let attempt = 1; ; attempt++) {
      const fresh = attempt > 1;
      await this.triageState.load(context, fresh);
      const stored = parseState(await this.triage.get(context));
      // The remembered council is only read when the triage has none (a new case), and written when chosen.
      const council = async () => {
        await this.settingsState.load(context, fresh);
        return this.council;
      };
      const state = this.startingState(stored, this.hasPack(stored?.authorityId) ? undefined : await (await council()).get(context));
      const result = step(state, input, { packs: this.deps.packs, now: this.deps.now() });
      await this.triage.set(context, result.state);
      // Remember a council chosen in this turn (not the STEPWISE_COUNCIL default, which may change).
      if (result.state.authorityId && result.state.authorityId !== state.authorityId) await (await council()).set(context, result.state.authorityId);
      try {
        // Settings first: if the triage write then conflicts, the retry sees the same council.
        await this.settingsState.saveChanges(context);
        await this.triageState.saveChanges(context);
      } catch (err) {
        if (err instanceof StorageConcurrencyError && attempt < MAX_ATTEMPTS) {
          log.warn("state changed by a concurrent turn; recomputing", { attempt });
          continue;
        }
        throw err;
      }
      log.info("turn", {
        activity: context.activity.type,
        input: input.type === "command" ? `command:${input.command}` : input.type,
        stage: result.state.stage,
        replies: result.replies.map((r) => (r.type === "error" ? `error:${r.code}` : r.type)),
        ms: Date.now() - started,
      });
      return result;
    }
  }

  /** The stored triage, or a new one under the remembered (or default) council. */
  private startingState(stored: TriageState | null, remembered: string | undefined): TriageState {
    if (stored && this.hasPack(stored.authorityId)) return stored;
    return initialState([remembered, this.deps.defaultCouncil].find((c): c is string => this.hasPack(c)) ?? null);
  }

  private hasPack(id: string | null | undefined): id is string {
    return !!id && !!this.deps.packs[id];
  }

  private async send(context: TurnContext, replies: Reply[]): Promise<void> {
    const activities: Partial<Activity>[] = [];
    for (const reply of replies) {
      if (reply.type === "transfer-request") {
        const a = context.activity;
        const request: TransferRequest = {
          authorityId: reply.authorityId,
          caseReference: reply.caseReference,
          facts: reply.facts,
          recommendation: reply.recommendation,
          requestedBy: { id: a.from.id, ...(a.from.name ? { name: a.from.name } : {}), ...(a.from.aadObjectId ? { aadObjectId: a.from.aadObjectId } : {}) },
          conversation: TurnContext.getConversationReference(a),
        };
        const hook = this.deps.requestTransfer ?? requestsComingSoon;
        activities.push({ type: "message", text: await hook(request, context) });
      } else {
        // A text followed by a card goes out as one message (fewer calls to Teams, read together).
        const next = renderReply(reply);
        const previous = activities[activities.length - 1];
        if (next?.attachments?.length && previous && previous.text && !previous.attachments?.length) previous.attachments = next.attachments;
        else if (next) activities.push(next);
      }
    }
    if (activities.length) await context.sendActivities(activities);
  }
}
