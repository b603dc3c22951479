import { Migration } from '@mikro-orm/migrations';

// Slot order (DESIGN.md, exactly-once layer 5): the newest slot of a latest-state job whose effects
// have committed. It only grows, and it is checked and advanced under the job's fence row lock in
// every chunk transaction, so an older slot can never commit over it.
export class Migration20261210200000SlotOrder extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table job_fences add column if not exists state_slot datetime(3) null');
  }

  override async down(): Promise<void> {
    this.addSql('alter table job_fences drop column if exists state_slot');
  }
}
