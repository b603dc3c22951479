import { Migration } from '@mikro-orm/migrations';

// Issue 14 #4: routing rules. `destinations` holds each destination's URL and, for signed webhooks, its
// HMAC key (the API never shows it again).
export class Migration20261228100003AlertRoutes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists alert_routes (
      id bigint unsigned not null auto_increment primary key,
      name varchar(100) not null,
      \`match\` json not null,
      destinations json not null,
      enabled tinyint(1) not null default 1,
      updated_by varchar(100) not null,
      updated_at datetime(3) not null,
      unique key alert_routes_name_unique (name)
    ) default character set utf8mb4 engine = InnoDB`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists alert_routes');
  }
}
