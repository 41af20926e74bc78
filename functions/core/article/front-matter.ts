import { parseDocument } from 'yaml';

/** Front matter that cannot be read; the parser turns it into a `bad-front-matter` rejection. */
export class FrontMatterError extends Error {
  override name = 'FrontMatterError';
}

/** The front matter keys an article may use, as found (not yet cleaned). */
export interface FrontMatter {
  title?: string;
  /** Whatever the YAML held: a string, or a `Date` under a schema with timestamps. */
  date?: unknown;
  author?: string;
  tags: string[];
  link?: string;
  summary?: string;
  /** The lead image: an http(s) URL or a path relative to the article's folder. */
  image?: string;
  image_alt?: string;
  image_caption?: string;
}

const OPENING_FENCE = /^---[ \t]*\n/;
const MAX_ALIASES = 100;

/** Splits `---`-fenced YAML front matter off the top of a file, or returns undefined when there is none. */
export function splitFrontMatter(text: string): { yaml: string; body: string } | undefined {
  const open = OPENING_FENCE.exec(text);
  if (open === null) return undefined;
  let pos = open[0].length;
  for (;;) {
    const newline = text.indexOf('\n', pos);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(pos, end).trimEnd();
    if (line === '---' || line === '...') {
      return { yaml: text.slice(open[0].length, pos), body: newline === -1 ? '' : text.slice(newline + 1) };
    }
    if (newline === -1) throw new FrontMatterError('front matter opened with "---" is never closed');
    pos = newline + 1;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function scalarText(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  throw new FrontMatterError(`"${key}" must be text, not ${Array.isArray(value) ? 'a list' : 'a mapping'}`);
}

function authorName(data: Record<string, unknown>): string | undefined {
  const value = data.author;
  // Hugo and Jekyll sites often write `author: { name: … }`.
  if (isRecord(value)) return scalarText(value, 'name');
  return scalarText(data, 'author');
}

function tagList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',');
  if (Array.isArray(value)) {
    return value.map((tag) => {
      if (typeof tag === 'string' || typeof tag === 'number') return String(tag);
      throw new FrontMatterError('"tags" must be a list of words or a comma-separated string');
    });
  }
  throw new FrontMatterError('"tags" must be a list of words or a comma-separated string');
}

const YAML_POSITION = /(?: at line \d+, column \d+)?:?$/;

/** The YAML parser's reason, with its position counted in lines of the file (the fence is line 1). */
function describeYamlError(error: {
  message: string;
  linePos?: readonly { line: number; col: number }[];
}): string {
  const reason = error.message.split('\n', 1)[0]!.replace(YAML_POSITION, '');
  const at = error.linePos?.[0];
  return at === undefined ? reason : `${reason} (line ${at.line + 1}, column ${at.col} of the file)`;
}

/** Parses the YAML of the front matter; throws `FrontMatterError` with the YAML parser's reason. */
export function readFrontMatter(yaml: string): FrontMatter {
  const doc = parseDocument(yaml, { uniqueKeys: true, logLevel: 'silent' });
  const error = doc.errors[0];
  if (error !== undefined) throw new FrontMatterError(describeYamlError(error));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (cause) {
    throw new FrontMatterError(describeYamlError(cause as Error));
  }
  if (data === null || data === undefined) return { tags: [] };
  if (!isRecord(data)) throw new FrontMatterError('front matter must be a YAML mapping of keys to values');
  const matter: FrontMatter = { tags: tagList(data.tags) };
  const title = scalarText(data, 'title');
  const author = authorName(data);
  const link = scalarText(data, 'link');
  const summary = scalarText(data, 'summary');
  if (title !== undefined) matter.title = title;
  if (data.date !== undefined && data.date !== null) matter.date = data.date;
  if (author !== undefined) matter.author = author;
  if (link !== undefined) matter.link = link;
  if (summary !== undefined) matter.summary = summary;
  for (const key of ['image', 'image_alt', 'image_caption'] as const) {
    const value = scalarText(data, key);
    if (value !== undefined) matter[key] = value;
  }
  return matter;
}
