import { cdata, escapeXmlAttr, escapeXmlText } from './xml-safe.js';

/**
 * A minimal XML tree for the feed writers. Feeds are built as data and serialised in ONE place, so every
 * string goes through `xml-safe.ts` and no renderer can emit an unescaped value. Element and attribute
 * names are trusted constants; only values come from articles and config.
 *
 * Why not the `feed` package: see the README ("Why the feeds are written by our own writer").
 */
export interface XmlElement {
  name: string;
  /** Written in insertion order, which keeps the output byte-stable. */
  attrs?: Readonly<Record<string, string>>;
  /** Character data, escaped. */
  text?: string;
  /** Character data written as CDATA (for HTML payloads, which stay readable that way). */
  cdata?: string;
  children?: readonly (XmlElement | undefined)[];
}

/** Convenience for optional elements: `undefined` children are skipped. */
export function el(
  name: string,
  attrs: Readonly<Record<string, string>> = {},
  ...children: (XmlElement | undefined)[]
): XmlElement {
  return { name, attrs, children };
}

export function textEl(name: string, text: string, attrs: Readonly<Record<string, string>> = {}): XmlElement {
  return { name, attrs, text };
}

export function cdataEl(
  name: string,
  text: string,
  attrs: Readonly<Record<string, string>> = {},
): XmlElement {
  return { name, attrs, cdata: text };
}

const INDENT = '  ';
/** Indentation by depth, made once: a sitemap of 100,000 URLs writes 300,000 elements. */
const PADS: string[] = [];
const padOf = (depth: number) => (PADS[depth] ??= INDENT.repeat(depth));

function openTag(node: XmlElement): string {
  let tag = node.name;
  const attrs = node.attrs;
  if (attrs) for (const key in attrs) tag += ` ${key}="${escapeXmlAttr(attrs[key]!)}"`;
  return tag;
}

function writeElement(node: XmlElement, depth: number, out: string[]): void {
  const pad = padOf(depth);
  const tag = openTag(node);
  if (node.text !== undefined) {
    out.push(`${pad}<${tag}>${escapeXmlText(node.text)}</${node.name}>`);
    return;
  }
  if (node.cdata !== undefined) {
    out.push(`${pad}<${tag}>${cdata(node.cdata)}</${node.name}>`);
    return;
  }
  const children = node.children ?? [];
  if (!children.some((child) => child !== undefined)) {
    out.push(`${pad}<${tag}/>`);
    return;
  }
  out.push(`${pad}<${tag}>`);
  for (const child of children) if (child !== undefined) writeElement(child, depth + 1, out);
  out.push(`${pad}</${node.name}>`);
}

/** Serialises a document: UTF-8 declaration, two-space indentation, trailing newline. */
export function renderXmlDocument(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  writeElement(root, 0, out);
  return `${out.join('\n')}\n`;
}
