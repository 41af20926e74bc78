/**
 * The small HTML pages the subscribe API answers a browser with (subscribed, confirmed, unsubscribe
 * button, errors). Built in code rather than from `templates/`: the API function ships without the
 * template folder, and these pages must render even when a user's template is broken. Every value is
 * escaped; the pages load nothing, so the CSP can forbid everything but inline style and same-origin forms.
 */
import { escapeHtml } from './html.js';
import { type Locale, localeFor } from './locale.js';

export interface ApiPageSite {
  title: string;
  /** Absolute, ending in `/`. */
  siteUrl: string;
  language: string;
  /** The composition root's locale (its warnings reach the log); by default the `language`'s. */
  locale?: Locale;
}

/** The words of the pages, in the site's language. */
export function apiLocale(site: ApiPageSite): Locale {
  return site.locale ?? localeFor(site.language);
}

export interface ApiPage {
  /** The `<title>` and the heading. */
  title: string;
  paragraphs: string[];
  /** A POST form, e.g. the unsubscribe button. */
  form?: { action: string; button: string; fields: Record<string, string> };
  /** Defaults to a link back to the site's home page. */
  link?: { href: string; label: string };
}

/** Headers for every HTML page: no framing (clickjacking the unsubscribe button), no referrer (the token is in the URL). */
export const HTML_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const STYLE = [
  ':root{color-scheme:light dark;--ink:#1c2330;--muted:#5d6675;--line:#e3e0da;--paper:#fbfaf7;--card:#fff;--accent:#0b5cad;--accent-ink:#fff}',
  '@media (prefers-color-scheme:dark){:root{--ink:#e8e6e1;--muted:#a3a9b3;--line:#343a45;--paper:#15181e;--card:#1c2028;--accent:#7fb2ef;--accent-ink:#0d1117}}',
  'body{margin:0;padding:0 .75rem;overflow-wrap:break-word;background:var(--paper);color:var(--ink);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}',
  'main{max-width:34rem;margin:3rem auto;padding:1.5rem 1.75rem;background:var(--card);border:1px solid var(--line);border-top:4px solid var(--ink);border-radius:8px}',
  '.site{margin:0 0 1rem;font-size:.9rem}.site a{color:var(--muted);text-decoration:none}',
  'h1{font:700 1.6rem/1.2 Georgia,"Times New Roman",serif;margin:0 0 .75rem}',
  'a{color:var(--accent)}',
  'button{font:inherit;font-weight:600;padding:.55rem 1.1rem;border:0;border-radius:6px;background:var(--accent);color:var(--accent-ink);cursor:pointer}',
].join('\n');

export function renderApiPage(site: ApiPageSite, page: ApiPage): string {
  const link = page.link ?? {
    href: site.siteUrl,
    label: apiLocale(site).t('api.backTo', { site: site.title }),
  };
  const paragraphs = page.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`);
  const form = page.form
    ? [
        `<form method="post" action="${escapeHtml(page.form.action)}">`,
        ...Object.entries(page.form.fields).map(
          ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
        ),
        `<button type="submit">${escapeHtml(page.form.button)}</button>`,
        '</form>',
      ]
    : [];
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(site.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(page.title)} · ${escapeHtml(site.title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<p class="site"><a href="${escapeHtml(site.siteUrl)}">${escapeHtml(site.title)}</a></p>`,
    `<h1>${escapeHtml(page.title)}</h1>`,
    ...paragraphs,
    ...form,
    `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
