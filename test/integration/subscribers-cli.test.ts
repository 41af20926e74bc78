/**
 * `npm run subscribers` against a running dev:cloud (dynalite, aws-ses-v2-local, the real subscribe
 * API and confirm mailer): import with and without --confirmed, a dry run, the states that are never
 * re-subscribed, the export, and forget. Ports are random and the data folder temporary.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../functions/adapters/aws/subscriber-store.js';
import { DEV_EMAIL_TABLE, main } from '../../functions/cli/commands/subscribers.js';
import { subscriberIdFor } from '../../functions/core/email/subscriber-id.js';
import { type DevCloud, EMAIL_TABLE, startDevCloud } from '../../functions/dev/dev-cloud.js';
import { DEV_ID_KEY, type DevEditionResult, type DevMail } from '../../functions/dev/email-path.js';
import { testClients } from '../helpers/emulators.js';

let dir: string;
let cloud: DevCloud;
let target: string[];

async function run(...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main([...argv, ...target], (line) => out.push(line));
  return { code, out };
}

async function mailsTo(address: string): Promise<DevMail[]> {
  const response = await fetch(`${cloud.siteUrl}_dev/mail?to=${encodeURIComponent(address)}`);
  return (await response.json()) as DevMail[];
}

function csv(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const idOf = (address: string) => subscriberIdFor(new Uint8Array(Buffer.from(DEV_ID_KEY)), address);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'subscribers-cli-'));
  cloud = await startDevCloud({
    s3Port: 0,
    sitePort: 0,
    sesPort: 0,
    dataDir: join(dir, 'data'),
    log: () => {},
  });
  target = ['--dev-cloud', cloud.dynamoEndpoint, '--site', cloud.siteUrl];
});

afterAll(async () => {
  await cloud?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run subscribers against dev:cloud', () => {
  it('names the dev:cloud email table as dev:cloud does', () => {
    expect(DEV_EMAIL_TABLE).toBe(EMAIL_TABLE);
  });

  it('a dry run reports what would change and changes nothing', async () => {
    const file = csv('dry.csv', 'email,creation_date\ndry@example.org,2024-01-01T00:00:00Z\n');
    const { code, out } = await run('import', file, '--confirmed', '--dry-run');
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^dry run, nothing changed: would be 1 confirmed;/);
    const exported = await run('export');
    expect(exported.out.join('\n')).not.toContain('dry@example.org');
  });

  it('imports a Mailchimp export as confirmed, with its consent source and time, skipping a bad row by line', async () => {
    const file = csv(
      'members.csv',
      [
        '"Email Address","First Name",MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LEID',
        'vouched@example.org,Vee,2,"2024-03-01 09:00:00","2024-03-01 09:05:00",1',
        'broken@,Bad,1,,,2',
        'second@example.org,Sec,2,"2024-04-01 10:00:00",,3',
        'vouched@example.org,Vee,2,,,4',
      ].join('\n'),
    );
    const { code, out } = await run('import', file, '--confirmed');
    expect(code).toBe(1);
    expect(out.filter((l) => l.startsWith(`${file}:3: skipped: "broken@": `))).toHaveLength(1);
    expect(
      out.some((l) => l.startsWith(`${file}:5: skipped duplicate: vouched@example.org: already on line 2`)),
    ).toBe(true);
    expect(out.at(-1)).toMatch(/^2 confirmed; 1 bad row\(s\), 1 duplicate\(s\)/);

    // The sender's own directory lists them, in confirmation order: they get the next edition.
    const dynamo = testClients('http://unused.invalid', cloud.dynamoEndpoint).dynamo;
    const store = new DynamoSubscriberStore(dynamo, EMAIL_TABLE);
    const listed = await store.confirmedBefore(new Date(Date.now() + 60_000).toISOString());
    expect(listed.recipients.map((r) => r.address).sort()).toEqual([
      'second@example.org',
      'vouched@example.org',
    ]);

    const exported = (await run('export')).out;
    expect(exported[0]).toBe('address,state,confirmed_at,source,consent_at,suppression_reason,id');
    const row = exported.find((l) => l.startsWith('vouched@example.org,'))?.split(',');
    expect(row?.slice(1, 6)).toEqual([
      'confirmed',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      'import:mailchimp:members.csv',
      '2024-03-01T09:05:00.000Z',
      '',
    ]);
    expect(row?.[6]).toBe(idOf('vouched@example.org'));
    dynamo.destroy();
  });

  it('without --confirmed, mails a confirmation through the normal subscribe path', async () => {
    const file = csv(
      'listmonk.csv',
      'uuid,email,name,attributes,status,created_at\nu1,asked@example.org,A,{},enabled,2025-02-03T04:05:06Z\n',
    );
    const { code, out } = await run('import', file);
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^1 confirmation mail queued;/);
    await cloud.idle();
    const mails = await mailsTo('asked@example.org');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toMatch(/^Confirm your subscription/);
    const exported = (await run('export')).out.find((l) => l.startsWith('asked@example.org,'));
    expect(exported?.split(',').slice(1, 5)).toEqual([
      'pending',
      '',
      'import:listmonk:listmonk.csv',
      '2025-02-03T04:05:06.000Z',
    ]);
    // Confirming through the mailed link lists the address like any other.
    expect((await fetch(mails[0]!.devLinks.confirm!)).status).toBe(200);
    const after = (await run('export')).out.find((l) => l.startsWith('asked@example.org,'));
    expect(after?.split(',')[1]).toBe('confirmed');
  });

  it('never re-subscribes an unsubscribed address, nor touches one already on the list', async () => {
    const dynamo = testClients('http://unused.invalid', cloud.dynamoEndpoint).dynamo;
    const store = new DynamoSubscriberStore(dynamo, EMAIL_TABLE);
    expect(await store.unsubscribe(idOf('second@example.org'), new Date().toISOString())).toBe(true);
    const file = csv('again.csv', 'email\nsecond@example.org\nvouched@example.org\n');
    const { out } = await run('import', file, '--confirmed');
    expect(out).toContain(`${file}:2: second@example.org: unsubscribed here, not re-subscribed`);
    expect(out).toContain(`${file}:3: vouched@example.org: already on the list, left as it is`);
    expect((await store.get(idOf('second@example.org')))?.status).toBe('unsubscribed');
    dynamo.destroy();
  });

  it('forget erases the person, leaving only the keyed id as a suppression entry that blocks any return', async () => {
    const before = await mailsTo('asked@example.org');
    const { code, out } = await run('forget', 'asked@example.org');
    expect(code).toBe(0);
    expect(out).toEqual([
      `asked@example.org (id ${idOf('asked@example.org')}): erased; only the suppression entry remains`,
    ]);

    const exported = (await run('--output', join(dir, 'out.csv'), 'export')).out;
    expect(exported.at(-1)).toMatch(/^\d+ subscriber\(s\) written to /);
    const text = readFileSync(join(dir, 'out.csv'), 'utf8');
    expect(text).not.toContain('asked@example.org');
    expect(text).toContain(`,suppressed,,,,erased,${idOf('asked@example.org')}`);

    // Neither an import nor the subscribe form brings the address back or mails it.
    const file = csv('back.csv', 'email\nasked@example.org\n');
    expect((await run('import', file, '--confirmed')).out).toContain(
      `${file}:2: asked@example.org: suppressed here, not re-subscribed`,
    );
    const form = await fetch(`${cloud.siteUrl}api/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=asked%40example.org',
    });
    expect(form.status).toBe(202);
    await cloud.idle();
    expect(await mailsTo('asked@example.org')).toHaveLength(before.length);
    const edition = (await (
      await fetch(`${cloud.siteUrl}_dev/edition`, { method: 'POST' })
    ).json()) as DevEditionResult;
    expect(edition.mailed).not.toContain('asked@example.org');

    expect((await run('forget', 'asked@example.org')).out[0]).toMatch(/was erased before$/);
    expect((await run('forget', 'never@example.org', '--dry-run')).out[0]).toMatch(
      /would get a suppression entry \(dry run\)$/,
    );
  });

  it('fails with one line for a missing file, a file without addresses, and a missing target', async () => {
    expect(await run('import', join(dir, 'nope.csv'), '--confirmed')).toEqual({
      code: 2,
      out: [`error: ${join(dir, 'nope.csv')}: cannot read it (ENOENT)`],
    });
    const file = csv('names.csv', 'name\nAda\n');
    const { code, out } = await run('import', file, '--confirmed');
    expect(code).toBe(2);
    expect(out).toEqual([
      expect.stringMatching(new RegExp(`^error: ${file}: no address column found .* --email-column$`)),
    ]);
    const noTarget: string[] = [];
    expect(await main(['export'], (l) => noTarget.push(l))).toBe(2);
    expect(noTarget).toEqual([
      'error: give --table and --id-key-secret (the stack outputs), or --dev-cloud URL',
    ]);
  });
});
