import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { DuplicateEventError, handleCommand, type EventStore } from '@jigsaw/event-store';
import {
  confirmPossibleMatch,
  identityDecider,
  linkUnbornToBorn,
  mergeChildren,
  raisePossibleMatch,
  rejectPossibleMatch,
  renumbered,
  splitLink,
  type IdentityCommand,
} from './identity.decide.js';
import {
  IDENTITY_SOURCE,
  identityStreamOf,
  isIdentityEvent,
  pairStreamChild,
  type Decision,
} from './identity.events.js';
import {
  IdentityRegistry,
  RenumberRefusedError,
  type EvidenceKind,
  type RenumberProblem,
} from './identity-registry.js';
import { LinkedChildren } from './linked-children.js';

/** The store that publishes identity events to `<prefix>hub.events`, keyed by the stream's hub child id. */
export const IDENTITY_EVENT_STORE = Symbol('IDENTITY_EVENT_STORE');

const RENUMBER_REFUSALS: Record<RenumberProblem, { field: string; reason: string }> = {
  'previous-not-this-child': { field: 'previousNhsNumber', reason: "is not this child's NHS number" },
  'new-number-belongs-to-another-child': {
    field: 'nhsNumber',
    reason: 'already names another hub child: find that child by it and merge the two first',
  },
  'new-number-retired': { field: 'nhsNumber', reason: 'was retired and cannot be issued again' },
  'same-number': { field: 'nhsNumber', reason: 'must differ from previousNhsNumber' },
};

/**
 * Identity decisions as events: each loads its stream, decides, and appends with the expected version,
 * so two decisions about one pair at once cannot both act (the second sees the first and answers as a
 * repeat). Event ids are stable, so a retried request never records twice.
 */
@Injectable()
export class IdentityCommands {
  constructor(
    @Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore,
    private readonly registry: IdentityRegistry,
    private readonly links: LinkedChildren,
  ) {}

  private async onStream<T>(streamChild: string, decide: IdentityCommand<T>): Promise<T> {
    const decider = identityDecider<T>();
    const { result } = await handleCommand(this.store, identityStreamOf(streamChild), decider, decide, {
      eventOf: ({ event }) => (isIdentityEvent(event) ? event : undefined),
    });
    return result;
  }

  /** The stream an identity event of the hub's is on, found by its id (a match id or a link id). */
  private async streamChildOf(id: string, what: string): Promise<string> {
    const found = await this.store.findEvent(IDENTITY_SOURCE, id);
    if (!found) throw new JigsawError(ErrorCode.NotFound, `no such ${what}`);
    return found.event.childid;
  }

  async raise(childId: string, candidateId: string, evidence: EvidenceKind, now = new Date()) {
    return this.onStream(pairStreamChild(childId, candidateId), (state) =>
      raisePossibleMatch(state, { childId, candidateId, evidence }, now),
    );
  }

  async confirm(matchId: string, decision: Decision, now = new Date()) {
    const stream = await this.streamChildOf(matchId, 'possible match');
    const linkId = `link-${randomUUID()}`;
    return this.onStream(stream, (state) => confirmPossibleMatch(state, { matchId, linkId, decision }, now));
  }

  async reject(matchId: string, decision: Decision, now = new Date()) {
    const stream = await this.streamChildOf(matchId, 'possible match');
    return this.onStream(stream, (state) => rejectPossibleMatch(state, { matchId, decision }, now));
  }

  /** Links join children the hub knows: a mistyped id would join nothing to nothing. */
  private async mustBeKnown(ids: Record<string, string>): Promise<void> {
    const unknown = new Set(await this.registry.unknownOf(Object.values(ids)));
    const problems = Object.entries(ids)
      .filter(([, id]) => unknown.has(id))
      .map(([field]) => ({ field, reason: 'is not a hub child id the hub knows' }));
    if (problems.length > 0) {
      throw new JigsawError(ErrorCode.ChildNotFound, 'no such child is known to the hub', problems);
    }
  }

  async merge(childId: string, linkedId: string, decision: Decision, now = new Date()) {
    await this.mustBeKnown({ childId, mergedChildId: linkedId });
    const members = await this.links.membersOf(childId);
    const linkId = `link-${randomUUID()}`;
    return this.onStream(pairStreamChild(childId, linkedId), (state) => {
      const decided = mergeChildren(state, { childId, linkedId, linkId, decision }, now);
      if (decided.events.length > 0 && members.includes(linkedId)) {
        throw new JigsawError(
          ErrorCode.IdentityConflict,
          'these records are one child already, through other links',
        );
      }
      return decided;
    });
  }

  /**
   * Links an unborn child's record to the baby. `birthEvent` (a health.birth-linked event's key) makes
   * the link id stable, so the same birth links once however often it is seen.
   */
  async linkUnborn(
    childId: string,
    unbornId: string,
    decision: Decision,
    options: { birthEvent?: string; now?: Date } = {},
  ) {
    const now = options.now ?? new Date();
    if (childId === unbornId) {
      throw new JigsawError(ErrorCode.ValidationFailed, 'a child cannot be linked to itself', [
        { field: 'unbornChildId', reason: 'must be another hub child than childId' },
      ]);
    }
    await this.mustBeKnown({ childId, unbornChildId: unbornId });
    const [unbornIsUnborn, childIsUnborn] = await Promise.all([
      this.registry.isUnborn(unbornId),
      this.registry.isUnborn(childId),
    ]);
    if (!unbornIsUnborn) {
      throw new JigsawError(ErrorCode.IdentityConflict, 'that record is not an unborn child', [
        { field: 'unbornChildId', reason: 'must be a hub child recorded before birth (a pregnancy)' },
      ]);
    }
    if (childIsUnborn) {
      throw new JigsawError(ErrorCode.IdentityConflict, 'the child to link to is itself unborn', [
        { field: 'childId', reason: 'must be the born child' },
      ]);
    }
    const linkId = options.birthEvent
      ? `link-${createHash('sha256').update(`birth|${options.birthEvent}`).digest('hex').slice(0, 32)}`
      : `link-${randomUUID()}`;
    return this.onStream(pairStreamChild(childId, unbornId), (state) =>
      linkUnbornToBorn(
        state,
        {
          childId,
          unbornId,
          linkId,
          decision,
          ...(options.birthEvent ? { birthEvent: options.birthEvent } : {}),
        },
        now,
      ),
    );
  }

  async split(linkId: string, decision: Decision, now = new Date()) {
    const stream = await this.streamChildOf(linkId, 'link');
    return this.onStream(stream, (state) => splitLink(state, { linkId, decision }, now));
  }

  /**
   * Renumbering: the registry links the new number and retires the old in one transaction, then the
   * event records who did it and why. Both steps are safe to repeat, so a failed request is retried whole.
   */
  async renumber(
    childId: string,
    previousNhsNumber: string,
    nhsNumber: string,
    decision: Decision,
    now = new Date(),
  ): Promise<{ changed: boolean }> {
    const members = await this.links.membersOf(childId);
    let changed: boolean;
    try {
      changed = await this.registry.renumber(childId, members, previousNhsNumber, nhsNumber);
    } catch (error) {
      if (!(error instanceof RenumberRefusedError)) throw error;
      const problem = RENUMBER_REFUSALS[error.problem];
      const code = error.problem === 'same-number' ? ErrorCode.ValidationFailed : ErrorCode.IdentityConflict;
      throw new JigsawError(code, 'the renumbering was refused', [problem]);
    }
    // A stable id without the numbers in it: a repeat finds the event it recorded the first time.
    const id = `renumbered-${createHash('sha256')
      .update(
        `${childId}|${this.registry
          .keysOf('hub', { nhsNumber })
          .map((k) => k.hash)
          .join('|')}`,
      )
      .digest('hex')
      .slice(0, 32)}`;
    try {
      await this.store.append(identityStreamOf(childId), [renumbered(childId, id, decision, now)], {
        expectedVersion: 'any',
      });
    } catch (error) {
      if (!(error instanceof DuplicateEventError)) throw error;
    }
    return { changed };
  }
}
