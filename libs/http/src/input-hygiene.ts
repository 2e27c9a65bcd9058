import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';

/** Deeper than any event, FHIR Bundle or export we take; deep enough to hold all of them. */
export const MAX_JSON_DEPTH = 32;

/** A problem with the body as a whole, found before it is parsed; answered 400 like any other. */
function bodyError(reason: string): JigsawError & { status: number } {
  const error = new JigsawError(ErrorCode.ValidationFailed, `the request body ${reason}`, [
    { field: '(body)', reason },
  ]) as JigsawError & { status: number };
  // body-parser keeps the status of an error its verify step throws (else 403).
  error.status = 400;
  return error;
}

/** How deep a JSON text nests objects and arrays, counted without parsing it (strings skipped). */
export function jsonDepth(raw: Buffer, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return deepest;
}

/**
 * body-parser's `verify` step, on the raw bytes before they are decoded or parsed: a body that is not
 * UTF-8 (overlong forms, stray bytes, surrogates encoded) would otherwise be decoded with replacement
 * characters and stored as if it had been sent that way; one nested without end would exhaust the stack
 * of whatever walks it.
 */
export function verifyRawBody(_req: unknown, _res: unknown, raw: Buffer, encoding?: string): void {
  // JSON between systems is UTF-8 (RFC 8259 section 8.1); the parser would also take UTF-16 and UTF-32.
  if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') {
    throw Object.assign(new Error(`unsupported charset ${encoding}`), {
      status: 415,
      type: 'charset.unsupported',
    });
  }
  if (!isUtf8(raw)) throw bodyError('is not valid UTF-8');
  const media = String((_req as Request).headers?.['content-type'] ?? '').toLowerCase();
  if (media.includes('json') && jsonDepth(raw, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw bodyError(`nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/**
 * Characters no record needs and some attacks use: C0 controls but tab, line feed and carriage return
 * (NUL cannot even be stored in PostgreSQL text), DEL and C1 controls, the bidirectional embedding,
 * override and isolate controls (text that displays other than it reads), lone surrogates (not
 * Unicode; PostgreSQL refuses them too) and the noncharacters U+FFFE and U+FFFF.
 */
// With the u flag a surrogate pair is one code point, so the surrogate range matches unpaired ones only.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uD800-\uDFFF\uFFFE\uFFFF]/u;

function describe(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code >= 0xd800 && code <= 0xdfff) return `an unpaired surrogate (${hex})`;
  if (code >= 0x202a && code <= 0x2069) return `a bidirectional control character (${hex})`;
  if (code === 0xfffe || code === 0xffff) return `a noncharacter (${hex})`;
  return `a control character (${hex})`;
}

/** Why a text may not be taken as it is, or undefined when it may. */
export function textProblem(text: string): string | undefined {
  const found = FORBIDDEN.exec(text);
  return found ? `must not contain ${describe(found[0])}` : undefined;
}

/** Names that reach JavaScript's object internals when a library copies or validates the object. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Every string (and key) of a parsed JSON value that holds a forbidden character, by its dotted path. */
export function jsonTextProblems(value: unknown, path = '', found: FieldProblem[] = []): FieldProblem[] {
  if (found.length >= 20) return found;
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) found.push({ field: path || '(body)', reason: problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => jsonTextProblems(item, `${path}[${i}]`, found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      const textual = textProblem(key);
      const keyProblem = RESERVED_KEYS.has(key)
        ? 'is a name no record may use (it names a JavaScript object internal)'
        : textual && `has a name that ${textual}`;
      if (keyProblem) found.push({ field, reason: keyProblem });
      else jsonTextProblems(item, field, found);
    }
  }
  return found;
}

/** The same for a text body (CSV), by line. */
export function lineTextProblems(text: string): FieldProblem[] {
  return text
    .split(/\r\n|\n|\r/)
    .flatMap((line, i) => {
      const problem = textProblem(line);
      return problem ? [{ field: '(body)', reason: `line ${i + 1} ${problem}` }] : [];
    })
    .slice(0, 20);
}

/**
 * Refuses, with 400 naming each field, a parsed body or query string holding a character that has no
 * place in a record (see FORBIDDEN). Runs after the body parsers, before any route.
 */
export function inputHygiene(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  const problems = [
    ...(typeof body === 'string' ? lineTextProblems(body) : jsonTextProblems(body)),
    ...jsonTextProblems(req.query),
  ];
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    path = req.path;
  }
  const pathProblem = textProblem(path);
  if (pathProblem) problems.push({ field: '(path)', reason: pathProblem });
  if (problems.length === 0) return next();
  const fields = [...new Set(problems.map((p) => p.field))];
  next(new JigsawError(ErrorCode.ValidationFailed, `invalid input: ${fields.join(', ')}`, problems));
}
