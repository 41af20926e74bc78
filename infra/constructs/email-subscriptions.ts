import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EmailConfig } from '../config.js';
import { EmailTable } from './email-table.js';
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
 * email table, the token keyring, the subscriber id key and the subscribe API with its queue.
 */
export class EmailSubscriptions extends Construct {
  readonly table: EmailTable;
  readonly keyring: TokenKeyring;
  readonly idKey: SubscriberIdKey;
  readonly api: SubscribeApi;

  constructor(scope: Construct, id: string, props: EmailSubscriptionsProps) {
    super(scope, id);
    this.table = new EmailTable(this, 'Table');
    this.keyring = new TokenKeyring(this, 'TokenKeyring');
    this.idKey = new SubscriberIdKey(this, 'SubscriberIdKey');
    this.api = new SubscribeApi(this, 'Api', {
      table: this.table,
      keyring: this.keyring,
      alarmTopic: props.alarmTopic,
      siteConfigJson: props.siteConfigJson,
      siteUrlKnown: props.siteUrlKnown,
      listId: props.email.listId,
      subscribesPerSourcePerHour: props.email.subscribesPerSourcePerHour,
    });
  }
}
