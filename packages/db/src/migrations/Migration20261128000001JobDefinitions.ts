import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000001JobDefinitions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists job_definitions (
      id bigint unsigned not null auto_increment primary key,
      \`key\` varchar(64) not null,
      name varchar(200) not null,
      description text not null,
      kind varchar(40) not null,
      params json not null,
      cron varchar(120) null,
      interval_ms bigint null,
      timezone varchar(64) not null default 'UTC',
      jitter_ms int not null default 0,
      overlap_policy varchar(20) not null default 'skip',
      catchup_window_ms bigint not null,
      paused tinyint(1) not null default 0,
      pause_note text null,
      retry json not null,
      timeouts json not null,
      lock_required tinyint(1) not null default 1,
      lock_ttl_ms int not null,
      expected_max_duration_ms bigint null,
      grace_period_ms bigint not null,
      tags json not null,
      owner varchar(100) not null default '',
      version int not null default 1,
      managed_by varchar(10) not null default 'console',
      sync_status varchar(10) not null default 'pending',
      sync_error text null,
      synced_at datetime(3) null,
      deleted_at datetime(3) null,
      created_by varchar(100) not null,
      updated_by varchar(100) not null,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      unique key job_definitions_key_unique (\`key\`),
      key job_definitions_kind_index (kind),
      key job_definitions_sync_status_index (sync_status)
    ) default character set utf8mb4 engine = InnoDB`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists job_definitions');
  }
}
