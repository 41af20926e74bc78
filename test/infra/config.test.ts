import { App, Lazy } from 'aws-cdk-lib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../functions/core/config.js';
import { buildApp } from '../../infra/build-app.js';
import {
  EMAIL_DEFAULTS,
  NewsfeedConfigError,
  parseNewsfeedConfig,
  toSiteConfig,
} from '../../infra/config.js';
import { cdkJsonContext } from './synth.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';

function errorOf(raw: unknown): NewsfeedConfigError {
  try {
    parseNewsfeedConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(NewsfeedConfigError);
    return error as NewsfeedConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe('parseNewsfeedConfig', () => {
  it('fills every setting from the core defaults when nothing is given', () => {
    for (const empty of [undefined, {}]) {
      const { siteUrl: _local, ...site } = DEFAULT_CONFIG;
      expect(parseNewsfeedConfig(empty)).toEqual({
        site,
        deployLocalArticles: false,
        reconcileIntervalMinutes: 60,
        waf: false,
        removalPolicy: 'retain',
      });
    }
  });

  it('accepts the settings in cdk.json', () => {
    const context = cdkJsonContext();
    expect(parseNewsfeedConfig(context.newsfeed).deployLocalArticles).toBe(false);
  });

  it('keeps every given setting, adding the trailing slash to siteUrl and lower-casing the domain', () => {
    const config = parseNewsfeedConfig({
      title: ' Test Wire ',
      description: 'Stories for tests',
      siteUrl: 'https://news.example.org/wire',
      language: 'en-GB',
      feedSize: 20,
      maxArticleBytes: 4096,
      alarmEmail: 'ops@example.org',
      customDomain: { domainName: 'News.Example.org', certificateArn: CERTIFICATE },
      deployLocalArticles: true,
      reconcileIntervalMinutes: 15,
      waf: true,
      removalPolicy: 'destroy',
    });
    expect(config).toEqual({
      site: {
        ...parseNewsfeedConfig({}).site,
        title: 'Test Wire',
        description: 'Stories for tests',
        language: 'en-GB',
        feedSize: 20,
        maxArticleBytes: 4096,
        digest: { ...DEFAULT_CONFIG.digest, subjectPrefix: 'Test Wire' },
      },
      siteUrl: 'https://news.example.org/wire/',
      alarmEmail: 'ops@example.org',
      customDomain: { domainName: 'news.example.org', certificateArn: CERTIFICATE },
      deployLocalArticles: true,
      reconcileIntervalMinutes: 15,
      waf: true,
      removalPolicy: 'destroy',
    });
  });

  it('parses a JSON string, as `cdk -c newsfeed=...` passes it', () => {
    expect(parseNewsfeedConfig('{"feedSize": 7}').site.feedSize).toBe(7);
    expect(errorOf('{feedSize: 7').key).toBe('newsfeed');
  });

  it('says which key is wrong and why', () => {
    expect(errorOf({ feedSize: 0 }).message).toBe('newsfeed.feedSize must be an integer from 1 to 1000');
    expect(errorOf({ reconcileIntervalMinutes: 0 }).message).toBe(
      'newsfeed.reconcileIntervalMinutes must be an integer from 1 to 1440',
    );
  });

  it.each([
    [{ siteTitle: '' }, 'newsfeed.siteTitle'],
    [{ siteTitle: 42 }, 'newsfeed.siteTitle'],
    [{ description: '   ' }, 'newsfeed.description'],
    [{ siteUrl: 'not a url' }, 'newsfeed.siteUrl'],
    [{ siteUrl: 'http://news.example.org/' }, 'newsfeed.siteUrl'],
    [{ siteUrl: 'ftp://news.example.org/' }, 'newsfeed.siteUrl'],
    [{ language: 'english!' }, 'newsfeed.language'],
    [{ feedSize: 1001 }, 'newsfeed.feedSize'],
    [{ feedSize: 2.5 }, 'newsfeed.feedSize'],
    [{ feedSize: '50' }, 'newsfeed.feedSize'],
    [{ maxArticleBytes: 10 }, 'newsfeed.maxArticleBytes'],
    [{ alarmEmail: 'ops' }, 'newsfeed.alarmEmail'],
    [{ customDomain: 'news.example.org' }, 'newsfeed.customDomain'],
    [{ customDomain: { domainName: 'news.example.org' } }, 'newsfeed.customDomain.certificateArn'],
    [
      {
        customDomain: {
          domainName: 'news.example.org',
          certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-1'),
        },
      },
      'newsfeed.customDomain.certificateArn',
    ],
    [
      { customDomain: { domainName: 'news example', certificateArn: CERTIFICATE } },
      'newsfeed.customDomain.domainName',
    ],
    [
      { customDomain: { domainName: 'a.org', certificateArn: CERTIFICATE, zone: 'x' } },
      'newsfeed.customDomain.zone',
    ],
    [{ deployLocalArticles: 'yes' }, 'newsfeed.deployLocalArticles'],
    [{ feedsize: 20 }, 'newsfeed.feedsize'],
    [
      { customDomain: { domainName: 'a.org', hostedZoneId: 'Z0123456789ABC' } },
      'newsfeed.customDomain.hostedZoneName',
    ],
    [
      { customDomain: { domainName: 'news.example.org', hostedZoneId: 'Z01', hostedZoneName: 'other.org' } },
      'newsfeed.customDomain.hostedZoneName',
    ],
    [
      { customDomain: { domainName: 'a.org', hostedZoneId: 'zone-1', hostedZoneName: 'a.org' } },
      'newsfeed.customDomain.hostedZoneId',
    ],
    [{ waf: 'yes' }, 'newsfeed.waf'],
    [{ removalPolicy: 'snapshot' }, 'newsfeed.removalPolicy'],
    [{ email: { domain: 'a.org', dmarc: { policy: 'strict' } } }, 'newsfeed.email.dmarc.policy'],
    [{ email: { domain: 'a.org', dmarc: { rua: 'not-an-address' } } }, 'newsfeed.email.dmarc.rua'],
    [{ email: { domain: 'a.org', dmarc: { ruf: 'a@a.org' } } }, 'newsfeed.email.dmarc.ruf'],
  ])('rejects %j naming %s', (raw, key) => {
    const error = errorOf(raw);
    expect(error.key).toBe(key);
    expect(error.message.startsWith(`${key} `)).toBe(true);
  });

  it('rejects a value that is not an object', () => {
    for (const raw of [null, 42, [], true]) expect(errorOf(raw).key).toBe('newsfeed');
  });

  it('accepts feedSize exactly when it is an integer from 1 to 1000', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), (feedSize) => {
        const valid = Number.isInteger(feedSize) && feedSize >= 1 && feedSize <= 1000;
        if (valid) expect(parseNewsfeedConfig({ feedSize }).site.feedSize).toBe(feedSize);
        else expect(errorOf({ feedSize }).key).toBe('newsfeed.feedSize');
      }),
    );
  });

  it('fails synthesis with the offending key before any resource is created', () => {
    const app = new App({ context: { newsfeed: { feedSize: 0 } } });
    expect(() => buildApp(app)).toThrow('newsfeed.feedSize must be an integer from 1 to 1000');
    expect(app.node.children).toHaveLength(0);
  });
});

describe('parseNewsfeedConfig: the email block', () => {
  const emailOf = (email: unknown, rest: Record<string, unknown> = {}) =>
    parseNewsfeedConfig({ ...rest, email }).email;

  it('is absent unless configured: no email, no subscribe form', () => {
    expect(parseNewsfeedConfig({}).email).toBeUndefined();
    expect(toSiteConfig(parseNewsfeedConfig({}), 'https://news.example.org/').subscribeUrl).toBeUndefined();
  });

  it('needs only the domain, and derives the rest from it and the site title', () => {
    expect(emailOf({ domain: 'Example.ORG' }, { siteTitle: 'Test Wire' })).toEqual({
      domain: 'example.org',
      fromAddress: 'news@example.org',
      fromName: 'Test Wire',
      mailFromSubdomain: 'mail',
      schedule: 'cron(0 7 * * ? *)',
      scheduleTimezone: 'UTC',
      confirmationsPerAddressPerDay: 3,
      subscribesPerSourcePerHour: 20,
      sendConcurrency: 2,
      listId: 'digest',
      originHeaderVersion: 1,
      dmarc: { policy: 'none' },
    });
    expect(EMAIL_DEFAULTS.schedule).toBe('cron(0 7 * * ? *)');
  });

  it('keeps every given setting', () => {
    expect(
      emailOf({
        domain: 'news.example.org',
        fromAddress: 'Desk@news.example.org',
        fromName: 'The Désk',
        mailFromSubdomain: 'Bounce',
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        hostedZoneName: 'Example.org.',
        schedule: 'cron(30 6 ? * MON-FRI *)',
        scheduleTimezone: 'Europe/Berlin',
        confirmationsPerAddressPerDay: 20,
        subscribesPerSourcePerHour: 1000,
        sendConcurrency: 10,
        listId: 'morning-brief',
        originHeaderVersion: 3,
        dmarc: { policy: 'reject', rua: 'mailto:DMARC@example.org' },
      }),
    ).toEqual({
      domain: 'news.example.org',
      fromAddress: 'Desk@news.example.org',
      fromName: 'The Désk',
      mailFromSubdomain: 'bounce',
      hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'example.org' },
      schedule: 'cron(30 6 ? * MON-FRI *)',
      scheduleTimezone: 'Europe/Berlin',
      confirmationsPerAddressPerDay: 20,
      subscribesPerSourcePerHour: 1000,
      sendConcurrency: 10,
      listId: 'morning-brief',
      originHeaderVersion: 3,
      dmarc: { policy: 'reject', rua: 'DMARC@example.org' },
    });
  });

  it.each(['rate(1 day)', 'rate(12 hours)', 'rate(30 minutes)', 'cron(0 7 * * ? *)', 'cron(0 18 ? * FRI *)'])(
    'accepts the schedule %s',
    (schedule) => {
      expect(emailOf({ domain: 'example.org', schedule })?.schedule).toBe(schedule);
    },
  );

  it.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])(
    'accepts the time zone %s',
    (scheduleTimezone) => {
      expect(emailOf({ domain: 'example.org', scheduleTimezone })?.scheduleTimezone).toBe(scheduleTimezone);
    },
  );

  it.each([
    ['a string', 'newsfeed.email'],
    [{}, 'newsfeed.email.domain'],
    [{ domain: 'not a domain' }, 'newsfeed.email.domain'],
    [{ domain: 'example.org', from: 'x' }, 'newsfeed.email.from'],
    [{ domain: 'example.org', fromAddress: 'news@elsewhere.org' }, 'newsfeed.email.fromAddress'],
    [{ domain: 'example.org', fromAddress: 'news' }, 'newsfeed.email.fromAddress'],
    [{ domain: 'example.org', fromName: 'Desk\r\nBcc: victim@example.net' }, 'newsfeed.email.fromName'],
    [{ domain: 'example.org', mailFromSubdomain: 'mail.bounce' }, 'newsfeed.email.mailFromSubdomain'],
    [{ domain: 'example.org', mailFromSubdomain: '-mail' }, 'newsfeed.email.mailFromSubdomain'],
    [{ domain: 'example.org', hostedZoneId: 'Z0123456789' }, 'newsfeed.email.hostedZoneName'],
    [{ domain: 'example.org', hostedZoneName: 'example.org' }, 'newsfeed.email.hostedZoneId'],
    [
      { domain: 'example.org', hostedZoneId: 'not-a-zone', hostedZoneName: 'example.org' },
      'newsfeed.email.hostedZoneId',
    ],
    [
      { domain: 'example.org', hostedZoneId: 'Z0123456789', hostedZoneName: 'other.org' },
      'newsfeed.email.hostedZoneName',
    ],
    [
      { domain: 'example.org', hostedZoneId: 'Z0123456789', hostedZoneName: 'news.example.org' },
      'newsfeed.email.hostedZoneName',
    ],
    [{ domain: 'example.org', schedule: 'daily' }, 'newsfeed.email.schedule'],
    [{ domain: 'example.org', schedule: 'cron(0 7 * * ?)' }, 'newsfeed.email.schedule'],
    [{ domain: 'example.org', schedule: 'rate(1 days)' }, 'newsfeed.email.schedule'],
    [{ domain: 'example.org', schedule: 'rate(2 day)' }, 'newsfeed.email.schedule'],
    [{ domain: 'example.org', schedule: 'rate(0 minutes)' }, 'newsfeed.email.schedule'],
    [{ domain: 'example.org', schedule: 'at(2026-12-01T07:00:00)' }, 'newsfeed.email.schedule'],
    [{ domain: 'example.org', scheduleTimezone: 'Mars/Olympus_Mons' }, 'newsfeed.email.scheduleTimezone'],
    [{ domain: 'example.org', scheduleTimezone: '+01:00' }, 'newsfeed.email.scheduleTimezone'],
    [{ domain: 'example.org', scheduleTimezone: 'utc' }, 'newsfeed.email.scheduleTimezone'],
    [{ domain: 'example.org', maxStories: 0 }, 'newsfeed.email.maxStories'],
    [{ domain: 'example.org', maxStories: 31 }, 'newsfeed.email.maxStories'],
    [
      { domain: 'example.org', confirmationsPerAddressPerDay: 21 },
      'newsfeed.email.confirmationsPerAddressPerDay',
    ],
    [
      { domain: 'example.org', subscribesPerSourcePerHour: 1001 },
      'newsfeed.email.subscribesPerSourcePerHour',
    ],
    [{ domain: 'example.org', sendConcurrency: 0 }, 'newsfeed.email.sendConcurrency'],
    [{ domain: 'example.org', sendConcurrency: 11 }, 'newsfeed.email.sendConcurrency'],
    [{ domain: 'example.org', sendConcurrency: 1.5 }, 'newsfeed.email.sendConcurrency'],
    [{ domain: 'example.org', listId: 'Digest List' }, 'newsfeed.email.listId'],
  ])('rejects %j naming %s', (email, key) => {
    const error = errorOf({ email });
    expect(error.key).toBe(key);
    expect(error.message.startsWith(`${key} `)).toBe(true);
  });

  it.each([
    ['maxStories', 1, 30],
    ['confirmationsPerAddressPerDay', 1, 20],
    ['subscribesPerSourcePerHour', 1, 1000],
    ['sendConcurrency', 1, 10],
    ['originHeaderVersion', 1, 999],
  ] as const)('accepts %s exactly when it is an integer from %i to %i', (key, min, max) => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -5, max: max + 5 }), fc.double()), (value) => {
        const valid = Number.isInteger(value) && value >= min && value <= max;
        const raw = { email: { domain: 'example.org', [key]: value } };
        const config = valid ? parseNewsfeedConfig(raw, () => {}) : undefined;
        // maxStories is the deprecated spelling of digest.maxStories (see the deprecation tests).
        if (config)
          expect(key === 'maxStories' ? config.site.digest.maxStories : config.email?.[key]).toBe(value);
        if (!valid) expect(errorOf(raw).key).toBe(`newsfeed.email.${key}`);
      }),
    );
  });

  it('parses the block from a JSON string, as `cdk -c newsfeed=...` passes it', () => {
    expect(parseNewsfeedConfig('{"email":{"domain":"example.com"}}').email?.fromAddress).toBe(
      'news@example.com',
    );
  });
});

describe('toSiteConfig', () => {
  it('with email, points the subscribe form at the API under the site URL and caps the digest', () => {
    const config = parseNewsfeedConfig({ email: { domain: 'example.org', maxStories: 7 } });
    const site = toSiteConfig(config, 'https://news.example.org/');
    expect(site.subscribeUrl).toBe('https://news.example.org/api/subscribe');
    expect(site.digest.maxStories).toBe(7);
    expect(resolveConfig(JSON.parse(JSON.stringify(site)))).toEqual(site);
  });

  it('hands the brand and the WebSub hub to the functions, checked by the same rules as locally', () => {
    const config = parseNewsfeedConfig({
      brand: { color: '#8A1538', logoUrl: 'https://news.example.org/logo.png' },
      websub: { hub: 'https://hub.example.org/' },
    });
    const site = toSiteConfig(config, 'https://news.example.org/');
    expect(site.brand).toEqual({
      color: '#8a1538',
      logoUrl: 'https://news.example.org/logo.png',
      logoWidth: 160,
    });
    expect(site.websub).toEqual({ hub: 'https://hub.example.org/' });
    expect(resolveConfig(JSON.parse(JSON.stringify(site)))).toEqual(site);
    const error = errorOf({ brand: { color: '#ffd700' }, websub: { hub: 'ftp://x' } });
    expect(error.message).toContain('newsfeed.brand.color');
    expect(error.message).toContain('too light');
    expect(error.message).toContain('newsfeed.websub.hub');
  });

  it('gives the publish function a config the core accepts unchanged', () => {
    const config = parseNewsfeedConfig({ siteTitle: 'Test Wire', feedSize: 20, language: 'fr' });
    const site = toSiteConfig(config, 'https://news.example.org/');
    expect(resolveConfig(JSON.parse(JSON.stringify(site)))).toEqual(site);
    expect(site).toMatchObject({
      title: 'Test Wire',
      feedSize: 20,
      language: 'fr',
      siteUrl: 'https://news.example.org/',
    });
    expect(site.digest.subjectPrefix).toBe('Test Wire');
  });

  it('keeps a site URL that is only known at deploy time', () => {
    const deployTimeUrl = Lazy.string({ produce: () => 'https://d111111abcdef8.cloudfront.net/' });
    expect(toSiteConfig(parseNewsfeedConfig({}), deployTimeUrl).siteUrl).toBe(deployTimeUrl);
  });
});

describe('one schema for the local and the cloud config', () => {
  it('reads the old cloud spellings for one release, warning with the new key', () => {
    const warnings: string[] = [];
    const config = parseNewsfeedConfig(
      { siteTitle: 'Old Wire', email: { domain: 'example.org', maxStories: 4 } },
      (message) => warnings.push(message),
    );
    expect(config.site.title).toBe('Old Wire');
    expect(config.site.digest.maxStories).toBe(4);
    expect(warnings).toEqual([
      expect.stringContaining('newsfeed.siteTitle is deprecated: rename it to newsfeed.title'),
      expect.stringContaining(
        'newsfeed.email.maxStories is deprecated: rename it to newsfeed.digest.maxStories',
      ),
    ]);
    const renamed = parseNewsfeedConfig({
      title: 'Old Wire',
      digest: { maxStories: 4 },
      email: { domain: 'example.org' },
    });
    expect(toSiteConfig(renamed, 'https://a.example/')).toEqual(toSiteConfig(config, 'https://a.example/'));
  });

  it('refuses an old and a new spelling of one key together', () => {
    expect(errorOf({ siteTitle: 'A', title: 'B' }).key).toBe('newsfeed.siteTitle');
  });

  it("accepts the local file's site keys in cdk.json under the same names", () => {
    const config = parseNewsfeedConfig({
      title: 'Wire',
      ttl: 30,
      copyright: '© Wire',
      author: { name: 'Desk' },
    });
    expect(toSiteConfig(config, 'https://a.example/')).toMatchObject({
      title: 'Wire',
      ttl: 30,
      copyright: '© Wire',
      author: { name: 'Desk' },
    });
  });

  it('reports every broken key at once, each naming its key', () => {
    const error = errorOf({
      feedSize: 0,
      language: 'english!',
      digest: { maxStories: 99 },
      waf: 'yes',
      email: { domain: 'example.org', sendConcurrency: 0, schedule: 'daily' },
    });
    expect(error.problems.map((problem) => problem.key)).toEqual([
      'newsfeed.language',
      'newsfeed.feedSize',
      'newsfeed.digest.maxStories',
      'newsfeed.waf',
      'newsfeed.email.schedule',
      'newsfeed.email.sendConcurrency',
    ]);
    expect(error.message.split('\n')).toHaveLength(6);
    let local: unknown;
    try {
      resolveConfig({ feedSize: 0, language: 'english!', digest: { maxStories: 99 }, waf: true });
    } catch (caught) {
      local = caught;
    }
    expect((local as NewsfeedConfigError).problems.map((problem) => problem.key)).toEqual([
      'waf',
      'language',
      'feedSize',
      'digest.maxStories',
    ]);
  });
});
