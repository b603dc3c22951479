import { Migration } from '@mikro-orm/migrations';

// The run bookkeeping behind exactly-once: the slot ledger, per-job fences, per-chunk checkpoints and
// the transactional outbox relayed to Kafka.
export class Migration20261128100001RunLedger extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists job_slots (
      id bigint unsigned not null auto_increment primary key,
      job_key varchar(64) not null,
      nominal_time datetime(3) not null,
      kind varchar(40) not null,
      status varchar(12) not null,
      workflow_id varchar(255) null,
      run_id varchar(64) null,
      attempt int not null default 0,
      started_at datetime(3) null,
      finished_at datetime(3) null,
      progress json null,
      result json null,
      error_type varchar(120) null,
      error_message text null,
      fence bigint null,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      unique key job_slots_job_nominal_unique (job_key, nominal_time),
      key job_slots_nominal_index (nominal_time),
      key job_slots_status_nominal_index (status, nominal_time),
      key job_slots_finished_index (finished_at)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists job_fences (
      job_key varchar(64) not null primary key,
      fence bigint not null,
      commits bigint not null default 0,
      updated_at datetime(3) not null
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists job_checkpoints (
      id bigint unsigned not null auto_increment primary key,
      job_key varchar(64) not null,
      nominal_time datetime(3) not null,
      chunk int not null,
      cursor_after varchar(255) null,
      counts json not null,
      fence bigint not null,
      created_at datetime(3) not null,
      unique key job_checkpoints_slot_chunk_unique (job_key, nominal_time, chunk)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists outbox (
      id bigint unsigned not null auto_increment primary key,
      event_id char(36) not null,
      topic varchar(200) not null,
      \`key\` varchar(255) null,
      payload json not null,
      headers json not null,
      created_at datetime(3) not null,
      sent_at datetime(3) null,
      attempts int not null default 0,
      last_error text null,
      unique key outbox_event_id_unique (event_id),
      key outbox_pending_index (sent_at, id)
    ) default character set utf8mb4 engine = InnoDB`);
  }

  override async down(): Promise<void> {
    for (const t of ['outbox', 'job_checkpoints', 'job_fences', 'job_slots']) this.addSql(`drop table if exists ${t}`);
  }
}
