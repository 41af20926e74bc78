import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import { articleWarning } from '../article/diagnostics.js';
import type { Block, Diagnostic, ParsedArticle, StoryImage } from '../model.js';
import type { SiteSink } from '../ports.js';

/**
 * An article's images beside it in the articles folder (or bucket) are published under
 * `media/<content hash>.<ext>`, never under their own path: the name changes exactly when the bytes do,
 * so the files can be cached for ever, and nothing about the source layout leaks into the site.
 * Sizes come from the file's header (image-size reads it in pure JavaScript: no native image stack).
 */

/** Reads a file by key relative to the articles root: the article source is one. */
export interface MediaReader {
  read(key: string): Promise<Uint8Array>;
}

const TYPES: Record<string, { mime: string; ext: string }> = {
  jpg: { mime: 'image/jpeg', ext: 'jpg' },
  png: { mime: 'image/png', ext: 'png' },
  gif: { mime: 'image/gif', ext: 'gif' },
  webp: { mime: 'image/webp', ext: 'webp' },
  avif: { mime: 'image/avif', ext: 'avif' },
};

const ABSOLUTE_HTTP = /^https?:\/\//i;
const IMG_SRC = /<img\b[^>]*?\ssrc="([^"]*)"[^>]*>/g;

export interface PublishedImage {
  /** Site-relative (`media/…`). */
  path: string;
  mime: string;
  width: number;
  height: number;
  length: number;
}

function decodeAttr(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The key of `ref` relative to the article `source`, or undefined when it leaves the articles root. */
export function mediaKey(source: string, ref: string): string | undefined {
  const parts = source.split('/').slice(0, -1);
  for (const part of decodeURIComponentSafe(ref).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length ? parts.join('/') : undefined;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Local image references of an article: its body images and its lead image, as written. */
export function localImageRefs(article: Pick<ParsedArticle, 'blocks' | 'image'>): string[] {
  const refs = new Set<string>();
  for (const block of article.blocks) {
    if (block.html === undefined || !block.html.includes('<img')) continue;
    for (const match of block.html.matchAll(IMG_SRC)) {
      const src = decodeAttr(match[1]!);
      if (!ABSOLUTE_HTTP.test(src)) refs.add(src);
    }
  }
  if (article.image && !ABSOLUTE_HTTP.test(article.image.src)) refs.add(article.image.src);
  return [...refs];
}

type Probe = { ok: true; image: PublishedImage; bytes: Uint8Array } | { ok: false; problem: string };

/** Reads and measures one image; a problem is described for a warning, never thrown. */
async function probe(reader: MediaReader, source: string, ref: string): Promise<Probe> {
  const key = mediaKey(source, ref);
  if (key === undefined) return { ok: false, problem: `image "${ref}" points outside the articles folder` };
  let bytes: Uint8Array;
  try {
    bytes = await reader.read(key);
  } catch {
    return { ok: false, problem: `image "${ref}" not found (looked for ${key})` };
  }
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    return { ok: false, problem: `image "${ref}" is not a readable image` };
  }
  const type = size.type === undefined ? undefined : TYPES[size.type];
  if (!type || !size.width || !size.height) {
    return {
      ok: false,
      problem: `image "${ref}" is a ${size.type ?? 'unknown'} file: publish JPEG, PNG, GIF, WebP or AVIF`,
    };
  }
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 20);
  return {
    ok: true,
    bytes,
    image: {
      path: `media/${hash}.${type.ext}`,
      mime: type.mime,
      width: size.width,
      height: size.height,
      length: bytes.length,
    },
  };
}

/** Problems with an article's local images, as warnings (checked when the article is read). */
export async function checkMedia(
  reader: MediaReader,
  article: Pick<ParsedArticle, 'source' | 'blocks' | 'image'>,
): Promise<Diagnostic[]> {
  const warnings: Diagnostic[] = [];
  for (const ref of localImageRefs(article)) {
    const result = await probe(reader, article.source, ref);
    if (!result.ok) warnings.push(articleWarning(article.source, 'image', `${result.problem}; left out`));
  }
  return warnings;
}

export interface ArticleMedia {
  blocks: Block[];
  image?: StoryImage;
}

/**
 * Publishes an article's local images into the site (`sink`) and returns its blocks with their image
 * sources pointing there (`media/…`, which renderers prefix for the page or feed), and its lead image.
 * An image that cannot be read is left out (it was reported when the article was read).
 */
export async function publishMedia(
  reader: MediaReader,
  sink: SiteSink,
  article: Pick<ParsedArticle, 'source' | 'blocks' | 'image'>,
): Promise<ArticleMedia> {
  const published = new Map<string, PublishedImage | undefined>();
  for (const ref of localImageRefs(article)) {
    const result = await probe(reader, article.source, ref);
    if (result.ok) {
      await sink.write({ path: result.image.path, contentType: result.image.mime, body: result.bytes });
      published.set(ref, result.image);
    } else published.set(ref, undefined);
  }
  const blocks = article.blocks
    .map((block): Block => {
      if (block.html === undefined || !block.html.includes('<img')) return block;
      const html = block.html.replace(IMG_SRC, (tag, src: string) => {
        const ref = decodeAttr(src);
        if (ABSOLUTE_HTTP.test(ref)) return tag;
        const image = published.get(ref);
        if (!image) return '';
        return tag.replace(
          ` src="${src}"`,
          ` src="${image.path}" width="${image.width}" height="${image.height}"`,
        );
      });
      return { ...block, html };
    })
    .filter(
      (block) => block.html === undefined || block.text !== '' || /<(?:img|hr|table|pre)\b/.test(block.html),
    );
  const result: ArticleMedia = { blocks };
  const lead = article.image;
  if (lead) {
    const local = ABSOLUTE_HTTP.test(lead.src) ? undefined : published.get(lead.src);
    if (ABSOLUTE_HTTP.test(lead.src) || local) {
      const image: StoryImage = {
        url: local ? local.path : lead.src,
        alt: lead.alt,
        inBody: !lead.fromFrontMatter,
      };
      if (lead.caption) image.caption = lead.caption;
      if (local) {
        image.width = local.width;
        image.height = local.height;
        image.mime = local.mime;
        image.length = local.length;
      }
      result.image = image;
    }
  }
  return result;
}
