import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AgencyCaller, type AgencyCallerIdentity } from './caller.js';
import { RecordEvent, type RecordEventResult } from './record-event.command.js';

@Controller('v1/events')
export class EventsController {
  constructor(private readonly commands: CommandBus) {}

  /** Accepts one event as CloudEvents structured JSON; the same id and content again is answered the same. */
  @Post()
  @HttpCode(202)
  async record(
    @Body() body: unknown,
    @AgencyCaller() caller: AgencyCallerIdentity | undefined,
  ): Promise<{ id: string }> {
    const result: RecordEventResult = await this.commands.execute(new RecordEvent(body, new Date(), caller));
    return { id: result.id };
  }
}
