/**
 * The mail templates as the Lambdas get them: compiled from MJML at bundle time (`writeBuiltTemplates`,
 * what the stack's `BUILD_TEMPLATES` hook runs), written to a folder, read back by the functions.
 * A digest and a confirmation rendered from that folder must be byte-identical to the same mail
 * rendered with MJML compiled in the process, as the local CLI does (and the functions did before
 * commit 3234b3f, whose version of this test compared against that run-time path directly).
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBuiltTemplates } from '../../functions/adapters/local/template-build.js';
import { readBuiltTemplates } from '../../functions/adapters/local/templates.js';
import { ConfirmationRenderer } from '../../functions/core/render/confirmation.js';
import { DigestRenderer } from '../../functions/core/render/digest.js';
import { buildTemplates } from '../../functions/core/render/mjml.js';
import type { BuiltTemplates } from '../../functions/core/render/templates.js';
import { makeConfig, makeStories } from '../fixtures/stories.js';
import { loadTemplates, TEMPLATES_DIR } from '../helpers/templates.js';

const config = makeConfig({ copyright: '© 2021 Test Wire' });
const links = {
  viewInBrowserUrl: 'https://news.example.org/digests/2021-09-01.html',
  unsubscribeUrl: '{{unsubscribe_url}}',
};
const stories = makeStories(4).map((story, i) =>
  i === 0
    ? {
        ...story,
        title: 'Ça coûte <cher> & “vite”',
        relatedIds: ['a', 'b'],
        image: { url: 'media/abc.jpg', alt: 'A flooded street', width: 1200, height: 800, inBody: false },
      }
    : story,
);
const edition = { id: '2021-09-01', date: '2021-09-01T06:00:00.000Z', stories };

let dir: string;
let written: string[];
let built: BuiltTemplates;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'built-templates-'));
  written = await writeBuiltTemplates(TEMPLATES_DIR, join(dir, 'templates'));
  built = await readBuiltTemplates(join(dir, 'templates'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('built templates', () => {
  it('ship compiled HTML for each MJML template and no MJML', () => {
    expect(written).toEqual(expect.arrayContaining(['digest.html.hbs', 'confirm.html.hbs', 'layout.hbs']));
    expect(readdirSync(join(dir, 'templates')).filter((file) => file.endsWith('.mjml'))).toEqual([]);
    expect(built.digestHtml).toContain('{{#each stories}}');
    expect(built.digestHtml).not.toContain('<mj-');
  });

  it('render a digest byte-identical to MJML compiled at run time', async () => {
    const before = DigestRenderer.create(await buildTemplates(loadTemplates()), config).render(
      edition,
      links,
    );
    const after = DigestRenderer.create(built, config).render(edition, links);
    expect(after.html).toContain('A flooded street');
    expect(after).toEqual(before);
    expect(Buffer.from(after.html).equals(Buffer.from(before.html))).toBe(true);
  });

  it('render a confirmation byte-identical to MJML compiled at run time', async () => {
    const input = { address: 'reader@example.org', confirmUrl: 'https://news.example.org/api/confirm?t=x' };
    const before = ConfirmationRenderer.create(await buildTemplates(loadTemplates()), config).render(input);
    const after = ConfirmationRenderer.create(built, config).render(input);
    expect(after.html).toContain('reader@example.org');
    expect(after).toEqual(before);
  });

  it('name the missing file and the fix when the folder lacks one', async () => {
    const partial = join(dir, 'partial');
    cpSync(join(dir, 'templates'), partial, { recursive: true });
    rmSync(join(partial, 'digest.html.hbs'));
    await expect(readBuiltTemplates(partial)).rejects.toThrow(
      `templates folder ${partial} has no digest.html.hbs: build the folder with scripts/build-templates.ts`,
    );
  });

  it('refuse invalid MJML at build time, naming the source file', async () => {
    const broken = join(dir, 'broken');
    cpSync(TEMPLATES_DIR, broken, { recursive: true });
    writeFileSync(
      join(broken, 'digest.mjml'),
      '<mjml><mj-body><mj-section><mj-text>x</mj-text></mj-section></mj-body></mjml>',
    );
    await expect(writeBuiltTemplates(broken, join(dir, 'broken-out'))).rejects.toThrow(
      /template digest\.mjml is not valid MJML/,
    );
  });
});
