import { Migration } from '@mikro-orm/migrations';

// Fencing tokens are issued from MySQL (job_fences.issued) instead of a Redis counter that a Redis
// crash resets. Existing rows start at their last committed fence, so every new token is above it.
// Upgrade with the old workers stopped: a token an old worker drew from Redis but has not committed
// yet could equal one issued here.
export class Migration20261215090000FenceIssued extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table job_fences add column if not exists issued bigint not null default 0 after fence');
    this.addSql('update job_fences set issued = greatest(issued, fence)');
  }

  override async down(): Promise<void> {
    this.addSql('alter table job_fences drop column if exists issued');
  }
}
