import { describeSizes } from './byte-size.js';
import { ArticleRejectedError } from './diagnostics.js';
import { firstInvalidUtf8Offset } from './utf8.js';

// The BOM is removed by hand so that byte offsets in messages stay those of the file.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/**
 * Checks the raw bytes and decodes them as strict UTF-8. Size is checked before anything is decoded;
 * NUL is checked before UTF-8 so that an image is called binary, not mis-encoded text.
 */
export function decodeArticleBytes(source: string, bytes: Uint8Array, maxBytes: number): string {
  if (bytes.length > maxBytes) {
    const sizes = describeSizes(bytes.length, maxBytes);
    throw new ArticleRejectedError(
      source,
      'too-large',
      `file is ${sizes.size}, over the ${sizes.limit} limit (maxArticleBytes)`,
    );
  }
  if (bytes.length === 0) throw new ArticleRejectedError(source, 'empty', 'file is empty');
  if (hasUtf16Bom(bytes)) {
    throw new ArticleRejectedError(
      source,
      'invalid-utf8',
      'file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8',
    );
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new ArticleRejectedError(source, 'binary', `file looks binary (NUL byte at byte ${nul}), not text`);
  }
  const start = hasUtf8Bom(bytes) ? 3 : 0;
  const body = start === 0 ? bytes : bytes.subarray(start);
  try {
    return STRICT_UTF8.decode(body);
  } catch {
    const offset = firstInvalidUtf8Offset(body);
    const where = offset === -1 ? '' : ` at byte ${offset + start}`;
    throw new ArticleRejectedError(source, 'invalid-utf8', `invalid UTF-8${where}; save the file as UTF-8`);
  }
}
