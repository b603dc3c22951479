import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128000001JobDefinitions } from './Migration20261128000001JobDefinitions';

// Listed explicitly (not globbed) so migrations run the same from src under vitest and from dist.
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261128000001JobDefinitions', class: Migration20261128000001JobDefinitions },
];
