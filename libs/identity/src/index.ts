// What a valid NHS number or UPN is belongs to the envelope, whose schemas check identifiers' format;
// the registry re-exports the checks, so a caller asks identity alone.
export {
  isTemporaryUpn,
  isUnknownUpnCode,
  isValidNhsNumber,
  isValidUpn,
  nhsNumberCheckDigit,
  nhsNumberProblem,
  UNKNOWN_UPN_CODES,
  upnCheckLetter,
  upnProblem,
  type UnknownUpnCode,
} from '@jigsaw/envelope';
export {
  forgetChild,
  IDENTITY_MIGRATIONS,
  IdentityMovedError,
  IdentityRegistry,
  registryRows,
  RenumberRefusedError,
  UNBORN_SUBJECT_TYPES,
  type ChildIdentifiers,
  type EvidenceKind,
  type IdentifierKind,
  type IdentifierLookup,
  type IdentifierQuery,
  type IdentityPlan,
  type RenumberProblem,
  type Sighting,
  type UncheckedEvidence,
} from './identity-registry.js';
export { evidenceOf, normaliseName, normalisePostcode, type EvidenceSubject } from './evidence.js';
export {
  canonicalOf,
  componentOf,
  evolveLinks,
  NO_LINKS,
  type ChildLink,
  type LinkChange,
  type LinkKind,
  type LinkState,
} from './child-links.js';
export { IsNhsNumber, IsUpn } from './identifier.validators.js';
export { decideIdentity, type IdentityDecision, type IdentitySnapshot } from './identity-resolution.js';
export { birthDateProblem, MAX_CHILD_AGE_YEARS } from './birth-date.js';

// A person's identity decisions, their events on hub.events, and the Nest module a process runs them in.
export {
  IDENTITY_SOURCE,
  identityStreamOf,
  isIdentityEvent,
  type Decision,
  type DecidedBy,
  type IdentityEvent,
  type IdentityEventType,
} from './identity.events.js';
export { IdentityCommands } from './identity-commands.js';
export { hubEventsTopic } from './identity.consumers.js';
// What a process that follows linked children in its own schema projects hub.events with.
export { linksProjection } from './child-links.projection.js';
// What a process that reads the store itself, and projects no links, follows linked children by.
export { StoredLinks } from './stored-links.js';
export { NoIdentifiers } from './identity.dto.js';
export { IdentityModule } from './identity.module.js';
export { type IdentityModuleOptions } from './identity.options.js';
export { LinkedChildren } from './linked-children.js';
