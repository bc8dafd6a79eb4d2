import { ApiProperty } from '@nestjs/swagger';

/** What a field or an attachment is called, for Chinese and for English readers; the path stays the machine's name. */
export class LabelResponse {
  @ApiProperty({ example: '司前区块 北至' })
  zh!: string;

  @ApiProperty({ example: '司前区块: north boundary' })
  en!: string;
}
