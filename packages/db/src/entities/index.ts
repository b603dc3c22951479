import { JobDefinitionSchema } from './job-definition';

export * from './job-definition';
export const entities = [JobDefinitionSchema];
