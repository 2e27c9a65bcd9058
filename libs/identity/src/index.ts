export { isValidNhsNumber, nhsNumberCheckDigit, nhsNumberProblem } from './nhs-number.js';
export {
  isTemporaryUpn,
  isUnknownUpnCode,
  isValidUpn,
  UNKNOWN_UPN_CODES,
  upnCheckLetter,
  upnProblem,
  type UnknownUpnCode,
} from './upn.js';
export {
  IDENTITY_MIGRATIONS,
  IdentityRegistry,
  type ChildIdentifiers,
  type IdentifierKind,
} from './identity-registry.js';
export { IsNhsNumber, IsUpn } from './identifier.validators.js';
