import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
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

/** A screenshot of the first `height` pixels of the page at a viewport `width` wide. */
export async function screenshot(fileUrl: string, width: number, height: number): Promise<PNG> {
  const dir = await mkdtemp(join(tmpdir(), 'chromium-shot-'));
  const out = join(dir, 'out.png');
  try {
    await chromium([`--screenshot=${out}`, `--window-size=${width},${height}`, fileUrl]);
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
