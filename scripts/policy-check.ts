/**
 * npm run policy:check [-- <authority id> ...]
 * Validates every policy pack: schema, references (teams, roles, ladders), citations, and that no two
 * rules can apply to the same facts with different answers unless one overrides the other.
 */
import { checkPack, PackError } from "../domain/check";
import { AUTHORITY_IDS, getPack } from "../domain/packs";

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const ids = wanted.length ? wanted : AUTHORITY_IDS;
let failed = 0;
for (const id of ids) {
  if (!AUTHORITY_IDS.includes(id)) {
    console.error(`${id}: unknown authority (known: ${AUTHORITY_IDS.join(", ")})`);
    failed++;
    continue;
  }
  try {
    const pack = getPack(id)!;
    const issues = checkPack(pack);
    if (issues.length) {
      failed++;
      console.error(`✗ ${id}: ${issues.length} problem(s)`);
      for (const i of issues) console.error(`  ${i.path}: ${i.problem}`);
    } else {
      console.log(`✓ ${id}: ${pack.rules.length} rules, ${pack.teams.length} teams, ${pack.ladders.length} ladders — all cited, no conflicting rules`);
    }
  } catch (e) {
    failed++;
    console.error(e instanceof PackError ? `✗ ${e.message}` : `✗ ${id}: ${(e as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
