/**
 * DfE exclusion reason codes (school census, since 2020/21): PP/PA physical assault against a pupil/adult,
 * VP/VA verbal abuse or threatening behaviour against a pupil/adult, BU bullying, RA racist abuse,
 * LG abuse against sexual orientation and gender identity, DS abuse relating to disability, MT misuse of
 * social media or online technology, WP use or threat of an offensive weapon or prohibited item, SM sexual
 * misconduct, DA drug and alcohol related, DM damage, TH theft, PD persistent or general disruptive
 * behaviour. The retired OT (other) is refused: the census no longer accepts it.
 */
export const EXCLUSION_REASON_CODES = [
  'PP',
  'PA',
  'VP',
  'VA',
  'BU',
  'RA',
  'LG',
  'DS',
  'MT',
  'WP',
  'SM',
  'DA',
  'DM',
  'TH',
  'PD',
] as const;
