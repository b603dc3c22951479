import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000002ApiKeysAudit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists api_keys (
      id int unsigned not null auto_increment primary key,
      name varchar(100) not null,
      prefix varchar(16) not null,
      hash char(64) not null,
      role varchar(10) not null,
      created_by varchar(100) not null,
      created_at datetime(3) not null,
      last_used_at datetime(3) null,
      revoked_at datetime(3) null,
      unique key api_keys_prefix_unique (prefix)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists audit_log (
      id bigint unsigned not null auto_increment primary key,
      actor varchar(100) not null,
      action varchar(60) not null,
      job_key varchar(64) null,
      \`before\` json null,
      \`after\` json null,
      note text null,
      created_at datetime(3) not null,
      key audit_log_job_key_index (job_key, id),
      key audit_log_created_at_index (created_at)
    ) default character set utf8mb4 engine = InnoDB`);
    // Sync bookkeeping for the reconciler: what Temporal looked like after our last write, and retry backoff.
    this.addSql(`alter table job_definitions
      add column if not exists schedule_fingerprint char(64) null,
      add column if not exists sync_attempts int not null default 0,
      add column if not exists next_sync_at datetime(3) null`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists audit_log');
    this.addSql('drop table if exists api_keys');
    this.addSql('alter table job_definitions drop column schedule_fingerprint, drop column sync_attempts, drop column next_sync_at');
  }
}
