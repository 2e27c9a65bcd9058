import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';

const STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.InvalidNhsNumber]: HttpStatus.BAD_REQUEST,
  [ErrorCode.InvalidUpn]: HttpStatus.BAD_REQUEST,
  [ErrorCode.SharingReasonRequired]: HttpStatus.BAD_REQUEST,
  [ErrorCode.UnknownEventType]: HttpStatus.BAD_REQUEST,
  [ErrorCode.PoisonMessage]: HttpStatus.BAD_REQUEST,
  [ErrorCode.StreamVersionConflict]: HttpStatus.CONFLICT,
  [ErrorCode.DuplicateEventConflict]: HttpStatus.CONFLICT,
  [ErrorCode.ChildNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.IdentifierRetired]: HttpStatus.GONE,
  [ErrorCode.IdentityConflict]: HttpStatus.CONFLICT,
  // The hub's own stored data failed a check: never the caller's fault, and never shown as if readable.
  [ErrorCode.PersonalDataUnreadable]: HttpStatus.INTERNAL_SERVER_ERROR,
  [ErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.IssuerUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
};

const TITLE_OF: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code?: string;
  errors?: readonly FieldProblem[];
}

/** The problem details of a domain error, as a whole response or one item of a batch's answer. */
export function problemOf(error: JigsawError, instance: string): ProblemDetails {
  const status = STATUS_OF[error.code];
  return {
    type: `urn:jigsaw:problem:${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLE_OF[status] ?? 'Error',
    status,
    detail: error.message,
    instance,
    code: error.code,
    ...(error.problems.length > 0 ? { errors: error.problems } : {}),
  };
}

/** Body parser failures arrive as plain errors carrying a status (Nest wraps them, keeping them as the cause). */
function bodyParserProblem(
  error: unknown,
): { status: number; detail: string; errors: FieldProblem[] } | undefined {
  const e = error as { type?: string; status?: number; limit?: number };
  const body = (status: number, reason: string) => ({
    status,
    detail: `the request body ${reason}`,
    errors: [{ field: '(body)', reason }],
  });
  if (e?.type === 'entity.parse.failed') return body(400, 'is not valid JSON');
  if (e?.type === 'entity.too.large')
    return body(413, `is larger than the limit of ${e.limit ?? 'the service'} bytes`);
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') {
    return body(415, 'is in an encoding or character set other than UTF-8');
  }
  return undefined;
}

/** Every error leaves as RFC 7807 application/problem+json naming the code and, for input, each field. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request.originalUrl?.split('?')[0] ?? request.url);
    if (problem.status >= 500) {
      // The message only: stack traces and request bodies may carry personal data.
      // The route's template, never the path: a path can carry an NHS number (/v1/children/{ref}/...).
      const route = (request.route as { path?: string } | undefined)?.path ?? '(unmatched route)';
      this.logger.error(`${request.method} ${route} failed: ${(exception as Error)?.name ?? 'error'}`);
    }
    // RFC 6750: every 401 names the scheme; a guard may already have set a more specific challenge.
    if (problem.status === 401 && !response.hasHeader('WWW-Authenticate')) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="jigsaw"');
    }
    this.send(response, problem);
  }

  /** Writes the problem; a route speaking another standard's error format overrides this. */
  protected send(response: Response, problem: ProblemDetails): void {
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, instance: string): ProblemDetails {
    // Errors thrown before routing (body parser, middleware) reach us wrapped in an HttpException.
    const cause = exception instanceof HttpException ? exception.cause : undefined;
    if (cause instanceof JigsawError || bodyParserProblem(cause)) return this.toProblem(cause, instance);
    if (exception instanceof JigsawError) return problemOf(exception, instance);
    const parsed = bodyParserProblem(exception);
    if (parsed) {
      return { type: 'about:blank', title: TITLE_OF[parsed.status] ?? 'Error', ...parsed, instance };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const detail = Array.isArray(message)
        ? message.join('; ')
        : typeof message === 'string'
          ? message
          : exception.message;
      return { type: 'about:blank', title: TITLE_OF[status] ?? 'Error', status, detail, instance };
    }
    return {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'the request could not be completed; nothing was recorded',
      instance,
    };
  }
}
