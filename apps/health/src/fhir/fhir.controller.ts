import { Body, Controller, Headers, HttpCode, Inject, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type { ServiceConfig } from '@jigsaw/config';
import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';
import { envelopeField, toCloudEvent } from '@jigsaw/envelope';
import {
  ApiOperationOutcomes,
  FHIR_JSON,
  issuesOf,
  OPERATION_OUTCOME_SCHEMA,
  operationOutcome,
  OperationOutcomeFilter,
  type OperationOutcome,
} from '@jigsaw/fhir';
import { validationFailed } from '@jigsaw/http';
import {
  AgencyCaller,
  ApiSourceQuery,
  BatchIngest,
  RecordTransaction,
  TransactionEntryRefusedError,
  type AgencyCallerIdentity,
} from '@jigsaw/ingest';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import { bundleProblems, readBundle, type BundleEntryPlan } from './fhir-bundle.mapping.js';

export type FhirEntryReport =
  | { entry: number; resourceType: string; status: 'accepted' | 'duplicate'; id: string }
  | {
      entry: number;
      resourceType: string;
      status: 'rejected';
      code: string;
      errors: FieldProblem[];
      outcome: OperationOutcome;
    };

export interface FhirBundleReport {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** One per Encounter and Flag; `entry` is 0-based, as in the FHIR paths of the errors. */
  entries: FhirEntryReport[];
  /** Resources the hub does not take; they are not recorded. */
  ignored: { entry: number; resourceType: string }[];
}

/** A `transaction-response` or `batch-response` Bundle entry: one per entry of the request. */
export interface FhirResponseEntry {
  response: { status: string; location?: string; outcome?: OperationOutcome };
}

export const FHIR_MEDIA_TYPES = [FHIR_JSON, 'application/json'] as const;
const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/;
const STATUS_LINE: Readonly<Record<string, string>> = {
  accepted: '201 Created',
  duplicate: '200 OK',
  VALIDATION_FAILED: '400 Bad Request',
  FORBIDDEN: '403 Forbidden',
  DUPLICATE_EVENT_CONFLICT: '409 Conflict',
};

const BUNDLE_SCHEMA = {
  type: 'object',
  required: ['resourceType', 'type', 'entry'],
  properties: {
    resourceType: { type: 'string', enum: ['Bundle'] },
    type: { type: 'string', enum: ['collection', 'message', 'transaction', 'batch', 'searchset'] },
    entry: { type: 'array', items: { type: 'object', properties: { resource: { type: 'object' } } } },
  },
};
const REPORT_SCHEMA = {
  type: 'object',
  required: ['accepted', 'duplicates', 'rejected', 'entries', 'ignored'],
  properties: {
    accepted: { type: 'integer' },
    duplicates: { type: 'integer' },
    rejected: { type: 'integer' },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['entry', 'resourceType', 'status'],
        properties: {
          entry: { type: 'integer' },
          resourceType: { type: 'string' },
          status: { type: 'string', enum: ['accepted', 'duplicate', 'rejected'] },
          id: { type: 'string' },
          code: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'reason'],
              properties: { field: { type: 'string' }, reason: { type: 'string' } },
            },
          },
          outcome: OPERATION_OUTCOME_SCHEMA,
        },
      },
    },
    ignored: {
      type: 'array',
      items: {
        type: 'object',
        required: ['entry', 'resourceType'],
        properties: { entry: { type: 'integer' }, resourceType: { type: 'string' } },
      },
    },
  },
};
const RESPONSE_BUNDLE_SCHEMA = {
  type: 'object',
  required: ['resourceType', 'type', 'entry'],
  properties: {
    resourceType: { type: 'string', enum: ['Bundle'] },
    type: { type: 'string', enum: ['transaction-response', 'batch-response'] },
    entry: {
      type: 'array',
      items: {
        type: 'object',
        required: ['response'],
        properties: {
          response: {
            type: 'object',
            required: ['status'],
            properties: {
              status: { type: 'string' },
              location: { type: 'string' },
              outcome: OPERATION_OUTCOME_SCHEMA,
            },
          },
        },
      },
    },
  },
};

@ApiTags('adapters')
@Controller('v1/adapters/fhir')
@UseFilters(OperationOutcomeFilter)
export class FhirController {
  constructor(
    private readonly batch: BatchIngest,
    private readonly commands: CommandBus,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * An HL7 FHIR R4 Bundle about one child: each Encounter becomes an unscheduled care attendance, each Flag
   * a practitioner's concern, each its own event. A collection, message or searchset is answered with a
   * report; a batch with a `batch-response`, a transaction with a `transaction-response` (all entries
   * recorded, or none when any is refused). Every refusal is an OperationOutcome.
   */
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the Encounters and Flags of a FHIR R4 Bundle about one child' })
  @ApiSourceQuery()
  @ApiBody({
    description: 'A FHIR R4 Bundle: collection, message, searchset, batch or transaction.',
    schema: BUNDLE_SCHEMA,
  })
  @ApiConsumes(FHIR_JSON, 'application/json')
  @ApiOkResponse({
    description:
      'A collection, message or searchset: a report per Encounter and Flag (application/json). A batch or ' +
      'transaction: a batch-response or transaction-response Bundle (application/fhir+json).',
    content: {
      'application/json': { schema: REPORT_SCHEMA },
      [FHIR_JSON]: { schema: RESPONSE_BUNDLE_SCHEMA },
    },
  })
  @ApiOperationOutcomes(400, 401, 403, 409, 415)
  async receive(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Query('source') sourceParam: string | undefined,
    @AgencyCaller() caller: AgencyCallerIdentity | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FhirBundleReport | { resourceType: 'Bundle'; type: string; entry: FhirResponseEntry[] }> {
    const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (media !== '' && !JSON_MEDIA.test(media)) {
      throw new JigsawError(ErrorCode.UnsupportedMediaType, `${media} is not supported`, [
        { field: 'content-type', reason: `must be ${FHIR_MEDIA_TYPES.join(' or ')}, not ${media}` },
      ]);
    }
    const source = caller?.organisation ?? sourceParam;
    const problems = bundleProblems(body);
    if (problems.length > 0) throw validationFailed(problems);
    if (!source)
      throw validationFailed([
        { field: 'source', reason: 'is required: the health organisation sending the Bundle' },
      ]);
    const bundle = body as Record<string, unknown>;
    const { mapped, ignored } = readBundle(bundle, { source, secret: this.config.IDENTIFIER_HMAC_SECRET });
    const transaction = bundle['type'] === 'transaction';
    const entries = transaction
      ? await this.recordTransaction(mapped, caller)
      : await this.recordEach(mapped, caller);
    if (!transaction && bundle['type'] !== 'batch') {
      const count = (status: FhirEntryReport['status']) => entries.filter((e) => e.status === status).length;
      return {
        accepted: count('accepted'),
        duplicates: count('duplicate'),
        rejected: count('rejected'),
        entries,
        ignored,
      };
    }
    response.type(FHIR_JSON);
    const byEntry = new Map(entries.map((e) => [e.entry, e]));
    const notTaken = new Set(ignored.map((e) => e.entry));
    return {
      resourceType: 'Bundle',
      type: transaction ? 'transaction-response' : 'batch-response',
      entry: (bundle['entry'] as unknown[]).map((_, i): FhirResponseEntry => {
        const done = byEntry.get(i);
        if (done?.status === 'rejected') {
          return { response: { status: STATUS_LINE[done.code] ?? '400 Bad Request', outcome: done.outcome } };
        }
        if (done)
          return { response: { status: STATUS_LINE[done.status]!, location: `urn:jigsaw:event:${done.id}` } };
        return {
          response: {
            status: '200 OK',
            outcome: operationOutcome([
              {
                severity: 'information',
                code: notTaken.has(i) ? 'not-supported' : 'informational',
                diagnostics: notTaken.has(i)
                  ? 'not recorded: the hub records Encounter and Flag resources'
                  : "read for the child's identity; not recorded on its own",
              },
            ]),
          },
        };
      }),
    };
  }

  /** Entry by entry, each recorded or refused on its own (collection, message, searchset, batch). */
  private async recordEach(
    mapped: readonly BundleEntryPlan[],
    caller: AgencyCallerIdentity | undefined,
  ): Promise<FhirEntryReport[]> {
    const report = await this.batch.record(
      mapped.map((plan) => ({
        row: plan.entry + 1,
        ...(plan.envelope ? { envelope: toCloudEvent(plan.envelope) } : {}),
        ...(plan.problems ? { problems: plan.problems } : {}),
      })),
      new Date(),
      caller,
    );
    return report.rows.map((row, i): FhirEntryReport => {
      const plan = mapped[i]!;
      const base = { entry: plan.entry, resourceType: plan.resourceType };
      if (row.status !== 'rejected') return { ...base, status: row.status, id: row.id };
      const errors = inFhirTerms(plan, row.errors);
      return {
        ...base,
        status: 'rejected',
        code: row.code,
        errors,
        outcome: operationOutcome(issuesOf(errors)),
      };
    });
  }

  /** All or nothing, as FHIR defines a transaction: any refusal, however late, records none of it. */
  private async recordTransaction(
    mapped: readonly BundleEntryPlan[],
    caller: AgencyCallerIdentity | undefined,
  ): Promise<FhirEntryReport[]> {
    const refused = mapped.flatMap((plan) => plan.problems ?? []);
    if (refused.length > 0) throw validationFailed(dedupe(refused));
    try {
      const results = await this.commands.execute(
        new RecordTransaction(
          mapped.map((plan) => toCloudEvent(plan.envelope!)),
          new Date(),
          caller,
        ),
      );
      return results.map((result, i) => ({
        entry: mapped[i]!.entry,
        resourceType: mapped[i]!.resourceType,
        ...result,
      }));
    } catch (error) {
      if (!(error instanceof TransactionEntryRefusedError)) throw error;
      const plan = mapped[error.index]!;
      throw new JigsawError(
        error.code,
        `the ${plan.resourceType} at entry ${plan.entry} was refused, so nothing of the transaction was recorded`,
        inFhirTerms(plan, error.problems),
      );
    }
  }
}

/** A problem with an event, named by the FHIRPath of the element it came from. */
function inFhirTerms(plan: BundleEntryPlan, problems: readonly FieldProblem[]): FieldProblem[] {
  return dedupe(
    problems.map((e) => ({ field: plan.fields[envelopeField(e.field)] ?? e.field, reason: e.reason })),
  );
}

function dedupe(problems: readonly FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((e) => {
    const key = `${e.field}\u0000${e.reason}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
