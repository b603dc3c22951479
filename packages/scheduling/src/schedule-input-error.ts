/** Bad schedule input, named by field; the API turns it into a 400. */
export class ScheduleInputError extends RangeError {
  constructor(
    readonly field: 'cron' | 'interval' | 'timezone' | 'count' | 'from' | 'schedule' | 'repeatedWallTime' | 'missingWallTime',
    message: string,
  ) {
    super(message);
    this.name = 'ScheduleInputError';
  }
}
