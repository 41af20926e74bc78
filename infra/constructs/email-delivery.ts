import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EmailConfig } from '../config.js';
import type { ArticlesBucket } from './articles-bucket.js';
import { BounceHandling } from './bounce-handling.js';
import { ConfirmationMailer } from './confirmation-mailer.js';
import { EditionSchedule } from './edition-schedule.js';
import { EditionSender } from './edition-sender.js';
import type { EmailSubscriptions } from './email-subscriptions.js';
import { MailSending } from './mail-sending.js';
import { ReputationAlarms } from './reputation-alarms.js';
import type { StaticSite } from './static-site.js';
import type { StoryTable } from './story-table.js';

export interface EmailDeliveryProps {
  email: EmailConfig;
  subscriptions: EmailSubscriptions;
  storyTable: StoryTable;
  articlesBucket: ArticlesBucket;
  site: StaticSite;
  /** JSON of the `SiteConfig`, with the deploy-time site URL. */
  siteConfigJson: string;
  alarmTopic: ITopic;
  /** Most stories per edition (`newsfeed.digest.maxStories`). */
  maxStories: number;
}

/**
 * Everything that sends: the SES identity and configuration set, confirmation mails, scheduled
 * editions through the outbox and senders, bounce and complaint handling, reputation alarms.
 */
export class EmailDelivery extends Construct {
  readonly sending: MailSending;
  readonly bounces: BounceHandling;
  readonly confirmations: ConfirmationMailer;
  readonly sender: EditionSender;
  readonly editions: EditionSchedule;
  readonly reputation: ReputationAlarms;

  constructor(scope: Construct, id: string, props: EmailDeliveryProps) {
    super(scope, id);
    const { email, subscriptions, alarmTopic, siteConfigJson } = props;
    const { table, keyring } = subscriptions;
    const from = { address: email.fromAddress, name: email.fromName };

    this.sending = new MailSending(this, 'Sending', { email });
    this.bounces = new BounceHandling(this, 'Bounces', {
      configurationSet: this.sending.configurationSet,
      table,
      idKey: subscriptions.idKey,
      alarmTopic,
    });
    // What both mailing functions are given: the subscribers, the token keyring, SES and the sender.
    const mailer = { table, keyring, sending: this.sending, from, siteConfigJson, listId: email.listId };
    this.confirmations = new ConfirmationMailer(this, 'Confirmations', {
      ...mailer,
      queue: subscriptions.api.queue,
      idKey: subscriptions.idKey,
      confirmationsPerAddressPerDay: email.confirmationsPerAddressPerDay,
    });
    this.sender = new EditionSender(this, 'Sender', {
      ...mailer,
      sendConcurrency: email.sendConcurrency,
      alarmTopic,
    });
    this.editions = new EditionSchedule(this, 'Editions', {
      storyTable: props.storyTable,
      articlesBucket: props.articlesBucket,
      emailTable: table,
      siteBucket: props.site.bucket,
      distribution: props.site.distribution,
      outbox: this.sender.outbox,
      siteConfigJson,
      listId: email.listId,
      maxStories: props.maxStories,
      schedule: email.schedule,
      timeZone: email.scheduleTimezone,
      alarmTopic,
    });
    this.reputation = new ReputationAlarms(this, 'Reputation', { alarmTopic });
  }
}
