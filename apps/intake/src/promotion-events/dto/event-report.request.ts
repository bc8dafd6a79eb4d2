import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { projectStatuses, type ProjectStatus } from '@shanhai/domain';
import { MaxDecimalPlaces } from '@shanhai/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsPositive, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';

/**
 * Six projects for 21.75 亿元, the count and total of the checked 2022-06-29 meeting in Qingtian;
 * the projects themselves are invented for Qingyuan's illustrative event.
 */
export const qingyuanReportExample = {
  /** A first filing: none may exist yet. */
  version: 0,
  projects: [
    { name: '竹木家居智能制造产业园项目', investor: '浙江某竹木科技有限公司（示例）', amountYi: 6.2, industry: '竹木制品', status: 'started' },
    { name: '香菇精深加工及冷链物流项目', investor: '某食用菌集团（示例）', amountYi: 4.5, industry: '食用菌精深加工', status: 'signed' },
    { name: '汽车空调零部件扩产项目', investor: '某汽车零部件有限公司（示例）', amountYi: 3.8, industry: '汽车零部件', status: 'producing' },
    { name: '竹纤维新材料研发中心', investor: '柯桥某纺织新材料有限公司（示例）', amountYi: 3.25, industry: '新材料', status: 'signed' },
    { name: '廊桥文旅康养综合体', investor: '某文旅投资有限公司（示例）', amountYi: 2.5, industry: '文旅康养', status: 'signed' },
    { name: '生物医药中间体项目', investor: '某生物医药有限公司（示例）', amountYi: 1.5, industry: '生物医药', status: 'signed' },
  ],
} as const;
const first = qingyuanReportExample.projects[0];

/** A project signed at the event (签约项目). */
export class SignedProjectDto {
  @ApiProperty({ description: 'The project name; it identifies the project from one report to the next.', maxLength: 200, example: first.name })
  @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'The investor (投资方).', maxLength: 200, example: first.investor })
  @IsString() @IsNotEmpty() @MaxLength(200)
  investor!: string;

  @ApiProperty({ description: 'Amount in 亿元 (100 million yuan), more than 0, to the 万元 (four decimals).', exclusiveMinimum: true, minimum: 0, maximum: 10_000, example: first.amountYi })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @MaxDecimalPlaces(4) @IsPositive() @Max(10_000)
  amountYi!: number;

  @ApiProperty({ description: 'The industry (产业).', maxLength: 100, example: first.industry })
  @IsString() @IsNotEmpty() @MaxLength(100)
  industry!: string;

  @ApiProperty({
    description: 'signed (已签约) → started (已开工) → producing (已投产): a listed project only stays or moves forward.',
    enum: projectStatuses,
    example: first.status,
  })
  @IsIn(projectStatuses)
  status!: ProjectStatus;
}

/** The whole report: each PUT replaces the project list. */
export class EventReportRequest {
  @ApiPropertyOptional({
    description: 'The version this report replaces (or send `If-Match`); 409 when the report has changed since. Absent: no check. 0: only if none is filed yet.',
    type: 'integer',
    minimum: 0,
    example: qingyuanReportExample.version,
  })
  @IsOptional() @IsInt() @Min(0)
  version?: number;

  @ApiProperty({ type: [SignedProjectDto], description: '0 to 200 projects, names unique.', maxItems: 200, example: qingyuanReportExample.projects })
  @IsArray() @ArrayMaxSize(200) @ArrayUnique((p: SignedProjectDto) => p?.name, { message: 'each project name may appear once' })
  @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => SignedProjectDto)
  projects!: SignedProjectDto[];
}
