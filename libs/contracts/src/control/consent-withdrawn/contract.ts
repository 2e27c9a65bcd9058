import type { Contract } from '../../contract.js';

export const CONSENT_WITHDRAWN = 'consent-withdrawn';

export const consentWithdrawn = {
  type: CONSENT_WITHDRAWN,
  source: 'control',
  schema: 'schemas/control/consent-withdrawn/v1.json',
  audience: null,
  personalData: ['reason'],
  kept: [],
  label: null,
  view: null,
} satisfies Contract<typeof CONSENT_WITHDRAWN>;
