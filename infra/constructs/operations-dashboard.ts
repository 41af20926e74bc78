import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FailureQueue } from './failure-queue.js';

/** An article older than this in the ingest queue means ingest is stuck or failing (README runbook). */
export const INGEST_LAG_ALARM = Duration.minutes(15);

export interface OperationsDashboardProps {
  ingestQueue: IQueue;
  ingest: IFunction;
  publisher: IFunction;
  alarmTopic: ITopic;
  /** With email: the edition sender, whose duration and errors are shown beside the SES metrics. */
  sender?: IFunction;
}

const ses = (metricName: string, statistic: string, period = Duration.hours(1)): Metric =>
  new Metric({ namespace: 'AWS/SES', metricName, statistic, period, label: metricName });

/**
 * One CloudWatch dashboard for the operator (`Newsfeed-operations`): ingest lag, publish duration,
 * every dead-letter queue's depth, sends, bounces and complaints, SES reputation, and the state of
 * every alarm; plus the ingest-lag alarm, on the same topic as the others. Built last in the stack,
 * so it finds every `FailureQueue` and alarm there.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;
  readonly ingestLag: Alarm;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const lag = props.ingestQueue.metricApproximateAgeOfOldestMessage({
      period: Duration.minutes(5),
      statistic: 'Maximum',
      label: 'Oldest article waiting (s)',
    });
    this.ingestLag = new Alarm(this, 'IngestLag', {
      alarmDescription: `An article has waited more than ${INGEST_LAG_ALARM.toMinutes()} minutes to be ingested: see the README runbook`,
      metric: lag,
      threshold: INGEST_LAG_ALARM.toSeconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.ingestLag.addAlarmAction(new SnsAction(props.alarmTopic));

    const deadLetters = stack.node.findAll().filter((c): c is FailureQueue => c instanceof FailureQueue);
    const alarms = stack.node.findAll().filter((c): c is Alarm => c instanceof Alarm);
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 12, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms,
        width: 24,
        height: Math.max(2, Math.ceil(alarms.length / 4) + 1),
      }),
    );
    this.dashboard.addWidgets(
      graph(
        'Ingest lag',
        [lag],
        [props.ingest.metricErrors({ period: Duration.minutes(5), label: 'Ingest errors' })],
      ),
      graph('Publish duration', [
        props.publisher.metricDuration({ statistic: 'p50', label: 'p50 (ms)' }),
        props.publisher.metricDuration({ statistic: 'Maximum', label: 'max (ms)' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Dead-letter queue depths',
        deadLetters.map((dlq) =>
          dlq.queue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: Duration.minutes(5),
            label: dlq.node.path.split('/').slice(1, -1).join('/') || dlq.node.id,
          }),
        ),
      ),
      graph(
        'Sends, bounces and complaints',
        [ses('Send', 'Sum'), ses('Delivery', 'Sum')],
        [ses('Bounce', 'Sum'), ses('Complaint', 'Sum')],
      ),
    );
    this.dashboard.addWidgets(
      graph('SES reputation', [
        ses('Reputation.BounceRate', 'Maximum'),
        ses('Reputation.ComplaintRate', 'Maximum'),
      ]),
      graph(
        'Edition sender',
        props.sender ? [props.sender.metricDuration({ statistic: 'Maximum', label: 'max (ms)' })] : [],
        props.sender ? [props.sender.metricErrors({ label: 'errors' })] : [],
      ),
    );
  }
}
