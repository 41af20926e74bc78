import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * Half of the rates at which SES puts an account under review (10 % bounces, 0.5 % complaints
 * trigger a pause): the alarm leaves time to act before sending is stopped.
 */
export const BOUNCE_RATE_THRESHOLD = 0.05;
export const COMPLAINT_RATE_THRESHOLD = 0.001;

export interface ReputationAlarmsProps {
  alarmTopic: ITopic;
}

/** Alarms on the account's SES reputation (`AWS/SES` `Reputation.*`, published without dimensions). */
export class ReputationAlarms extends Construct {
  readonly bounceRate: Alarm;
  readonly complaintRate: Alarm;

  constructor(scope: Construct, id: string, props: ReputationAlarmsProps) {
    super(scope, id);
    this.bounceRate = this.alarm(
      'BounceRate',
      'Reputation.BounceRate',
      BOUNCE_RATE_THRESHOLD,
      props.alarmTopic,
    );
    this.complaintRate = this.alarm(
      'ComplaintRate',
      'Reputation.ComplaintRate',
      COMPLAINT_RATE_THRESHOLD,
      props.alarmTopic,
    );
  }

  private alarm(id: string, metricName: string, threshold: number, topic: ITopic): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: `SES ${metricName} is above ${threshold}: sending may be paused by AWS; check the bounce handler and the list`,
      metric: new Metric({
        namespace: 'AWS/SES',
        metricName,
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // SES publishes reputation only once there is sending to measure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(topic));
    return alarm;
  }
}
