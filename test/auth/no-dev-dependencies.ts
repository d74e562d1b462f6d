/**
 * Preloaded (`node -r`) into the production entry in test/auth/entry.test.ts. App Service installs
 * only what `npm install` installs with NODE_ENV=production, i.e. the packages that package-lock.json
 * does not mark `"dev": true` (azurite above all). Any module outside those packages that loads a
 * dev-only package makes this throw. (A dev-only package loading its own files is let through: tsx,
 * the test's TypeScript loader, is one.)
 */
import Module from "node:module";
import { readFileSync } from "node:fs";
import { join, sep } from "node:path";

const ROOT = join(__dirname, "..", "..");
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages?: Record<string, { dev?: boolean }> };
const devOnly = Object.entries(lock.packages ?? {})
  .filter(([path, p]) => path && p.dev === true)
  .map(([path]) => join(ROOT, ...path.split("/")) + sep);
const isDevOnly = (file: string | undefined) => !!file && devOnly.some((dir) => file.startsWith(dir));

type Loader = { _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown; _resolveFilename: (request: string, parent: unknown, isMain: boolean) => string };
const mod = Module as unknown as Loader;
const load = mod._load;
mod._load = function (request, parent, isMain) {
  if (!isDevOnly(parent?.filename)) {
    let file: string | undefined;
    try {
      file = mod._resolveFilename(request, parent, isMain);
    } catch {
      file = undefined; // let the real load report it
    }
    if (isDevOnly(file)) throw new Error(`the production entry loaded "${request}" (${file}), which npm does not install in production (a devDependency)`);
  }
  return load.call(this, request, parent, isMain);
};
