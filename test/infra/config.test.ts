import { App, Lazy } from 'aws-cdk-lib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../functions/core/config.js';
import { buildApp } from '../../infra/build-app.js';
import { NewsfeedConfigError, parseNewsfeedConfig, toSiteConfig } from '../../infra/config.js';
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
      expect(parseNewsfeedConfig(empty)).toEqual({
        siteTitle: DEFAULT_CONFIG.title,
        description: DEFAULT_CONFIG.description,
        language: DEFAULT_CONFIG.language,
        feedSize: DEFAULT_CONFIG.feedSize,
        maxArticleBytes: DEFAULT_CONFIG.maxArticleBytes,
        deployLocalArticles: false,
        reconcileIntervalMinutes: 60,
      });
    }
  });

  it('accepts the settings in cdk.json', () => {
    const context = cdkJsonContext();
    expect(parseNewsfeedConfig(context.newsfeed).deployLocalArticles).toBe(false);
  });

  it('keeps every given setting, adding the trailing slash to siteUrl and lower-casing the domain', () => {
    const config = parseNewsfeedConfig({
      siteTitle: ' Test Wire ',
      description: 'Stories for tests',
      siteUrl: 'https://news.example.org/wire',
      language: 'en-GB',
      feedSize: 20,
      maxArticleBytes: 4096,
      alarmEmail: 'ops@example.org',
      customDomain: { domainName: 'News.Example.org', certificateArn: CERTIFICATE },
      deployLocalArticles: true,
      reconcileIntervalMinutes: 15,
    });
    expect(config).toEqual({
      siteTitle: 'Test Wire',
      description: 'Stories for tests',
      siteUrl: 'https://news.example.org/wire/',
      language: 'en-GB',
      feedSize: 20,
      maxArticleBytes: 4096,
      alarmEmail: 'ops@example.org',
      customDomain: { domainName: 'news.example.org', certificateArn: CERTIFICATE },
      deployLocalArticles: true,
      reconcileIntervalMinutes: 15,
    });
  });

  it('parses a JSON string, as `cdk -c newsfeed=...` passes it', () => {
    expect(parseNewsfeedConfig('{"feedSize": 7}').feedSize).toBe(7);
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
        if (valid) expect(parseNewsfeedConfig({ feedSize }).feedSize).toBe(feedSize);
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

describe('toSiteConfig', () => {
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
