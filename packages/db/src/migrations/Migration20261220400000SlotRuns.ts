import { Migration } from '@mikro-orm/migrations';

// Issue 9 #6: every slot row reaches a terminal verdict and never goes back. Each state write is
// guarded by the run that owns the row; a new run of a slot (Retry, backfill, a late start after a
// "missed" verdict) takes the row over and the verdict it replaces is kept in job_slot_runs.
// `revision` counts state writes; `report_pending` marks a change the alerting service has not
// turned into run events and alerts yet (a work flag, not a time cursor: nothing can step over it).
export class Migration20261220400000SlotRuns extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table job_slots add column if not exists runs int not null default 1');
    this.addSql('alter table job_slots add column if not exists revision int not null default 0');
    this.addSql('alter table job_slots add column if not exists report_pending tinyint(1) not null default 0');
    this.addSql('create index if not exists job_slots_report_index on job_slots (report_pending, id)');
    this.addSql(`create table if not exists job_slot_runs (
      id bigint unsigned not null auto_increment primary key,
      job_key varchar(64) not null,
      nominal_time datetime(3) not null,
      run_no int not null,
      status varchar(12) not null,
      workflow_id varchar(255) null,
      run_id varchar(64) null,
      attempt int not null default 0,
      started_at datetime(3) null,
      finished_at datetime(3) null,
      result json null,
      error_type varchar(120) null,
      error_message text null,
      replaced_at datetime(3) not null,
      unique key job_slot_runs_slot_run_unique (job_key, nominal_time, run_no),
      key job_slot_runs_nominal_index (nominal_time)
    ) default character set utf8mb4 engine = InnoDB`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists job_slot_runs');
    this.addSql('drop index if exists job_slots_report_index on job_slots');
    for (const c of ['report_pending', 'revision', 'runs']) this.addSql(`alter table job_slots drop column if exists ${c}`);
  }
}
