/**
 * The brand of the digest: a logo image and an accent colour, from the `brand` config key. Checked
 * here so a mistake is one line at start-up, not a broken or unreadable mail in every inbox.
 */
import { isRecord, type RawObject } from './config-schema.js';

export interface Brand {
  /** Accent of the top rule and the links, `#rrggbb`, readable on white (contrast ≥ 4.5:1, WCAG AA). */
  color: string;
  /** An absolute https URL of the logo (mail clients block http images and cannot reach relative ones). */
  logoUrl?: string;
  /** Shown width of the logo in px; email clients need it explicit. */
  logoWidth: number;
}

export const DEFAULT_BRAND: Brand = { color: '#0b5cad', logoWidth: 160 };
const KNOWN = new Set(['color', 'logoUrl', 'logoWidth']);
/** The digest's content column (600 px less 28 px each side). */
const MAX_LOGO_WIDTH = 544;

/** Throws with the key path and the rule (`must be …`), for the config reader to word and collect. */
export type BrandFailure = (path: string, rule: string) => never;

export function brandOf(raw: unknown, fail: BrandFailure): Brand {
  if (raw === undefined) return { ...DEFAULT_BRAND };
  if (!isRecord(raw)) return fail('brand', 'must be an object');
  for (const key of Object.keys(raw))
    if (!KNOWN.has(key)) fail(`brand.${key}`, `is not a known setting (known: ${[...KNOWN].join(', ')})`);
  const brand: Brand = { color: colourOf(raw, fail), logoWidth: logoWidthOf(raw, fail) };
  if (raw.logoUrl !== undefined) brand.logoUrl = logoUrlOf(raw.logoUrl, fail);
  return brand;
}

function colourOf(raw: RawObject, fail: BrandFailure): string {
  const value = raw.color;
  if (value === undefined) return DEFAULT_BRAND.color;
  if (typeof value !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(value))
    return fail('brand.color', `must be a colour like "#0b5cad", got ${JSON.stringify(value)}`);
  const contrast = contrastOnWhite(value);
  if (contrast < 4.5)
    fail(
      'brand.color',
      `is too light for links on white (contrast ${contrast.toFixed(1)}:1, needs 4.5:1): ${value}`,
    );
  return value.toLowerCase();
}

function logoUrlOf(value: unknown, fail: BrandFailure): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:')
    return fail('brand.logoUrl', `must be an absolute https URL, got ${JSON.stringify(value)}`);
  return url.href;
}

function logoWidthOf(raw: RawObject, fail: BrandFailure): number {
  const value = raw.logoWidth;
  if (value === undefined) return DEFAULT_BRAND.logoWidth;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 16 || value > MAX_LOGO_WIDTH)
    return fail('brand.logoWidth', `must be an integer from 16 to ${MAX_LOGO_WIDTH}`);
  return value;
}

/** WCAG 2 contrast ratio of an sRGB `#rrggbb` colour against white. */
export function contrastOnWhite(hex: string): number {
  const channel = (offset: number) => {
    const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}
