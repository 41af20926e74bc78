/**
 * The feed writer's fast paths (`feed-xml.ts`: no attribute arrays, indentation made once; `xml-safe.ts`:
 * plain text returned after one scan) write exactly what the plain writer they replaced wrote: that
 * writer is kept here as the reference, and random strings and trees are rendered by both.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cdataEl,
  el,
  renderXmlDocument,
  textEl,
  type XmlElement,
} from '../../functions/core/render/feed-xml.js';
import {
  cdata,
  escapeXmlAttr,
  escapeXmlText,
  stripXmlIllegal,
} from '../../functions/core/render/xml-safe.js';

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTR_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
};
const referenceText = (text: string) =>
  stripXmlIllegal(text).replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
const referenceAttr = (text: string) =>
  stripXmlIllegal(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);

function referenceElement(node: XmlElement, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(node.attrs ?? {})
    .map(([key, value]) => ` ${key}="${referenceAttr(value)}"`)
    .join('');
  const tag = `${node.name}${attrs}`;
  const children = (node.children ?? []).filter((child): child is XmlElement => child !== undefined);
  if (node.text !== undefined) out.push(`${pad}<${tag}>${referenceText(node.text)}</${node.name}>`);
  else if (node.cdata !== undefined) out.push(`${pad}<${tag}>${cdata(node.cdata)}</${node.name}>`);
  else if (children.length === 0) out.push(`${pad}<${tag}/>`);
  else {
    out.push(`${pad}<${tag}>`);
    for (const child of children) referenceElement(child, depth + 1, out);
    out.push(`${pad}</${node.name}>`);
  }
}

const referenceDocument = (root: XmlElement) => {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  referenceElement(root, 0, out);
  return `${out.join('\n')}\n`;
};

/** Strings rich in what XML escapes or drops: markup, controls, lone and paired surrogates, non-characters. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '&',
      '<',
      '>',
      '"',
      "'",
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u0085',
      '\uD83D',
      '\uDE00',
      '\uFFFE',
    ),
    fc.constantFrom(']]>', 'a', 'é', '€', '🗞️', ' '),
    fc.string({ unit: 'binary', maxLength: 1 }),
  ),
});

interface Shape {
  name: string;
  attrs: Record<string, string>;
  kind: 'text' | 'cdata' | 'children';
  text: string;
  children: (Shape | undefined)[];
}

const shapes: fc.Arbitrary<Shape> = fc.letrec<{ node: Shape }>((tie) => ({
  node: fc.record({
    name: fc.constantFrom('item', 'atom:link', 'url'),
    attrs: fc.dictionary(fc.constantFrom('href', 'rel', '1', 'xmlns'), hostile, { maxKeys: 3 }),
    kind: fc.constantFrom('text', 'cdata', 'children'),
    text: hostile,
    children: fc.array(fc.option(tie('node'), { nil: undefined }), { maxLength: 3 }),
  }),
})).node;

const toElement = (shape: Shape): XmlElement =>
  shape.kind === 'text'
    ? textEl(shape.name, shape.text, shape.attrs)
    : shape.kind === 'cdata'
      ? cdataEl(shape.name, shape.text, shape.attrs)
      : el(shape.name, shape.attrs, ...shape.children.map((child) => child && toElement(child)));

describe('the XML writer against the plain reference writer', () => {
  it('escapes every string as the reference does', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(escapeXmlText(text)).toBe(referenceText(text));
        expect(escapeXmlAttr(text)).toBe(referenceAttr(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('writes every document byte for byte as the reference does', () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const root = toElement(shape);
        expect(renderXmlDocument(root)).toBe(referenceDocument(root));
      }),
      { numRuns: 1000 },
    );
  });
});
