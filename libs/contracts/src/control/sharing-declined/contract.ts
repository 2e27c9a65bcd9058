import type { Contract } from '../../contract.js';

export const SHARING_DECLINED = 'sharing-declined';

export const sharingDeclined = {
  type: SHARING_DECLINED,
  source: 'control',
  schema: 'schemas/control/sharing-declined/v1.json',
  audience: null,
  personalData: ['reason'],
  kept: ['withheldFrom.roles'],
  label: 'Decision not to share',
  view: null,
} satisfies Contract<typeof SHARING_DECLINED>;
