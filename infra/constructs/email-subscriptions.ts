import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EmailConfig } from '../config.js';
import { EmailTable } from './email-table.js';
import { OriginSecret } from './origin-secret.js';
import { SubscribeApi } from './subscribe-api.js';
import { SubscriberIdKey } from './subscriber-id-key.js';
import { TokenKeyring } from './token-keyring.js';

export interface EmailSubscriptionsProps {
  email: EmailConfig;
  alarmTopic: ITopic;
  /** See `SubscribeApiProps`. */
  siteConfigJson: string;
  siteUrlKnown: boolean;
}

/**
 * What the site's `/api/*` needs, built before the site (whose distribution routes to it): the
 * email table, the token keyring, the subscriber id key, and the subscribe API with its queue and the
 * secret of the origin header CloudFront sends it.
 */
export class EmailSubscriptions extends Construct {
  readonly table: EmailTable;
  readonly keyring: TokenKeyring;
  readonly idKey: SubscriberIdKey;
  readonly originSecret: OriginSecret;
  readonly api: SubscribeApi;

  constructor(scope: Construct, id: string, props: EmailSubscriptionsProps) {
    super(scope, id);
    this.table = new EmailTable(this, 'Table');
    this.keyring = new TokenKeyring(this, 'TokenKeyring');
    this.idKey = new SubscriberIdKey(this, 'SubscriberIdKey');
    this.originSecret = new OriginSecret(this, 'OriginSecret');
    this.api = new SubscribeApi(this, 'Api', {
      table: this.table,
      keyring: this.keyring,
      originSecret: this.originSecret,
      originHeaderVersion: props.email.originHeaderVersion,
      alarmTopic: props.alarmTopic,
      siteConfigJson: props.siteConfigJson,
      siteUrlKnown: props.siteUrlKnown,
      listId: props.email.listId,
      subscribesPerSourcePerHour: props.email.subscribesPerSourcePerHour,
    });
  }
}
