/**
 * Runs real feed consumers on rendered files: feedparser (Python), newsboat, xmllint, Python's expat
 * parser and ajv with the JSON Feed 1.1 schema. A missing tool is a FAILURE with an install hint, never a
 * skip: a test that silently skips proves nothing, and CI installs every tool.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export class MissingToolError extends Error {
  constructor(tool: string, install: string) {
    super(`${tool} is not installed or not usable: install it (${install}); these tests never skip`);
    this.name = 'MissingToolError';
  }
}

export class ToolFailedError extends Error {
  constructor(tool: string, detail: string) {
    super(`${tool} failed: ${detail}`);
    this.name = 'ToolFailedError';
  }
}

/** The Debian python, which has python3-feedparser; the `python3` on PATH may be another one. */
export const PYTHON = '/usr/bin/python3';

const MAX_BUFFER = 256 * 1024 * 1024;

function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
    timeout: 120_000,
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function requireTool(command: string, args: readonly string[], tool: string, install: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new MissingToolError(tool, install);
}

let pythonChecked = false;
function requireFeedparser(): void {
  if (pythonChecked) return;
  if (!existsSync(PYTHON)) throw new MissingToolError(PYTHON, 'apt-get install python3 python3-feedparser');
  requireTool(
    PYTHON,
    ['-c', 'import feedparser'],
    'python3-feedparser',
    'apt-get install python3-feedparser',
  );
  pythonChecked = true;
}

function runPython(script: string, args: readonly string[]): unknown {
  requireFeedparser();
  const result = run(PYTHON, ['-c', script, ...args]);
  if (result.status !== 0) throw new ToolFailedError('python3', result.stderr);
  return JSON.parse(result.stdout);
}

// ---------------------------------------------------------------------------------------------- feedparser

export interface FeedparserEntry {
  id: string | null;
  title: string | null;
  /** feedparser's guess of the title's type: `text/plain` or `text/html`. */
  titleType: string | null;
  link: string | null;
  summary: string | null;
  summaryType: string | null;
  content: string[];
  author: string | null;
  tags: string[];
  published: string | null;
  updated: string | null;
  /** RSS `<enclosure>` and Atom `link rel="enclosure"`, as feedparser reads them. */
  enclosures: { href: string; length: string | null; type: string | null }[];
  /** Media RSS `media:content`. */
  media: { url: string; width: string | null; height: string | null; type: string | null }[];
}

export interface FeedparserResult {
  bozo: boolean;
  bozoException: string | null;
  /** e.g. `rss20`, `atom10`. */
  version: string;
  feed: {
    title: string | null;
    link: string | null;
    subtitle: string | null;
    language: string | null;
    updated: string | null;
    author: string | null;
    rights: string | null;
    /** Every feed-level link (`atom:link` in RSS): self, hub, prev-archive, next-archive, current. */
    links: { rel: string | null; href: string | null }[];
  };
  entries: FeedparserEntry[];
}

const FEEDPARSER_SCRIPT = `
import json, sys, time, feedparser
def when(value):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', value) if value else None
def detail_type(entry, key):
    detail = entry.get(key + '_detail')
    return detail.get('type') if detail else None
out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    f = d.feed
    out.append({
        'bozo': bool(d.bozo),
        'bozoException': repr(d.get('bozo_exception')) if d.bozo else None,
        'version': d.get('version', ''),
        'feed': {
            'title': f.get('title'), 'link': f.get('link'), 'subtitle': f.get('subtitle'),
            'language': f.get('language'), 'updated': when(f.get('updated_parsed')),
            'author': f.get('author'), 'rights': f.get('rights'),
            'links': [{'rel': l.get('rel'), 'href': l.get('href')} for l in f.get('links', [])],
        },
        'entries': [{
            'id': e.get('id'), 'title': e.get('title'), 'titleType': detail_type(e, 'title'),
            'link': e.get('link'), 'summary': e.get('summary'), 'summaryType': detail_type(e, 'summary'),
            'content': [c.get('value') for c in e.get('content', [])],
            'author': e.get('author'), 'tags': [t.get('term') for t in e.get('tags', [])],
            'published': when(e.get('published_parsed')), 'updated': when(e.get('updated_parsed')),
            'enclosures': [{'href': en.get('href'), 'length': en.get('length'), 'type': en.get('type')} for en in e.get('enclosures', [])],
            'media': [{'url': m.get('url'), 'width': m.get('width'), 'height': m.get('height'), 'type': m.get('type')} for m in e.get('media_content', [])],
        } for e in d.entries],
    })
print(json.dumps(out))
`;

/** Parses RSS/Atom files with feedparser in ONE python process (feedparser 6.0.x cannot read JSON Feed). */
export function parseManyWithFeedparser(paths: readonly string[]): FeedparserResult[] {
  if (paths.length === 0) return [];
  return runPython(
    FEEDPARSER_SCRIPT,
    paths.map((path) => resolve(path)),
  ) as FeedparserResult[];
}

export function parseWithFeedparser(path: string): FeedparserResult {
  const [result] = parseManyWithFeedparser([path]);
  if (!result) throw new ToolFailedError('feedparser', `no result for ${path}`);
  return result;
}

// ----------------------------------------------------------------------------------- strict XML (expat)

/** An element as Python's ElementTree sees it; tags in Clark notation, e.g. `{http://www.w3.org/2005/Atom}entry`. */
export interface XmlTree {
  tag: string;
  attrs: Record<string, string>;
  /** Character data before the first child (CDATA sections merged), '' when none. */
  text: string;
  children: XmlTree[];
}

export type StrictXmlResult = { ok: true; root: XmlTree } | { ok: false; error: string };

const EXPAT_SCRIPT = `
import json, sys
import xml.etree.ElementTree as ET
def tree(e):
    return {'tag': e.tag, 'attrs': dict(e.attrib), 'text': e.text or '', 'children': [tree(c) for c in e]}
out = []
for path in sys.argv[1:]:
    try:
        out.append({'ok': True, 'root': tree(ET.parse(path).getroot())})
    except ET.ParseError as err:
        out.append({'ok': False, 'error': str(err)})
print(json.dumps(out))
`;

/** Parses XML files with expat (a strict, non-recovering parser) in one process; returns one result per file. */
export function parseXmlStrict(paths: readonly string[]): StrictXmlResult[] {
  if (paths.length === 0) return [];
  return runPython(
    EXPAT_SCRIPT,
    paths.map((path) => resolve(path)),
  ) as StrictXmlResult[];
}

/** Children of `node` whose local name (namespace ignored) is `name`. */
export function childrenNamed(node: XmlTree, name: string): XmlTree[] {
  return node.children.filter((child) => child.tag === name || child.tag.endsWith(`}${name}`));
}

export function childNamed(node: XmlTree, name: string): XmlTree | undefined {
  return childrenNamed(node, name)[0];
}

// --------------------------------------------------------------------------------------------- xmllint

export interface XmllintResult {
  ok: boolean;
  /** Files xmllint reported errors for. */
  failed: string[];
  output: string;
}

/** `xmllint --noout` on all files in one run (well-formedness only). */
export function xmllintCheck(paths: readonly string[]): XmllintResult {
  requireTool('xmllint', ['--version'], 'xmllint', 'apt-get install libxml2-utils');
  if (paths.length === 0) return { ok: true, failed: [], output: '' };
  const absolute = paths.map((path) => resolve(path));
  const result = run('xmllint', ['--noout', ...absolute]);
  const failed = absolute.filter((path) => result.stderr.includes(`${path}:`));
  return { ok: result.status === 0 && failed.length === 0, failed, output: result.stderr };
}

// -------------------------------------------------------------------------------------------- newsboat

/**
 * Loads one feed file into a fresh newsboat (own HOME, cache and empty config) and returns how many unread
 * articles it counts. newsboat prints `N unread articles`; it de-duplicates by guid, so the count also
 * catches colliding ids.
 */
export function newsboatUnread(path: string): number {
  requireTool('newsboat', ['--version'], 'newsboat', 'apt-get install newsboat');
  // newsboat reports a missing file as 0 unread articles, which would read as an empty feed.
  if (!existsSync(path)) throw new ToolFailedError('newsboat', `no feed file at ${path}`);
  const home = mkdtempSync(join(tmpdir(), 'newsboat-'));
  try {
    writeFileSync(join(home, 'urls'), `${pathToFileURL(resolve(path)).href}\n`);
    writeFileSync(join(home, 'config'), '');
    const result = run(
      'newsboat',
      ['-u', 'urls', '-c', 'cache.db', '-C', 'config', '-x', 'reload', 'print-unread'],
      { env: { ...process.env, HOME: home }, cwd: home },
    );
    const match = /^(\d+) unread articles?$/m.exec(result.stdout);
    if (result.status !== 0 || !match?.[1]) {
      throw new ToolFailedError('newsboat', `status ${result.status}: ${result.stdout}${result.stderr}`);
    }
    return Number(match[1]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------- JSON Feed

const SCHEMA_PATH = new URL('../fixtures/jsonfeed-1.1.schema.json', import.meta.url);
let jsonFeedValidator: ValidateFunction | undefined;

export interface JsonFeedValidation {
  valid: boolean;
  errors: string[];
}

/** Validates a parsed JSON Feed against test/fixtures/jsonfeed-1.1.schema.json (formats checked). */
export function validateJsonFeed(feed: unknown): JsonFeedValidation {
  if (!jsonFeedValidator) {
    const ajv = new Ajv({ allErrors: true });
    addFormats.default(ajv);
    jsonFeedValidator = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  }
  const valid = jsonFeedValidator(feed);
  const errors = (jsonFeedValidator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  return { valid, errors };
}

export interface PythonJsonFeed {
  version: string;
  title: string;
  items: { id: string; title: string | null; url: string | null; summary: string | null }[];
}

const JSON_SCRIPT = `
import json, sys
out = []
for path in sys.argv[1:]:
    with open(path, 'rb') as fh:
        raw = fh.read()
    # Strict UTF-8 and strict JSON (no raw control characters in strings); then re-encode every string to
    # UTF-8, which fails on lone surrogates smuggled in by escape sequences.
    feed = json.loads(raw.decode('utf-8', 'strict'), strict=True)
    json.dumps(feed, ensure_ascii=False).encode('utf-8', 'strict')
    out.append({
        'version': feed['version'], 'title': feed['title'],
        'items': [{'id': i['id'], 'title': i.get('title'), 'url': i.get('url'), 'summary': i.get('summary')}
                  for i in feed['items']],
    })
print(json.dumps(out))
`;

/**
 * Reads JSON Feed files with Python's strict decoder, as an independent second reader. (feedparser reads
 * JSON Feed only on its unreleased develop branch; 6.0.x, the Debian and PyPI release, does not.)
 */
export function readJsonFeedWithPython(paths: readonly string[]): PythonJsonFeed[] {
  if (paths.length === 0) return [];
  return runPython(
    JSON_SCRIPT,
    paths.map((path) => resolve(path)),
  ) as PythonJsonFeed[];
}
