import { Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  CfnRecordSet,
  type IHostedZone,
  MxRecord,
  PublicHostedZone,
  TxtRecord,
} from 'aws-cdk-lib/aws-route53';
import { ConfigurationSet, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { EmailConfig } from '../config.js';
import { dmarcValue } from '../deploy-config.js';
import { acknowledgeStarResource } from './nag-acknowledgements.js';

/** One DNS record the sending domain needs, as the operator would type it. */
export interface DnsRecord {
  name: string;
  type: 'CNAME' | 'MX' | 'TXT';
  value: string;
}

const SPF = 'v=spf1 include:amazonses.com ~all';
const DNS_TTL_SECONDS = 1800;

export interface MailSendingProps {
  email: EmailConfig;
}

/**
 * The SES side of sending: the domain identity (Easy DKIM, a custom MAIL FROM domain so SPF aligns
 * with the From domain) and the configuration set every message goes through (reputation
 * metrics, account-level suppression of bounced and complaining addresses). The DKIM and MAIL FROM
 * records are created in Route 53 when the hosted zone is configured, and listed otherwise.
 */
export class MailSending extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** The MAIL FROM domain, `<mailFromSubdomain>.<domain>`. */
  readonly mailFromDomain: string;
  /** What the domain's DNS must hold (created in the zone when `inHostedZone`). */
  readonly dnsRecords: DnsRecord[];
  readonly inHostedZone: boolean;

  constructor(scope: Construct, id: string, props: MailSendingProps) {
    super(scope, id);
    const { email } = props;
    this.mailFromDomain = `${email.mailFromSubdomain}.${email.domain}`;

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // Identity.domain rather than Identity.publicHostedZone: the domain may sit below the zone's apex.
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(email.domain),
      mailFromDomain: this.mailFromDomain,
      // Mail sent without naming a configuration set still produces bounce and complaint events.
      configurationSet: this.configurationSet,
    });

    const region = Stack.of(this).region;
    this.dnsRecords = [
      ...this.identity.dkimRecords.map((record) => ({
        name: record.name,
        type: 'CNAME' as const,
        value: record.value,
      })),
      { name: this.mailFromDomain, type: 'MX', value: `10 feedback-smtp.${region}.amazonses.com` },
      { name: this.mailFromDomain, type: 'TXT', value: `"${SPF}"` },
      // Gmail and Yahoo require DMARC of bulk senders since 2024; DKIM on the From domain aligns it.
      { name: `_dmarc.${email.domain}`, type: 'TXT', value: `"${dmarcValue(email.dmarc)}"` },
    ];
    this.inHostedZone = email.hostedZone !== undefined;
    if (email.hostedZone) {
      const zone = PublicHostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: email.hostedZone.id,
        zoneName: email.hostedZone.name,
      });
      this.createRecords(zone, region, email);
    }
  }

  /** The ARN of the configuration set, for IAM (SES authorizes a send on it as well as on the identity). */
  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }

  /**
   * Lets `grantee` send as this identity through this configuration set, and read the account's
   * sending quota (`GetAccount`: `MaxSendRate` paces the senders). Nothing else in SES.
   */
  grantSend(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [this.identity.emailIdentityArn, this.configurationSetArn],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }),
    );
    acknowledgeStarResource(
      grantee,
      'ses:GetAccount (the account-wide send quota, read to pace sending) has no resource-level permissions.',
    );
  }

  private createRecords(zone: IHostedZone, region: string, email: EmailConfig): void {
    // As aws-ses's own Easy DKIM binding does: the token names are only known at deploy time.
    this.identity.dkimRecords.forEach((record, index) => {
      new CfnRecordSet(this, `DkimRecord${index + 1}`, {
        hostedZoneId: zone.hostedZoneId,
        name: record.name,
        type: 'CNAME',
        resourceRecords: [record.value],
        ttl: String(DNS_TTL_SECONDS),
      });
    });
    new MxRecord(this, 'MailFromMx', {
      zone,
      recordName: `${this.mailFromDomain}.`,
      values: [{ priority: 10, hostName: `feedback-smtp.${region}.amazonses.com` }],
    });
    new TxtRecord(this, 'MailFromSpf', { zone, recordName: `${this.mailFromDomain}.`, values: [SPF] });
    new TxtRecord(this, 'Dmarc', {
      zone,
      recordName: `_dmarc.${email.domain}.`,
      values: [dmarcValue(email.dmarc)],
    });
  }
}
