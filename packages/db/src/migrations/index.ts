import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128000001JobDefinitions } from './Migration20261128000001JobDefinitions';
import { Migration20261128000002ApiKeysAudit } from './Migration20261128000002ApiKeysAudit';
import { Migration20261128100000LoyaltyDomain } from './Migration20261128100000LoyaltyDomain';
import { Migration20261128100001RunLedger } from './Migration20261128100001RunLedger';

// Listed explicitly (not globbed) so migrations run the same from src under vitest and from dist.
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261128000001JobDefinitions', class: Migration20261128000001JobDefinitions },
  { name: 'Migration20261128000002ApiKeysAudit', class: Migration20261128000002ApiKeysAudit },
  { name: 'Migration20261128100000LoyaltyDomain', class: Migration20261128100000LoyaltyDomain },
  { name: 'Migration20261128100001RunLedger', class: Migration20261128100001RunLedger },
];

// Alerting (issue 5).
import { Migration20261129100000Alerts } from './Migration20261129100000Alerts';
migrationsList.push({ name: 'Migration20261129100000Alerts', class: Migration20261129100000Alerts });

// Console sessions (issue 11).
import { Migration20261206120000ConsoleSessions } from './Migration20261206120000ConsoleSessions';
migrationsList.push({ name: 'Migration20261206120000ConsoleSessions', class: Migration20261206120000ConsoleSessions });

// Slot order per job kind (issue 9 #2).
import { Migration20261210200000SlotOrder } from './Migration20261210200000SlotOrder';
migrationsList.push({ name: 'Migration20261210200000SlotOrder', class: Migration20261210200000SlotOrder });
// Fencing tokens issued from MySQL (issue 9).
import { Migration20261215090000FenceIssued } from './Migration20261215090000FenceIssued';
migrationsList.push({ name: 'Migration20261215090000FenceIssued', class: Migration20261215090000FenceIssued });

// Outbox delivery: dead letters, relay lease (issue 9 #7 #8).
import { Migration20261216300000OutboxDelivery } from './Migration20261216300000OutboxDelivery';
migrationsList.push({ name: 'Migration20261216300000OutboxDelivery', class: Migration20261216300000OutboxDelivery });

// Slot ledger: run ownership, history of replaced verdicts, report flag (issue 9 #6, issue 10).
import { Migration20261220400000SlotRuns } from './Migration20261220400000SlotRuns';
migrationsList.push({ name: 'Migration20261220400000SlotRuns', class: Migration20261220400000SlotRuns });
import { Migration20261220400001SlotSweeper } from './Migration20261220400001SlotSweeper';
migrationsList.push({ name: 'Migration20261220400001SlotSweeper', class: Migration20261220400001SlotSweeper });
// DST policy per job (issue 12).
import { Migration20261221100000DstPolicy } from './Migration20261221100000DstPolicy';
migrationsList.push({ name: 'Migration20261221100000DstPolicy', class: Migration20261221100000DstPolicy });

// Daily slot roll-ups and raw slot retention (issue 13).
import { Migration20261221200000SlotDays } from './Migration20261221200000SlotDays';
migrationsList.push({ name: 'Migration20261221200000SlotDays', class: Migration20261221200000SlotDays });
// Alert policies: duration baselines and noise controls (issue 14).
import { Migration20261228100000AlertPolicies } from './Migration20261228100000AlertPolicies';
migrationsList.push({ name: 'Migration20261228100000AlertPolicies', class: Migration20261228100000AlertPolicies });
import { Migration20261228100001AlertRealert } from './Migration20261228100001AlertRealert';
migrationsList.push({ name: 'Migration20261228100001AlertRealert', class: Migration20261228100001AlertRealert });
import { Migration20261228100002MaintenanceWindows } from './Migration20261228100002MaintenanceWindows';
migrationsList.push({ name: 'Migration20261228100002MaintenanceWindows', class: Migration20261228100002MaintenanceWindows });
import { Migration20261228100003AlertRoutes } from './Migration20261228100003AlertRoutes';
migrationsList.push({ name: 'Migration20261228100003AlertRoutes', class: Migration20261228100003AlertRoutes });
