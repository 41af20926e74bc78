import { CfnOutput } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { AaaaRecord, ARecord, PublicHostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { CustomDomain } from './deploy-config.js';

export interface SiteDnsProps {
  domain: CustomDomain;
  distribution: IDistribution;
}

/**
 * Points the site's host name at the distribution: A and AAAA alias records (alias, because the
 * name may be a zone apex, where a CNAME is not allowed) when the hosted zone is configured; else
 * the `SiteDnsRecord` output names the one CNAME the operator has to create.
 */
export class SiteDns extends Construct {
  /** `<name> CNAME <target>` when the operator must create the record, else undefined. */
  readonly manualRecord?: string;

  constructor(scope: Construct, id: string, props: SiteDnsProps) {
    super(scope, id);
    const { domain, distribution } = props;
    if (domain.hostedZone) {
      const zone = PublicHostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: domain.hostedZone.id,
        zoneName: domain.hostedZone.name,
      });
      const target = RecordTarget.fromAlias(new CloudFrontTarget(distribution));
      const recordName = `${domain.domainName}.`;
      new ARecord(this, 'Alias', { zone, recordName, target });
      new AaaaRecord(this, 'AliasIpv6', { zone, recordName, target });
      new CfnOutput(scope, 'SiteDnsRecord', {
        value: `${domain.domainName} A/AAAA ALIAS ${distribution.distributionDomainName}`,
        description: `Created in the hosted zone ${domain.hostedZone.name}`,
      });
      return;
    }
    this.manualRecord = `${domain.domainName} CNAME ${distribution.distributionDomainName}`;
    new CfnOutput(scope, 'SiteDnsRecord', {
      value: this.manualRecord,
      description:
        "Create this CNAME at your DNS provider (an apex name needs the provider's ALIAS/ANAME record instead)",
    });
  }
}
