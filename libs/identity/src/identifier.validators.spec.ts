import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { IsNhsNumber, IsUpn } from './identifier.validators.js';

class Subject {
  @IsNhsNumber() nhsNumber!: unknown;
  @IsUpn({ message: 'upn is not one the school census would accept' }) upn!: unknown;
}

const problemsOf = async (value: Record<string, unknown>) =>
  (await validate(plainToInstance(Subject, value))).map((e) => ({
    property: e.property,
    constraints: e.constraints,
  }));

describe('identifier validators', () => {
  it('accepts a valid NHS number and UPN', async () => {
    expect(await problemsOf({ nhsNumber: '9434765919', upn: 'B801200005001' })).toEqual([]);
  });

  it('refuses with the reason the identifier rules give, naming the property', async () => {
    expect(await problemsOf({ nhsNumber: '9434765918', upn: 'A801200005001' })).toEqual([
      { property: 'nhsNumber', constraints: { isNhsNumber: 'nhsNumber fails the NHS number check digit' } },
      { property: 'upn', constraints: { isUpn: 'upn is not one the school census would accept' } },
    ]);
    expect(await problemsOf({ nhsNumber: 9434765919, upn: 'B801200005001' })).toEqual([
      { property: 'nhsNumber', constraints: { isNhsNumber: 'nhsNumber must be a string of 10 digits' } },
    ]);
  });
});
