import { Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { PublicHostedZone } from 'aws-cdk-lib/aws-route53';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { API_PATH_PATTERN } from './config.js';
import type { CustomDomain } from './deploy-config.js';

/** CloudFront reads certificates and web ACLs only from this region. */
export const EDGE_REGION = 'us-east-1';

/** Requests one address may make to `/api/*` in any 5 minutes before WAF blocks it (WAF's window). */
export const API_RATE_LIMIT_PER_5_MINUTES = 100;

export interface EdgeStackProps extends StackProps {
  /** Given with a hosted zone and no `certificateArn`: a DNS-validated certificate is made. */
  customDomain?: CustomDomain;
  waf: boolean;
}

/**
 * What CloudFront needs from us-east-1 whatever region the main stack is in: the site's
 * certificate (validated by a CNAME CloudFormation writes into the hosted zone) and the WAF web ACL.
 * The main stack reads both through cross-region references (`crossRegionReferences`), so one
 * `cdk deploy --all` deploys this stack first and then the main one.
 */
export class EdgeStack extends Stack {
  readonly certificate?: ICertificate;
  readonly webAclArn?: string;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const domain = props.customDomain;
    if (domain?.hostedZone && domain.certificateArn === undefined) {
      const zone = PublicHostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: domain.hostedZone.id,
        zoneName: domain.hostedZone.name,
      });
      this.certificate = new Certificate(this, 'SiteCertificate', {
        domainName: domain.domainName,
        validation: CertificateValidation.fromDns(zone),
      });
    }
    if (props.waf) this.webAclArn = this.webAcl().attrArn;
  }

  /** AWS's common rule set for every request, and a per-address rate limit on the API only. */
  private webAcl(): CfnWebACL {
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const apiPrefix = API_PATH_PATTERN.replace(/\*$/, '');
    return new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('newsfeed-web-acl'),
      rules: [
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 0,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
          },
          visibilityConfig: visibility('newsfeed-common-rules'),
        },
        {
          name: 'ApiRateLimit',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: API_RATE_LIMIT_PER_5_MINUTES,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: apiPrefix,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          visibilityConfig: visibility('newsfeed-api-rate-limit'),
        },
      ],
    });
  }
}
