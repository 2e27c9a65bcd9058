import { describe, expect, it } from '@jest/globals';
import { toCloudEvent } from '@jigsaw/envelope';
import { deciderSpec } from '@jigsaw/testing';
import {
  NotificationRefused,
  notificationDecider,
  type NotificationCommand,
} from './notification.decider.js';
import {
  NOTIFICATION_ACKNOWLEDGED,
  NOTIFICATION_DELIVERED,
  NOTIFICATION_DELIVERY_FAILED,
  NOTIFICATION_ESCALATED,
  NOTIFICATION_RAISED,
  NOTIFICATION_RECALLED,
  notificationStreamOf,
  type NotificationEvent,
} from './notification.events.js';
import { notificationAsKnownAt } from './notification-history.js';
import type { NewNotification } from './notification.js';

const SCHOOL = 'urn:jigsaw:org:education:hillside-primary';
const MET = 'urn:jigsaw:org:police:met';
const ID = '0b7c6a8e-3f3e-4d8e-9a43-52b1f6f0c2d1';
const DELIVERY = '7d1b1f7e-4c0a-5e8e-9c55-2a4f0d6b3e11';
const CHILD = '6f1c1a52-8d3e-4a57-9a52-1b0c3f0d2a11';

const notification: NewNotification = {
  dedupeKey: `operation-encompass|${MET}|oe-1|${SCHOOL}`,
  kind: 'operation-encompass',
  childId: CHILD,
  triggerEventKey: `${MET}|oe-1`,
  recipient: { organisation: SCHOOL, agency: 'education' },
  route: 'school-roll',
  details: { school: { urn: '123456', name: 'Hillside Primary School' } },
  dueAt: new Date('2026-11-23T08:30:00Z'),
};

const at = (iso: string): Date => new Date(iso);
const spec = deciderSpec(notificationDecider);
const decide = (history: readonly NotificationEvent[], command: NotificationCommand): NotificationEvent[] =>
  spec
    .given(history)
    .when(command)
    .then(() => undefined) as NotificationEvent[];

const raise: NotificationCommand = {
  type: 'raise',
  now: at('2026-11-20T23:05:00Z'),
  notificationId: ID,
  notification,
  deliveryId: DELIVERY,
};
const raised = decide([], raise);
const delivered = decide(raised, {
  type: 'record-attempt',
  now: at('2026-11-20T23:05:02Z'),
  deliveryId: DELIVERY,
  attempt: 1,
  result: { outcome: 'delivered', httpStatus: 204 },
});
const by = { sub: 'dsl-1', role: 'designated-safeguarding-lead', organisation: SCHOOL };
const acknowledged = decide([...raised, ...delivered], {
  type: 'acknowledge',
  now: at('2026-11-23T08:05:00Z'),
  by,
});

describe('the notification decider', () => {
  describe('raise', () => {
    it('raises once, with its webhook delivery, at the time it is told', () => {
      spec
        .given([])
        .when(raise)
        .then(([event, ...rest]) => {
          expect(rest).toEqual([]);
          expect(event!.type).toBe(NOTIFICATION_RAISED);
          expect(event!.time).toBe('2026-11-20T23:05:00.000Z');
          expect(event!.data).toMatchObject({
            notificationId: ID,
            recipient: notification.recipient,
            dueAt: '2026-11-23T08:30:00.000Z',
            raisedAt: '2026-11-20T23:05:00.000Z',
            delivery: { deliveryId: DELIVERY },
          });
        });
    });

    it('raises nothing when raised before: deciding twice stores one', () => {
      spec.given(raised).when(raise).then([]);
    });

    it('keeps personal data out of the attributes: ids only, the hub as source', () => {
      const [event] = raised;
      const { data: _data, ...attributes } = toCloudEvent(event!);
      const text = JSON.stringify(attributes);
      expect(text).not.toContain('Hillside Primary School');
      expect(event!.source).toBe('urn:jigsaw:org:hub:notifications');
      expect(event!.childid).toBe(CHILD);
      expect(event!.sharing.audience.map((a) => a.agency).sort()).toEqual(['education', 'police']);
      expect(notificationStreamOf(ID)).toBe(`notification-${ID}`);
    });
  });

  describe('record an attempt', () => {
    it('records a 2xx as delivered', () => {
      expect(delivered.map((e) => e.type)).toEqual([NOTIFICATION_DELIVERED]);
      expect(delivered[0]!.data).toMatchObject({ deliveryId: DELIVERY, attempt: 1, httpStatus: 204 });
    });

    it('records a failure with when to try again, then a later attempt', () => {
      const failed = spec
        .given(raised)
        .when({
          type: 'record-attempt',
          now: at('2026-11-20T23:05:02Z'),
          deliveryId: DELIVERY,
          attempt: 1,
          result: { outcome: 'failed', httpStatus: 503, reason: 'answered 503' },
          retryAt: at('2026-11-20T23:05:07Z'),
        })
        .then((events) => {
          expect(events.map((e) => e.type)).toEqual([NOTIFICATION_DELIVERY_FAILED]);
          expect(events[0]!.data).toMatchObject({
            outcome: 'failed',
            httpStatus: 503,
            nextAttemptAt: '2026-11-20T23:05:07.000Z',
          });
        });
      spec
        .given([...raised, ...failed])
        .when({
          type: 'record-attempt',
          now: at('2026-11-20T23:05:08Z'),
          deliveryId: DELIVERY,
          attempt: 2,
          result: { outcome: 'delivered', httpStatus: 200 },
        })
        .then((events) => expect(events[0]!.type).toBe(NOTIFICATION_DELIVERED));
    });

    it('refuses an attempt already on record, and one for a delivery it does not have', () => {
      const again: NotificationCommand = {
        type: 'record-attempt',
        now: at('2026-11-20T23:05:09Z'),
        deliveryId: DELIVERY,
        attempt: 1,
        result: { outcome: 'delivered', httpStatus: 200 },
      };
      spec
        .given([...raised, ...delivered])
        .when(again)
        .thenRefused(/already on record/);
      spec
        .given(raised)
        .when({ ...again, deliveryId: 'another' })
        .thenRefused(/no such delivery/);
    });
  });

  describe('acknowledge', () => {
    it('records who acknowledged and when, once', () => {
      expect(acknowledged.map((e) => e.type)).toEqual([NOTIFICATION_ACKNOWLEDGED]);
      expect(acknowledged[0]!.data).toEqual({
        notificationId: ID,
        acknowledgedAt: '2026-11-23T08:05:00.000Z',
        acknowledgedBy: by,
      });
      spec
        .given([...raised, ...acknowledged])
        .when({ type: 'acknowledge', now: at('2026-11-23T09:00:00Z'), by: { ...by, sub: 'other' } })
        .then([]);
    });

    it('refuses a notification never raised', () => {
      spec
        .given([])
        .when({ type: 'acknowledge', now: at('2026-11-23T09:00:00Z'), by })
        .thenRefused(NotificationRefused);
    });
  });

  describe('escalate', () => {
    const escalate = (now: string): NotificationCommand => ({
      type: 'escalate',
      now: at(now),
      outcome: 'escalated',
      escalations: ['e1', 'e2'],
    });

    it('escalates once it falls due, naming the escalations, and only once', () => {
      const escalated = spec
        .given(raised)
        .when(escalate('2026-11-23T08:30:00Z'))
        .then((events) => {
          expect(events.map((e) => e.type)).toEqual([NOTIFICATION_ESCALATED]);
          expect(events[0]!.data).toMatchObject({ outcome: 'escalated', escalations: ['e1', 'e2'] });
        });
      spec
        .given([...raised, ...escalated])
        .when(escalate('2026-11-23T09:00:00Z'))
        .then([]);
    });

    it('refuses before the deadline, and after an acknowledgement', () => {
      spec
        .given(raised)
        .when(escalate('2026-11-23T08:29:59Z'))
        .thenRefused(/not due/);
      spec
        .given([...raised, ...acknowledged])
        .when(escalate('2026-11-23T08:30:00Z'))
        .thenRefused(/acknowledged/);
    });
  });

  describe('recall', () => {
    const recall: NotificationCommand = {
      type: 'recall',
      now: at('2026-11-21T10:00:00Z'),
      organisation: SCHOOL,
      deliveryId: 'recall-1',
    };

    it('recalls what a webhook carried, once', () => {
      const recalled = spec
        .given([...raised, ...delivered])
        .when(recall)
        .then((events) => expect(events.map((e) => e.type)).toEqual([NOTIFICATION_RECALLED]));
      spec
        .given([...raised, ...delivered, ...recalled])
        .when(recall)
        .then([]);
    });

    it('recalls nothing never attempted', () => {
      spec.given(raised).when(recall).then([]);
    });
  });

  describe('as known at', () => {
    // Each event is recorded when it is decided.
    const history = [...raised, ...delivered, ...acknowledged];

    it('tells who was told, when it was delivered and acknowledged, as known at each moment', () => {
      expect(notificationAsKnownAt(history, at('2026-11-20T23:00:00Z'))).toBeUndefined();
      const beforeDelivery = notificationAsKnownAt(history, at('2026-11-20T23:05:01Z'))!;
      expect(beforeDelivery).toMatchObject({
        told: { organisation: SCHOOL, agency: 'education', route: 'school-roll' },
        raisedAt: '2026-11-20T23:05:00.000Z',
        deliveries: [{ status: 'pending', attempts: 0 }],
        acknowledged: false,
      });
      const afterDelivery = notificationAsKnownAt(history, at('2026-11-21T00:00:00Z'))!;
      expect(afterDelivery.deliveries).toEqual([
        expect.objectContaining({ status: 'delivered', deliveredAt: '2026-11-20T23:05:02.000Z' }),
      ]);
      expect(afterDelivery.acknowledged).toBe(false);
      const afterAck = notificationAsKnownAt(history, at('2026-11-23T09:00:00Z'))!;
      expect(afterAck).toMatchObject({
        acknowledged: true,
        acknowledgedAt: '2026-11-23T08:05:00.000Z',
        acknowledgedBy: by,
      });
      expect(afterAck.events.map((e) => e.type)).toEqual([
        NOTIFICATION_RAISED,
        NOTIFICATION_DELIVERED,
        NOTIFICATION_ACKNOWLEDGED,
      ]);
    });
  });
});
