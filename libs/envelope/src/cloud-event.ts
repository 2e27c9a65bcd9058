import type { ChildSubject, CoreAttributes, JigsawEnvelope, RecordedEvent } from './envelope.js';
import type { SharingDecision } from './sharing.js';

/** The envelope schema every event we accept, store and publish meets. */
export const CLOUD_EVENT_SCHEMA = 'urn:jigsaw:schema:envelope:v2';
export const ENVELOPE_VERSION = 2;

/** CloudEvents' media types: one event (structured mode), a batch of them, and the data of binary mode. */
export const STRUCTURED_MEDIA_TYPE = 'application/cloudevents+json';
export const BATCH_MEDIA_TYPE = 'application/cloudevents-batch+json';
export const DATA_MEDIA_TYPE = 'application/json';

/** `data` of every Jigsaw CloudEvent: who the record is about, the sharing decision, and the record. */
export interface CloudEventData<TRecord = unknown> {
  child: ChildSubject;
  sharing: SharingDecision;
  record: TRecord;
  /** Set by the hub, never by a sender: the personal fields sealed with the child's key (libs/erasure). */
  personaldata?: { fields: string[] } & Record<string, unknown>;
}

/**
 * A Jigsaw event as CloudEvents 1.0 structured JSON: every attribute a scalar, the child and the sharing
 * decision inside `data`. `subject` is the sender's own reference for the record, never personal data.
 * `childid` (the pseudonymous hub child id) and `recordedtime` are set by the hub on what it publishes.
 */
export interface JigsawCloudEvent<
  TType extends string = string,
  TRecord = unknown,
> extends CoreAttributes<TType> {
  subject?: string;
  childid?: string;
  recordedtime?: string;
  traceparent?: string;
  data: CloudEventData<TRecord>;
}

/**
 * Field paths as the hub's in-process envelope names them (`subject.nhsNumber`, `sharing.consent`,
 * `data.summary`) and as the CloudEvent does (`data.child.nhsNumber`, `data.sharing.consent`,
 * `data.record.summary`). Sealed personal data lists its fields in the CloudEvent's terms.
 */
export function cloudEventField(field: string): string {
  if (field === 'subject' || field.startsWith('subject.')) return `data.child${field.slice(7)}`;
  if (field === 'reference') return 'subject';
  if (field === 'sharing' || field.startsWith('sharing.')) return `data.${field}`;
  if (field === 'data') return 'data.record';
  if (field.startsWith('data.')) return `data.record${field.slice(4)}`;
  return field;
}

export function envelopeField(field: string): string {
  if (field === 'subject') return 'reference';
  if (field === 'data.child' || field.startsWith('data.child.')) return `subject${field.slice(10)}`;
  if (field === 'data.sharing' || field.startsWith('data.sharing.')) return field.slice(5);
  if (field === 'data.record') return 'data';
  if (field.startsWith('data.record.')) return `data${field.slice(11)}`;
  return field;
}

type Protected = RecordedEvent & { personaldata?: { fields: string[] } };

/** The CloudEvent of an envelope the hub holds (sealed or not); attributes it lacks stay absent. */
export function toCloudEvent(event: JigsawEnvelope | Protected): JigsawCloudEvent {
  const { subject, sharing, data, reference, personaldata, ...attributes } = event as Protected;
  const cloudData: CloudEventData = { child: subject, sharing, record: data };
  if (personaldata) {
    cloudData.personaldata = { ...personaldata, fields: personaldata.fields.map(cloudEventField) };
  }
  return {
    ...attributes,
    ...(reference === undefined ? {} : { subject: reference }),
    data: cloudData,
  };
}

/**
 * The envelope the hub works with, from a CloudEvent. Tolerant of a malformed event (what is missing
 * stays missing), so validation can name every problem in the CloudEvent's terms.
 */
export function fromCloudEvent(event: JigsawCloudEvent): RecordedEvent {
  const { subject, data, traceparent: _trace, ...attributes } = event;
  const { child, sharing, record, personaldata } = (
    typeof data === 'object' && data !== null ? data : {}
  ) as Partial<CloudEventData>;
  const envelope = {
    ...attributes,
    ...(subject === undefined ? {} : { reference: subject }),
    subject: child,
    sharing,
    data: record,
  } as RecordedEvent & { personaldata?: unknown };
  if (personaldata) {
    const fields = Array.isArray(personaldata.fields) ? personaldata.fields.map(envelopeField) : [];
    envelope.personaldata = { ...personaldata, fields };
  }
  return envelope;
}
