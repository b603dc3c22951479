import { BigIntType } from '@mikro-orm/core';

/** BIGINT columns as JS numbers (MikroORM maps them to strings otherwise); ids and ms stay below 2^53. */
export const bigint = () => new BigIntType('number');
