import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import { eventKeyOf, type Projection } from '@jigsaw/projection';
import {
  CONSENT_WITHDRAWN,
  isTyped,
  KEY_ADULT_REGISTERED,
  PUPIL_ON_ROLL,
  RECORD_RESTRICTED,
  RECORD_RETRACTED,
  targetOf,
  UNSCHEDULED_CARE_ATTENDED,
} from '@jigsaw/contracts';
import { isControlEvent } from '@jigsaw/sharing';
import { ChildHistoryReader } from './child-history.js';
import { CLOCK, type Clock } from './clock.js';
import { CP_IS_TYPES, decideCpIs } from './cp-is.rules.js';
import { SchoolCalendar, type NewNotification, type Queryable } from '@jigsaw/view-model';
import { NotificationCommands, type NotificationIntent } from './notification-commands.js';
import { NOTIFICATIONS_SCHEMA, recallsFor } from './notification-store.js';
import { hasWebhookIn, type NotificationSettings } from './notifications.config.js';
import {
  decideEncompass,
  DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  EDUCATION_PLACEMENT_TYPES,
  type KnownSchool,
} from './operation-encompass.rules.js';

const DAY_MS = 86_400_000;

/** Control actions after which a notification about the record must be taken back. */
const RECALLING_ACTIONS: readonly string[] = [RECORD_RETRACTED, CONSENT_WITHDRAWN, RECORD_RESTRICTED];

function isRecalling(event: RecordedEvent): boolean {
  return (
    isControlEvent(event.type) && RECALLING_ACTIONS.includes(event.type.slice(event.type.indexOf('.') + 1))
  );
}

/** Types that may raise a notification, or change whom one goes to. */
const RELEVANT: ReadonlySet<string> = new Set([
  ...CP_IS_TYPES,
  DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  ...EDUCATION_PLACEMENT_TYPES,
]);

/**
 * Decides CP-IS and Operation Encompass notifications from the events the view consumes, inside the
 * projection runner's transaction: the decision commits with the event's applied mark as an intent, or not
 * at all, and NotificationCommands records it on the notification's stream once it has committed. A crash
 * can neither lose one nor, on redelivery, raise it twice: a notification's id comes from its dedupe key.
 */
@Injectable()
export class NotificationsProjection implements Projection {
  readonly name = 'notifications';
  private readonly logger = new Logger('notifications');
  private readonly calendar: SchoolCalendar;
  private readonly hasWebhook: (organisation: string) => boolean;
  private readonly maxAgeMs: number;

  constructor(
    @Inject(SERVICE_CONFIG) settings: NotificationSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly children: ChildHistoryReader,
    @Inject(NOTIFICATIONS_SCHEMA) private readonly schema: string,
  ) {
    this.calendar = SchoolCalendar.fromConfig(settings.SCHOOL_HOLIDAYS);
    this.hasWebhook = hasWebhookIn(settings);
    this.maxAgeMs = settings.NOTIFICATION_MAX_AGE_DAYS * DAY_MS;
  }

  apply(tx: PoolClient, event: RecordedEvent): Promise<void> {
    return this.applyMany(tx, [event]);
  }

  async applyMany(tx: PoolClient, events: readonly RecordedEvent[]): Promise<void> {
    // The tables it writes are named unqualified: the notifications' schema first (the live one, or a test's).
    await tx.query(`SET LOCAL search_path TO "${this.schema}", public`);
    // The child's history it decides from is what this consumer applied, kept in the same transaction.
    await this.children.remember(tx, events);
    await this.recall(tx, events.filter(isRecalling));
    const relevant = events.filter((e) => RELEVANT.has(e.type));
    if (relevant.length === 0) return;
    await this.learnSchools(tx, relevant);
    const triggers = relevant.filter(
      (e) => CP_IS_TYPES.has(e.type) || e.type === DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
    );
    if (triggers.length === 0) return;
    await this.children.lock(
      tx,
      triggers.map((e) => e.childid),
    );
    const now = this.clock.now();
    const notBefore = new Date(now.getTime() - this.maxAgeMs);
    const histories = await this.children.readMany(
      tx,
      triggers.map((e) => e.childid),
      events,
    );
    const decided: NewNotification[] = [];
    for (const event of triggers) {
      const history = histories.get(event.childid)!;
      try {
        if (event.type === DOMESTIC_ABUSE_INCIDENT_NOTIFIED) {
          const schoolByUrn = await this.schoolDirectory(tx, event);
          const notification = decideEncompass(event, history, {
            now,
            calendar: this.calendar,
            notBefore,
            schoolByUrn,
          });
          if (notification) decided.push(notification);
        } else {
          decided.push(
            ...decideCpIs(history, now, {
              notBefore,
              // An attendance is matched on its own; a new status is matched against every attendance.
              ...(event.type === UNSCHEDULED_CARE_ATTENDED
                ? { attendanceKeys: new Set([eventKeyOf(event)]) }
                : {}),
            }),
          );
        }
      } catch (error) {
        // A deadline beyond any school day is a configuration fault; never block the projection on it.
        this.logger.error(`no notification for ${eventKeyOf(event)}: ${(error as Error).message}`);
      }
    }
    await NotificationCommands.intend(
      tx,
      decided.map(({ dueAt, ...notification }): NotificationIntent => ({
        kind: 'raise',
        notification: { ...notification, ...(dueAt ? { dueAt: dueAt.toISOString() } : {}) },
        hasWebhook: this.hasWebhook(notification.recipient.organisation),
      })),
      now,
    );
  }

  /**
   * An owner took a record back: recipients who may have had a notification about it by webhook are
   * told (hub.notification-recalled). The inbox needs nothing: it cuts each notification at read time.
   */
  private async recall(tx: Queryable, controls: readonly RecordedEvent[]): Promise<void> {
    for (const control of controls) {
      const target = targetOf(control);
      if (target === undefined) continue;
      const key = eventKeyOf({ source: control.source, id: target });
      const recalls = await recallsFor(tx, key, control.source);
      await NotificationCommands.intend(
        tx,
        recalls.map((recall): NotificationIntent => ({ kind: 'recall', ...recall })),
        this.clock.now(),
      );
    }
  }

  /** Remembers which organisation each school URN is, so a force's school URN can be addressed. */
  private async learnSchools(tx: Queryable, events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) {
      if (!isTyped(event, PUPIL_ON_ROLL, KEY_ADULT_REGISTERED)) continue;
      const school: { urn?: unknown; name?: unknown } | undefined = event.data.school;
      if (typeof school?.urn !== 'string' || typeof school.name !== 'string') continue;
      await tx.query(
        `INSERT INTO notification_schools (urn, organisation, name, seen_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (urn) DO UPDATE SET organisation = EXCLUDED.organisation, name = EXCLUDED.name,
           seen_at = EXCLUDED.seen_at
         WHERE notification_schools.seen_at <= EXCLUDED.seen_at`,
        [school.urn, event.source, school.name, event.recordedtime],
      );
    }
  }

  private async schoolDirectory(
    tx: Queryable,
    incident: RecordedEvent,
  ): Promise<(urn: string) => KnownSchool | undefined> {
    const urn = isTyped(incident, DOMESTIC_ABUSE_INCIDENT_NOTIFIED) ? incident.data.schoolUrn : undefined;
    if (typeof urn !== 'string') return () => undefined;
    const { rows } = await tx.query<KnownSchool>(
      'SELECT urn, organisation, name FROM notification_schools WHERE urn = $1',
      [urn],
    );
    return (wanted) => rows.find((r) => r.urn === wanted);
  }
}
