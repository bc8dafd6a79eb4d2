import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

export class ContactDto {
  @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;

  @IsEmail() @MaxLength(254)
  email!: string;
}

/**
 * The walking skeleton's minimal zone creation plan: enough to route and notify.
 * The domain issue brings blocks, industries, attachments and drafts.
 */
export class CreateZonePlanRequest {
  /** e.g. 浙江庆元经济开发区 */
  @IsString() @IsNotEmpty() @MaxLength(300)
  zoneName!: string;

  /** The applicant county's code in the directory, e.g. `qingyuan`. */
  @IsString() @Matches(/^[a-z][a-z0-9-]{1,63}$/, { message: 'countyCode must be a directory code such as qingyuan' })
  countyCode!: string;

  @ValidateNested() @Type(() => ContactDto)
  contact!: ContactDto;

  /** Who else is told at each decision, e.g. the paired advanced zone. */
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ContactDto)
  stakeholders?: ContactDto[];
}
