import { Migration } from '@mikro-orm/migrations';

// Issue 10: the alerting lease holder plans every job's expected slots and sweeps them to verdicts.
// job_schedule_watch is what it keeps per job between passes (and across a failover): the schedule's
// spec digest its planned rows were made from, how far ahead they reach, and recent snapshots of
// Temporal's counters placed by the scheduler's own progress. alerts.recovered_at: a later slot of
// the job succeeded (the job is healthy again) while this slot still has no good run.
export class Migration20261220400001SlotSweeper extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists job_schedule_watch (
      job_key varchar(64) not null primary key,
      spec_hash char(64) null,
      schedule_created_at datetime(3) null,
      planned_until datetime(3) null,
      snapshots json not null,
      updated_at datetime(3) not null
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql('alter table alerts add column if not exists recovered_at datetime(3) null');
    this.addSql('create index if not exists alerts_job_slot_index on alerts (job_key, slot)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists alerts_job_slot_index on alerts');
    this.addSql('alter table alerts drop column if exists recovered_at');
    this.addSql('drop table if exists job_schedule_watch');
  }
}
