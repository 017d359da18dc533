import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

/** The embedded mode's settings: where its data lives, its ports, whether to load the example plans. */
export class EmbeddedConfig {
  /** Where the database and the signing key are kept (`:memory:` keeps nothing). */
  @IsString()
  THIHANH_DATA_DIR = './data';

  /** The services listen on the next four ports: plan registry +1, task assignment +2, consultation +3, reporting +4. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65530)
  THIHANH_PORT = 3000;

  /** On first start, import and issue the Sơn La and Bắc Ninh plans. */
  @IsIn(['true', 'false'])
  THIHANH_EXAMPLES: 'true' | 'false' = 'true';

  /** Signing keys; by default one is made on first start and kept in the data folder. */
  @IsOptional()
  @IsString()
  @MinLength(8)
  THIHANH_AUTH_KEYS?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'warn';
}
