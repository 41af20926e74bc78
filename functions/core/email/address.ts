/**
 * Subscriber address validation and normalisation. Deliberately narrower than RFC 5322: only the
 * dot-atom form that every mail system accepts, so that a stored address is safe to put in a
 * header and two spellings of one mailbox compare equal.
 */
import { domainToASCII } from 'node:url';

export type AddressResult = { ok: true; address: string } | { ok: false; reason: string };

const MAX_ADDRESS_CHARS = 254;
const MAX_LOCAL_CHARS = 64;
const MAX_LABEL_CHARS = 63;
/** Inputs far longer than any address are refused before the IDN conversion sees them. */
const MAX_INPUT_CHARS = 1024;
const LINE_BREAK = /[\r\n\u2028\u2029]/;
const CONTROL = /\p{Cc}/u;
/** RFC 5322 atext. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]$/;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const NON_ASCII = /[^\u0000-\u007F]/;

/**
 * Trims surrounding whitespace and lower-cases the domain (converting an internationalised domain
 * to its ASCII form); the local part keeps its case, which belongs to the receiving server.
 */
export function normalizeAddress(input: string): AddressResult {
  if (typeof input !== 'string') return reject('address is not text');
  // Checked before trimming: a trailing CRLF is an injection attempt, not padding.
  if (input.includes('\u0000')) return reject('contains a NUL character');
  if (LINE_BREAK.test(input)) return reject('contains a line break');
  if (CONTROL.test(input)) return reject('contains a control character');
  const trimmed = input.trim();
  if (trimmed.length === 0) return reject('address is empty');
  if (trimmed.length > MAX_INPUT_CHARS) return reject(`longer than ${MAX_ADDRESS_CHARS} characters`);
  if (trimmed.startsWith('"')) return reject('quoted local parts are not supported');
  const at = trimmed.indexOf('@');
  if (at === -1) return reject('missing @');
  if (trimmed.indexOf('@', at + 1) !== -1) return reject('more than one @');

  const local = trimmed.slice(0, at);
  const localProblem = checkLocalPart(local);
  if (localProblem) return reject(localProblem);

  const domain = toAsciiDomain(trimmed.slice(at + 1));
  if (!domain.ok) return domain;
  const address = `${local}@${domain.address}`;
  if (address.length > MAX_ADDRESS_CHARS) return reject(`longer than ${MAX_ADDRESS_CHARS} characters`);
  return { ok: true, address };
}

function checkLocalPart(local: string): string | undefined {
  if (local.length === 0) return 'local part (before @) is empty';
  if (local.length > MAX_LOCAL_CHARS) return `local part is longer than ${MAX_LOCAL_CHARS} characters`;
  if (local.startsWith('.')) return 'local part starts with a dot';
  if (local.endsWith('.')) return 'local part ends with a dot';
  if (local.includes('..')) return 'local part has two dots in a row';
  for (const char of local) {
    if (char === '.' || ATEXT.test(char)) continue;
    if (NON_ASCII.test(char))
      return 'local part has a non-ASCII character (internationalised mailboxes are not supported)';
    if (/\s/.test(char)) return 'local part contains whitespace';
    return `local part contains "${char}", which needs quoting`;
  }
  return undefined;
}

function toAsciiDomain(raw: string): AddressResult {
  if (raw.length === 0) return reject('domain (after @) is empty');
  if (raw.startsWith('[')) return reject('domain literals such as [192.0.2.1] are not supported');
  let domain = raw.toLowerCase();
  if (NON_ASCII.test(raw)) {
    // Only non-ASCII domains go through the WHATWG host parser: it also rewrites ASCII hosts such
    // as `0x7f.1` into IPv4 addresses, which must stay invalid here.
    domain = domainToASCII(raw);
    if (domain === '') return reject('domain is not a valid internationalised domain name');
  }
  if (domain.endsWith('.')) return reject('domain ends with a dot');
  if (domain.startsWith('.')) return reject('domain starts with a dot');
  const labels = domain.split('.');
  if (labels.length < 2) return reject('domain has no dot');
  for (const label of labels) {
    if (label.length === 0) return reject('domain has two dots in a row');
    if (label.length > MAX_LABEL_CHARS)
      return reject(`domain label longer than ${MAX_LABEL_CHARS} characters`);
    if (label.startsWith('-') || label.endsWith('-'))
      return reject('domain label starts or ends with a hyphen');
    if (!LDH_LABEL.test(label))
      return reject(`domain label "${label}" has a character other than a-z, 0-9 and -`);
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return reject('top-level domain is all digits');
  return { ok: true, address: domain };
}

function reject(reason: string): AddressResult {
  return { ok: false, reason };
}
