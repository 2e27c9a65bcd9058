import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { nhsNumberProblem, upnProblem } from '@jigsaw/envelope';

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
          // class-validator asks for a message only for a value that failed, so the rule has a problem to give.
          defaultMessage: ({ property, value }: ValidationArguments) =>
            [property, problemOf(value)].join(' '),
        },
      });
    };
}

export const IsNhsNumber = fromProblem('isNhsNumber', nhsNumberProblem);
export const IsUpn = fromProblem('isUpn', upnProblem);
