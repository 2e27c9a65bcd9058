import { describe, expect, it } from '@jest/globals';
import { JigsawError } from '@jigsaw/errors';
import {
  jsonDepth,
  jsonTextProblems,
  lineTextProblems,
  textProblem,
  verifyRawBody,
} from './input-hygiene.js';

const json = (text: string): Buffer => Buffer.from(text, 'utf8');
const asJson = { headers: { 'content-type': 'application/json' } };

function problemOf(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof JigsawError)
      return { status: (error as { status?: number }).status, problems: error.problems };
    throw error;
  }
  return 'accepted';
}

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[["}', 1],
    ['[[],[],[[]]]', 3],
  ])('counts %s as %i deep, skipping brackets inside strings', (text, depth) => {
    expect(jsonDepth(json(text))).toBe(depth);
  });

  it('stops counting once past the limit', () => {
    expect(jsonDepth(json(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 32)).toBe(33);
  });
});

describe('verifyRawBody', () => {
  it('takes UTF-8 JSON nested up to the limit', () => {
    expect(problemOf(() => verifyRawBody(asJson, {}, json(`${'['.repeat(32)}${']'.repeat(32)}`)))).toBe(
      'accepted',
    );
    expect(problemOf(() => verifyRawBody(asJson, {}, json('{"name":"Zoë 李 مرحبا 😀"}')))).toBe('accepted');
  });

  it('refuses JSON nested deeper than the limit with 400', () => {
    expect(problemOf(() => verifyRawBody(asJson, {}, json(`${'['.repeat(33)}${']'.repeat(33)}`)))).toEqual({
      status: 400,
      problems: [{ field: '(body)', reason: 'nests objects and arrays deeper than 32 levels' }],
    });
  });

  it('refuses any character set but UTF-8 with 415', () => {
    expect(() => verifyRawBody(asJson, {}, json('{}'), 'utf-16le')).toThrow(
      expect.objectContaining({ status: 415, type: 'charset.unsupported' }),
    );
    expect(problemOf(() => verifyRawBody(asJson, {}, json('{}'), 'utf-8'))).toBe('accepted');
  });

  it.each([
    ['an overlong slash', [0xc0, 0xaf]],
    ['a stray continuation byte', [0x80]],
    ['0xFF', [0xff]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
  ])('refuses a body with %s as not UTF-8', (_name, bytes) => {
    const body = Buffer.concat([json('{"a":"'), Buffer.from(bytes), json('"}')]);
    expect(problemOf(() => verifyRawBody(asJson, {}, body))).toEqual({
      status: 400,
      problems: [{ field: '(body)', reason: 'is not valid UTF-8' }],
    });
  });
});

describe('text hygiene', () => {
  it.each([
    ['plain text', undefined],
    ['tabs\tand\nnew lines\r\n', undefined],
    ['Zoë, Łukasz, 李雷, محمد, 😀', undefined],
    ['right-to-left marks \u200f are text', undefined],
    ['NUL \u0000', 'must not contain a control character (U+0000)'],
    ['bell \u0007', 'must not contain a control character (U+0007)'],
    ['DEL \u007f', 'must not contain a control character (U+007F)'],
    ['C1 \u0085', 'must not contain a control character (U+0085)'],
    ['override \u202e', 'must not contain a bidirectional control character (U+202E)'],
    ['isolate \u2066', 'must not contain a bidirectional control character (U+2066)'],
    ['lone \ud800 high', 'must not contain an unpaired surrogate (U+D800)'],
    ['lone \udc00 low', 'must not contain an unpaired surrogate (U+DC00)'],
    ['noncharacter \uffff', 'must not contain a noncharacter (U+FFFF)'],
  ])('%j: %s', (text, problem) => {
    expect(textProblem(text)).toBe(problem);
  });

  it('names each bad string of a JSON body by its path, keys included', () => {
    expect(
      jsonTextProblems({
        subject: { name: { given: 'A\u0000' } },
        data: { items: ['ok', 'b\u202e'], ['k\u0001']: 'v' },
      }),
    ).toEqual([
      { field: 'subject.name.given', reason: 'must not contain a control character (U+0000)' },
      { field: 'data.items[1]', reason: 'must not contain a bidirectional control character (U+202E)' },
      { field: 'data.k\u0001', reason: 'has a name that must not contain a control character (U+0001)' },
    ]);
  });

  it('refuses the names of JavaScript object internals as keys', () => {
    const body = JSON.parse(
      '{"subject":{"__proto__":{"a":1}},"data":{"constructor":{"prototype":{}}}}',
    ) as unknown;
    expect(jsonTextProblems(body)).toEqual([
      {
        field: 'subject.__proto__',
        reason: 'is a name no record may use (it names a JavaScript object internal)',
      },
      {
        field: 'data.constructor',
        reason: 'is a name no record may use (it names a JavaScript object internal)',
      },
    ]);
  });

  it('names the line of a CSV body', () => {
    expect(lineTextProblems('a,b\r\nok,fine\nbad,\u0000\n')).toEqual([
      { field: '(body)', reason: 'line 3 must not contain a control character (U+0000)' },
    ]);
  });
});
