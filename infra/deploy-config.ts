/*
 * The deployment settings of issue 13 (custom domain with its DNS, WAF, removal policy, DMARC),
 * parsed here and wired into `parseNewsfeedConfig` (config.ts) so that config.ts stays one list
 * of keys. Each parser throws `NewsfeedConfigError` naming the dotted key.
 */

import { HOST_NAME, HOSTED_ZONE_ID, type Raw, US_EAST_1_CERTIFICATE } from './config-fields.js';

/** The site's own host name; see the README's deploy guide. */
export interface CustomDomain {
  /** Host name the site is served on, e.g. `news.example.org`. */
  domainName: string;
  /**
   * An existing ACM certificate for `domainName` in us-east-1 (CloudFront only accepts those).
   * Absent: a DNS-validated certificate is made in the hosted zone by the us-east-1 edge stack.
   */
  certificateArn?: string;
  /** The Route 53 zone holding `domainName`: A and AAAA alias records are created in it. */
  hostedZone?: { id: string; name: string };
}

/** What `cdk destroy` does with data: `retain` keeps buckets, tables, secrets and logs. */
export type RemovalSetting = 'retain' | 'destroy';

export const DMARC_POLICIES = ['none', 'quarantine', 'reject'] as const;
export type DmarcPolicy = (typeof DMARC_POLICIES)[number];

/** The DMARC record published at `_dmarc.<email.domain>`. */
export interface DmarcConfig {
  policy: DmarcPolicy;
  /** Where aggregate reports go (`mailto:` is added), if anywhere. */
  rua?: string;
}

type Fail = (key: string, rule: string) => never;

const EMAIL = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;
const CUSTOM_DOMAIN_KEYS = ['domainName', 'certificateArn', 'hostedZoneId', 'hostedZoneName'];

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAt(raw: Raw, key: string, path: string, fail: Fail): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 2048) {
    fail(path, 'must be a non-empty string');
  }
  return value.trim();
}

/**
 * `{domainName, certificateArn}` or `{domainName, hostedZoneId, hostedZoneName}` (or all four:
 * the given certificate, records in the zone). The zone must be the domain or a parent of it.
 */
export function parseCustomDomain(value: unknown, fail: Fail): CustomDomain | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    fail(
      'customDomain',
      'must be an object with domainName and certificateArn or hostedZoneId/hostedZoneName',
    );
  }
  for (const key of Object.keys(value)) {
    if (!CUSTOM_DOMAIN_KEYS.includes(key)) {
      fail(`customDomain.${key}`, `is not a known setting (known: ${CUSTOM_DOMAIN_KEYS.join(', ')})`);
    }
  }
  const domainName = (stringAt(value, 'domainName', 'customDomain.domainName', fail) ?? '').toLowerCase();
  if (!HOST_NAME.test(domainName))
    fail('customDomain.domainName', `must be a host name, got "${domainName}"`);

  const id = stringAt(value, 'hostedZoneId', 'customDomain.hostedZoneId', fail);
  const givenName = stringAt(value, 'hostedZoneName', 'customDomain.hostedZoneName', fail);
  const certificateArn = stringAt(value, 'certificateArn', 'customDomain.certificateArn', fail);
  if (id === undefined && givenName === undefined && certificateArn === undefined) {
    fail(
      'customDomain.certificateArn',
      'is required unless hostedZoneId and hostedZoneName are given (then a certificate is made)',
    );
  }
  const domain: CustomDomain = { domainName };
  if (certificateArn !== undefined) {
    if (!US_EAST_1_CERTIFICATE.test(certificateArn)) {
      fail(
        'customDomain.certificateArn',
        'must be the ARN of an ACM certificate in us-east-1 (CloudFront requires it)',
      );
    }
    domain.certificateArn = certificateArn;
  }
  if (id !== undefined || givenName !== undefined) {
    if (id === undefined)
      fail('customDomain.hostedZoneId', 'is required with newsfeed.customDomain.hostedZoneName');
    if (givenName === undefined) {
      fail('customDomain.hostedZoneName', 'is required with newsfeed.customDomain.hostedZoneId');
    }
    if (!HOSTED_ZONE_ID.test(id))
      fail('customDomain.hostedZoneId', `must be a Route 53 hosted zone id, got "${id}"`);
    const name = givenName.toLowerCase().replace(/\.$/, '');
    if (!HOST_NAME.test(name))
      fail('customDomain.hostedZoneName', `must be a domain name, got "${givenName}"`);
    if (domainName !== name && !domainName.endsWith(`.${name}`)) {
      fail('customDomain.hostedZoneName', `must be ${domainName} or a parent of it, got "${givenName}"`);
    }
    domain.hostedZone = { id, name };
  }
  return domain;
}

export function parseWaf(value: unknown, fail: Fail): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') fail('waf', 'must be true or false');
  return value;
}

export function parseRemovalPolicy(value: unknown, fail: Fail): RemovalSetting {
  if (value === undefined) return 'retain';
  if (value !== 'retain' && value !== 'destroy') {
    fail('removalPolicy', `must be "retain" or "destroy", got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `email.dmarc`: `{policy, rua}`; default `{policy: "none"}` (monitor only, as a new sender should start). */
export function parseDmarc(value: unknown, fail: Fail): DmarcConfig {
  if (value === undefined) return { policy: 'none' };
  if (!isRecord(value)) fail('email.dmarc', 'must be an object with policy and optionally rua');
  for (const key of Object.keys(value)) {
    if (key !== 'policy' && key !== 'rua')
      fail(`email.dmarc.${key}`, 'is not a known setting (known: policy, rua)');
  }
  const policy = value.policy ?? 'none';
  if (!(DMARC_POLICIES as readonly unknown[]).includes(policy)) {
    fail('email.dmarc.policy', `must be one of ${DMARC_POLICIES.join(', ')}, got ${JSON.stringify(policy)}`);
  }
  const dmarc: DmarcConfig = { policy: policy as DmarcPolicy };
  const rua = stringAt(value, 'rua', 'email.dmarc.rua', fail)?.replace(/^mailto:/i, '');
  if (rua !== undefined) {
    if (!EMAIL.test(rua)) fail('email.dmarc.rua', `must be an e-mail address, got "${rua}"`);
    dmarc.rua = rua;
  }
  return dmarc;
}

/** The TXT value of `_dmarc.<domain>` (RFC 7489): relaxed alignment, which SES's DKIM and MAIL FROM meet. */
export function dmarcValue(dmarc: DmarcConfig): string {
  return ['v=DMARC1', `p=${dmarc.policy}`, ...(dmarc.rua ? [`rua=mailto:${dmarc.rua}`] : [])].join('; ');
}
