/**
 * `npm run chat`: the Teams triage conversation in the terminal, on the same pure state machine
 * (domain/triage.ts). Reads one message per line from stdin, so it also works piped:
 *
 *   npm run chat -- --council enfield
 *   printf 'where should this case go?\n1\nno\n' | npm run -s chat -- --council hertfordshire
 *
 * The council comes from --council, else STEPWISE_COUNCIL, else it is asked. State lives in memory
 * only; nothing is written anywhere.
 */
import { createInterface } from "node:readline";
import { availablePacks } from "../bot/packs";
import { formatRecommendation } from "../domain/format";
import { initialState, step, type Reply, type TriageInput, type TriageState } from "../domain/triage";

function usage(): string {
  return "usage: npm run chat -- [--council <id>]   (then type messages; Ctrl-D to end)";
}

function parseArgs(argv: string[]): { council?: string } {
  const out: { council?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--council") out.council = argv[++i];
    else if (arg?.startsWith("--council=")) out.council = arg.slice("--council=".length);
    else if (arg === "--help" || arg === "-h") {
      console.log(usage());
      process.exit(0);
    } else {
      console.error(`unknown argument ${JSON.stringify(arg)}\n${usage()}`);
      process.exit(2);
    }
  }
  return out;
}

const indent = (text: string) => text.split("\n").map((l) => `  ${l}`).join("\n");

/** A reply as terminal text. */
function replyText(reply: Reply): string {
  switch (reply.type) {
    case "text":
      return reply.text;
    case "error":
      return `! ${reply.text}`;
    case "question": {
      const q = reply.question;
      const lines = [`Question ${reply.number}: ${q.text}`];
      if (q.help) lines.push(`  (${q.help})`);
      q.options.forEach((o, i) => lines.push(`  ${i + 1}. ${o.label}`));
      lines.push(q.kind === "date" ? "  (a date, e.g. 29/12/2026 or today)" : q.kind === "number" ? "  (a whole number)" : q.kind === "text" ? "  (type it, or the number of an option)" : "  (type the number or the words)");
      return lines.join("\n");
    }
    case "choose-council":
      return ["Which council's protocol should I use?", ...reply.councils.map((c, i) => `  ${i + 1}. ${c.name}`)].join("\n");
    case "choose-change":
      return ['Which answer do you want to change? (type its number, or "back")', ...reply.items.map((item, i) => `  ${i + 1}. ${item.question} → ${item.answer}`)].join("\n");
    case "recommendation":
      return [
        "Recommendation",
        indent(formatRecommendation(reply.recommendation)),
        `  Case reference: ${reply.caseReference ?? "not given"}`,
        '  (In Teams this card has "Request this transfer", "Change an answer" and "Start again" buttons.)',
      ].join("\n");
    case "transfer-request":
      return "Transfer requests are made from Teams.";
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { packs, problems } = availablePacks();
  for (const p of problems) console.error(`warning: council pack ${p.id} not loaded: ${p.problem}`);
  const council = args.council ?? (process.env.STEPWISE_COUNCIL || undefined);
  if (council && !packs[council]) {
    console.error(`unknown council ${JSON.stringify(council)}; known: ${Object.keys(packs).join(", ")}`);
    process.exit(2);
  }

  const interactive = process.stdin.isTTY === true;
  let state: TriageState = initialState(council ?? null);
  let lastReplies: Reply[] = [];
  const run = (input: TriageInput) => {
    const result = step(state, input, { packs, now: new Date() });
    state = result.state;
    lastReplies = result.replies;
    console.log(result.replies.map(replyText).join("\n\n"));
  };

  run({ type: "welcome" });
  const rl = createInterface({ input: process.stdin, terminal: interactive });
  if (interactive) rl.setPrompt("\n> ");
  if (interactive) rl.prompt();
  for await (const line of rl) {
    if (!interactive) console.log(`\n> ${line}`);
    else console.log();
    // A number on the council list chooses that council.
    const list = lastReplies.find((r) => r.type === "choose-council");
    const n = /^\s*(\d{1,2})\s*$/.exec(line)?.[1];
    const chosen = list?.type === "choose-council" && n ? list.councils[Number(n) - 1] : undefined;
    run(chosen ? { type: "chooseCouncil", councilId: chosen.id } : { type: "text", text: line });
    if (interactive) rl.prompt();
  }
  if (interactive) console.log();
}

void main();
