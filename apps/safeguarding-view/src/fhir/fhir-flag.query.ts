import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PURPOSES, type Purpose } from '@jigsaw/envelope';

/**
 * `GET /fhir/Flag`: the child, as CP-IS searches. A CP-IS consumer names no purpose: its read is for direct
 * care (`health-care`), which its token must grant; another purpose may be named.
 */
export class FhirFlagQueryDto {
  @ApiProperty({
    example: '9434765919',
    description: 'The NHS number, alone or as `https://fhir.nhs.uk/Id/nhs-number|<NHS number>`.',
  })
  @IsString()
  patient!: string;

  @ApiPropertyOptional({
    enum: PURPOSES,
    default: 'health-care',
    description: 'Why you are reading: direct care unless named, as a CP-IS consumer reads.',
  })
  @IsOptional()
  @IsIn(PURPOSES)
  purpose?: Purpose;
}
