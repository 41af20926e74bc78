/**
 * Escaping that keeps XML well-formed for ANY JavaScript string. Every function strips what XML cannot
 * carry first, so a caller cannot forget to: the output of each is always safe to paste into a document.
 */

/*
 * Outside the XML 1.0 Char production: C0 controls except \t \n \r, U+FFFE, U+FFFF and, with the `u` flag,
 * only UNPAIRED surrogates (a valid pair is one code point and does not match). Also dropped although XML
 * allows them: DEL and the C1 controls U+007F–U+009F, which XML 1.0 §2.2 lists as discouraged, are
 * invisible, and make some readers reject or mangle the feed.
 */
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

/** Removes every character that XML 1.0 cannot represent (or that readers choke on). */
export function stripXmlIllegal(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  // `>` only needs escaping after `]]`, but escaping it always is simpler and equally valid.
  '>': '&gt;',
  // A literal CR would be normalised to LF by every parser; a character reference survives.
  '\r': '&#13;',
};

/**
 * Text no escape changes: the plain text of most values, returned as it is after one scan instead of
 * two replacing passes (a surrogate, paired or not, takes the full path).
 */
const PLAIN_TEXT = /^[^&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]*$/;
const PLAIN_ATTR =
  /^[^&<>"'\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]*$/;

/** Escapes text for element content; the parsed text equals `stripXmlIllegal(text)` exactly. */
export function escapeXmlText(text: string): string {
  if (PLAIN_TEXT.test(text)) return text;
  return stripXmlIllegal(text).replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

const ATTR_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  // Attribute-value normalisation turns literal tabs and newlines into spaces; references survive it.
  '\t': '&#9;',
  '\n': '&#10;',
};

/** Escapes text for an attribute value (quoted with either quote); the parsed value equals the stripped input. */
export function escapeXmlAttr(text: string): string {
  if (PLAIN_ATTR.test(text)) return text;
  return stripXmlIllegal(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

/**
 * Wraps text in a CDATA section. `]]>` cannot occur inside one, so EVERY occurrence is split across two
 * sections (`]]` ends the first, `>` starts the next). Line ends are normalised to LF by parsers, as
 * anywhere in XML: use `escapeXmlText` when a CR must survive.
 */
export function cdata(text: string): string {
  return `<![CDATA[${stripXmlIllegal(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
