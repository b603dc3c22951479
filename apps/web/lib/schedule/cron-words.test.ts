import { describe, expect, it } from 'vitest';
import { cronToWords, scheduleInWords } from './cron-words';

describe('cronToWords', () => {
  it.each([
    ['* * * * *', 'Every minute'],
    ['*/5 * * * *', 'Every 5 minutes'],
    ['5 * * * *', 'Every hour at minute 5'],
    ['0 3 * * *', 'At 03:00 every day'],
    ['30 9,17 * * *', 'At 09:30 and 17:30 every day'],
    ['0 3 * * 1-5', 'At 03:00 on Monday to Friday'],
    ['0 3 * * MON,WED', 'At 03:00 on Monday and Wednesday'],
    ['0 0 1 * *', 'At 00:00 on day 1 of the month'],
    ['0 0 1,15 * *', 'At 00:00 on days 1 and 15 of the month'],
    ['0 0 1 1 *', 'At 00:00 on day 1 of the month in January'],
    ['0 */2 * * *', 'Every 2 hours at minute 0'],
    ['@hourly', 'Every hour at minute 0'],
    ['@daily', 'At 00:00 every day'],
    ['@every 90s', 'Every 90s'],
    ['*/10 * * * * *', 'Every 10 seconds'],
    ['0 0 9-17 * * *', 'Every hour from 09:00 to 17:00 every day'],
    ['0 3 * * 7', 'At 03:00 on Sunday'],
  ])('%s -> %s', (cron, words) => {
    expect(cronToWords(cron)).toBe(words);
  });

  it('gives up on what it cannot read', () => {
    expect(cronToWords('not a cron')).toBeNull();
    expect(cronToWords('a b c d e')).toBeNull();
  });
});

describe('scheduleInWords', () => {
  it('adds the zone', () => {
    expect(scheduleInWords({ cron: '0 3 * * *', timezone: 'Asia/Shanghai' })).toBe('At 03:00 every day, Asia/Shanghai');
    expect(scheduleInWords({ interval: '10m', timezone: 'UTC' })).toBe('Every 10m, UTC');
    expect(scheduleInWords({ cron: '??', timezone: 'UTC' })).toBe('Cron ??, UTC');
  });
});
