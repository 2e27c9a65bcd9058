import { describe, expect, it } from '@jest/globals';
import { evidenceOf, normaliseName, normalisePostcode } from './evidence.js';

const subject = {
  name: { given: 'Zoë', family: "O'Neil-Smith" },
  birthDate: '2015-03-02',
  postcode: 'ls1 4ap',
};

describe('weaker evidence', () => {
  it('compares names and postcodes as people write them differently', () => {
    expect(evidenceOf(subject)).toBe(
      evidenceOf({
        name: { given: 'ZOE', family: 'ONEIL SMITH' },
        birthDate: '2015-03-02',
        postcode: 'LS14AP',
      }),
    );
  });

  it('tells a different date of birth apart', () => {
    expect(evidenceOf(subject)).not.toBe(evidenceOf({ ...subject, birthDate: '2015-03-03' }));
  });

  it.each([
    ['no given name', { ...subject, name: { family: 'Smith' } }],
    ['no family name', { ...subject, name: { given: 'Zoe' } }],
    ['no date of birth', { name: subject.name, postcode: subject.postcode }],
    ['no postcode', { name: subject.name, birthDate: subject.birthDate }],
    ['a name of punctuation only', { ...subject, name: { given: '--', family: 'Smith' } }],
  ])('gives none with %s: too weak to be worth a person deciding', (_what, partial) => {
    expect(evidenceOf(partial)).toBeUndefined();
  });

  it('keeps every letter and digit of a postcode, in upper case, so different postcodes stay apart', () => {
    expect(normalisePostcode('ls1 4ap')).toBe('LS14AP');
    expect(normalisePostcode(' LS1-4AP ')).toBe('LS14AP');
    expect(evidenceOf({ ...subject, postcode: 'LS1 4AP' })).not.toBe(
      evidenceOf({ ...subject, postcode: 'LS1 4AQ' }),
    );
    expect(normaliseName("Zoë O'Neil-Smith")).toBe('zoeoneilsmith');
  });

  it('needs all of given name, family name, date of birth and postcode', () => {
    expect(evidenceOf(subject)).toBe('zoe|oneilsmith|2015-03-02|LS14AP');
    for (const missing of [
      { ...subject, name: { family: 'Okafor' } },
      { ...subject, name: { given: 'Ada' } },
      { ...subject, postcode: ' - ' },
      { ...subject, birthDate: undefined },
      { ...subject, birthDate: '2015-03-02T00:00:00Z' },
      { ...subject, birthDate: 'x2015-03-02' },
    ]) {
      expect(evidenceOf(missing)).toBeUndefined();
    }
  });
});
