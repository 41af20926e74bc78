/** C0 controls except tab and line feed, DEL, C1 controls, and the noncharacters U+FFFE and U+FFFF. */
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;
const HAS_CONTROL_CHAR = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const LINE_BREAKS = /\r\n?|[\u2028\u2029]/g;

/** True for a code point that `removeControlChars` removes. */
export function isControlCodePoint(codePoint: number): boolean {
  return (
    (codePoint < 0x20 && codePoint !== 0x09 && codePoint !== 0x0a) ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0xfffe ||
    codePoint === 0xffff
  );
}

/** CRLF, lone CR and the Unicode line/paragraph separators all become `\n`. */
export function normalizeLineBreaks(text: string): string {
  return text.replace(LINE_BREAKS, '\n');
}

/** Removes control characters (run after `normalizeLineBreaks`, or CRs are counted as controls). */
export function removeControlChars(text: string): { text: string; removed: number } {
  if (!HAS_CONTROL_CHAR.test(text)) return { text, removed: 0 };
  let removed = 0;
  const cleaned = text.replace(CONTROL_CHARS, () => {
    removed++;
    return '';
  });
  return { text: cleaned, removed };
}
