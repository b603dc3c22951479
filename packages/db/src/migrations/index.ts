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

// DST policy per job (issue 12).
import { Migration20261206120000DstPolicy } from './Migration20261206120000DstPolicy';
migrationsList.push({ name: 'Migration20261206120000DstPolicy', class: Migration20261206120000DstPolicy });
