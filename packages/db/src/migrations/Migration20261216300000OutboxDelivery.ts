import { Migration } from '@mikro-orm/migrations';

// Outbox delivery without locks on the commit path: per-row failure counts, retry times and a dead-letter
// state (a row that keeps failing stops blocking the rows behind it), an index that serves the relay's
// reads (pending, failing, dead) and retention (sent_at ranges), and the lease that lets one relay at a
// time publish, so per-key order holds with any number of relay processes.
export class Migration20261216300000OutboxDelivery extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table outbox
      add column failures int not null default 0 after attempts,
      add column retry_at datetime(3) null after failures,
      add column dead_at datetime(3) null after retry_at,
      drop index outbox_pending_index,
      add index outbox_delivery_index (sent_at, dead_at, failures, id)`);
    this.addSql(`create table if not exists outbox_relay_lease (
      name varchar(64) not null primary key,
      holder varchar(100) not null,
      expires_at datetime(3) not null,
      renewals bigint not null default 0,
      updated_at datetime(3) not null
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`insert ignore into outbox_relay_lease (name, holder, expires_at, renewals, updated_at) values ('outbox', '', '1970-01-02 00:00:00', 0, now(3))`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists outbox_relay_lease');
    this.addSql(`alter table outbox drop index outbox_delivery_index, add index outbox_pending_index (sent_at, id),
      drop column dead_at, drop column retry_at, drop column failures`);
  }
}
