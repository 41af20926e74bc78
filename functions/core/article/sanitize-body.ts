import sanitizeHtml from 'sanitize-html';

/**
 * The allow-list every article body passes through before it reaches a page, a feed or an email.
 * sanitize-html (a maintained, widely used sanitizer on a real HTML parser, htmlparser2) does the
 * parsing and serialising; this file only says what news copy may keep, and turns every construct it
 * drops into a note, so that nothing is lost silently (the parser reports them as warnings).
 */

/** What a body may keep: text structure, emphasis, links, images with captions, tables, code. */
const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'b',
  'em',
  'i',
  's',
  'del',
  'ins',
  'mark',
  'sub',
  'sup',
  'small',
  'abbr',
  'q',
  'cite',
  'code',
  'pre',
  'kbd',
  'samp',
  'blockquote',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'a',
  'img',
  'figure',
  'figcaption',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
];

/** Wrappers whose content is kept while the tag itself goes, without a warning: they carry no meaning. */
const SILENT_WRAPPERS = new Set(['div', 'span', 'section', 'article', 'header', 'footer', 'u', 'font']);

/** Elements whose content is not text a reader should see: dropped whole. */
const NON_TEXT_TAGS = [
  'script',
  'style',
  'textarea',
  'option',
  'noscript',
  'iframe',
  'object',
  'embed',
  'template',
  'title',
  'svg',
  'math',
  'frameset',
  'noembed',
];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  abbr: ['title'],
  ol: ['start'],
  th: ['style', 'colspan', 'rowspan', 'scope'],
  td: ['style', 'colspan', 'rowspan'],
  code: ['class'],
};

/** Attributes that are dropped without a note: presentation or harmless metadata. */
const SILENT_ATTRIBUTES = new Set(['class', 'id', 'lang', 'dir', 'align', 'width', 'height', 'title']);

const LINK_SCHEMES = /^(?:https?:\/\/[^\s]+|mailto:[^\s]+)$/i;
const ABSOLUTE_HTTP = /^https?:\/\/[^\s]+$/i;
/** A path inside the article's folder (or below/beside it): no scheme, not protocol- or root-relative. */
const RELATIVE_PATH = /^(?![a-z][a-z0-9+.-]*:)(?![/\\])[^\s?#]+$/i;

/** One image the body shows, as written (`src` may still be relative to the article's folder). */
export interface BodyImage {
  src: string;
  alt: string;
}

export interface SanitizedHtml {
  html: string;
  /** Constructs removed, each described for a warning ("<script> element", "javascript: link"). */
  dropped: string[];
  images: BodyImage[];
}

function describeUrl(url: string): string {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url);
  if (scheme) return `${scheme[1]!.toLowerCase()}: URL`;
  if (url.trim().startsWith('//')) return `protocol-relative URL "${url.trim()}"`;
  return `relative URL "${url.trim()}"`;
}

/**
 * Sanitises one HTML fragment. Links keep only absolute http(s) and mailto targets (`rel="noopener"`
 * on web links; the site's own pages are never linked from a body); images keep absolute http(s)
 * sources and paths relative to the article, which the build replaces by published copies.
 */
export function sanitizeBody(html: string): SanitizedHtml {
  const dropped: string[] = [];
  const images: BodyImage[] = [];
  const note = (what: string) => {
    if (!dropped.includes(what)) dropped.push(what);
  };
  const clean = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: { code: ['language-*'] },
    allowedStyles: {
      th: { 'text-align': [/^(?:left|right|center)$/] },
      td: { 'text-align': [/^(?:left|right|center)$/] },
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: NON_TEXT_TAGS,
    // Renaming a refused link to a disallowed tag would be simpler, but sanitize-html 2.17 then writes a
    // stray closing tag later on (its rename map is not cleared for discarded tags): exclude them here.
    exclusiveFilter: (frame) =>
      (frame.tag === 'a' && frame.attribs.href === undefined) ||
      (frame.tag === 'img' && frame.attribs.src === undefined)
        ? 'excludeTag'
        : false,
    // Every tag passes here first: the place to note what goes and to vet URLs with our own rules.
    transformTags: {
      '*': (tagName, attribs) => {
        const name = tagName.toLowerCase();
        const known = ALLOWED_TAGS.includes(name) || name === 'h1';
        if (!known && !SILENT_WRAPPERS.has(name)) {
          note(`<${name}> element`);
          return { tagName: name, attribs };
        }
        // A wrapper that goes silently still has its handlers and styles noted: they are lost too.
        const allowed = known ? (ALLOWED_ATTRIBUTES[name] ?? []) : [];
        const kept: Record<string, string> = {};
        for (const [key, value] of Object.entries(attribs)) {
          const lower = key.toLowerCase();
          if (lower.startsWith('on')) note(`${lower} event handler`);
          else if (allowed.includes(lower)) kept[lower] = value;
          else if (!SILENT_ATTRIBUTES.has(lower)) note(`${lower} attribute on <${name}>`);
        }
        if (!known) return { tagName: name, attribs: {} };
        if (name === 'h1') return { tagName: 'h2', attribs: kept };
        if (name === 'a') {
          const href = (kept.href ?? '').trim();
          if (!LINK_SCHEMES.test(href)) {
            if (href !== '') note(`link to a ${describeUrl(href)} (its text is kept)`);
            // A link without a target is excluded below with its text kept: the link goes, the words stay.
            return { tagName: 'a', attribs: {} };
          }
          const link: Record<string, string> = { href };
          if (kept.title !== undefined) link.title = kept.title;
          if (ABSOLUTE_HTTP.test(href)) link.rel = 'noopener';
          return { tagName: 'a', attribs: link };
        }
        if (name === 'img') {
          const src = (kept.src ?? '').trim();
          if (!ABSOLUTE_HTTP.test(src) && !RELATIVE_PATH.test(src)) {
            note(src === '' ? 'image without a source' : `image from a ${describeUrl(src)}`);
            return { tagName: 'img', attribs: {} };
          }
          const alt = kept.alt ?? '';
          images.push({ src, alt });
          const image: Record<string, string> = { src, alt };
          if (kept.title !== undefined) image.title = kept.title;
          return { tagName: 'img', attribs: image };
        }
        return { tagName: name, attribs: kept };
      },
    },
  });
  return { html: clean.trim(), dropped, images };
}

/** Plain text of sanitised HTML (for a raw HTML block's share of the deduplication text). */
export function htmlText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {}, nonTextTags: NON_TEXT_TAGS })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
