import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PURPOSES, type Purpose } from '@jigsaw/envelope';

/** The view's query string: the purpose alone (unknown parameters are refused). */
export class ChildViewQueryDto {
  @ApiProperty({
    enum: PURPOSES,
    example: 'health-care',
    description: 'Why you are reading; your token must grant it. The view is cut to it.',
  })
  @IsIn(PURPOSES)
  purpose!: Purpose;
}
