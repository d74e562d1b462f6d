/**
 * Draws Stepwise's two Teams app icons with pngjs, deterministically (same
 * bytes on every run, no fonts, no randomness):
 *
 *   manifest/color.png    192×192, opaque: three white stepping stones rising
 *                         left to right towards an arrow head, on the accent
 *                         colour. Edges are anti-aliased by 4×4 supersampling.
 *   manifest/outline.png   32×32, the same glyph in pure white on a fully
 *                         transparent background. No anti-aliasing: Teams wants
 *                         every pixel either transparent or white, so alpha is
 *                         only ever 0 or 255.
 *
 * Run: `npx tsx scripts/make-icons.ts` (the PNGs are committed; rerun only to
 * change the design). `ACCENT_COLOR` must match `accentColor` in
 * manifest/manifest.template.json.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";

export const ACCENT_COLOR = "#1F5F7A";

type Rgb = readonly [number, number, number];
/** Returns true when the point (x, y), in icon units, is inside the glyph. */
type Shape = (x: number, y: number) => boolean;

function hexToRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m || !m[1] || !m[2] || !m[3]) throw new Error(`Not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

/** Triangle, vertices in any order. */
function triangle(a: readonly [number, number], b: readonly [number, number], c: readonly [number, number]): Shape {
  const side = (p: readonly [number, number], q: readonly [number, number], x: number, y: number): number =>
    (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  return (x, y) => {
    const s1 = side(a, b, x, y);
    const s2 = side(b, c, x, y);
    const s3 = side(c, a, x, y);
    return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  };
}

/** The shape shrunk (factor < 1) or grown about the centre of the unit square. */
function scaled(shape: Shape, factor: number): Shape {
  return (x, y) => shape((x - 0.5) / factor + 0.5, (y - 0.5) / factor + 0.5);
}

function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((s) => s(x, y));
}

/**
 * The glyph on a 0..1 unit square: three flat stones climbing from bottom left
 * to top right, and where a fourth stone would be, an arrow head pointing on up
 * the same line ("the next step").
 */
function glyph(): Shape {
  const w = 0.22;
  const h = 0.1;
  const stone = (cx: number, cy: number): Shape => roundedRect(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, h / 2);
  // Direction of the climb, from one stone centre to the next.
  const step: [number, number] = [0.2, -0.15];
  const first: [number, number] = [0.2, 0.76];
  const at = (k: number): [number, number] => [first[0] + k * step[0], first[1] + k * step[1]];
  const len = Math.hypot(step[0], step[1]);
  const d: [number, number] = [step[0] / len, step[1] / len];
  const n: [number, number] = [-d[1], d[0]];
  const c = at(3);
  const tipLen = 0.13;
  const backLen = 0.06;
  const halfBase = 0.13;
  const head = triangle(
    [c[0] + d[0] * tipLen, c[1] + d[1] * tipLen],
    [c[0] - d[0] * backLen + n[0] * halfBase, c[1] - d[1] * backLen + n[1] * halfBase],
    [c[0] - d[0] * backLen - n[0] * halfBase, c[1] - d[1] * backLen - n[1] * halfBase],
  );
  return union(stone(...at(0)), stone(...at(1)), stone(...at(2)), head);
}

/** Opaque colour icon with supersampled anti-aliasing. */
export function drawColor(size = 192, samples = 4): PNG {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  const bg = hexToRgb(ACCENT_COLOR);
  const fg: Rgb = [255, 255, 255];
  // Keep the symbol inside the central ~80 % so it survives Teams' rounded crop.
  const inside = scaled(glyph(), 0.8);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (inside(x, y)) hits++;
        }
      }
      const t = hits / (samples * samples);
      const i = (py * size + px) * 4;
      png.data[i] = Math.round(bg[0] + (fg[0] - bg[0]) * t);
      png.data[i + 1] = Math.round(bg[1] + (fg[1] - bg[1]) * t);
      png.data[i + 2] = Math.round(bg[2] + (fg[2] - bg[2]) * t);
      png.data[i + 3] = 255;
    }
  }
  return png;
}

/** White-on-transparent outline icon; each pixel is sampled once at its centre. */
export function drawOutline(size = 32): PNG {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  const inside = glyph();
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const on = inside((px + 0.5) / size, (py + 0.5) / size);
      const i = (py * size + px) * 4;
      // Transparent pixels are also white (RGB 255) so that no tool that ignores
      // alpha ever sees a dark fringe.
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      png.data[i + 3] = on ? 255 : 0;
    }
  }
  return png;
}

export function writeIcons(dir: string): { color: string; outline: string } {
  mkdirSync(dir, { recursive: true });
  const color = join(dir, "color.png");
  const outline = join(dir, "outline.png");
  writeFileSync(color, PNG.sync.write(drawColor(), { colorType: 6 }));
  writeFileSync(outline, PNG.sync.write(drawOutline(), { colorType: 6 }));
  return { color, outline };
}

if (require.main === module) {
  const { color, outline } = writeIcons(join(__dirname, "..", "manifest"));
  console.log(`${color}\n${outline}`);
}
