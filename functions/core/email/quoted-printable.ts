/**
 * Quoted-printable encoding of a text body (RFC 2045 §6.7) as UTF-8, for any transport: every
 * line of the result is at most 76 characters, ASCII only, and ends in CRLF except the last.
 */

const MAX_LINE = 76;
const HEX = '0123456789ABCDEF';
const SPACE = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;
const DOT = 0x2e;
const LINE_BREAKS = /\r\n|\r|\n/;

/**
 * Every line break of the text (CRLF, CR or LF) becomes a hard CRLF break: text bodies have CRLF
 * line ends in canonical form. Lone surrogates become U+FFFD, as in any UTF-8 encoder.
 */
export function encodeQuotedPrintable(text: string): string {
  return text
    .split(LINE_BREAKS)
    .map((line) => encodeLine(Buffer.from(line, 'utf8')))
    .join('\r\n');
}

/** One line of content (no line breaks), soft-wrapped into physical lines of at most 76 characters. */
function encodeLine(bytes: Buffer): string {
  const physical: string[] = [];
  let current = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const isLast = i === bytes.length - 1;
    const token = encodeByte(byte, current.length === 0, isLast, bytes, i);
    // Room for the token plus the `=` of a soft break, unless this token ends the line.
    const limit = isLast ? MAX_LINE : MAX_LINE - 1;
    if (current.length + token.length > limit) {
      physical.push(`${current}=`);
      current = encodeByte(byte, true, isLast, bytes, i);
    } else {
      current += token;
    }
  }
  physical.push(current);
  return physical.join('\r\n');
}

function encodeByte(
  byte: number,
  atLineStart: boolean,
  isLast: boolean,
  bytes: Buffer,
  index: number,
): string {
  if (byte === SPACE || byte === TAB) return isLast ? hexEscape(byte) : String.fromCharCode(byte);
  if (byte === EQUALS || byte < 0x21 || byte > 0x7e) return hexEscape(byte);
  // A leading dot can be eaten by a transport that forgets SMTP dot-stuffing, and a leading
  // `From ` is mangled by mbox tools: both are escaped at the start of a physical line.
  if (atLineStart && (byte === DOT || startsWithFrom(bytes, index))) return hexEscape(byte);
  return String.fromCharCode(byte);
}

function startsWithFrom(bytes: Buffer, index: number): boolean {
  return bytes.toString('latin1', index, index + 5) === 'From ';
}

function hexEscape(byte: number): string {
  return `=${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
}
