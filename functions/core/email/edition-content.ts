/**
 * One edition's content: rendered once (MJML compiled at start-up, Handlebars filled here) with a
 * placeholder where each subscriber's unsubscribe URL goes, then personalised per recipient by a
 * plain string replacement, never by rendering again.
 */

import { randomBytes } from 'node:crypto';
import type { Edition, SiteConfig, Story } from '../model.js';
import type { DigestLinks, DigestParts } from '../render/digest.js';
import { escapeHtml } from '../render/html.js';
import type { EditionContent } from './edition-ports.js';

/** The template lost its unsubscribe link: such a digest must not be sent (RFC 8058 aside, it is the law). */
export class MissingUnsubscribeLinkError extends Error {
  override name = 'MissingUnsubscribeLinkError';
}

export interface DigestRender {
  render(edition: Edition, links: DigestLinks): DigestParts;
}

/** Where editions are archived on the site; the stack grants the edition function writes under it. */
export const DIGESTS_PREFIX = 'digests/';
export const archivePathFor = (editionId: string) => `${DIGESTS_PREFIX}${editionId}.html`;

/**
 * A URL-shaped placeholder (so Handlebars leaves it alone: no `=`, `&` or quotes) on a reserved
 * `.invalid` host (should one ever leak, it leads nowhere), with a random part no story can contain.
 */
export function newPlaceholder(): string {
  return `https://unsubscribe.invalid/${randomBytes(16).toString('hex')}`;
}

export function renderEditionContent(
  renderer: DigestRender,
  config: SiteConfig,
  edition: { editionId: string; scheduledTime: string; stories: Story[] },
  placeholder: string,
): EditionContent {
  const archivedPath = archivePathFor(edition.editionId);
  const parts = renderer.render(
    { id: edition.editionId, date: edition.scheduledTime, stories: edition.stories },
    { viewInBrowserUrl: `${config.siteUrl}${archivedPath}`, unsubscribeUrl: placeholder },
  );
  for (const [part, body] of [
    ['html', parts.html],
    ['text', parts.text],
  ] as const) {
    if (!body.includes(placeholder)) {
      throw new MissingUnsubscribeLinkError(`the digest's ${part} part has no {{unsubscribeUrl}}`);
    }
  }
  return {
    editionId: edition.editionId,
    scheduledTime: edition.scheduledTime,
    subject: parts.subject,
    html: parts.html,
    text: parts.text,
    placeholder,
    archivedPath,
  };
}

/** Both parts with `unsubscribeUrl` in place of the placeholder (HTML-escaped in the HTML part). */
export function fillUnsubscribe(
  content: EditionContent,
  unsubscribeUrl: string,
): { html: string; text: string } {
  return {
    html: content.html.replaceAll(content.placeholder, escapeHtml(unsubscribeUrl)),
    text: content.text.replaceAll(content.placeholder, unsubscribeUrl),
  };
}

/**
 * The public copy on the site: anyone may read it, so its "unsubscribe" link goes to the home
 * page's subscribe section instead of anyone's personal link.
 */
export function publicCopy(content: EditionContent, siteUrl: string): string {
  return fillUnsubscribe(content, `${siteUrl}index.html#subscribe`).html;
}
