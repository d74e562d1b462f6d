/**
 * botbuilder's BotState writes with `eTag: "*"` (last writer wins). These subclasses keep its keys
 * and property accessors but write back with the ETag they read, so that with TableStorage a turn
 * whose state was changed meanwhile by another turn of the same conversation fails with
 * StorageConcurrencyError instead of silently overwriting it. (The very first write of a new key
 * has no ETag to compare and is an upsert.)
 */
import { BotState, calculateChangeHash, PrivateConversationState, type Storage, type TurnContext } from "botbuilder";

/** Remembers the change hash of the state as loaded, and writes only a changed state, with its ETag. */
class EtagGuard {
  private readonly loadedHash = Symbol("stepwise.loadedHash");

  afterLoad(context: TurnContext, state: object, fresh: boolean): void {
    if (fresh) context.turnState.set(this.loadedHash, calculateChangeHash(state));
  }

  async save(context: TurnContext, state: Record<string, unknown> | undefined, storage: Storage, key: string, force: boolean): Promise<void> {
    if (!state || (!force && calculateChangeHash(state) === context.turnState.get(this.loadedHash))) return;
    // The state object still carries the eTag it was read with; TableStorage sets the new one on it.
    await storage.write({ [key]: state });
    context.turnState.set(this.loadedHash, calculateChangeHash(state));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StateClass = abstract new (...args: any[]) => BotState;

/** The same BotState class, writing back with the ETag it read (see EtagGuard). */
function withEtags<Base extends StateClass>(base: Base) {
  abstract class Guarded extends base {
    readonly #guard = new EtagGuard();

    override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
      const fresh = force || this.get(context) === undefined;
      const state = (await super.load(context, force)) as Record<string, unknown>;
      this.#guard.afterLoad(context, state, fresh);
      return state;
    }

    override async saveChanges(context: TurnContext, force = false): Promise<void> {
      await this.#guard.save(context, this.get(context), this.storage, await this.storageKey(context), force);
    }
  }
  return Guarded;
}

/** Per user per conversation (botbuilder's PrivateConversationState keys), written with ETags. */
export class GuardedPrivateConversationState extends withEtags(PrivateConversationState) {}

/** State under any key (here: the council per team, group chat or user), written with ETags. */
export class GuardedState extends withEtags(BotState) {}
