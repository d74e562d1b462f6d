/**
 * Driving a practitioner's triage to a recommendation in chat. The answers are worked out first with
 * the pure triage state machine (domain/triage.ts) from the facts of the case, then replayed over
 * HTTP as the question cards' buttons would send them.
 */
import { recommend, type Recommendation } from "../../domain/engine";
import type { CaseFacts } from "../../domain/facts";
import type { PolicyPack } from "../../domain/pack";
import { initialState, step, type TriageState } from "../../domain/triage";
import type { Conversation } from "./harness";

export interface Answer {
  questionId: string;
  value: string;
}

/** The answers the triage asks for, in order, for a case with these facts, and where it ends. */
export function simulate(pack: PolicyPack, facts: CaseFacts, caseReference: string, now = new Date()): { answers: Answer[]; recommendation: Recommendation } {
  const env = { packs: { [pack.id]: pack }, now };
  let state: TriageState = step(initialState(pack.id), { type: "text", text: "where should this case go?" }, env).state;
  const answers: Answer[] = [];
  for (let i = 0; i < 60 && state.stage !== "decided"; i++) {
    const q = state.pending;
    if (!q) throw new Error(`triage stuck at stage ${state.stage}`);
    const known = q.id === "caseReference" ? caseReference : (facts as Record<string, unknown>)[q.id];
    const value = known === undefined ? (q.options[0]?.value ?? "none") : String(known);
    answers.push({ questionId: q.id, value });
    const next = step(state, { type: "answer", questionId: q.id, value }, env);
    if (next.replies.some((r) => r.type === "error")) throw new Error(`triage refused ${q.id}=${value}: ${JSON.stringify(next.replies)}`);
    state = next.state;
  }
  if (state.stage !== "decided") throw new Error("triage did not decide");
  return { answers, recommendation: recommend(pack, state.facts, now) };
}

const requestable = (r: Recommendation) => r.status === "decided" && !!r.direction && ["step-up", "step-down", "transfer"].includes(r.direction) && !!r.destination && !!r.decider?.teamId;

/** A case for each council that leads to a transfer the practitioner can request (found, not guessed). */
export function requestableCase(pack: PolicyPack, caseReference: string, now = new Date()): { answers: Answer[]; recommendation: Recommendation } {
  const teams = pack.teams.map((t) => t.id);
  for (const currentTeam of teams)
    for (const concern of ["significant-harm", "child-in-need", "additional-needs"] as const)
      for (const ageYears of [8, 16])
        for (const consent of ["given", undefined] as const) {
          try {
            const sim = simulate(pack, { currentTeam, concern, ageYears, ...(consent ? { consent } : {}) }, caseReference, now);
            if (requestable(sim.recommendation)) return sim;
          } catch {
            // a path the simple answers cannot take: try the next
          }
        }
  throw new Error(`no simple requestable case found for ${pack.id}`);
}

/** Triage in chat to the recommendation, then press "Request this transfer". */
export async function triageAndRequest(chat: Conversation, pack: PolicyPack, answers: Answer[]) {
  await chat.execute("chooseCouncil", { councilId: pack.id });
  await chat.say("where should this case go?");
  for (const a of answers) await chat.execute("answer", { questionId: a.questionId, value: a.value });
  return chat.execute("requestTransfer");
}
