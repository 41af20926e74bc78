import { Duration, Validations } from 'aws-cdk-lib';
import { Certificate, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  type IOrigin,
  type IResponseHeadersPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { CustomDomain } from '../config.js';
import { PrivateBucket } from './private-bucket.js';

/** Feeds change whenever a story lands: readers polling every few minutes should see it soon. */
export const SITE_DEFAULT_TTL = Duration.minutes(5);
export const SITE_MAX_TTL = Duration.days(1);

/**
 * Viewer headers an API behavior passes to its origin. Never `Host`: a Lambda function URL only
 * answers to its own host name.
 */
export const API_FORWARDED_HEADERS = [
  'CloudFront-Viewer-Address',
  'Content-Type',
  'Accept',
  'Origin',
] as const;

export interface StaticSiteProps {
  logBucket: IBucket;
  customDomain?: CustomDomain;
  /** The certificate made by the edge stack; absent: `customDomain.certificateArn`. */
  certificate?: ICertificate;
  /** A WAF web ACL (from us-east-1) to attach; see `EdgeStack`. */
  webAclArn?: string;
  /**
   * Dynamic origins by path pattern (e.g. `/api/*` → the subscribe API's function URL): never
   * cached, every method allowed, HTTPS only, the query string and `API_FORWARDED_HEADERS` forwarded.
   */
  apiOrigins?: Record<string, IOrigin>;
}

/**
 * The published site: a private bucket that only CloudFront can read (Origin Access Control),
 * served over HTTPS with security headers and short cache lifetimes.
 */
export class StaticSite extends Construct {
  readonly bucket: PrivateBucket;
  readonly distribution: Distribution;
  /** Absolute URL of the site root, ending in `/` (a token when it is the CloudFront domain). */
  readonly url: string;
  private apiRequestPolicy?: OriginRequestPolicy;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    super(scope, id);
    // Not versioned: every object is regenerated from the story index by the publish function.
    this.bucket = new PrivateBucket(this, 'Bucket', {
      accessLogsBucket: props.logBucket,
      accessLogsPrefix: 's3/site/',
      versioned: false,
    });

    const cachePolicy = new CachePolicy(this, 'CachePolicy', {
      comment: 'Static feeds and pages: no cookies, query strings or headers in the key',
      defaultTtl: SITE_DEFAULT_TTL,
      minTtl: Duration.seconds(0),
      maxTtl: SITE_MAX_TTL,
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'HSTS, nosniff, no framing, strict referrer',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });

    const domain = props.customDomain;
    const apiOrigins = Object.entries(props.apiOrigins ?? {});
    const additionalBehaviors = Object.fromEntries(
      apiOrigins.map(([path, origin]) => [path, this.apiBehavior(origin, securityHeaders)]),
    );
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Newsfeed site',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      ...(apiOrigins.length > 0 && { additionalBehaviors }),
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.webAclArn && { webAclId: props.webAclArn }),
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(domain && {
        domainNames: [domain.domainName],
        certificate:
          props.certificate ??
          Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn ?? ''),
        // Only effective with a custom certificate: the default *.cloudfront.net one is fixed at TLSv1.
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
    });
    this.url = domain
      ? `https://${domain.domainName}/`
      : `https://${this.distribution.distributionDomainName}/`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'A public news feed is meant to be readable from every country; there is no geographic restriction to enforce.',
    });
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          apiOrigins.length === 0
            ? 'The distribution only serves static, cacheable GET/HEAD content from a private bucket with no origin ' +
              'compute; a WAF web ACL (about $5/month plus per-request fees) would protect nothing that can be exploited.'
            : 'Static content comes from a private bucket; the one dynamic path (the subscribe API) enforces its own ' +
              'per-source and per-address limits in DynamoDB and mails only after double opt-in, so a WAF web ACL ' +
              '(about $5/month plus per-request fees) would duplicate those limits; set newsfeed.waf to add one.',
      });
    }
    if (!domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the *.cloudfront.net default certificate, for which ' +
          'CloudFront fixes the minimum protocol at TLSv1; configure newsfeed.customDomain to enforce TLSv1.2_2021.',
      });
    }
  }

  /** The behavior of a dynamic origin; see `StaticSiteProps.apiOrigins`. */
  private apiBehavior(origin: IOrigin, responseHeadersPolicy: IResponseHeadersPolicy): BehaviorOptions {
    this.apiRequestPolicy ??= new OriginRequestPolicy(this, 'ApiRequestPolicy', {
      comment: 'API: the query string, the viewer address, the body type; no cookies, never Host',
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      headerBehavior: OriginRequestHeaderBehavior.allowList(...API_FORWARDED_HEADERS),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    return {
      origin,
      // Not a redirect: a POST redirected to https would arrive as a GET without its body.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: this.apiRequestPolicy,
      responseHeadersPolicy,
      compress: true,
    };
  }
}
