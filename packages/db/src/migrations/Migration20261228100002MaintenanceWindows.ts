import { Migration } from '@mikro-orm/migrations';

// Issue 14 #3: maintenance windows (one-off from–to, or recurring cron + duration in a zone) over jobs
// or tags; alerts.suppressed_by names the window an alert was recorded in without being notified.
export class Migration20261228100002MaintenanceWindows extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists maintenance_windows (
      id bigint unsigned not null auto_increment primary key,
      name varchar(100) not null,
      reason varchar(500) not null,
      jobs json not null,
      tags json not null,
      mode varchar(10) not null,
      starts_at datetime(3) null,
      ends_at datetime(3) null,
      cron varchar(120) null,
      duration_ms bigint null,
      timezone varchar(64) null,
      ended_at datetime(3) null,
      managed_by varchar(10) not null default 'console',
      created_by varchar(100) not null,
      updated_by varchar(100) not null,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      unique key maintenance_windows_name_unique (name)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql('alter table alerts add column if not exists suppressed_by varchar(120) null');
  }

  override async down(): Promise<void> {
    this.addSql('alter table alerts drop column if exists suppressed_by');
    this.addSql('drop table if exists maintenance_windows');
  }
}
