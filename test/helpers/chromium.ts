import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';

const run = promisify(execFile);

/** Debian's Chromium; tests use it directly so that no browser is downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  constructor() {
    super(
      `Chromium is not installed at ${CHROMIUM_PATH}: install it with "apt-get install chromium" to run browser tests`,
    );
    this.name = 'ChromiumMissingError';
  }
}

/** Throws, rather than skipping, so a machine without Chromium cannot pass the browser tests by accident. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) throw new ChromiumMissingError();
}

/** Runs headless Chromium once with a throw-away profile; the flags keep it offline and quiet as root. */
async function chromium(args: string[]): Promise<string> {
  requireChromium();
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  try {
    const { stdout } = await run(
      CHROMIUM_PATH,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        `--user-data-dir=${profile}`,
        '--hide-scrollbars',
        // Exact colours: the layout probe reads numbers back from pixels.
        '--force-color-profile=srgb',
        ...args,
      ],
      { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * Makes the page see `prefers-color-scheme: dark`. Checked with Chromium 156: this flag and
 * `--force-dark-mode` both do; this one changes nothing else (no forced darkening of the page).
 */
export const DARK_MODE_FLAG = '--blink-settings=preferredColorScheme=0';

/** A screenshot of the first `height` pixels of the page at a viewport `width` wide. */
export async function screenshot(
  fileUrl: string,
  width: number,
  height: number,
  flags: readonly string[] = [],
): Promise<PNG> {
  const dir = await mkdtemp(join(tmpdir(), 'chromium-shot-'));
  const out = join(dir, 'out.png');
  try {
    await chromium([...flags, `--screenshot=${out}`, `--window-size=${width},${height}`, fileUrl]);
    if (!existsSync(out)) throw new Error(`Chromium wrote no screenshot for ${fileUrl}`);
    return PNG.sync.read(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function savePng(png: PNG, path: string): Promise<void> {
  return writeFile(path, PNG.sync.write(png));
}

export interface PixelStats {
  /** Share of pixels that differ from the most common colour (the background). */
  contentShare: number;
  distinctColours: number;
}

/** Share of pixels whose brightest channel is at least `min` (0–255): light text on a dark page. */
export function lightShare(png: PNG, min: number): number {
  let light = 0;
  for (let i = 0; i < png.data.length; i += 4)
    if (Math.max(png.data[i] ?? 0, png.data[i + 1] ?? 0, png.data[i + 2] ?? 0) >= min) light++;
  return light / (png.width * png.height);
}

export function pixelStats(png: PNG): PixelStats {
  const counts = new Map<number, number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const rgb = ((png.data[i] ?? 0) << 16) | ((png.data[i + 1] ?? 0) << 8) | (png.data[i + 2] ?? 0);
    counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
  }
  const total = png.width * png.height;
  const background = Math.max(0, ...counts.values());
  return { contentShare: total === 0 ? 0 : 1 - background / total, distinctColours: counts.size };
}

/** Blank: almost every pixel is the background colour, or the picture has only a handful of colours (no text). */
export function isBlank(png: PNG): boolean {
  const { contentShare, distinctColours } = pixelStats(png);
  return contentShare < 0.02 || distinctColours < 16;
}

export interface LayoutWidth {
  /** Width of the laid-out document, including anything that overflows to the right. */
  scrollWidth: number;
  /** Width of the viewport it was laid out in. */
  viewportWidth: number;
}

/**
 * Lays out a page at a viewport `width` wide and reports how wide its content is. --dump-dom cannot be used:
 * it reports the layout at Chromium's minimum window width (500 px). Instead a probe copy of the page (next to it, so relative links
 * resolve the same) covers itself after load with two bands whose colours encode the two widths, and a
 * screenshot of the probe is decoded.
 */
export async function layoutWidth(htmlPath: string, width: number): Promise<LayoutWidth> {
  const probe = join(dirname(htmlPath), `.probe-${basename(htmlPath)}`);
  const html = await readFile(htmlPath, 'utf8');
  // Chromium loads the page in a window at least 500 px wide and only then resizes it for the screenshot,
  // so the bands are refreshed on every frame rather than measured once on load.
  const script = `<script>
(() => {
  const band = (top) => {
    const div = document.createElement('div');
    div.style.cssText = 'position:fixed;left:0;width:100vw;height:50vh;z-index:2147483647;top:' + top;
    document.documentElement.appendChild(div);
    return div;
  };
  const colour = (n) => 'rgb(' + (n >> 8) + ',' + (n & 255) + ',0)';
  const scroll = band('0');
  const viewport = band('50vh');
  const paint = () => {
    scroll.style.background = colour(document.documentElement.scrollWidth);
    viewport.style.background = colour(window.innerWidth);
    requestAnimationFrame(paint);
  };
  paint();
})();
</script>`;
  await writeFile(probe, html.replace(/<\/body>/i, `${script}</body>`));
  try {
    const png = await screenshot(`file://${probe}`, width, 400);
    const decode = (y: number): number => {
      const i = (y * png.width + 0) * 4;
      return ((png.data[i] ?? 0) << 8) | (png.data[i + 1] ?? 0);
    };
    return {
      scrollWidth: decode(Math.floor(png.height / 4)),
      viewportWidth: decode(Math.floor((png.height * 3) / 4)),
    };
  } finally {
    await rm(probe, { force: true });
  }
}

/** A CSS pixel box, relative to the top-left corner of the viewport (and of its screenshot). */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface ElementBox extends Box {
  /** A tap at the centre of the box lands on the element or inside it: it is on screen, shown and not covered. */
  hitAtCentre: boolean;
}

export interface PageProbe extends LayoutWidth {
  viewportHeight: number;
  /** Height of the laid-out document: a second probe with a window this tall sees the whole page. */
  scrollHeight: number;
  /** The first element each selector matches; undefined when none does. */
  elements: Record<string, ElementBox | undefined>;
  /** The screenshot the numbers were read from, without the probe's strip of cells at the bottom. */
  png: PNG;
}

export interface ProbeOptions {
  width: number;
  height: number;
  /** Names for the results → CSS selectors. */
  selectors?: Record<string, string>;
}

export class LayoutProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayoutProbeError';
  }
}

/** Cells of the probe's strip, in CSS pixels: whole pixels at a device scale of 1, so each cell's centre is exact. */
const CELL = 4;
/** Values are stored offset into 24 bits so that negative coordinates (off screen to the left or above) survive. */
const OFFSET = 0x80_0000;
/** Read first: proves the probe ran, so a page that blocks scripts fails loudly instead of reading as zeros. */
const MAGIC = 0x12_3457;
const HEADER = 5;
const PER_ELEMENT = 6;

/**
 * Lays out a page at `width`×`height`, like `layoutWidth`, and also reports where elements are and whether
 * a tap would reach them. The numbers are written as a strip of coloured cells along the bottom of the
 * viewport (fixed, and ignored by hit testing) and decoded from the screenshot; the rest of the
 * screenshot is returned for pixel checks and for a person to look at. Nothing is scrolled: Chromium's
 * --screenshot paints a scrolled page blank, so content further down is reached with a taller window.
 */
export async function probePage(htmlPath: string, options: ProbeOptions): Promise<PageProbe> {
  const names = Object.keys(options.selectors ?? {});
  const selectors = names.map((name) => options.selectors?.[name] ?? '');
  const count = HEADER + PER_ELEMENT * names.length;
  const perRow = Math.floor(options.width / CELL);
  const rows = Math.ceil(count / perRow);
  if (rows * CELL > options.height / 4) {
    throw new LayoutProbeError(`too many selectors (${names.length}) for a ${options.width} px wide probe`);
  }
  // JSON inside <script>: "<" is escaped so no selector can close the element.
  const json = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
  const script = `<script>
(() => {
  const selectors = ${json(selectors)};
  const CELL = ${CELL}, OFFSET = ${OFFSET}, MAGIC = ${MAGIC}, COUNT = ${count};
  const cells = [];
  for (let i = 0; i < COUNT; i++) {
    const cell = document.createElement('div');
    cell.style.cssText = 'position:fixed;margin:0;padding:0;border:0;pointer-events:none;z-index:2147483647;width:' + CELL + 'px;height:' + CELL + 'px';
    document.documentElement.appendChild(cell);
    cells.push(cell);
  }
  const measure = () => {
    const root = document.documentElement;
    const values = [MAGIC, root.scrollWidth, window.innerWidth, window.innerHeight, root.scrollHeight];
    for (const selector of selectors) {
      const element = document.querySelector(selector);
      if (!element) { values.push(0, 0, 0, 0, 0, 0); continue; }
      const r = element.getBoundingClientRect();
      const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
      values.push(1, Math.round(r.left), Math.round(r.top), Math.round(r.right), Math.round(r.bottom), hit !== null && element.contains(hit) ? 1 : 0);
    }
    return values;
  };
  // Chromium lays the page out at 500 px or more before it shrinks the window for the screenshot,
  // so the cells are refreshed on every frame rather than written once on load.
  const paint = () => {
    const values = measure();
    const perRow = Math.max(1, Math.floor(window.innerWidth / CELL));
    const rows = Math.ceil(COUNT / perRow);
    values.forEach((value, i) => {
      const v = (value + OFFSET) & 0xffffff;
      const style = cells[i].style;
      style.left = (i % perRow) * CELL + 'px';
      style.top = (window.innerHeight - (rows - Math.floor(i / perRow)) * CELL) + 'px';
      style.background = 'rgb(' + (v >> 16) + ',' + ((v >> 8) & 255) + ',' + (v & 255) + ')';
    });
    requestAnimationFrame(paint);
  };
  paint();
})();
</script>`;
  const html = await readFile(htmlPath, 'utf8');
  const end = html.toLowerCase().lastIndexOf('</body>');
  const probed = end < 0 ? `${html}${script}` : `${html.slice(0, end)}${script}${html.slice(end)}`;
  // Next to the page so relative links resolve the same; a unique name so probes of one page can run at once.
  const probe = join(dirname(htmlPath), `.probe-${randomUUID()}-${basename(htmlPath)}`);
  await writeFile(probe, probed);
  let shot: PNG;
  try {
    shot = await screenshot(pathToFileURL(probe).href, options.width, options.height);
  } finally {
    await rm(probe, { force: true });
  }
  const value = (i: number): number => {
    const x = (i % perRow) * CELL + CELL / 2;
    const y = shot.height - (rows - Math.floor(i / perRow)) * CELL + CELL / 2;
    const p = (y * shot.width + x) * 4;
    return (((shot.data[p] ?? 0) << 16) | ((shot.data[p + 1] ?? 0) << 8) | (shot.data[p + 2] ?? 0)) - OFFSET;
  };
  if (shot.width !== options.width || value(0) !== MAGIC) {
    throw new LayoutProbeError(`the layout probe did not run in ${htmlPath} (are scripts blocked?)`);
  }
  // The cells are laid out by the page's own viewport width: any other width would misplace them.
  if (value(2) !== options.width) {
    throw new LayoutProbeError(`${htmlPath} was measured at ${value(2)} px, not ${options.width} px`);
  }
  const elements: Record<string, ElementBox | undefined> = {};
  names.forEach((name, n) => {
    const at = HEADER + PER_ELEMENT * n;
    elements[name] =
      value(at) === 1
        ? {
            left: value(at + 1),
            top: value(at + 2),
            right: value(at + 3),
            bottom: value(at + 4),
            hitAtCentre: value(at + 5) === 1,
          }
        : undefined;
  });
  const png = new PNG({ width: shot.width, height: shot.height - rows * CELL });
  PNG.bitblt(shot, png, 0, 0, png.width, png.height, 0, 0);
  return {
    scrollWidth: value(1),
    viewportWidth: value(2),
    viewportHeight: value(3),
    scrollHeight: value(4),
    elements,
    png,
  };
}

/** The most common colour (0xrrggbb) in the screenshot, or in the part of it inside `box`. */
export function dominantColour(png: PNG, box?: Box): number {
  const left = Math.max(0, Math.round(box?.left ?? 0));
  const top = Math.max(0, Math.round(box?.top ?? 0));
  const right = Math.min(png.width, Math.round(box?.right ?? png.width));
  const bottom = Math.min(png.height, Math.round(box?.bottom ?? png.height));
  const counts = new Map<number, number>();
  for (let y = top; y < bottom; y++) {
    for (let x = left; x < right; x++) {
      const i = (y * png.width + x) * 4;
      const rgb = ((png.data[i] ?? 0) << 16) | ((png.data[i + 1] ?? 0) << 8) | (png.data[i + 2] ?? 0);
      counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
    }
  }
  let best = -1;
  let bestCount = 0;
  for (const [rgb, n] of counts) {
    if (n > bestCount) {
      best = rgb;
      bestCount = n;
    }
  }
  if (best < 0) throw new LayoutProbeError('the box lies outside the screenshot');
  return best;
}
