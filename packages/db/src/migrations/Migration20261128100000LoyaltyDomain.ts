import { Migration } from '@mikro-orm/migrations';

// The loyalty / e-commerce data the batch jobs work on. Indexes follow the jobs' access paths:
// orders by (user, time) covering status and amount for the VIP spend sums, orders by time for reports.
export class Migration20261128100000LoyaltyDomain extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists vip_tiers (
      tier varchar(16) not null primary key,
      \`rank\` int not null,
      min_spend decimal(14,2) not null,
      unique key vip_tiers_min_spend_unique (min_spend)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`insert ignore into vip_tiers (tier, \`rank\`, min_spend) values
      ('standard', 0, 0), ('silver', 1, 500), ('gold', 2, 2000), ('platinum', 3, 8000)`);
    this.addSql(`create table if not exists users (
      id bigint unsigned not null auto_increment primary key,
      email varchar(190) not null,
      name varchar(120) not null,
      country char(2) not null,
      tier varchar(16) not null default 'standard',
      tier_updated_at datetime(3) null,
      created_at datetime(3) not null,
      unique key users_email_unique (email),
      key users_created_at_index (created_at),
      key users_tier_index (tier)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists products (
      id bigint unsigned not null auto_increment primary key,
      sku varchar(32) not null,
      name varchar(200) not null,
      category varchar(40) not null,
      price decimal(12,2) not null,
      created_at datetime(3) not null,
      unique key products_sku_unique (sku)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists orders (
      id bigint unsigned not null auto_increment primary key,
      user_id bigint unsigned not null,
      product_id bigint unsigned not null,
      quantity int not null default 1,
      amount decimal(12,2) not null,
      status varchar(16) not null,
      created_at datetime(3) not null,
      key orders_user_spend_index (user_id, created_at, status, amount),
      key orders_created_at_index (created_at),
      key orders_product_index (product_id)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists tier_changes (
      id bigint unsigned not null auto_increment primary key,
      user_id bigint unsigned not null,
      from_tier varchar(16) not null,
      to_tier varchar(16) not null,
      spend decimal(14,2) not null,
      job_key varchar(64) not null,
      slot datetime(3) not null,
      changed_at datetime(3) not null,
      unique key tier_changes_slot_user_unique (job_key, slot, user_id),
      key tier_changes_user_index (user_id, changed_at)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists reports (
      id bigint unsigned not null auto_increment primary key,
      kind varchar(64) not null,
      period varchar(8) not null,
      period_start datetime(3) not null,
      period_end datetime(3) not null,
      timezone varchar(64) not null,
      label varchar(40) not null,
      payload json not null,
      job_key varchar(64) not null,
      slot datetime(3) not null,
      generated_at datetime(3) not null,
      unique key reports_kind_period_unique (kind, period, period_start)
    ) default character set utf8mb4 engine = InnoDB`);
    this.addSql(`create table if not exists sessions (
      id bigint unsigned not null auto_increment primary key,
      user_id bigint unsigned not null,
      token char(32) not null,
      expires_at datetime(3) not null,
      created_at datetime(3) not null,
      key sessions_expires_at_index (expires_at),
      key sessions_user_index (user_id)
    ) default character set utf8mb4 engine = InnoDB`);
  }

  override async down(): Promise<void> {
    for (const t of ['sessions', 'reports', 'tier_changes', 'orders', 'products', 'users', 'vip_tiers']) {
      this.addSql(`drop table if exists ${t}`);
    }
  }
}
