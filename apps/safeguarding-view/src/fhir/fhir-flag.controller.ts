import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentViewer, DefaultPurpose, Public } from '@jigsaw/auth';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { ApiOperationOutcomes, FHIR_JSON, OperationOutcomeFilter } from '@jigsaw/fhir';
import { isValidNhsNumber, nhsNumberProblem } from '@jigsaw/identity';
import type { Viewer } from '@jigsaw/sharing';
import { ChildViewService } from '../view/child-view.service.js';
import { capabilityStatement } from './capability-statement.js';
import { cpisFlags, NHS_NUMBER_SYSTEM, searchset } from './cpis-flag.fhir.js';
import { FhirFlagQueryDto } from './fhir-flag.query.js';

const baseOf = (request: Request): string => `${request.protocol}://${request.get('host') ?? 'localhost'}`;

/** The NHS number a `patient` search names: alone, or as a token with the NHS number system. */
function nhsNumberOf(patient: string): string {
  const value = patient.startsWith(`${NHS_NUMBER_SYSTEM}|`)
    ? patient.slice(NHS_NUMBER_SYSTEM.length + 1)
    : patient;
  if (!isValidNhsNumber(value)) {
    throw new JigsawError(ErrorCode.ValidationFailed, 'the patient is not a valid NHS number', [
      { field: 'patient', reason: nhsNumberProblem(value) ?? 'must be an NHS number' },
    ]);
  }
  return value;
}

/**
 * The CP-IS flag over FHIR R4, searched as the national CP-IS API is (`[base]/Flag?patient=<NHS number>`),
 * so that a system integrated with CP-IS can read the hub's. It is the child view's flag, read and
 * recorded as the view is.
 */
@ApiTags('fhir')
@Controller('fhir')
@UseFilters(OperationOutcomeFilter)
export class FhirFlagController {
  constructor(private readonly views: ChildViewService) {}

  @Public()
  @Get('metadata')
  @ApiOperation({ summary: "The FHIR endpoint's CapabilityStatement" })
  @ApiOkResponse({
    description: 'A FHIR R4 CapabilityStatement.',
    content: {
      [FHIR_JSON]: {
        schema: {
          type: 'object',
          required: ['resourceType', 'status', 'date', 'kind', 'fhirVersion', 'format', 'rest'],
          properties: {
            resourceType: { type: 'string', enum: ['CapabilityStatement'] },
            status: { type: 'string' },
            date: { type: 'string' },
            kind: { type: 'string', enum: ['instance'] },
            fhirVersion: { type: 'string', enum: ['4.0.1'] },
            format: { type: 'array', items: { type: 'string' } },
            rest: {
              type: 'array',
              items: {
                type: 'object',
                required: ['mode', 'resource'],
                properties: { mode: { type: 'string', enum: ['server'] }, resource: { type: 'array' } },
              },
            },
          },
        },
      },
    },
  })
  metadata(@Req() request: Request, @Res({ passthrough: true }) response: Response): Record<string, unknown> {
    response.type(FHIR_JSON);
    return capabilityStatement(baseOf(request), '2026-12-06');
  }

  @Get('Flag')
  @DefaultPurpose('health-care')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'The CP-IS flag of a child, as FHIR Flags',
    description:
      'A searchset Bundle: one Flag per child protection plan or care episode current or ended within the ' +
      'year, with its start (and end) and the responsible council to call; nothing of the plan itself. ' +
      'For health practitioners; cut by the sharing policy and recorded in the access log like the view.',
  })
  @ApiOkResponse({
    description: 'A FHIR searchset Bundle of Flags.',
    content: {
      [FHIR_JSON]: {
        schema: {
          type: 'object',
          required: ['resourceType', 'type', 'total', 'entry'],
          properties: {
            resourceType: { type: 'string', enum: ['Bundle'] },
            type: { type: 'string', enum: ['searchset'] },
            total: { type: 'integer' },
            link: { type: 'array', items: { type: 'object' } },
            entry: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  fullUrl: { type: 'string' },
                  resource: { type: 'object' },
                  search: { type: 'object' },
                },
              },
            },
          },
        },
      },
    },
  })
  @ApiOperationOutcomes(400, 401, 403)
  async flags(
    @Query() query: FhirFlagQueryDto,
    @CurrentViewer() viewer: Viewer,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, unknown>> {
    const nhsNumber = nhsNumberOf(query.patient);
    if (viewer.agency !== 'health') {
      throw new JigsawError(ErrorCode.Forbidden, 'the CP-IS flag is for health practitioners', [
        { field: 'patient', reason: 'is read here by health practitioners only; others read the child view' },
      ]);
    }
    response.type(FHIR_JSON);
    const self = `/fhir/Flag?patient=${encodeURIComponent(query.patient)}&purpose=${viewer.purpose}`;
    let view;
    try {
      view = await this.views.read(nhsNumber, viewer);
    } catch (error) {
      // A child the hub does not know has no flag: the same answer as a child without one.
      if (error instanceof JigsawError && error.code === ErrorCode.ChildNotFound) {
        return searchset(baseOf(request), self, []);
      }
      throw error;
    }
    return searchset(baseOf(request), self, view.cpis ? cpisFlags(view.childId, nhsNumber, view.cpis) : []);
  }
}
