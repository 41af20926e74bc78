/**
 * Interface text and dates in the site's `language`. The words live in `templates/locales/<lang>.json`
 * (`locale-catalog.ts` imports them, so every bundle that renders carries them); this file picks the
 * catalogue for a BCP 47 tag (`fr-CA` → `fr` → `en`), fills `{name}` placeholders, chooses plural
 * forms with `Intl.PluralRules` and formats dates with `Intl.DateTimeFormat`, always in UTC so that a
 * page is byte-identical wherever it is built. A key missing from the chosen catalogue falls back to
 * English, with one warning per key naming the file.
 */
import { DEFAULT_CONFIG } from '../config.js';
import type { SiteConfig } from '../model.js';
import { LOCALE_CATALOGS, type MessageKey, type Messages } from './locale-catalog.js';

export type { MessageKey, Messages } from './locale-catalog.js';

export type LocaleParams = Readonly<Record<string, string | number>>;
export type LocaleWarn = (message: string) => void;

export interface Locale {
  /** The configured tag, as given (`fr-CA`). */
  readonly language: string;
  /** The catalogue text for `key`, placeholders filled; `count` picks the plural form. */
  t(key: MessageKey, params?: LocaleParams): string;
  /** "23 August 2021", "23 août 2021": the day of an ISO date in UTC; unparseable input is shown as given. */
  date(iso: string): string;
  /** "August 2021", "août 2021" for `2021-08`. */
  month(yyyyMm: string): string;
  /** "GET and POST", "GET et POST". */
  list(items: readonly string[]): string;
}

const FALLBACK = 'en';

/** Where a catalogue lives, for warnings: editors fix the file, not the code. */
export const localeFile = (tag: string): string => `templates/locales/${tag}.json`;

/** `fr-CA` → [`fr-CA`, `fr`]: the catalogues to try, most specific first (English is added last). */
function chainOf(language: string): string[] {
  const parts = language.split('-');
  const chain: string[] = [];
  for (let length = parts.length; length > 0; length--) chain.push(parts.slice(0, length).join('-'));
  return chain;
}

function findCatalog(
  catalogs: Readonly<Record<string, Messages>>,
  tag: string,
): [string, Messages] | undefined {
  const wanted = tag.toLowerCase();
  const name = Object.keys(catalogs).find((key) => key.toLowerCase() === wanted);
  const messages = name === undefined ? undefined : catalogs[name];
  return name === undefined || messages === undefined ? undefined : [name, messages];
}

/**
 * The locale for a language tag over the given catalogues (the shipped ones by default). `warn` hears
 * once about each key the chosen catalogue lacks, and once when there is no catalogue for the tag at all.
 */
export function createLocale(
  language: string,
  warn: LocaleWarn = () => {},
  catalogs: Readonly<Record<string, Messages>> = LOCALE_CATALOGS,
): Locale {
  const english = findCatalog(catalogs, FALLBACK)?.[1] ?? {};
  const found = chainOf(language)
    .map((tag) => findCatalog(catalogs, tag))
    .filter((entry): entry is [string, Messages] => entry !== undefined);
  if (found.length === 0) {
    warn(
      `${localeFile(language)} does not exist: the interface text is English (shipped: ${Object.keys(catalogs).join(', ')})`,
    );
  }
  const own = found.filter(([name]) => name.toLowerCase() !== FALLBACK);
  const messages: Record<string, Messages[string]> = { ...english };
  for (const [, catalog] of [...own].reverse()) Object.assign(messages, catalog);
  const nearest = own[0]?.[0];
  if (nearest !== undefined) {
    for (const key of Object.keys(english)) {
      if (key.startsWith('meta.')) continue;
      if (!own.some(([, catalog]) => Object.hasOwn(catalog, key))) {
        warn(`${localeFile(nearest)} has no "${key}": using the English text`);
      }
    }
  }
  const base = found[0]?.[0] ?? FALLBACK;
  const plural = new Intl.PluralRules(intlTag(language, base));
  // A bare tag may name its date style (`en` writes "23 August 2021", as en-GB does); only its own file's.
  const ownDateLocale = found[0]?.[1]['meta.dateLocale'];
  const dateTag = language.includes('-') || typeof ownDateLocale !== 'string' ? language : ownDateLocale;
  const and = new Intl.ListFormat(intlTag(language, base), { type: 'conjunction' });
  const day = dateFormat(dateTag, { day: 'numeric', month: 'long', year: 'numeric' });
  const monthYear = dateFormat(dateTag, { month: 'long', year: 'numeric' });
  return {
    language,
    t(key, params = {}) {
      const message = messages[key];
      if (message === undefined) return key;
      const count = params.count;
      const text =
        typeof message === 'string'
          ? message
          : (message[typeof count === 'number' ? plural.select(count) : 'other'] ?? message.other);
      return fill(text, params);
    },
    date(iso) {
      const time = Date.parse(iso);
      return Number.isNaN(time) ? iso : day.format(new Date(time));
    },
    list(items) {
      return and.format(items);
    },
    month(yyyyMm) {
      const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(yyyyMm);
      if (!match) return yyyyMm;
      return monthYear.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)));
    },
  };
}

const cache = new Map<string, Locale>();

/**
 * The shipped locale for a tag, made once per process: its warnings are heard once, however many
 * renderers a process makes. Composition roots pass their log's warn; the first call's `warn` wins.
 */
export function localeFor(language: string, warn?: LocaleWarn): Locale {
  let locale = cache.get(language);
  if (!locale) {
    locale = createLocale(language, warn);
    cache.set(language, locale);
  }
  return locale;
}

/** The tag Intl understands: the configured one, else the catalogue's (a tag can pass our pattern and fail ICU's). */
function intlTag(language: string, fallback: string): string {
  try {
    return Intl.getCanonicalLocales(language)[0] ?? fallback;
  } catch {
    return fallback;
  }
}

function dateFormat(tag: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const settings = { ...options, timeZone: 'UTC' };
  try {
    return new Intl.DateTimeFormat(tag, settings);
  } catch {
    return new Intl.DateTimeFormat(FALLBACK, settings);
  }
}

function fill(text: string, params: LocaleParams): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * The config with the default description (`DEFAULT_CONFIG`'s, English) in the site's language: a French
 * site that sets no `description` says so in French under its title, in its feeds and in its digest.
 */
export function withLocalizedDefaults(config: SiteConfig, locale: Locale): SiteConfig {
  if (config.description !== DEFAULT_CONFIG.description) return config;
  return { ...config, description: locale.t('site.defaultDescription') };
}
