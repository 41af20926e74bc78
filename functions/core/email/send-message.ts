/**
 * One subscriber's copy of an edition: the stored parts with that subscriber's unsubscribe link
 * filled in, as a complete MIME message with the one-click unsubscribe headers.
 */
import { fillUnsubscribe } from './edition-content.js';
import type { EditionContent } from './edition-ports.js';
import { buildRawMessage } from './mime.js';
import type { OutgoingMail, Recipient } from './ports.js';
import { unsubscribeToken, unsubscribeUrl } from './subscribe-links.js';
import type { TokenKeyring } from './tokens.js';

export interface SenderIdentity {
  /** The bare sending address (SES `FromEmailAddress`). */
  address: string;
  /** Display name in the From header. */
  name?: string;
}

/** FROM_ADDRESS as configured: `news@example.org` (named `defaultName`) or `Name <news@example.org>`. */
export function senderIdentity(configured: string, defaultName?: string): SenderIdentity {
  const match = /^(.*)<([^<>]+)>\s*$/s.exec(configured.trim());
  if (match) {
    const name = match[1]!.trim().replace(/^"(.*)"$/s, '$1');
    return name ? { address: match[2]!.trim(), name } : { address: match[2]!.trim() };
  }
  return defaultName ? { address: configured.trim(), name: defaultName } : { address: configured.trim() };
}

/** The From header's mailbox: `Name <address>`, or the bare address. */
export function formatMailbox(identity: SenderIdentity): string {
  return identity.name ? `${identity.name} <${identity.address}>` : identity.address;
}

export function personalMail(
  content: EditionContent,
  recipient: Recipient,
  context: { from: SenderIdentity; listId: string; siteUrl: string; keyring: TokenKeyring; date: Date },
): OutgoingMail {
  // Unsubscribe tokens never expire: the link in an old edition must keep working.
  const link = unsubscribeUrl(
    context.siteUrl,
    unsubscribeToken(context.keyring, recipient.id, context.listId),
  );
  const parts = fillUnsubscribe(content, link);
  const { from } = context;
  const raw = buildRawMessage({
    from: formatMailbox(from),
    to: recipient.address,
    subject: content.subject,
    html: parts.html,
    text: parts.text,
    listUnsubscribeUrl: link,
    date: context.date,
    headers: { 'X-Edition': content.editionId },
  });
  return {
    from: from.address,
    to: recipient.address,
    raw,
    // They come back in SES bounce and complaint events.
    tags: { edition: content.editionId, subscriber: recipient.id },
  };
}
