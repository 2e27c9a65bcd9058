import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '@jigsaw/auth';
import type { Viewer } from '@jigsaw/sharing';
import { CHILD_VIEW_EXAMPLES } from '../openapi/examples.js';
import { ApiProblems } from '@jigsaw/http';
import { CHILD_VIEW_SCHEMA } from '../openapi/schemas.js';
import type { ChildView } from './child-view.js';
import { ChildViewQueryDto } from './child-view.query.js';
import { ChildViewService } from './child-view.service.js';

/** Behind PractitionerGuard (APP_GUARD), which also checks `?purpose=`. */
@ApiTags('children')
@ApiBearerAuth()
@Controller('v1/children')
export class ChildViewController {
  constructor(private readonly views: ChildViewService) {}

  @Get(':ref/view')
  @ApiOperation({
    summary: "The child's shared view, cut to what you may see",
    description:
      'Current statuses (child protection plan, looked after, child in need, family help, school roll, ' +
      'elective home education, missing), the agencies involved and whom to call there, counts over the ' +
      'last twelve months, risk signals with their explanation and, for health, the CP-IS flag. Folded at ' +
      'each request from the records the sharing policy lets you see for this purpose, through your own ' +
      'cut of each, so nothing you may not see shapes a status, a count or a signal. The read is recorded ' +
      'in the access log before the answer leaves.',
  })
  @ApiParam({
    name: 'ref',
    description: 'The child: an NHS number or a hub child id.',
    examples: {
      nhsNumber: { summary: 'NHS number', value: '9434765919' },
      hubChildId: { summary: 'Hub child id', value: '3b7a1a9e-2f4c-4d0b-8f6e-5a9c1d2e3f40' },
    },
  })
  @ApiOkResponse({
    description: 'The view for this viewer and purpose.',
    content: { 'application/json': { schema: CHILD_VIEW_SCHEMA, examples: CHILD_VIEW_EXAMPLES } },
  })
  @ApiProblems('/v1/children/9434765919/view', 400, 401, 403, 404)
  view(
    @Param('ref') ref: string,
    @Query() _query: ChildViewQueryDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ChildView> {
    return this.views.read(ref, viewer);
  }
}
