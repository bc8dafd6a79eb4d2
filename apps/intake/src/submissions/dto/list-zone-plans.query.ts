import { IsOptional, Matches } from 'class-validator';

export class ListZonePlansQuery {
  /** Only this county's plans, by directory code. */
  @IsOptional() @Matches(/^[a-z][a-z0-9-]{1,63}$/, { message: 'county must be a directory code such as qingyuan' })
  county?: string;
}
