import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { PURPOSES, type Purpose } from '@jigsaw/envelope';

/** `GET /fhir/Flag`: the child, as CP-IS searches, and the purpose every read names. */
export class FhirFlagQueryDto {
  @ApiProperty({
    example: '9434765919',
    description: 'The NHS number, alone or as `https://fhir.nhs.uk/Id/nhs-number|<NHS number>`.',
  })
  @IsString()
  patient!: string;

  @ApiProperty({ enum: PURPOSES, example: 'health-care', description: 'Why you are reading.' })
  @IsIn(PURPOSES)
  purpose!: Purpose;
}
