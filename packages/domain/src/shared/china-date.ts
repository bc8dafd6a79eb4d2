/**
 * The calendar date in China (UTC+8 all year, no daylight saving), as YYYY-MM-DD: "today" wherever a
 * rule depends on the day (event dates, the dated county list). The UTC date is a day behind from
 * 00:00 to 08:00 China time.
 */
export const chinaDate = (now: Date): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
