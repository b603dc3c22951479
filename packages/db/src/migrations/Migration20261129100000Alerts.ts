import { Migration } from '@mikro-orm/migrations';

// Alerts (one unresolved per job, slot and kind), the detectors' dedup keys and their cursors.
export class Migration20261129100000Alerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists alerts (
      id bigint unsigned not null auto_increment primary key,
      job_key varchar(64) not null,
      slot datetime(3) not null,
      kind varchar(20) not null,
      severity varchar(10) not null,
      reason varchar(200) not null,
      details json not null,
      first_seen datetime(3) not null,
      last_seen datetime(3) not null,
      count int not null default 1,
      status varchar(12) not null,
      open_key varchar(160) null,
      acknowledged_by varchar(100) null,
      acknowledged_at datetime(3) null,
      resolved_by varchar(100) null,
      resolved_at datetime(3) null,
      note text null,
      updated_at datetime(3) not null,
      unique key alerts_open_key_unique (open_key),
      key alerts_job_index (job_key, id),
      key alerts_status_index (status, id),
      key alerts_slot_index (slot)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists alert_observations (
      \`key\` varchar(255) not null primary key,
      alert_id bigint null,
      created_at datetime(3) not null
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists alerting_cursors (
      name varchar(191) not null primary key,
      value json not null,
      updated_at datetime(3) not null
    ) default character set utf8mb4 engine = InnoDB`);
    // The alerting service follows the ledger by updated_at (run-state events, failures, recoveries).
    this.addSql('create index if not exists job_slots_updated_index on job_slots (updated_at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists job_slots_updated_index on job_slots');
    for (const t of ['alerting_cursors', 'alert_observations', 'alerts']) this.addSql(`drop table if exists ${t}`);
  }
}
