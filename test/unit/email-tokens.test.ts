import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  signToken,
  type TokenKey,
  type TokenKeyring,
  TokenKeyringError,
  type TokenPayload,
  TokenPayloadError,
  type TokenPurpose,
  verifyToken,
} from '../../functions/core/email/tokens.js';

const NOW = new Date('2026-03-02T08:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const KEY_1: TokenKey = { version: 1, secret: new Uint8Array(32).fill(0x11) };
const KEY_2: TokenKey = { version: 2, secret: new Uint8Array(32).fill(0x22) };
const RING: TokenKeyring = { current: KEY_1, previous: [] };
/** Reasons that a token we did not sign may get: anything more precise would leak information. */
const FORGERY_REASONS = ['malformed', 'unknown-key', 'bad-signature'];

const purpose = fc.constantFrom<TokenPurpose>('confirm', 'unsubscribe');
/** Well-formed Unicode of at most 255 UTF-8 bytes (60 code points of up to 4 bytes). */
const field = fc.string({ unit: 'binary', minLength: 1, maxLength: 60 });
const payload: fc.Arbitrary<TokenPayload> = fc.record(
  {
    purpose,
    subscriberId: field,
    list: field,
    expiresAt: fc.integer({ min: NOW_SECONDS + 1, max: 2 ** 40 }),
    generation: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
  },
  { requiredKeys: ['purpose', 'subscriberId', 'list'] },
);

/** What a good token of `p` verifies to: a missing generation reads as 0. */
function verdictOf(p: TokenPayload) {
  return { ok: true, subscriberId: p.subscriberId, generation: p.generation ?? 0 };
}

function expectedOf(p: TokenPayload) {
  return { purpose: p.purpose, list: p.list };
}

describe('signToken / verifyToken', () => {
  it('round-trips any payload, in a URL-safe token without padding', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const token = signToken(RING, p);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(encodeURIComponent(token)).toBe(token);
        expect(verifyToken(RING, token, expectedOf(p), NOW)).toEqual(verdictOf(p));
      }),
    );
  });

  it('is deterministic and binds the key version into the first byte', () => {
    const p: TokenPayload = { purpose: 'confirm', subscriberId: 'sub-1', list: 'weekly' };
    expect(signToken(RING, p)).toBe(signToken(RING, p));
    const bytes = Buffer.from(signToken({ current: KEY_2, previous: [] }, p), 'base64url');
    expect(bytes[0]).toBe(2);
  });

  it('rejects a token with any single bit flipped', () => {
    fc.assert(
      fc.property(payload, fc.nat(), (p, bitSeed) => {
        const bytes = Buffer.from(signToken(RING, p), 'base64url');
        const bit = bitSeed % (bytes.length * 8);
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        const verdict = verifyToken(RING, bytes.toString('base64url'), expectedOf(p), NOW);
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect(FORGERY_REASONS).toContain(verdict.reason);
      }),
    );
  });

  it('rejects a token with any single character replaced, removed or added', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/. é';
    fc.assert(
      fc.property(
        payload,
        fc.nat(),
        fc.nat(),
        fc.constantFrom('replace', 'remove', 'insert'),
        (p, at, pick, edit) => {
          const token = signToken(RING, p);
          const index = at % token.length;
          let char = alphabet[pick % alphabet.length]!;
          if (edit === 'replace' && char === token[index]) char = char === 'A' ? 'B' : 'A';
          const tampered =
            edit === 'remove'
              ? token.slice(0, index) + token.slice(index + 1)
              : token.slice(0, index) + char + token.slice(edit === 'replace' ? index + 1 : index);
          const verdict = verifyToken(RING, tampered, expectedOf(p), NOW);
          expect(verdict.ok).toBe(false);
          if (!verdict.ok) expect(FORGERY_REASONS).toContain(verdict.reason);
        },
      ),
    );
  });

  it('rejects the unused low bits of the last character being set (non-canonical base64url)', () => {
    // 3 + (1 + 5) + (1 + 4) + 32 = 46 bytes: the last character carries 4 unused bits.
    const p: TokenPayload = { purpose: 'unsubscribe', subscriberId: 'abcde', list: 'news' };
    const token = signToken(RING, p);
    expect(Buffer.from(token, 'base64url').length % 3).not.toBe(0);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1)!);
    const sibling = `${token.slice(0, -1)}${alphabet[last ^ 1]}`;
    // Node decodes the sibling to the same bytes; only the canonical check tells them apart.
    expect(Buffer.from(sibling, 'base64url').equals(Buffer.from(token, 'base64url'))).toBe(true);
    expect(verifyToken(RING, sibling, expectedOf(p), NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it("never verifies subscriber A's token as subscriber B", () => {
    fc.assert(
      fc.property(payload, field, (p, other) => {
        fc.pre(other !== p.subscriberId);
        const tokenA = signToken(RING, p);
        const tokenB = signToken(RING, { ...p, subscriberId: other });
        expect(tokenA).not.toBe(tokenB);
        const verdict = verifyToken(RING, tokenA, expectedOf(p), NOW);
        expect(verdict).toEqual(verdictOf(p));
        // B's fields under A's MAC: the subscriber id is inside the MAC.
        const bytesA = Buffer.from(tokenA, 'base64url');
        const bytesB = Buffer.from(tokenB, 'base64url');
        const spliced = Buffer.concat([bytesB.subarray(0, -32), bytesA.subarray(-32)]).toString('base64url');
        expect(verifyToken(RING, spliced, expectedOf(p), NOW)).toEqual({
          ok: false,
          reason: 'bad-signature',
        });
      }),
    );
  });

  it('rejects a token used for the other purpose or another list', () => {
    fc.assert(
      fc.property(payload, field, (p, otherList) => {
        fc.pre(otherList !== p.list);
        const token = signToken(RING, p);
        const otherPurpose: TokenPurpose = p.purpose === 'confirm' ? 'unsubscribe' : 'confirm';
        expect(verifyToken(RING, token, { purpose: otherPurpose, list: p.list }, NOW)).toEqual({
          ok: false,
          reason: 'wrong-purpose',
        });
        expect(verifyToken(RING, token, { purpose: p.purpose, list: otherList }, NOW)).toEqual({
          ok: false,
          reason: 'wrong-list',
        });
      }),
    );
  });

  it('expires at expiresAt (epoch seconds), not a second earlier; no expiresAt never expires', () => {
    const expiresAt = NOW_SECONDS + 3600;
    const token = signToken(RING, { purpose: 'confirm', subscriberId: 's', list: 'l', expiresAt });
    const at = (seconds: number) => new Date(seconds * 1000);
    expect(verifyToken(RING, token, { purpose: 'confirm', list: 'l' }, at(expiresAt - 1)).ok).toBe(true);
    expect(
      verifyToken(RING, token, { purpose: 'confirm', list: 'l' }, new Date(expiresAt * 1000 - 1)).ok,
    ).toBe(true);
    expect(verifyToken(RING, token, { purpose: 'confirm', list: 'l' }, at(expiresAt))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyToken(RING, token, { purpose: 'confirm', list: 'l' }, new Date(Number.NaN))).toEqual({
      ok: false,
      reason: 'expired',
    });
    const forever = signToken(RING, { purpose: 'unsubscribe', subscriberId: 's', list: 'l' });
    expect(verifyToken(RING, forever, { purpose: 'unsubscribe', list: 'l' }, at(2 ** 40)).ok).toBe(true);
  });

  it('keeps tokens of a rotated-out key valid while the key is in `previous`, not after it is dropped', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const old = signToken({ current: KEY_1, previous: [] }, p);
        const rotated: TokenKeyring = { current: KEY_2, previous: [KEY_1] };
        expect(verifyToken(rotated, old, expectedOf(p), NOW)).toEqual(verdictOf(p));
        const fresh = signToken(rotated, p);
        expect(Buffer.from(fresh, 'base64url')[0]).toBe(KEY_2.version);
        expect(verifyToken(rotated, fresh, expectedOf(p), NOW).ok).toBe(true);
        const retired: TokenKeyring = { current: KEY_2, previous: [] };
        expect(verifyToken(retired, old, expectedOf(p), NOW)).toEqual({ ok: false, reason: 'unknown-key' });
        // The old ring does not accept tokens of a key it has never seen.
        expect(verifyToken(RING, fresh, expectedOf(p), NOW)).toEqual({ ok: false, reason: 'unknown-key' });
      }),
    );
  });

  it('authenticates the generation: one generation never verifies as another', () => {
    fc.assert(
      fc.property(payload, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, other) => {
        fc.pre(other !== (p.generation ?? 0));
        const token = signToken(RING, p);
        const bytes = Buffer.from(token, 'base64url');
        const flags = bytes[2]!;
        if (flags & 0b10) {
          // Rewrite the generation field in place and keep the MAC: the MAC no longer matches.
          const at = 3 + (flags & 0b01 ? 6 : 0);
          bytes.writeUInt32BE(other, at);
          const verdict = verifyToken(RING, bytes.toString('base64url'), expectedOf(p), NOW);
          expect(verdict).toEqual({ ok: false, reason: 'bad-signature' });
        }
        expect(verifyToken(RING, token, expectedOf(p), NOW)).toEqual(verdictOf(p));
      }),
    );
  });

  it('reads tokens signed before generations existed as generation 0 (links already in inboxes)', () => {
    // Signed by the previous layout (flags byte 1 and 0, no generation field) with KEY_1.
    const confirm = 'AQEBAABppVGQBXN1Yi0xBndlZWtseft00iauG99BIANDo1Zf7jLdiSVQufop28_aK_FTrldT';
    const unsubscribe = 'AQIABXN1Yi0xBndlZWtseXecvrc3LC0hHv8eELvZucuvF-csiFJlTjW_8042mkhI';
    expect(verifyToken(RING, confirm, { purpose: 'confirm', list: 'weekly' }, NOW)).toEqual({
      ok: true,
      subscriberId: 'sub-1',
      generation: 0,
    });
    expect(verifyToken(RING, unsubscribe, { purpose: 'unsubscribe', list: 'weekly' }, NOW)).toEqual({
      ok: true,
      subscriberId: 'sub-1',
      generation: 0,
    });
    // The same payload signed today is the same token: no generation means the old layout.
    expect(
      signToken(RING, {
        purpose: 'confirm',
        subscriberId: 'sub-1',
        list: 'weekly',
        expiresAt: NOW_SECONDS + 3600,
      }),
    ).toBe(confirm);
  });

  it('refuses unknown flag bits as malformed, before any key is tried', () => {
    const bytes = Buffer.from(
      signToken(RING, { purpose: 'unsubscribe', subscriberId: 's', list: 'l' }),
      'base64url',
    );
    for (const flag of [0b100, 0b1000, 0x80]) {
      const copy = Buffer.from(bytes);
      copy[2] = flag;
      expect(
        verifyToken(RING, copy.toString('base64url'), { purpose: 'unsubscribe', list: 'l' }, NOW),
      ).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('rejects a token whose key version is known but whose secret differs', () => {
    const p: TokenPayload = { purpose: 'confirm', subscriberId: 'sub', list: 'weekly' };
    const impostor: TokenKeyring = {
      current: { version: 1, secret: new Uint8Array(32).fill(0x99) },
      previous: [],
    };
    expect(verifyToken(RING, signToken(impostor, p), expectedOf(p), NOW)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('gives ok:false without throwing for garbage: any unicode, base64url noise, random bytes, huge, empty', () => {
    const expected = { purpose: 'confirm' as const, list: 'weekly' };
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...'ABCxyz019-_'), maxLength: 800 }),
      fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) }),
    );
    fc.assert(
      fc.property(garbage, (token) => {
        const verdict = verifyToken(RING, token, expected, NOW);
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect(FORGERY_REASONS).toContain(verdict.reason);
      }),
    );
    for (const token of ['', 'A', '====', 'x'.repeat(5_000_000), '😀'.repeat(1000)]) {
      expect(verifyToken(RING, token, expected, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
    for (const token of [undefined, null, 42, {}] as unknown as string[]) {
      expect(verifyToken(RING, token, expected, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses unusable keyrings and unencodable payloads with named errors', () => {
    const p: TokenPayload = { purpose: 'confirm', subscriberId: 'sub', list: 'weekly' };
    const short: TokenKeyring = { current: { version: 1, secret: new Uint8Array(31) }, previous: [] };
    expect(() => signToken(short, p)).toThrow(TokenKeyringError);
    expect(() => signToken({ current: KEY_1, previous: [{ ...KEY_2, version: 1 }] }, p)).toThrow(
      TokenKeyringError,
    );
    expect(() => signToken({ current: { ...KEY_1, version: 256 }, previous: [] }, p)).toThrow(
      TokenKeyringError,
    );
    expect(() => verifyToken(short, 'AAAA', { purpose: 'confirm', list: 'weekly' }, NOW)).toThrow(
      TokenKeyringError,
    );
    expect(() => signToken(RING, { ...p, subscriberId: '' })).toThrow(TokenPayloadError);
    expect(() => signToken(RING, { ...p, list: 'x'.repeat(256) })).toThrow(TokenPayloadError);
    expect(() => signToken(RING, { ...p, subscriberId: 'a\uD800b' })).toThrow(TokenPayloadError);
    expect(() => signToken(RING, { ...p, expiresAt: 1.5 })).toThrow(TokenPayloadError);
    expect(() => signToken(RING, { ...p, expiresAt: -1 })).toThrow(TokenPayloadError);
    for (const generation of [-1, 0.5, 2 ** 32, Number.NaN]) {
      expect(() => signToken(RING, { ...p, generation }), String(generation)).toThrow(TokenPayloadError);
    }
    expect(signToken(RING, { ...p, list: 'x'.repeat(255) })).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
