/**
 * Transfer request approvals (issue 4): the one surface the bot shell uses.
 *
 *   const approvals = createApprovals({ adapter, storageConnectionString, botAppId, packs, log });
 *   adapter.use(approvals.middleware);                 // approval card actions, commands, installs
 *   new StepwiseBot({ …, requestTransfer: approvals.requestTransfer });   // "Request this transfer"
 *
 * The middleware answers the approval cards' `adaptiveCard/action` invokes (approve, decline, askInfo,
 * reassign, refreshView, giveInfo) and the approvals commands ("register this channel as …",
 * "approvers …", "channels", "history TR-…"), and notes installs and channel updates; everything else
 * goes on to the bot unchanged. The same steps are exposed one by one (handleInvoke, handleCommand,
 * onTeamInstalled) for a shell that prefers to call them itself.
 *
 * The escalation ladder (issue 5, ladder.ts) is part of it unless switched off: every request's
 * decision clock starts when it is made, and `escalation.startSweeper()` (bot/server.ts calls it)
 * posts the reminders, escalations and daily digests that fall due; disagreements with a decision
 * start from the decided card.
 */
import type { Activity, AdaptiveCardInvokeResponse, CloudAdapter, Middleware, TurnContext } from "botbuilder";
import { resolvePolicy, type PolicyOverrides, type WORKING_HOURS_RULES } from "../../domain/escalation";
import type { PolicyPack } from "../../domain/pack";
import { EscalationStore } from "../escalation/store";
import { createLogger, type Logger } from "../log";
import { Demo, type DemoOptions } from "./demo";
import { Ladder } from "./ladder";
import { Outbox } from "./outbox";
import { approvalVerbOf } from "./payloads";
import { Sender, type RetryPolicy } from "./sender";
import { ApprovalsService, type TransferHookInput } from "./service";
import { ApprovalStore } from "./store";

export type { TransferHookInput } from "./service";
export type { DemoOptions } from "./demo";
export type { Ladder, SweeperOptions } from "./ladder";

export interface EscalationOptions {
  /** Reminders and escalations outside working hours: deferred to the next 09:00 unless urgent (default), always, or never. */
  workingHours?: (typeof WORKING_HOURS_RULES)[number];
  /** Further policy (reminder leads, windows for levels the protocol gives no time): domain/escalation.ts. */
  policy?: PolicyOverrides;
  /** The Table Storage table of the clocks (default "escalations"). */
  table?: string;
  shards?: number;
}

export interface ApprovalsDeps {
  adapter: CloudAdapter;
  storageConnectionString: string;
  /** The bot's Microsoft app id; "" or undefined in anonymous local mode. */
  botAppId?: string;
  packs: Readonly<Record<string, PolicyPack>>;
  now?: () => Date;
  log?: Logger;
  /** The retry policy for proactive sends (tests shorten the delays). */
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** How long a turn waits for a post or a card update before answering (default 4 s); the rest goes on in the background. */
  turnBudgetMs?: number;
  /** Retry first posts that failed every this many ms (default 60 s; 0: never, call retryUndelivered). */
  retryEveryMs?: number;
  /** Teams user ids or Entra object ids who may register channels and change approvers (default: anyone in the team). */
  admins?: readonly string[];
  /** The local demo's manager persona (docs/demo.md); refused when botAppId is set. */
  demo?: DemoOptions;
  /** The escalation ladder (issue 5): on by default; `false` turns it off. */
  escalation?: EscalationOptions | false;
}

export interface Approvals {
  /** botbuilder middleware: handles what is ours, passes everything else on. */
  readonly middleware: Middleware;
  /** The triage shell's "Request this transfer" hook: returns what to tell the practitioner. */
  requestTransfer(request: TransferHookInput, context: TurnContext): Promise<string>;
  /** The answer to an approval card's Action.Execute, or undefined if the invoke is not one of ours. */
  handleInvoke(context: TurnContext): Promise<AdaptiveCardInvokeResponse | undefined>;
  /** Handles an approvals command (mentions already stripped or not); false if the text is not one. */
  handleCommand(context: TurnContext, text: string): Promise<boolean>;
  /** Keeps the team's conversation reference on install / channel updates. */
  onTeamInstalled(context: TurnContext): Promise<void>;
  /** Post requests whose first post failed (also done on a timer, see retryEveryMs). */
  retryUndelivered(): Promise<number>;
  /** Resolves when background work (card updates, notifications) is done. */
  idle(): Promise<void>;
  /** Stop the retry timer. */
  close(): void;
  /** The escalation ladder (issue 5): its clocks, the sweeper's post, the sweeper; undefined when switched off. */
  readonly escalation: Ladder | undefined;
  /** For tests and scripts. */
  readonly store: ApprovalStore;
  readonly service: ApprovalsService;
}

function isChannelOrGroup(a: Partial<Activity>): boolean {
  const t = a.conversation?.conversationType;
  return t === "channel" || t === "groupChat" || a.conversation?.isGroup === true;
}

function mentionsBot(a: Partial<Activity>): boolean {
  return (a.entities ?? []).some((e) => e.type === "mention" && (e as { mentioned?: { id?: string } }).mentioned?.id === a.recipient?.id);
}

export function createApprovals(deps: ApprovalsDeps): Approvals {
  const log = (deps.log ?? createLogger("info")).child({ component: "approvals" });
  const botAppId = deps.botAppId ?? "";
  const demo = new Demo(deps.demo, botAppId);
  const now = deps.now ?? (() => new Date());
  const store = new ApprovalStore(deps.storageConnectionString);
  const sender = new Sender({ adapter: deps.adapter, botAppId, log, ...(deps.retry ? { policy: deps.retry } : {}), ...(deps.sleep ? { sleep: deps.sleep } : {}), ...(deps.random ? { random: deps.random } : {}) });
  const outbox = new Outbox(store, now, log);
  const service = new ApprovalsService({ store, sender, outbox, packs: deps.packs, now, log, demo, turnBudgetMs: deps.turnBudgetMs ?? 4000, admins: deps.admins ?? [] });
  if (demo.enabled) log.info("demo manager persona is on (anonymous local mode only)");
  let escalation: Ladder | undefined;
  if (deps.escalation !== false) {
    const options = deps.escalation ?? {};
    const policy = resolvePolicy({ ...options.policy, ...(options.workingHours ? { workingHours: options.workingHours } : {}) });
    const escalations = EscalationStore.fromConnectionString(deps.storageConnectionString, options.table ?? "escalations", options.shards ? { shards: options.shards } : {});
    escalation = new Ladder({ escalations, store, sender, outbox, packs: deps.packs, now, log: log.child({ component: "escalation" }), policy, admins: deps.admins ?? [] }, service);
    service.attachLadder(escalation);
  }

  const handleInvoke = async (context: TurnContext): Promise<AdaptiveCardInvokeResponse | undefined> => {
    const a = context.activity;
    if (a.type !== "invoke" || a.name !== "adaptiveCard/action" || !approvalVerbOf(a.value)) return undefined;
    return service.handleInvoke(context);
  };

  const handleCommand = (context: TurnContext, text: string) => service.handleCommand(context, text);

  const onTeamInstalled = (context: TurnContext) => service.onConversationUpdate(context);

  const middleware: Middleware = {
    async onTurn(context, next) {
      const a = context.activity;
      if (a.type === "invoke") {
        const answer = await handleInvoke(context);
        if (answer) {
          await context.sendActivity({ type: "invokeResponse", value: { status: 200, body: answer } });
          return;
        }
      } else if (a.type === "message") {
        // In channels and group chats only messages that @mention Stepwise are for it (as in Teams).
        if (!isChannelOrGroup(a) || mentionsBot(a)) {
          const text = (a.text ?? "").replace(/<at>[^<]*<\/at>/g, " ").trim();
          if (await handleCommand(context, text)) return;
        }
      } else if (a.type === "conversationUpdate" || a.type === "installationUpdate") {
        await onTeamInstalled(context).catch((err: unknown) => log.error("could not record the team", { error: (err as Error).name, message: (err as Error).message }));
      }
      await next();
    },
  };

  let timer: NodeJS.Timeout | undefined;
  const every = deps.retryEveryMs ?? 60_000;
  if (every > 0) {
    timer = setInterval(() => {
      service.retryUndelivered().catch((err: unknown) => log.error("retrying undelivered requests failed", { error: (err as Error).name }));
    }, every);
    timer.unref();
  }

  return {
    middleware,
    requestTransfer: (request, context) => service.requestTransfer(request, context),
    handleInvoke,
    handleCommand,
    onTeamInstalled,
    retryUndelivered: () => service.retryUndelivered(),
    idle: () => service.idle(),
    close: () => {
      clearInterval(timer);
      void escalation?.stopSweeper();
    },
    escalation,
    store,
    service,
  };
}
