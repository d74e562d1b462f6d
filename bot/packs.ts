/**
 * The councils' packs that load. Packs are data written separately; one that is missing or invalid
 * is reported and left out so that the others still work (the pack index is required lazily for the
 * same reason: a missing JSON file must not stop the bot from starting).
 */
import type { PolicyPack } from "../domain/pack";

type PacksModule = typeof import("../domain/packs");

function packsModule(): PacksModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("../domain/packs") as PacksModule;
}

/** The council ids Stepwise knows (empty if the pack index itself does not load). */
export function councilIds(): string[] {
  try {
    return packsModule().AUTHORITY_IDS;
  } catch {
    return [];
  }
}

export function availablePacks(): { packs: Record<string, PolicyPack>; problems: { id: string; problem: string }[] } {
  const packs: Record<string, PolicyPack> = {};
  const problems: { id: string; problem: string }[] = [];
  let mod: PacksModule;
  try {
    mod = packsModule();
  } catch (err) {
    return { packs, problems: [{ id: "(all)", problem: (err as Error).message.split("\n")[0] ?? "the pack index does not load" }] };
  }
  for (const id of mod.AUTHORITY_IDS) {
    try {
      const pack = mod.getPack(id);
      if (pack) packs[id] = pack;
    } catch (err) {
      problems.push({ id, problem: (err as Error).message.split("\n")[0] ?? "does not load" });
    }
  }
  return { packs, problems };
}
