import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { problemOf, type ProblemDetails } from '@jigsaw/http';
import { BatchIngest, type EventOutcome } from './batch.js';
import { AgencyCaller, type AgencyCallerIdentity } from './caller.js';
import { readCloudEventRequest } from './cloud-event-http.js';
import { RecordEvent, type RecordEventResult } from './record-event.command.js';

/** One event's line in a batch's 207 answer, in the order the events were sent. */
export type BatchResult =
  | { index: number; id: string; status: 'accepted' | 'duplicate' }
  | { index: number; id?: string; status: 'refused'; problem: ProblemDetails };

export interface BatchAnswer {
  accepted: number;
  duplicates: number;
  refused: number;
  results: BatchResult[];
}

function idOf(event: unknown): string | undefined {
  const id = typeof event === 'object' && event !== null ? (event as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

export function batchAnswer(
  events: readonly unknown[],
  outcomes: readonly EventOutcome[],
  path: string,
): BatchAnswer {
  const results = outcomes.map((outcome, index): BatchResult => {
    if (outcome.status !== 'refused') return { index, id: outcome.id, status: outcome.status };
    const id = idOf(events[index]);
    return {
      index,
      ...(id === undefined ? {} : { id }),
      status: 'refused',
      problem: problemOf(outcome.error, `${path}#${index}`),
    };
  });
  const count = (status: BatchResult['status']): number => results.filter((r) => r.status === status).length;
  return { accepted: count('accepted'), duplicates: count('duplicate'), refused: count('refused'), results };
}

@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly batch: BatchIngest,
  ) {}

  /**
   * Accepts CloudEvents in each content mode of the HTTP binding: one event, structured or binary (202; the
   * same id and content again is answered the same), or a batch (207, each event's outcome in order).
   */
  @Post()
  @HttpCode(202)
  async record(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @AgencyCaller() caller: AgencyCallerIdentity | undefined,
  ): Promise<{ id: string } | BatchAnswer> {
    const message = readCloudEventRequest(request.headers, request.body as unknown);
    if (message.mode === 'batched') {
      const outcomes = await this.batch.ingestBatch(
        message.events.map((event) => ({ event })),
        new Date(),
        caller,
      );
      response.status(207);
      return batchAnswer(message.events, outcomes, request.originalUrl);
    }
    const result: RecordEventResult = await this.commands.execute(
      new RecordEvent(message.event, new Date(), caller),
    );
    return { id: result.id };
  }
}
