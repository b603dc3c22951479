import { Migration } from '@mikro-orm/migrations';

// DST policy per job (issue 12), and the clock-change plan last written into its schedules.
export class Migration20261221100000DstPolicy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table job_definitions
      add column if not exists dst_repeated varchar(5) not null default 'first' after catchup_window_ms,
      add column if not exists dst_missing varchar(5) not null default 'shift' after dst_repeated,
      add column if not exists dst_plan_hash varchar(64) null after schedule_fingerprint,
      add column if not exists dst_plan_until datetime(3) null after dst_plan_hash`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table job_definitions
      drop column if exists dst_repeated, drop column if exists dst_missing,
      drop column if exists dst_plan_hash, drop column if exists dst_plan_until`);
  }
}
