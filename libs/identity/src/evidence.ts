/** What the weaker evidence of a subject is made of; names, dates and postcodes as agencies send them. */
export interface EvidenceSubject {
  name?: { given?: string; family?: string };
  birthDate?: string;
  postcode?: string;
}

/** Letters only, lower case, accents dropped: "Zoë O'Neil-Smith" and "ZOE ONEILSMITH" compare equal. */
export function normaliseName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Upper case without spaces: "ls1 4ap" and "LS14AP" compare equal. */
export function normalisePostcode(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * The normalised name, date of birth and postcode of a subject, or undefined unless all of them are
 * there: any one alone (or two) matches too many children to be worth a person's time. Only ever hashed.
 */
export function evidenceOf(subject: EvidenceSubject): string | undefined {
  const given = normaliseName(subject.name?.given ?? '');
  const family = normaliseName(subject.name?.family ?? '');
  const postcode = normalisePostcode(subject.postcode ?? '');
  const birthDate = /^\d{4}-\d{2}-\d{2}$/.test(subject.birthDate ?? '') ? subject.birthDate : '';
  if (!given || !family || !postcode || !birthDate) return undefined;
  return `${given}|${family}|${birthDate}|${postcode}`;
}
