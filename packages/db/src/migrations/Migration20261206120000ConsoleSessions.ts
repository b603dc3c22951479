import { Migration } from '@mikro-orm/migrations';

// Console sessions (issue 11): the browser holds a random session id, never the API key it stands for.
export class Migration20261206120000ConsoleSessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists console_sessions (
      id bigint unsigned not null auto_increment primary key,
      id_hash char(64) not null,
      key_id int unsigned null,
      env_key_hash char(64) null,
      actor varchar(100) not null,
      created_at datetime(3) not null,
      expires_at datetime(3) not null,
      idle_timeout_s int unsigned not null,
      last_seen_at datetime(3) not null,
      unique key console_sessions_id_hash_unique (id_hash),
      key console_sessions_key_index (key_id),
      key console_sessions_expires_index (expires_at),
      constraint console_sessions_key_fk foreign key (key_id) references api_keys (id) on delete cascade
    ) default character set utf8mb4 engine = InnoDB`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists console_sessions');
  }
}
