import { InvalidInputError } from '@thihanh/domain';

export type ChartErrorCode = 'CHART.INVALID_DATA' | 'CHART.INVALID_SIZE';

/** A chart that cannot be drawn as asked: invalid input (400). */
export class ChartError extends InvalidInputError {
  constructor(code: ChartErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}
