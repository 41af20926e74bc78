/**
 * A test send of the latest digest preview: the editor's own addresses (a subscribers file or
 * `--to`), each given one complete message as subscribers would get it. Pure: the CLI reads the
 * files and hands the messages to whatever transport is configured.
 */
import type { DigestParts } from '../render/digest.js';
import { normalizeAddress } from './address.js';
import { buildRawMessage } from './mime.js';
import type { OutgoingMail } from './ports.js';

export interface SubscriberListProblem {
  line: number;
  text: string;
  reason: string;
}

/**
 * One address per line; blank lines and `#` comments are skipped; duplicates (after
 * normalisation) are kept once. A bad line is reported and the others are still used.
 */
export function parseSubscriberList(text: string): {
  addresses: string[];
  problems: SubscriberListProblem[];
} {
  const addresses: string[] = [];
  const seen = new Set<string>();
  const problems: SubscriberListProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const result = normalizeAddress(line);
    if (!result.ok) {
      problems.push({ line: index + 1, text: line, reason: result.reason });
      return;
    }
    if (seen.has(result.address.toLowerCase())) return;
    seen.add(result.address.toLowerCase());
    addresses.push(result.address);
  });
  return { addresses, problems };
}

export interface TestEditionInput {
  parts: Pick<DigestParts, 'subject' | 'html' | 'text'>;
  /** The placeholder the preview carries where the personal unsubscribe link goes. */
  placeholder: string;
  from: string;
  to: readonly string[];
  /** https: the one-click endpoint goes in the headers and the body; otherwise a mailto stands in. */
  unsubscribeUrl: (address: string) => string;
  date: Date;
  editionId: string;
}

export function testEditionMessages(input: TestEditionInput): OutgoingMail[] {
  const fromAddress = /<([^>]+)>\s*$/.exec(input.from)?.[1] ?? input.from;
  return input.to.map((to) => {
    const url = input.unsubscribeUrl(to);
    const https = url.startsWith('https://');
    const mailto = `mailto:${fromAddress}?subject=unsubscribe`;
    const link = https ? url : mailto;
    const fill = (body: string) => body.split(input.placeholder).join(link);
    return {
      from: input.from,
      to,
      raw: buildRawMessage({
        from: input.from,
        to,
        subject: input.parts.subject,
        // Handlebars escaped the placeholder's context in the HTML part: the link is HTML-safe
        // already (URL characters only), so it goes in as it is.
        html: fill(input.parts.html),
        text: fill(input.parts.text),
        ...(https ? { listUnsubscribeUrl: url } : {}),
        listUnsubscribeMailto: mailto,
        date: input.date,
        headers: { 'X-Edition': `${input.editionId} (test send)` },
      }),
    };
  });
}
