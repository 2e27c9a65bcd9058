import type { SharingDecision } from './sharing.js';

/** The child as the sending agency knows them. Personal data: never in keys, logs, metrics or spans. */
export interface ChildSubject {
  nhsNumber?: string;
  upn?: string;
  localIds?: { system: string; value: string }[];
  name?: { given?: string; family?: string };
  birthDate?: string;
  postcode?: string;
}

/** The CloudEvents attributes every Jigsaw event has, in the CloudEvent and in the hub's envelope alike. */
export interface CoreAttributes<TType extends string = string> {
  specversion: '1.0';
  id: string;
  source: string;
  type: TType;
  time: string;
  dataschema: string;
  datacontenttype?: 'application/json';
}

/**
 * An event as the hub works with it in process: the CloudEvent (see cloud-event.ts) with the child, the
 * sharing decision and the record lifted out of `data` beside its attributes. It never leaves the process in
 * this shape: HTTP, the store and Kafka carry the CloudEvent.
 */
export interface JigsawEnvelope<
  TType extends string = string,
  TData = unknown,
> extends CoreAttributes<TType> {
  /** The CloudEvent's `subject`: the sender's own reference for the record, never personal data. */
  reference?: string;
  /** The child, as `data.child` of the CloudEvent. */
  subject: ChildSubject;
  /** `data.sharing` of the CloudEvent. */
  sharing: SharingDecision;
  /** `data.record` of the CloudEvent: the record itself, as its type's schema describes it. */
  data: TData;
}

/** An envelope as the hub stores and publishes it: with the pseudonymous hub child id and when it was recorded. */
export type RecordedEvent<TType extends string = string, TData = unknown> = JigsawEnvelope<TType, TData> & {
  childid: string;
  recordedtime: string;
};

const ORGANISATION = /^urn:jigsaw:org:(council|police|health|education):[a-z0-9][a-z0-9-]*$/;

/** Organisations are named `urn:jigsaw:org:<agency>:<code>`; the agency is read from the name. */
export function agencyOfSource(source: string): string | undefined {
  return ORGANISATION.exec(source)?.[1];
}

const HUB_ORGANISATION = /^urn:jigsaw:org:hub:[a-z0-9][a-z0-9-]*$/;

/**
 * The hub's own components (the safeguarding view recording reads) are sources too, under `hub`, so
 * their events (`hub.record-accessed`) share the envelope but can never pass for an agency's.
 */
export function hubSource(component: string): string {
  const source = `urn:jigsaw:org:hub:${component}`;
  if (!HUB_ORGANISATION.test(source)) throw new Error(`not a hub component name: ${component}`);
  return source;
}

export function isHubSource(source: string): boolean {
  return HUB_ORGANISATION.test(source);
}

export function dataschemaFor(type: string, version: number): string {
  return `urn:jigsaw:schema:${type}:v${version}`;
}
