/**
 * The shipped locale files, imported (not read from disk) so that esbuild puts them into every Lambda
 * bundle that renders text, and the subscribe API, which ships without `templates/`, has them too.
 * Adding a language: write `templates/locales/<tag>.json` with every key of `en.json`, then add it here.
 */
import de from '../../../templates/locales/de.json' with { type: 'json' };
import en from '../../../templates/locales/en.json' with { type: 'json' };
import es from '../../../templates/locales/es.json' with { type: 'json' };
import fr from '../../../templates/locales/fr.json' with { type: 'json' };

/** A text, or plural forms by `Intl.PluralRules` category (`one`, `few`, `many`, `other`…). */
export type Message = string | ({ other: string } & Readonly<Record<string, string>>);
export type Messages = Readonly<Record<string, Message>>;

/** Every key English has: code and templates may only ask for these. */
export type MessageKey = Exclude<keyof typeof en, `meta.${string}`>;

export const LOCALE_CATALOGS: Readonly<Record<string, Messages>> = { en, fr, de, es };
