/**
 * The councils' policy packs. Each is data (`<id>.json`) checked against the pack schema and its own
 * references when first used; adding a council is adding its JSON file and one line here.
 */
import { loadPack } from "../check";
import type { PolicyPack } from "../pack";
import hertfordshire from "./hertfordshire.json";
import suffolk from "./suffolk.json";
import leicestershire from "./leicestershire.json";
import enfield from "./enfield.json";
import leicesterCity from "./leicester-city.json";

const SOURCES: Record<string, unknown> = {
  hertfordshire,
  suffolk,
  leicestershire,
  enfield,
  "leicester-city": leicesterCity,
};

const loaded = new Map<string, PolicyPack>();

export const AUTHORITY_IDS = Object.keys(SOURCES);

/** The pack of a council, or undefined if Stepwise has none by that id. */
export function getPack(id: string): PolicyPack | undefined {
  const cached = loaded.get(id);
  if (cached) return cached;
  if (!Object.prototype.hasOwnProperty.call(SOURCES, id)) return undefined;
  const pack = loadPack(SOURCES[id]);
  loaded.set(id, pack);
  return pack;
}

export function allPacks(): PolicyPack[] {
  return AUTHORITY_IDS.map((id) => getPack(id) as PolicyPack);
}
