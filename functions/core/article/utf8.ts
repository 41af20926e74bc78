/**
 * Byte offset of the first ill-formed UTF-8 sequence (Unicode table 3-7), or -1. Only called after
 * `TextDecoder` has already failed, so the fast path stays native.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let continuation: number;
    // The second byte's range is narrower for some leads: it excludes overlongs, surrogates and > U+10FFFF.
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) continuation = 1;
    else if (lead === 0xe0) {
      continuation = 2;
      low = 0xa0;
    } else if (lead === 0xed) {
      continuation = 2;
      high = 0x9f;
    } else if (lead >= 0xe1 && lead <= 0xef) continuation = 2;
    else if (lead === 0xf0) {
      continuation = 3;
      low = 0x90;
    } else if (lead >= 0xf1 && lead <= 0xf3) continuation = 3;
    else if (lead === 0xf4) {
      continuation = 3;
      high = 0x8f;
    } else return i;
    for (let k = 1; k <= continuation; k++) {
      const byte = bytes[i + k];
      if (byte === undefined) return i;
      const min = k === 1 ? low : 0x80;
      const max = k === 1 ? high : 0xbf;
      if (byte < min || byte > max) return i;
    }
    i += continuation + 1;
  }
  return -1;
}
