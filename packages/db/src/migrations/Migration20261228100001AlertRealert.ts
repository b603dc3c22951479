import { Migration } from '@mikro-orm/migrations';

// Issue 14 #2: an open critical alert is repeated every realertInterval of its job's policy until it
// is acknowledged; realerted_at is when it was last repeated (null: never).
export class Migration20261228100001AlertRealert extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table alerts add column if not exists realerted_at datetime(3) null');
  }

  override async down(): Promise<void> {
    this.addSql('alter table alerts drop column if exists realerted_at');
  }
}
