/**
 * A complete RFC 5322 message for SES `SendEmail` with raw content: multipart/alternative with a
 * text part then an HTML part, quoted-printable UTF-8, and the RFC 2369 / RFC 8058 headers that
 * give receivers a one-click unsubscribe. Deterministic: the same input gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { addressField, assertFieldName, assertNoLineBreak, unstructuredField } from './header-fields.js';
import { HeaderInjectionError, MimeInputError } from './mime-errors.js';
import { encodeQuotedPrintable } from './quoted-printable.js';

export { HeaderInjectionError, MimeInputError };

export interface RawMessageInput {
  /** `addr@example.org` or `Display Name <addr@example.org>`. */
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /**
   * The RFC 8058 one-click endpoint: an https URL that accepts a POST. Every subscriber mail has
   * one; only a test send from a site without https may go with the `mailto:` alone (and then
   * carries no `List-Unsubscribe-Post`, which RFC 8058 ties to an https URL).
   */
  listUnsubscribeUrl?: string;
  /** A `mailto:` alternative for receivers that do not do one-click. */
  listUnsubscribeMailto?: string;
  /** `id@host`, with or without angle brackets; SES assigns one when omitted. */
  messageId?: string;
  date: Date;
  /** Extra unstructured headers, e.g. `X-Edition`. They may not replace the headers set here. */
  headers?: Record<string, string>;
}

/** Headers the builder owns: a caller's copy would contradict or duplicate them. */
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'list-unsubscribe',
  'list-unsubscribe-post',
]);
const HARD_LINE_LIMIT = 998;
const FOLD_TARGET = 78;
/** Characters RFC 2369 reserves around and between list URLs. */
const URL_UNSAFE = /[\s<>,"]/;
const MSG_ID = /^[\x21-\x7e]+@[\x21-\x7e]+$/;
const MSG_ID_SPECIALS = /[<>()\\",;:@[\]\s]/;

export function buildRawMessage(input: RawMessageInput): string {
  const headerLines = [
    `Date: ${formatDate(input.date)}`,
    addressField('From', input.from),
    addressField('To', input.to),
    unstructuredField('Subject', input.subject),
  ];
  if (input.messageId !== undefined) headerLines.push(`Message-ID: ${formatMessageId(input.messageId)}`);
  headerLines.push(
    'MIME-Version: 1.0',
    listUnsubscribeField(input.listUnsubscribeUrl, input.listUnsubscribeMailto),
  );
  if (input.listUnsubscribeUrl !== undefined)
    headerLines.push('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    assertFieldName(name);
    if (RESERVED_HEADERS.has(name.toLowerCase()))
      throw new MimeInputError(`header "${name}" is set by the builder`);
    headerLines.push(unstructuredField(name, value));
  }

  const text = encodeQuotedPrintable(input.text);
  const html = encodeQuotedPrintable(input.html);
  const boundary = chooseBoundary([input.text, input.html, text, html]);
  headerLines.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
  return [
    ...headerLines,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    text,
    `--${boundary}`,
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    html,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/**
 * `=_` can never appear in quoted-printable output (`=` is always followed by hex digits or a
 * line break), so the first candidate always fits the encoded bodies; the loop also keeps it out
 * of the raw bodies, where nothing requires it but a reader grepping the source is spared.
 */
function chooseBoundary(bodies: string[]): string {
  for (let attempt = 0; ; attempt++) {
    const hash = createHash('sha256').update(`${attempt}\u0000`);
    for (const body of bodies) hash.update(`${body.length}\u0000`).update(body);
    const boundary = `=_nfg_${hash.digest('hex').slice(0, 32)}`;
    if (!bodies.some((body) => body.includes(boundary))) return boundary;
  }
}

function listUnsubscribeField(url: string | undefined, mailto: string | undefined): string {
  if (url === undefined && mailto === undefined) {
    throw new MimeInputError('a message needs listUnsubscribeUrl or listUnsubscribeMailto');
  }
  const urls: string[] = [];
  if (url !== undefined) {
    assertNoLineBreak('listUnsubscribeUrl', url);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new MimeInputError(`listUnsubscribeUrl is not a URL: ${url}`);
    }
    // RFC 8058: the one-click URI must be HTTPS.
    if (parsed.protocol !== 'https:') throw new MimeInputError('listUnsubscribeUrl must be an https URL');
    assertListUrl('listUnsubscribeUrl', url);
    urls.push(`<${url}>`);
  }
  if (mailto !== undefined) {
    assertNoLineBreak('listUnsubscribeMailto', mailto);
    if (!/^mailto:/i.test(mailto)) throw new MimeInputError('listUnsubscribeMailto must be a mailto: URL');
    assertListUrl('listUnsubscribeMailto', mailto);
    urls.push(`<${mailto}>`);
  }
  const oneLine = `List-Unsubscribe: ${urls.join(', ')}`;
  const field = oneLine.length <= FOLD_TARGET ? oneLine : `List-Unsubscribe: ${urls.join(',\r\n ')}`;
  if (field.split('\r\n').some((line) => line.length > HARD_LINE_LIMIT)) {
    throw new MimeInputError('List-Unsubscribe URL is too long for a header line');
  }
  return field;
}

function assertListUrl(what: string, url: string): void {
  if (!/^[\x21-\x7e]+$/.test(url) || URL_UNSAFE.test(url)) {
    throw new MimeInputError(
      `${what} must be printable ASCII without spaces, commas, quotes or angle brackets`,
    );
  }
}

function formatMessageId(messageId: string): string {
  assertNoLineBreak('messageId', messageId);
  const bare = messageId.startsWith('<') && messageId.endsWith('>') ? messageId.slice(1, -1) : messageId;
  const at = bare.lastIndexOf('@');
  const valid =
    MSG_ID.test(bare) &&
    !MSG_ID_SPECIALS.test(bare.slice(0, at)) &&
    !MSG_ID_SPECIALS.test(bare.slice(at + 1)) &&
    bare.length <= HARD_LINE_LIMIT - 20;
  if (!valid) throw new MimeInputError(`messageId must look like id@host, got ${messageId}`);
  return `<${bare}>`;
}

/** RFC 5322 date-time in UTC, e.g. `Mon, 02 Mar 2026 08:00:00 +0000`. */
function formatDate(date: Date): string {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  const year = new Date(time).getUTCFullYear();
  if (Number.isNaN(time) || year < 1900 || year > 9999) throw new MimeInputError('date must be a valid date');
  return new Date(time).toUTCString().replace(/GMT$/, '+0000');
}
