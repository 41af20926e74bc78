import { describe, expect, it } from 'vitest';
import { contrastOnWhite, DEFAULT_BRAND } from '../../functions/core/brand.js';
import { ConfigError, resolveConfig } from '../../functions/core/config.js';
import { DigestRenderer } from '../../functions/core/render/digest.js';
import { makeConfig, makeStories } from '../fixtures/stories.js';
import { loadBuiltTemplates } from '../helpers/templates.js';

const templates = await loadBuiltTemplates();
const links = {
  viewInBrowserUrl: 'https://news.example.org/digests/1.html',
  unsubscribeUrl: '{{unsubscribe_url}}',
};
const edition = (stories = makeStories(3)) => ({ id: '1', date: '2021-09-01T00:00:00.000Z', stories });

describe('brand config', () => {
  it('is optional: the default accent, no logo', () => {
    const { html } = DigestRenderer.create(templates, makeConfig()).render(edition(), links);
    expect(html).toContain(`border-top:4px solid ${DEFAULT_BRAND.color}`);
    expect(html).not.toContain('<img src="https://');
  });

  it('puts the logo (explicit width, the site title as alt) and the accent colour into the digest', () => {
    const config = makeConfig({
      brand: { color: '#8A1538', logoUrl: 'https://cdn.example.org/logo.png', logoWidth: 120 },
    });
    const { html } = DigestRenderer.create(templates, config).render(edition(), links);
    expect(html).toContain(
      '<img src="https://cdn.example.org/logo.png" alt="Test Wire" width="120" style="display:block;width:120px;',
    );
    expect(html).toContain('border-top:4px solid #8a1538');
    expect(html).toMatch(/class="dm-link" style="color:#8a1538;/);
  });

  it.each([
    [{ color: 'red' }, 'brand.color', /must be a colour like "#0b5cad", got "red"/],
    [{ color: '#ffd700' }, 'brand.color', /too light for links on white \(contrast 1\.4:1, needs 4\.5:1\)/],
    [{ logoUrl: 'http://cdn.example.org/logo.png' }, 'brand.logoUrl', /absolute https URL/],
    [{ logoUrl: 'logo.png' }, 'brand.logoUrl', /absolute https URL, got "logo.png"/],
    [{ logoWidth: 900 }, 'brand.logoWidth', /integer from 16 to 544/],
    [{ colour: '#000000' }, 'brand.colour', /config key "brand.colour" is not a known setting/],
    ['#000000', 'brand', /"brand" must be an object/],
  ])('refuses %j with one line naming %s', (brand, key, message) => {
    let error: unknown;
    try {
      resolveConfig({ brand });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('measures contrast as WCAG 2 does', () => {
    expect(contrastOnWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastOnWhite('#ffffff')).toBeCloseTo(1, 5);
    expect(contrastOnWhite('#767676')).toBeGreaterThan(4.5);
  });
});

describe('dark mode and preheader', () => {
  it('declares both colour schemes and ships prefers-color-scheme rules', () => {
    const { html } = DigestRenderer.create(templates, makeConfig()).render(edition(), links);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<meta name="supported-color-schemes" content="light dark">');
    expect(html).toContain(':root { color-scheme: light dark; supported-color-schemes: light dark; }');
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\) \{[^}]*\.dm-page[^}]*#0f1217/);
  });

  it('opens the body with the edition preheader, hidden, before any visible text', () => {
    const parts = DigestRenderer.create(templates, makeConfig()).render(edition(), links);
    const body = parts.html.slice(parts.html.indexOf('<body'));
    const preview = /<div style="display:none;[^"]*">([^<]*)<\/div>/.exec(body);
    expect(preview?.[1]).toBe(parts.preheader);
    expect(parts.preheader).toMatch(/^Also: /);
    expect(body.indexOf(parts.preheader)).toBeLessThan(body.indexOf('View in browser'));
  });
});
