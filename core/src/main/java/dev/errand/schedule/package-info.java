/**
 * Recurring schedules: {@link dev.errand.schedule.Recurrence}, the instants a schedule fires at, in
 * the task API document's form (daily, weekly or monthly at a local time in a time zone) or as a
 * cron expression, with daylight saving time handled explicitly.
 */
package dev.errand.schedule;
