import { Body, Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import type { FieldProblem } from '@jigsaw/errors';
import { validationFailed } from '@jigsaw/http';
import { AgencyCaller, BatchIngest, type AgencyCallerIdentity } from '@jigsaw/ingest';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import { bundleProblems, readBundle } from './fhir-bundle.mapping.js';

export type FhirEntryReport =
  | { entry: number; resourceType: string; status: 'accepted' | 'duplicate'; id: string }
  | { entry: number; resourceType: string; status: 'rejected'; code: string; errors: FieldProblem[] };

export interface FhirBundleReport {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** One per Encounter and Flag; `entry` is 0-based, as in the FHIR paths of the errors. */
  entries: FhirEntryReport[];
  /** Resources the hub does not take; they are not recorded. */
  ignored: { entry: number; resourceType: string }[];
}

@Controller('v1/adapters/fhir')
export class FhirController {
  constructor(
    private readonly batch: BatchIngest,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * An HL7 FHIR R4 Bundle (collection or message) about one child: each Encounter becomes an unscheduled
   * care attendance, each Flag a practitioner's concern, each its own event and transaction.
   */
  @Post()
  @HttpCode(200)
  async receive(
    @Body() body: unknown,
    @Query('source') sourceParam: string | undefined,
    @AgencyCaller() caller: AgencyCallerIdentity | undefined,
  ): Promise<FhirBundleReport> {
    const source = caller?.organisation ?? sourceParam;
    const problems = bundleProblems(body);
    if (problems.length > 0) throw validationFailed(problems);
    if (!source)
      throw validationFailed([
        { field: 'source', reason: 'is required: the health organisation sending the Bundle' },
      ]);
    const { mapped, ignored } = readBundle(body as Record<string, unknown>, {
      source,
      secret: this.config.IDENTIFIER_HMAC_SECRET,
    });
    const report = await this.batch.record(
      mapped.map((plan) => ({
        row: plan.entry + 1,
        ...(plan.envelope ? { envelope: plan.envelope } : {}),
        ...(plan.problems ? { problems: plan.problems } : {}),
      })),
      new Date(),
      caller,
    );
    const entries = report.rows.map((row, i): FhirEntryReport => {
      const plan = mapped[i]!;
      const base = { entry: plan.entry, resourceType: plan.resourceType };
      if (row.status !== 'rejected') return { ...base, status: row.status, id: row.id };
      const seen = new Set<string>();
      const errors = row.errors
        .map((e) => ({ field: plan.fields[e.field] ?? e.field, reason: e.reason }))
        .filter((e) => {
          const key = `${e.field}\u0000${e.reason}`;
          return seen.has(key) ? false : (seen.add(key), true);
        });
      return { ...base, status: 'rejected', code: row.code, errors };
    });
    return {
      accepted: report.accepted,
      duplicates: report.duplicates,
      rejected: report.rejected,
      entries,
      ignored,
    };
  }
}
