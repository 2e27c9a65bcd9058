import type { Agency, Purpose } from '@jigsaw/envelope';
import {
  ASSESSMENT_COMPLETED,
  ASSESSMENT_STARTED,
  ATTENDANCE_CONCERN_RAISED,
  BIRTH_LINKED,
  CHILD_IN_NEED_PLAN_ENDED,
  CHILD_IN_NEED_PLAN_STARTED,
  CHILD_MISSING_EDUCATION_REPORTED,
  CHILD_PROTECTION_PLAN_ENDED,
  CHILD_PROTECTION_PLAN_STARTED,
  DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  ELECTIVE_HOME_EDUCATION_NOTIFIED,
  EXPLOITATION_CONCERN_RAISED,
  FAMILY_HELP_EPISODE_CLOSED,
  FAMILY_HELP_EPISODE_OPENED,
  KEY_ADULT_REGISTERED,
  LEAD_PRACTITIONER_ASSIGNED,
  LOOKED_AFTER_ENDED,
  LOOKED_AFTER_STARTED,
  looseObject,
  type Loose,
  type LooseData,
  MENTAL_HEALTH_REFERRAL_MADE,
  MISSING_EPISODE_ENDED,
  MISSING_EPISODE_STARTED,
  PERMANENT_EXCLUSION_RECORDED,
  PRACTITIONER_CONCERN_RAISED,
  PRE_BIRTH_CONCERN_RAISED,
  PUPIL_ON_ROLL,
  REFERRAL_DECIDED,
  REFERRAL_RECEIVED,
  SAFEGUARDING_CONCERN_RECORDED,
  SUSPENSION_RECORDED,
  UNSCHEDULED_CARE_ATTENDED,
  WAS_NOT_BROUGHT,
} from '@jigsaw/contracts';
import {
  eventKey,
  CP_IS_MINIMAL_FLAG,
  decideCpisFlag,
  type CpisFlagState,
  type HeldCareStatus,
  type MinimalStatus,
  type Viewer,
  type ChildAccess,
} from '@jigsaw/sharing';
import { eventKeyOf } from '@jigsaw/projection';
import {
  type ShownRecord,
  ledgerOf,
  visibleRecords,
  type ChronologyRow,
  TYPE_LABELS,
  ChildHistory,
  careStatuses,
  londonDateOf,
} from '@jigsaw/view-model';
import { isViewEventType, VIEW_EVENT_TYPES, type ViewEventType } from './view-event-types.js';

/** Whom to call: the fields an agency's record gave, as the viewer's cut kept them. */
export interface ContactDetails {
  name?: string;
  role?: string;
  team?: string;
  phone?: string;
  outOfHoursPhone?: string;
  email?: string;
}

/**
 * One status, on what this viewer may see: absence of a record the viewer may not see reads as
 * `current: false`, so "not current" never means "known not to be".
 */
export interface ViewStatus {
  current: boolean;
  /** Start of the current episode, or of the last one. */
  since?: string;
  /** End of the last episode, when none is current. */
  ended?: string;
  /** The organisation whose record it is. */
  organisation?: string;
  /** The record's own details the viewer's cut kept (a plan's category, a school's name...). */
  details?: Record<string, unknown>;
}

export interface ChildStatuses {
  childProtectionPlan: ViewStatus;
  lookedAfter: ViewStatus;
  childInNeed: ViewStatus;
  familyHelp: ViewStatus;
  schoolOnRoll: ViewStatus;
  electiveHomeEducation: ViewStatus;
  missing: ViewStatus;
}

export interface AgencyInvolvement {
  agency: Agency;
  organisation: string;
  /** How many of its records this viewer may see. */
  records: number;
  firstEventAt: string;
  lastEventAt: string;
  /** The organisation's lead practitioner (or key adult, or officer in the case), from its latest record saying so. */
  leadPractitioner?: ContactDetails & { from: string; since: string };
}

export interface ViewCounts {
  /** The twelve months counted: from `since` up to the view's `asAt`. */
  since: string;
  /** Unscheduled care: emergency department, minor injury unit, urgent treatment centre, maternity. */
  emergencyAttendances: number;
  domesticAbuseIncidents: number;
  missingEpisodes: number;
  /** Suspensions and permanent exclusions. */
  exclusions: number;
}

export const SIGNAL_CODES = ['multi-agency-concerns', 'emergency-attendance-on-plan'] as const;
export type SignalCode = (typeof SIGNAL_CODES)[number];

/** A record a signal rests on; every one is in the viewer's own chronology. */
export interface SignalEvidence {
  id: string;
  source: string;
  agency: Agency;
  type: string;
  at: string;
}

export interface RiskSignal {
  code: SignalCode;
  explanation: string;
  evidence: SignalEvidence[];
}

/** CP-IS, as a clinician sees it: the child is on a plan or looked after, and whom at the council to call. */
export interface CpisFlag {
  /**
   * `flagged`: on a plan or looked after, now or within the twelve months after; `not-flagged`: no such
   * plan or care known to the hub; `not-visible`: one exists that this viewer, for this purpose, may not see.
   */
  state: CpisFlagState;
  /** `cp-is-minimal-flag` when the answer rests on the CP-IS rule for unscheduled care, not on sharing. */
  rule?: typeof CP_IS_MINIMAL_FLAG;
  /** Current, or ended within the last twelve months. */
  childProtectionPlan?: ViewStatus;
  lookedAfter?: ViewStatus;
  council?: { organisation: string; contact?: ContactDetails };
}

export interface ChildView {
  childId: string;
  purpose: Purpose;
  asAt: string;
  statuses: ChildStatuses;
  agencies: AgencyInvolvement[];
  counts: ViewCounts;
  signals: RiskSignal[];
  /** For health viewers only. */
  cpis?: CpisFlag;
}

/** Two agencies or more raising concerns within this many days is a signal. */
export const CONCERN_WINDOW_DAYS = 90;
export const SEVERAL_AGENCIES = 2;

const DAY_MS = 24 * 3600_000;

/**
 * A visible record as the view folds it: only the viewer's cut of the data, and when it happened. The cut
 * keeps some of its type's fields and takes corrections in, so its data is loose: testing `type` names the
 * fields, and each value is read with a check.
 */
type Fact<T extends ViewEventType = ViewEventType> = {
  [K in T]: { id: string; source: string; agency: Agency; type: K; at: Date; data: LooseData<K> };
}[T];

/** The fact as one of its type, or undefined when it is of another. */
function factOf<T extends ViewEventType>(fact: Fact, type: T): Fact<T> | undefined {
  return fact.type === type ? (fact as Fact<T>) : undefined;
}

/** The value at a dotted path of the contract's (`ViewFacts.at`), whatever the type. */
function valueAt(data: object, path: string): unknown {
  let value: unknown = data;
  for (const segment of path.split('.')) value = looseObject<Record<string, unknown>>(value)?.[segment];
  return value;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

function timeOf(value: unknown): Date | undefined {
  const s = text(value);
  if (!s) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

const day = (date: Date): string => date.toISOString().slice(0, 10);

/** Keeps only the given fields that the cut holds. */
function pick<D>(data: Loose<D>, fields: readonly (keyof D & string)[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fields) if (data[field] !== undefined) result[field] = data[field];
  return result;
}

function withDetails(status: ViewStatus, details: Record<string, unknown>): ViewStatus {
  return Object.keys(details).length > 0 ? { ...status, details } : status;
}

/** The fields of the records' contacts (a lead practitioner, a key adult, a DSL, a plan's team...). */
type ContactFields = Omit<ContactDetails, 'email'> & { email?: string; secureEmail?: string };

function contactFrom(
  found: unknown,
  emailField: 'email' | 'secureEmail',
  role?: string,
): ContactDetails | undefined {
  const value = looseObject<ContactFields>(found);
  if (!value) return undefined;
  const contact: ContactDetails = {};
  for (const field of ['name', 'role', 'team', 'phone', 'outOfHoursPhone'] as const) {
    const v = text(value[field]);
    if (v) contact[field] = v;
  }
  const email = text(value[emailField]);
  if (email) contact.email = email;
  if (role && !contact.role) contact.role = role;
  return Object.keys(contact).length > 0 ? contact : undefined;
}

/** The contact a record gives for its organisation, ranked: a named lead beats a team line. */
function contactOf(fact: Fact): { contact: ContactDetails; rank: number } | undefined {
  switch (fact.type) {
    case LEAD_PRACTITIONER_ASSIGNED: {
      const contact = contactFrom(fact.data, 'secureEmail');
      return contact && { contact, rank: 3 };
    }
    case CHILD_PROTECTION_PLAN_STARTED: {
      const contact = contactFrom(fact.data.contact, 'email');
      return contact && { contact, rank: 1 };
    }
    case KEY_ADULT_REGISTERED: {
      const contact = contactFrom(fact.data.keyAdult, 'secureEmail');
      return contact && { contact, rank: 3 };
    }
    case PUPIL_ON_ROLL: {
      const contact = contactFrom(fact.data.dsl, 'secureEmail', 'designated-safeguarding-lead');
      return contact && { contact, rank: 2 };
    }
    case DOMESTIC_ABUSE_INCIDENT_NOTIFIED:
    case MISSING_EPISODE_STARTED:
    case MISSING_EPISODE_ENDED:
    case EXPLOITATION_CONCERN_RAISED: {
      const contact = contactFrom(fact.data.contact, 'email');
      return contact && { contact, rank: 2 };
    }
    case REFERRAL_RECEIVED:
    case REFERRAL_DECIDED:
    case ASSESSMENT_STARTED:
    case ASSESSMENT_COMPLETED:
    case CHILD_IN_NEED_PLAN_STARTED:
    case CHILD_IN_NEED_PLAN_ENDED:
    case CHILD_PROTECTION_PLAN_ENDED:
    case LOOKED_AFTER_STARTED:
    case LOOKED_AFTER_ENDED:
    case FAMILY_HELP_EPISODE_OPENED:
    case FAMILY_HELP_EPISODE_CLOSED:
    case UNSCHEDULED_CARE_ATTENDED:
    case WAS_NOT_BROUGHT:
    case PRACTITIONER_CONCERN_RAISED:
    case PRE_BIRTH_CONCERN_RAISED:
    case BIRTH_LINKED:
    case MENTAL_HEALTH_REFERRAL_MADE:
    case SAFEGUARDING_CONCERN_RECORDED:
    case ATTENDANCE_CONCERN_RAISED:
    case SUSPENSION_RECORDED:
    case PERMANENT_EXCLUSION_RECORDED:
    case CHILD_MISSING_EDUCATION_REPORTED:
    case ELECTIVE_HOME_EDUCATION_NOTIFIED:
      return undefined;
    default: {
      const _exhaustive: never = fact;
      return _exhaustive;
    }
  }
}

/** The records that start a plan, a period of care or support. */
type EpisodeStart =
  | typeof CHILD_PROTECTION_PLAN_STARTED
  | typeof LOOKED_AFTER_STARTED
  | typeof CHILD_IN_NEED_PLAN_STARTED
  | typeof FAMILY_HELP_EPISODE_OPENED;
/** The records that end one: they say when it started, too. */
type EpisodeEnd =
  | typeof CHILD_PROTECTION_PLAN_ENDED
  | typeof LOOKED_AFTER_ENDED
  | typeof CHILD_IN_NEED_PLAN_ENDED
  | typeof FAMILY_HELP_EPISODE_CLOSED;

const startOf = <T extends EpisodeStart | EpisodeEnd>(fact: Fact<T>): string =>
  text(fact.data.startDate)?.slice(0, 10) ?? day(fact.at);

/** An episode of a plan, period of care or support, named (as the CIN census does) by its start date. */
interface Episode<S extends EpisodeStart = EpisodeStart, E extends EpisodeEnd = EpisodeEnd> {
  organisation: string;
  start: string;
  end?: string;
  startFact?: Fact<S>;
  endFact?: Fact<E>;
}

/** Pairs starts and ends of one kind by organisation and start date; corrections are already in the cut. */
function episodesOf<S extends EpisodeStart, E extends EpisodeEnd>(
  facts: readonly Fact[],
  startType: S,
  endType: E,
): Episode<S, E>[] {
  const open = new Map<string, Episode<S, E>>();
  const closed: Episode<S, E>[] = [];
  for (const fact of facts) {
    const startFact = factOf(fact, startType);
    if (startFact) {
      const start = startOf(startFact);
      open.set(`${fact.source}|${start}`, { organisation: fact.source, start, startFact });
      continue;
    }
    const endFact = factOf(fact, endType);
    if (!endFact) continue;
    const start = startOf(endFact);
    const key = `${fact.source}|${start}`;
    const end = text(endFact.data.endDate)?.slice(0, 10) ?? day(fact.at);
    const episode = open.get(key);
    open.delete(key);
    // An end whose start the viewer may not see still says that an episode ended.
    closed.push({ ...(episode ?? { organisation: fact.source, start }), end, endFact });
  }
  return [...closed, ...open.values()];
}

const latest = <T>(items: readonly T[], at: (item: T) => string): T | undefined =>
  items.reduce<T | undefined>(
    (best, item) => (best === undefined || at(item) > at(best) ? item : best),
    undefined,
  );

function episodeStatus<S extends EpisodeStart, E extends EpisodeEnd>(
  episodes: readonly Episode<S, E>[],
  details: (episode: Episode<S, E>) => Record<string, unknown>,
): ViewStatus {
  const current = latest(
    episodes.filter((e) => e.end === undefined),
    (e) => e.start,
  );
  if (current) {
    return withDetails(
      { current: true, since: current.start, organisation: current.organisation },
      details(current),
    );
  }
  const last = latest(episodes, (e) => e.end ?? '');
  if (!last) return { current: false };
  return withDetails(
    { current: false, since: last.start, ended: last.end!, organisation: last.organisation },
    details(last),
  );
}

function schoolStatuses(
  facts: readonly Fact[],
): Pick<ChildStatuses, 'schoolOnRoll' | 'electiveHomeEducation'> {
  let roll: ViewStatus = { current: false };
  let home: ViewStatus = { current: false };
  for (const fact of facts) {
    const date = day(fact.at);
    if (fact.type === PUPIL_ON_ROLL) {
      roll = withDetails(
        { current: true, since: date, organisation: fact.source },
        pick(fact.data, ['school', 'yearGroup']),
      );
      if (home.current) home = { ...home, current: false, ended: date };
    } else if (fact.type === ELECTIVE_HOME_EDUCATION_NOTIFIED) {
      home = withDetails(
        { current: true, since: date, organisation: fact.source },
        pick(fact.data, ['notifiedOn', 'school']),
      );
      if (roll.current) roll = { ...roll, current: false, ended: date };
    } else if (fact.type === PERMANENT_EXCLUSION_RECORDED) {
      // Off that school's roll; another school's roll stands.
      if (roll.current && roll.organisation === fact.source) roll = { ...roll, current: false, ended: date };
    }
  }
  return { schoolOnRoll: roll, electiveHomeEducation: home };
}

/**
 * Missing now when the latest report of going missing is later than the latest report of being found.
 * Found is found, whichever episode it closed: no reference (which not every viewer sees) is needed.
 */
function missingStatus(facts: readonly Fact[]): ViewStatus {
  const started = latest(
    facts.flatMap((f) => factOf(f, MISSING_EPISODE_STARTED) ?? []),
    (f) => f.at.toISOString(),
  );
  if (!started) return { current: false };
  const found = latest(
    facts.flatMap((f) => factOf(f, MISSING_EPISODE_ENDED) ?? []),
    (f) => f.at.toISOString(),
  );
  const since = text(started.data.missingSince) ?? started.at.toISOString();
  const details = pick(started.data, ['riskLevel', 'missingFrom', 'episodeReference']);
  if (found && found.at.getTime() >= started.at.getTime()) {
    const ended = text(found.data.foundAt) ?? found.at.toISOString();
    return withDetails({ current: false, since, ended, organisation: started.source }, details);
  }
  return withDetails({ current: true, since, organisation: started.source }, details);
}

function agenciesOf(facts: readonly Fact[]): AgencyInvolvement[] {
  const byOrganisation = new Map<string, Fact[]>();
  for (const fact of facts)
    byOrganisation.set(fact.source, [...(byOrganisation.get(fact.source) ?? []), fact]);
  const involvement: AgencyInvolvement[] = [];
  for (const [organisation, own] of byOrganisation) {
    let best: { contact: ContactDetails; rank: number; fact: Fact } | undefined;
    for (const fact of own) {
      const found = contactOf(fact);
      if (
        found &&
        (!best || found.rank > best.rank || (found.rank === best.rank && fact.at >= best.fact.at))
      ) {
        best = { ...found, fact };
      }
    }
    involvement.push({
      agency: own[0]!.agency,
      organisation,
      records: own.length,
      firstEventAt: own[0]!.at.toISOString(),
      lastEventAt: own.at(-1)!.at.toISOString(),
      ...(best
        ? { leadPractitioner: { ...best.contact, from: best.fact.type, since: day(best.fact.at) } }
        : {}),
    });
  }
  const order = (a: Agency): number => ['council', 'police', 'health', 'education'].indexOf(a);
  return involvement.sort(
    (a, b) => order(a.agency) - order(b.agency) || a.organisation.localeCompare(b.organisation),
  );
}

const evidenceOf = (fact: Fact): SignalEvidence => ({
  id: fact.id,
  source: fact.source,
  agency: fact.agency,
  type: fact.type,
  at: fact.at.toISOString(),
});

const labelOf = (type: string): string => (TYPE_LABELS[type] ?? type).toLowerCase();

/** The latest window of CONCERN_WINDOW_DAYS in which the most agencies raised concerns, if several did. */
function multiAgencyConcerns(recent: readonly Fact[]): RiskSignal | undefined {
  const concerns = recent.filter((f) => VIEW_EVENT_TYPES[f.type].concern);
  let best: Fact[] = [];
  let bestAgencies = 0;
  for (const end of concerns) {
    const from = end.at.getTime() - CONCERN_WINDOW_DAYS * DAY_MS;
    const window = concerns.filter((f) => f.at.getTime() >= from && f.at.getTime() <= end.at.getTime());
    const agencies = new Set(window.map((f) => f.agency)).size;
    if (agencies >= bestAgencies) {
      best = window;
      bestAgencies = agencies;
    }
  }
  if (bestAgencies < SEVERAL_AGENCIES) return undefined;
  const byAgency = new Map<Agency, Set<string>>();
  for (const fact of best)
    byAgency.set(fact.agency, (byAgency.get(fact.agency) ?? new Set()).add(labelOf(fact.type)));
  const what = [...byAgency].map(([agency, labels]) => `${agency} (${[...labels].join(', ')})`).join('; ');
  return {
    code: 'multi-agency-concerns',
    explanation:
      `${bestAgencies} agencies raised concerns within ${CONCERN_WINDOW_DAYS} days ` +
      `(${day(best[0]!.at)} to ${day(best.at(-1)!.at)}): ${what}.`,
    evidence: best.map(evidenceOf),
  };
}

function attendancesOnPlan(recent: readonly Fact[], plans: readonly Episode[]): RiskSignal | undefined {
  const hits: { attendance: Fact<typeof UNSCHEDULED_CARE_ATTENDED>; plan: Episode }[] = [];
  for (const fact of recent) {
    const attendance = factOf(fact, UNSCHEDULED_CARE_ATTENDED);
    if (!attendance) continue;
    const t = attendance.at.getTime();
    const plan = plans.find(
      (p) => Date.parse(p.start) <= t && (p.end === undefined || t < Date.parse(p.end) + DAY_MS),
    );
    if (plan) hits.push({ attendance, plan });
  }
  if (hits.length === 0) return undefined;
  const what = hits.map(({ attendance, plan }) => {
    const setting = text(attendance.data.setting);
    const period = plan.end ? `from ${plan.start} to ${plan.end}` : `since ${plan.start}`;
    return `${setting ? `${setting} ` : ''}on ${day(attendance.at)} (plan ${period})`;
  });
  const planFacts = [...new Set(hits.flatMap(({ plan }) => [plan.startFact, plan.endFact]))].filter(
    (f) => f !== undefined,
  );
  return {
    code: 'emergency-attendance-on-plan',
    explanation:
      `${hits.length === 1 ? 'An unscheduled care attendance' : `${hits.length} unscheduled care attendances`} ` +
      `while on a child protection plan: ${what.join('; ')}.`,
    evidence: [...hits.map(({ attendance }) => attendance), ...planFacts]
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map(evidenceOf),
  };
}

function withoutDetails({ details: _details, ...status }: ViewStatus): ViewStatus {
  return status;
}

/**
 * The CP-IS flag in three states: what the viewer may see answers it when it can; otherwise the minimal
 * flag rule (unscheduled care) or `not-visible` when the hub holds a plan or care the viewer may not see.
 */
export function cpisFlagFor(
  viewer: Viewer,
  held: readonly HeldCareStatus[],
  now: Date,
  visibleFlag: () => CpisFlag,
): CpisFlag {
  const answer = decideCpisFlag(viewer, held, londonDateOf(now));
  if (answer.state !== 'flagged') return { state: answer.state };
  if (answer.rule === 'shared') return visibleFlag();
  const status = (kind: MinimalStatus['kind']): ViewStatus | undefined => {
    const found = answer.statuses
      .filter((s) => s.kind === kind)
      .sort((a, b) => b.since.localeCompare(a.since));
    const latest = found.find((s) => s.current) ?? found[0];
    if (!latest) return undefined;
    return { current: latest.current, since: latest.since, ...(latest.ended ? { ended: latest.ended } : {}) };
  };
  const plan = status('child-protection-plan');
  const lookedAfter = status('looked-after');
  return {
    state: 'flagged',
    rule: CP_IS_MINIMAL_FLAG,
    ...(plan ? { childProtectionPlan: plan } : {}),
    ...(lookedAfter ? { lookedAfter } : {}),
    council: answer.council,
  };
}

/** Every plan and period of care the hub holds about the child, and whether this viewer sees its records. */
export function heldCareStatuses(
  rows: readonly ChronologyRow[],
  visibleKeys: ReadonlySet<string>,
): HeldCareStatus[] {
  const history = new ChildHistory(rows.map((row) => row.event));
  return careStatuses(history).map(({ events, ...status }) => ({
    kind: status.kind,
    council: status.council,
    startDate: status.startDate,
    ...(status.endDate ? { endDate: status.endDate } : {}),
    ...(status.contact ? { contact: status.contact } : {}),
    visible: events.some((key) => visibleKeys.has(key)),
  }));
}

/** Child protection plans, from their starts and ends. */
type PlanEpisode = Episode<typeof CHILD_PROTECTION_PLAN_STARTED, typeof CHILD_PROTECTION_PLAN_ENDED>;

function cpisOf(
  statuses: ChildStatuses,
  plans: readonly PlanEpisode[],
  agencies: readonly AgencyInvolvement[],
  since: Date,
): CpisFlag {
  const recent = (status: ViewStatus): ViewStatus | undefined =>
    status.current || (status.ended !== undefined && Date.parse(status.ended) >= since.getTime())
      ? status
      : undefined;
  const plan = recent(statuses.childProtectionPlan);
  const lookedAfter = recent(statuses.lookedAfter);
  // The council responsible: the one whose plan or care is current, else the latest that ended.
  const responsible = [plan, lookedAfter].find((s) => s?.current) ?? plan ?? lookedAfter;
  const organisation = responsible?.organisation;
  const cpContact = latest(
    plans.filter((p) => p.organisation === organisation && p.startFact),
    (p) => p.start,
  )?.startFact?.data.contact;
  const contact =
    contactFrom(cpContact, 'email') ??
    (() => {
      const lead = agencies.find((a) => a.organisation === organisation)?.leadPractitioner;
      if (!lead) return undefined;
      const { from: _from, since: _since, ...details } = lead;
      return details;
    })();
  return {
    state: 'flagged',
    ...(plan ? { childProtectionPlan: withoutDetails(plan) } : {}),
    ...(lookedAfter ? { lookedAfter } : {}),
    ...(organisation ? { council: { organisation, ...(contact ? { contact } : {}) } } : {}),
  };
}

/**
 * The child's view for one viewer: statuses, agencies involved, twelve-month counts, risk signals and,
 * for health, the CP-IS flag, all folded from the records the sharing policy lets this viewer see in
 * full for this purpose, through the viewer's own cut of each (so a field the viewer may not see never
 * shapes the answer). Skeletons (auditors) carry no data and shape nothing. `shown` is every record
 * the answer rests on, for the access log.
 */
export function childViewFor(
  viewer: Viewer,
  childId: string,
  rows: readonly ChronologyRow[],
  now: Date,
  access: ChildAccess,
): { view: ChildView; shown: ShownRecord[] } {
  // The owner sees its retracted and withdrawn records in its chronology, marked; nothing rests on them.
  const visible = visibleRecords(viewer, rows, ledgerOf(rows), now, access).filter(
    (v) =>
      v.cut.level === 'full' &&
      v.cut.agency !== undefined &&
      isViewEventType(v.cut.type) &&
      !v.cut.standing?.retracted &&
      !v.cut.standing?.withdrawn,
  );
  const facts: Fact[] = visible
    .map(({ row, cut }): Fact => {
      const type = cut.type as ViewEventType;
      const data = cut.data ?? {};
      const paths: readonly string[] = VIEW_EVENT_TYPES[type].at;
      const at =
        paths.map((path) => timeOf(valueAt(data, path))).find((d) => d !== undefined) ?? row.occurredAt;
      // The viewer's cut of a stored record of this type: some of its fields, corrections applied.
      return { id: cut.id, source: cut.source, agency: cut.agency!, type, at, data } as Fact;
    })
    .sort(
      (a, b) =>
        a.at.getTime() - b.at.getTime() || eventKey(a.source, a.id).localeCompare(eventKey(b.source, b.id)),
    );

  const plans = episodesOf(facts, CHILD_PROTECTION_PLAN_STARTED, CHILD_PROTECTION_PLAN_ENDED);
  const care = episodesOf(facts, LOOKED_AFTER_STARTED, LOOKED_AFTER_ENDED);
  const statuses: ChildStatuses = {
    childProtectionPlan: episodeStatus(plans, (e) => ({
      ...pick(e.startFact?.data ?? {}, ['category', 'contact']),
      ...(e.endFact && text(e.endFact.data.latestCategory)
        ? { category: e.endFact.data.latestCategory }
        : {}),
    })),
    lookedAfter: episodeStatus(care, (e) => pick(e.startFact?.data ?? {}, ['legalStatus'])),
    childInNeed: episodeStatus(
      episodesOf(facts, CHILD_IN_NEED_PLAN_STARTED, CHILD_IN_NEED_PLAN_ENDED),
      () => ({}),
    ),
    familyHelp: episodeStatus(
      episodesOf(facts, FAMILY_HELP_EPISODE_OPENED, FAMILY_HELP_EPISODE_CLOSED),
      () => ({}),
    ),
    ...schoolStatuses(facts),
    missing: missingStatus(facts),
  };

  const since = new Date(now);
  since.setUTCFullYear(since.getUTCFullYear() - 1);
  const recent = facts.filter((f) => f.at.getTime() >= since.getTime() && f.at.getTime() <= now.getTime());
  const count = (...types: ViewEventType[]): number => recent.filter((f) => types.includes(f.type)).length;
  const counts: ViewCounts = {
    since: since.toISOString(),
    emergencyAttendances: count(UNSCHEDULED_CARE_ATTENDED),
    domesticAbuseIncidents: count(DOMESTIC_ABUSE_INCIDENT_NOTIFIED),
    missingEpisodes: count(MISSING_EPISODE_STARTED),
    exclusions: count(SUSPENSION_RECORDED, PERMANENT_EXCLUSION_RECORDED),
  };

  const agencies = agenciesOf(facts);
  const signals = [multiAgencyConcerns(recent), attendancesOnPlan(recent, plans)].filter(
    (s): s is RiskSignal => s !== undefined,
  );
  const view: ChildView = {
    childId,
    purpose: viewer.purpose,
    asAt: now.toISOString(),
    statuses,
    agencies,
    counts,
    signals,
    ...(viewer.agency === 'health'
      ? {
          cpis: cpisFlagFor(
            viewer,
            heldCareStatuses(rows, new Set(visible.map(({ row }) => eventKeyOf(row.event)))),
            now,
            () => cpisOf(statuses, plans, agencies, since),
          ),
        }
      : {}),
  };
  return { view, shown: visible.map((v) => v.shown) };
}
