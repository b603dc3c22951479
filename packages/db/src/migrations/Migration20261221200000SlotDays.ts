import { Migration } from '@mikro-orm/migrations';

// Daily roll-ups of the slot ledger (issue 13): one row per job and UTC day with the count of each
// verdict and the p50/p95 run duration, so long ranges read a few hundred rows instead of millions
// and raw slots can be deleted after their retention. `job_slot_rollup_days` records which days have
// been rolled up, and whether a day is final (its raw rows may go). `open` counts the planned or
// running slots of the job that day, which are not rolled up: while it is above 0, the job's raw rows
// of that day stay and the roll-up is recomputed.
export class Migration20261221200000SlotDays extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists job_slot_days (
      job_key varchar(64) not null,
      day date not null,
      kind varchar(40) not null,
      total int not null,
      counts json not null,
      open int not null default 0,
      timed_runs int not null,
      p50_ms int null,
      p95_ms int null,
      rolled_at datetime(3) not null,
      primary key (job_key, day),
      key job_slot_days_day_index (day)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists job_slot_rollup_days (
      day date not null primary key,
      final tinyint(1) not null,
      rolled_at datetime(3) not null
    ) default character set utf8mb4 engine = InnoDB`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists job_slot_rollup_days');
    this.addSql('drop table if exists job_slot_days');
  }
}
