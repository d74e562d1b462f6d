/**
 * The councils' policy packs. Each is data (`<id>.json`) checked against the pack schema and its own
 * references when first used; adding a council is adding its JSON file and one line here.
 */
import { loadPack } from "../check";
import type { PolicyPack } from "../pack";

const SOURCES: Record<string, () => unknown> = {
  hertfordshire: () => require("./hertfordshire.json"),
  suffolk: () => require("./suffolk.json"),
  leicestershire: () => require("./leicestershire.json"),
  enfield: () => require("./enfield.json"),
  "leicester-city": () => require("./leicester-city.json"),
};

const loaded = new Map<string, PolicyPack>();

export const AUTHORITY_IDS = Object.keys(SOURCES);

/** The pack of a council, or undefined if Stepwise has none by that id. */
export function getPack(id: string): PolicyPack | undefined {
  const cached = loaded.get(id);
  if (cached) return cached;
  const source = SOURCES[id];
  if (!source) return undefined;
  const pack = loadPack(source());
  loaded.set(id, pack);
  return pack;
}

export function allPacks(): PolicyPack[] {
  return AUTHORITY_IDS.map((id) => getPack(id) as PolicyPack);
}
