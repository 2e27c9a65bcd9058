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
