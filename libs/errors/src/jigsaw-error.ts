/** Stable codes: clients and dead-letter consumers match on these, so never rename one. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidNhsNumber = 'INVALID_NHS_NUMBER',
  InvalidUpn = 'INVALID_UPN',
  SharingReasonRequired = 'SHARING_REASON_REQUIRED',
  StreamVersionConflict = 'STREAM_VERSION_CONFLICT',
  DuplicateEventConflict = 'DUPLICATE_EVENT_CONFLICT',
  UnknownEventType = 'UNKNOWN_EVENT_TYPE',
  ChildNotFound = 'CHILD_NOT_FOUND',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  PoisonMessage = 'POISON_MESSAGE',
  NotFound = 'NOT_FOUND',
  IdentifierRetired = 'IDENTIFIER_RETIRED',
  IdentityConflict = 'IDENTITY_CONFLICT',
  /** Sealed personal data that fails its authentication check or whose key cannot be used. */
  PersonalDataUnreadable = 'PERSONAL_DATA_UNREADABLE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  /** The identity provider that issued a token does not answer, so the token can be neither accepted nor refused. */
  IssuerUnavailable = 'ISSUER_UNAVAILABLE',
}

export interface FieldProblem {
  /** Dotted path of the field in the request, e.g. `data.occurredAt`. */
  field: string;
  reason: string;
}

export class JigsawError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'JigsawError';
  }
}
