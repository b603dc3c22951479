import { Migration } from '@mikro-orm/migrations';

// Issue 14: alert policies (duration baselines, noise controls), set globally (target ''), per tag or
// per job; `settings` holds only the fields that scope sets (AlertPolicySettings in the contracts).
export class Migration20261228100000AlertPolicies extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists alert_policies (
      scope varchar(8) not null,
      target varchar(64) not null,
      settings json not null,
      updated_by varchar(100) not null,
      updated_at datetime(3) not null,
      primary key (scope, target)
    ) default character set utf8mb4 engine = InnoDB`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists alert_policies');
  }
}
