import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../functions/core/email/address.js';

describe('normalizeAddress', () => {
  it.each([
    ['reader@example.org', 'reader@example.org'],
    ['  Reader.Name@Example.ORG  ', 'Reader.Name@example.org'],
    ['\u00A0first.last+news@sub.example.co.uk\u3000', 'first.last+news@sub.example.co.uk'],
    ["o'brien!#$%&*/=?^_`{|}~-@example.org", "o'brien!#$%&*/=?^_`{|}~-@example.org"],
    ['x@a-b.c0', 'x@a-b.c0'],
    ['user@xn--bcher-kva.example', 'user@xn--bcher-kva.example'],
    ['user@Bücher.Example', 'user@xn--bcher-kva.example'],
    ['user@例え.テスト', 'user@xn--r8jz45g.xn--zckzah'],
    ['user@ＥＸＡＭＰＬＥ.ü', 'user@example.xn--tda'],
    [`${'l'.repeat(64)}@example.org`, `${'l'.repeat(64)}@example.org`],
    [`a@${'d'.repeat(63)}.org`, `a@${'d'.repeat(63)}.org`],
  ])('accepts %j as %j', (input, address) => {
    expect(normalizeAddress(input)).toEqual({ ok: true, address });
  });

  it.each([
    ['', 'address is empty'],
    ['   ', 'address is empty'],
    ['reader.example.org', 'missing @'],
    ['a@b@example.org', 'more than one @'],
    ['@example.org', 'local part (before @) is empty'],
    ['reader@', 'domain (after @) is empty'],
    ['reader@localhost', 'domain has no dot'],
    ['reader@example.org.', 'domain ends with a dot'],
    ['reader@.example.org', 'domain starts with a dot'],
    ['reader@example..org', 'domain has two dots in a row'],
    ['reader@-example.org', 'domain label starts or ends with a hyphen'],
    ['reader@example-.org', 'domain label starts or ends with a hyphen'],
    ['reader@exa_mple.org', 'domain label "exa_mple" has a character other than a-z, 0-9 and -'],
    ['reader@exa mple.org', 'domain label "exa mple" has a character other than a-z, 0-9 and -'],
    [`reader@${'d'.repeat(64)}.org`, 'domain label longer than 63 characters'],
    ['reader@192.0.2.1', 'top-level domain is all digits'],
    ['reader@0x7f.1', 'top-level domain is all digits'],
    ['reader@[192.0.2.1]', 'domain literals such as [192.0.2.1] are not supported'],
    ['.reader@example.org', 'local part starts with a dot'],
    ['reader.@example.org', 'local part ends with a dot'],
    ['re..ader@example.org', 'local part has two dots in a row'],
    ['"john doe"@example.org', 'quoted local parts are not supported'],
    ['"a@b"@example.org', 'quoted local parts are not supported'],
    ['john doe@example.org', 'local part contains whitespace'],
    ['john(comment)@example.org', 'local part contains "(", which needs quoting'],
    ['Reader <reader@example.org>', 'local part contains whitespace'],
    [
      'jürgen@example.org',
      'local part has a non-ASCII character (internationalised mailboxes are not supported)',
    ],
    [`${'l'.repeat(65)}@example.org`, 'local part is longer than 64 characters'],
    [`a@${Array.from({ length: 5 }, () => 'd'.repeat(50)).join('.')}`, 'longer than 254 characters'],
    ['x'.repeat(100_000), 'longer than 254 characters'],
    ['reader@example.org\r\nBcc: victim@example.org', 'contains a line break'],
    ['reader@example.org\n', 'contains a line break'],
    ['reader@example.org\r', 'contains a line break'],
    ['reader@example.org\u2028', 'contains a line break'],
    ['reader\u0000@example.org', 'contains a NUL character'],
    ['reader\u0007@example.org', 'contains a control character'],
    ['reader@example.org\u0085', 'contains a control character'],
    ['\treader@example.org', 'contains a control character'],
    ['reader@bücher%.example', 'domain is not a valid internationalised domain name'],
    ['reader@ü.123', 'domain is not a valid internationalised domain name'],
    ['reader@a..ü', 'domain has two dots in a row'],
    ['reader@ü_x.org', 'domain label "xn--_x-wka" has a character other than a-z, 0-9 and -'],
  ])('rejects %j: %s', (input, reason) => {
    expect(normalizeAddress(input)).toEqual({ ok: false, reason });
  });

  it('keeps the whole address within 254 characters after IDN conversion', () => {
    // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253-character domain: too long with any local part.
    const domain = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
    expect(normalizeAddress(`x@${domain}`)).toEqual({ ok: false, reason: 'longer than 254 characters' });
    expect(normalizeAddress(`x@${domain.slice(2)}`).ok).toBe(true);
  });

  const addressLike = fc.string({
    unit: fc.oneof(
      fc.constantFrom(
        'a',
        'Z',
        '0',
        '.',
        '@',
        '-',
        '+',
        '"',
        ' ',
        '\r',
        '\n',
        '\r\n',
        '\u0000',
        '\t',
        'é',
        'ß',
        '例',
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 80,
  });
  const plausible = fc
    .tuple(
      fc.stringMatching(/^[A-Za-z0-9+_-]{1,20}(\.[A-Za-z0-9+_-]{1,10})?$/),
      fc.array(fc.stringMatching(/^[A-Za-z0-9äöüß例]([A-Za-z0-9-]{0,10}[A-Za-z0-9])?$/), {
        minLength: 2,
        maxLength: 4,
      }),
      fc.constantFrom('', ' ', '  ', '\u00A0'),
    )
    .map(([local, labels, pad]) => `${pad}${local}@${labels.join('.')}${pad}`);

  it('never returns an address containing CR, LF or any control character', () => {
    fc.assert(
      fc.property(fc.oneof(addressLike, plausible), (input) => {
        const result = normalizeAddress(input);
        if (result.ok) expect(result.address).not.toMatch(/[\r\n\p{Cc}]/u);
        if (/[\r\n]/.test(input)) expect(result.ok).toBe(false);
      }),
    );
  });

  it('is idempotent: a normalised address normalises to itself', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(addressLike, plausible), (input) => {
        const first = normalizeAddress(input);
        if (!first.ok) return;
        accepted++;
        expect(normalizeAddress(first.address)).toEqual(first);
      }),
      { numRuns: 500 },
    );
    // The property is only meaningful when many inputs are accepted.
    expect(accepted).toBeGreaterThan(100);
  });
});
