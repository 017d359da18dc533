import { Body, Controller, Get, Header, Param, Post, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  AGENCY_KINDS,
  AgencyKind,
  Directory,
  addAgency,
  exportAgenciesCsv,
  exportDirectoryJson,
  importAgenciesCsv,
  importDirectoryJson,
  mergeAgencies,
  renameAgency,
  retireAgency,
} from '@thihanh/agency-directory';
import { Roles } from '@thihanh/auth';
import { EventMetadata } from '@thihanh/contracts';
import { InvalidInputError, NotFoundError } from '@thihanh/domain';
import { CommandMetadata } from '@thihanh/http';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { AgencyDirectoryService } from './agency-directory.service';

const ID = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

class FocalPointDto {
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(3, 200) email?: string;
}

class AgencyDto {
  @ApiProperty({ example: 'son-la.so-ngoai-vu' }) @MaxLength(200) @Matches(ID) id!: string;
  @ApiProperty({ example: 'Sở Ngoại vụ' }) @IsString() @Length(2, 300) officialName!: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 300, { each: true }) aliases?: string[];
  @ApiProperty({ enum: AGENCY_KINDS }) @IsIn(AGENCY_KINDS) kind!: AgencyKind;
  @ApiProperty({ example: 'son-la' }) @MaxLength(50) @Matches(/^[a-z0-9-]+$/) province!: string;
  @ApiPropertyOptional() @IsOptional() @MaxLength(200) @Matches(ID) parentId?: string;
  @ApiPropertyOptional({ type: FocalPointDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => FocalPointDto) focalPoint?: FocalPointDto;
}

class RenameDto {
  @ApiProperty() @IsString() @Length(2, 300) newName!: string;
  @ApiPropertyOptional({ example: '2025-07-01' }) @IsOptional() @IsISO8601({ strict: true }) on?: string;
}

class MergeDto {
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @MaxLength(200, { each: true }) @Matches(ID, { each: true }) sourceIds!: string[];
  @ApiPropertyOptional({ description: 'id of an existing agency' }) @IsOptional() @MaxLength(200) @Matches(ID) intoId?: string;
  @ApiPropertyOptional({ type: AgencyDto, description: 'a new agency founded by the merger' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AgencyDto) intoNew?: AgencyDto;
  @ApiProperty({ example: '2025-07-01' }) @IsISO8601({ strict: true }) on!: string;
}

class RetireDto {
  @ApiProperty({ example: '2025-07-01' }) @IsISO8601({ strict: true }) on!: string;
  @ApiPropertyOptional() @IsOptional() @MaxLength(200) @Matches(ID) mergedInto?: string;
}

class ImportDto {
  @ApiProperty({ enum: ['csv', 'json'] }) @IsIn(['csv', 'json']) format!: 'csv' | 'json';
  @ApiProperty({ description: 'the file content (UTF-8)' }) @IsString() @Length(1, 900_000) content!: string;
  @ApiPropertyOptional({ enum: ['add', 'upsert'] }) @IsOptional() @IsIn(['add', 'upsert']) mode?: 'add' | 'upsert';
}

class SearchQuery {
  @IsOptional() @IsString() @Length(1, 200) q?: string;
  @IsOptional() @MaxLength(50) @Matches(/^[a-z0-9-]+$/) province?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

class ExportQuery {
  @IsIn(['csv', 'json']) format!: 'csv' | 'json';
  @IsOptional() @MaxLength(50) @Matches(/^[a-z0-9-]+$/) province?: string;
}

const READERS = ['member', 'coordinator', 'auditor', 'operator'] as const;

/** Danh mục cơ quan / the agency directory: who plans can name, and the groups that stand for many. */
@ApiTags('agencies')
@Controller('agencies')
export class AgencyDirectoryController {
  constructor(private readonly directory: AgencyDirectoryService) {}

  @Get()
  @Roles(...READERS)
  async search(@Query() query: SearchQuery) {
    const directory = await this.directory.current();
    const found = query.q
      ? directory.search(query.q, { province: query.province, limit: query.limit ?? 50 })
      : [...directory.agencies, ...directory.groups]
          .filter((x) => !query.province || x.province === query.province)
          .slice(0, query.limit ?? 50)
          .map((x) => ('officialName' in x ? { type: 'agency' as const, agency: x } : { type: 'group' as const, group: x }));
    return { items: found, version: this.directory.streamVersion };
  }

  @Get('export')
  @Roles(...READERS)
  @Header('Cache-Control', 'no-store')
  async export(@Query() query: ExportQuery) {
    const directory = await this.directory.current();
    return query.format === 'csv'
      ? { format: 'csv', content: exportAgenciesCsv(directory, { province: query.province }) }
      : JSON.parse(exportDirectoryJson(directory, { province: query.province }));
  }

  @Get(':id')
  @Roles(...READERS)
  async get(@Param('id') id: string) {
    const directory = await this.directory.current();
    const entry = directory.find(id);
    if (!entry) throw new NotFoundError('AGENCY.NOT_FOUND', `No agency or group ${id}`, { id });
    return entry.type === 'group' ? { ...entry, members: directory.expand(id).map((a) => ({ id: a.id, officialName: a.officialName })) } : entry;
  }

  @Post()
  @Roles('operator')
  add(@Body() body: AgencyDto, @CommandMetadata() metadata: EventMetadata) {
    return this.directory.change((d) => addAgency(d, { agency: { ...body, aliases: body.aliases ?? [] } }), metadata);
  }

  @Post(':id/rename')
  @Roles('operator')
  rename(@Param('id') agencyId: string, @Body() body: RenameDto, @CommandMetadata() metadata: EventMetadata) {
    return this.directory.change((d) => renameAgency(d, { agencyId, ...body }), metadata);
  }

  @Post('merge')
  @Roles('operator')
  merge(@Body() body: MergeDto, @CommandMetadata() metadata: EventMetadata) {
    const into = body.intoNew ? { ...body.intoNew, aliases: body.intoNew.aliases ?? [] } : body.intoId;
    if (!into || (body.intoId && body.intoNew)) {
      throw new InvalidInputError('AGENCY.INVALID_MERGE', 'Give exactly one of intoId (existing agency) or intoNew (new agency)');
    }
    return this.directory.change((d) => mergeAgencies(d, { sourceIds: body.sourceIds, into, on: body.on }), metadata);
  }

  @Post(':id/retire')
  @Roles('operator')
  retire(@Param('id') agencyId: string, @Body() body: RetireDto, @CommandMetadata() metadata: EventMetadata) {
    return this.directory.change((d) => retireAgency(d, { agencyId, ...body }), metadata);
  }

  @Post('import')
  @Roles('operator')
  import(@Body() body: ImportDto, @CommandMetadata() metadata: EventMetadata) {
    return this.directory.change((d) => importOrExplain(d, body), metadata);
  }
}

function importOrExplain(directory: Directory, body: ImportDto) {
  const result =
    body.format === 'csv'
      ? importAgenciesCsv(directory, body.content, { mode: body.mode })
      : importDirectoryJson(directory, body.content, { mode: body.mode });
  if (!result.ok) {
    throw new InvalidInputError('AGENCY.IMPORT_REJECTED', `${result.problems.length} row(s) rejected; nothing was imported`, {
      problems: result.problems,
    });
  }
  return { events: [...result.events] };
}
