/** The operator's view: one dashboard, every alarm on the one topic, and the ingest-lag alarm. */
import { describe, expect, it } from 'vitest';
import { INGEST_LAG_ALARM } from '../../infra/constructs/operations-dashboard.js';
import { synthesize } from './synth.js';
import { logicalIdOf, resources } from './template-queries.js';

const { stack, template } = synthesize({ email: { domain: 'example.com' }, alarmEmail: 'ops@example.org' });
const [dashboard] = Object.values(resources(template, 'AWS::CloudWatch::Dashboard'));
const body = JSON.stringify(dashboard?.Properties.DashboardBody);

describe('the operations dashboard', () => {
  it('is named after the stack', () => {
    expect(dashboard?.Properties.DashboardName).toBe('Newsfeed-operations');
  });

  it('shows ingest lag, publish duration, every dead-letter queue, sends, bounces, complaints and reputation', () => {
    expect(body).toContain('ApproximateAgeOfOldestMessage');
    expect(body).toContain(logicalIdOf(stack, stack.intake.queue));
    expect(body).toContain('Duration');
    expect(body).toContain(logicalIdOf(stack, stack.publisher.function));
    const dlqs = Object.keys(resources(template, 'AWS::SQS::Queue')).filter((id) =>
      /DeadLetters|Failures/.test(id),
    );
    expect(dlqs.length).toBeGreaterThanOrEqual(4);
    for (const id of dlqs) expect(body, id).toContain(id);
    for (const metric of [
      'Send',
      'Bounce',
      'Complaint',
      'Reputation.BounceRate',
      'Reputation.ComplaintRate',
    ]) {
      expect(body).toContain(`"AWS/SES\\",\\"${metric}\\"`);
    }
  });

  it('lists the state of every alarm', () => {
    for (const id of Object.keys(resources(template, 'AWS::CloudWatch::Alarm')))
      expect(body, id).toContain(id);
  });
});

describe('alarms', () => {
  it('all notify the one topic, which mails the alarm address', () => {
    const alarms = Object.values(resources(template, 'AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(8);
    const topicId = Object.keys(resources(template, 'AWS::SNS::Topic')).find((id) =>
      id.startsWith('AlarmsTopic'),
    );
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    expect(topicId).toBeDefined();
  });

  it('raise one when an article has waited too long for ingest', () => {
    const lag = Object.values(resources(template, 'AWS::CloudWatch::Alarm')).find((a) =>
      JSON.stringify(a.Properties.Metrics ?? '').includes('ApproximateAgeOfOldestMessage'),
    );
    expect(lag?.Properties).toMatchObject({
      Threshold: INGEST_LAG_ALARM.toSeconds(),
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: [
        {
          MetricStat: {
            Metric: {
              Dimensions: [
                {
                  Name: 'QueueName',
                  Value: { 'Fn::GetAtt': [logicalIdOf(stack, stack.intake.queue), 'QueueName'] },
                },
              ],
            },
            Stat: 'Maximum',
          },
        },
      ],
    });
  });
});
