import { registerDecorator, type ValidationOptions } from 'class-validator';
import { nhsNumberProblem } from './nhs-number.js';
import { upnProblem } from './upn.js';

function fromProblem(name: string, problemOf: (value: unknown) => string | undefined) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) => {
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: String(propertyName),
        ...(options ? { options } : {}),
        validator: {
          validate: (value: unknown) => problemOf(value) === undefined,
          defaultMessage: (args) => `${args?.property ?? 'value'} ${problemOf(args?.value) ?? 'is invalid'}`,
        },
      });
    };
}

export const IsNhsNumber = fromProblem('isNhsNumber', nhsNumberProblem);
export const IsUpn = fromProblem('isUpn', upnProblem);
