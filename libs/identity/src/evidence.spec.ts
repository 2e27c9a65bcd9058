import { describe, expect, it } from '@jest/globals';
import { evidenceOf } from './evidence.js';

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
});
