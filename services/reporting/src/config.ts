import { IsString, Matches } from 'class-validator';
import { ServiceConfig } from '@thihanh/platform';

export class ReportingConfig extends ServiceConfig {
  override PORT = 3004;
}

/** What the offline rebuild needs: only the service's database. */
export class RebuildConfig {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/reporting';
}
