import { EntitySchema } from '@mikro-orm/core';
import { bigint } from './column-types';

// The loyalty / e-commerce domain the batch jobs work on. Jobs use set-based SQL on these tables;
const money = { type: 'decimal', precision: 14, scale: 2 } as const;

export class User {
  id!: number;
  email!: string;
  name!: string;
  country!: string;
  tier = 'standard';
  tierUpdatedAt: Date | null = null;
  createdAt: Date = new Date();
}
export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    email: { type: 'string', length: 190 },
    name: { type: 'string', length: 120 },
    country: { type: 'string', length: 2 },
    tier: { type: 'string', length: 16 },
    tierUpdatedAt: { type: 'datetime', length: 3, nullable: true },
    createdAt: { type: 'datetime', length: 3 },
  },
});

export class Product {
  id!: number;
  sku!: string;
  name!: string;
  category!: string;
  price!: number;
  createdAt: Date = new Date();
}
export const ProductSchema = new EntitySchema<Product>({
  class: Product,
  tableName: 'products',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    sku: { type: 'string', length: 32 },
    name: { type: 'string', length: 200 },
    category: { type: 'string', length: 40 },
    price: { ...money, precision: 12 },
    createdAt: { type: 'datetime', length: 3 },
  },
});

export type OrderStatus = 'paid' | 'refunded' | 'cancelled' | 'pending';
export class Order {
  id!: number;
  userId!: number;
  productId!: number;
  quantity = 1;
  amount!: number;
  status!: OrderStatus;
  createdAt: Date = new Date();
}
export const OrderSchema = new EntitySchema<Order>({
  class: Order,
  tableName: 'orders',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    userId: { type: bigint() },
    productId: { type: bigint() },
    quantity: { type: 'integer' },
    amount: { ...money, precision: 12 },
    status: { type: 'string', length: 16 },
    createdAt: { type: 'datetime', length: 3 },
  },
});

export class VipTier {
  tier!: string;
  rank!: number;
  minSpend!: number;
}
export const VipTierSchema = new EntitySchema<VipTier>({
  class: VipTier,
  tableName: 'vip_tiers',
  properties: {
    tier: { type: 'string', length: 16, primary: true },
    rank: { type: 'integer' },
    minSpend: { ...money },
  },
});

export class TierChange {
  id!: number;
  userId!: number;
  fromTier!: string;
  toTier!: string;
  spend!: number;
  jobKey!: string;
  slot!: Date;
  changedAt!: Date;
}
export const TierChangeSchema = new EntitySchema<TierChange>({
  class: TierChange,
  tableName: 'tier_changes',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    userId: { type: bigint() },
    fromTier: { type: 'string', length: 16 },
    toTier: { type: 'string', length: 16 },
    spend: { ...money },
    jobKey: { type: 'string', length: 64 },
    slot: { type: 'datetime', length: 3 },
    changedAt: { type: 'datetime', length: 3 },
  },
});

export class Report {
  id!: number;
  kind!: string;
  period!: string;
  periodStart!: Date;
  periodEnd!: Date;
  timezone!: string;
  label!: string;
  payload!: Record<string, unknown>;
  jobKey!: string;
  slot!: Date;
  generatedAt!: Date;
}
export const ReportSchema = new EntitySchema<Report>({
  class: Report,
  tableName: 'reports',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    kind: { type: 'string', length: 64 },
    period: { type: 'string', length: 8 },
    periodStart: { type: 'datetime', length: 3 },
    periodEnd: { type: 'datetime', length: 3 },
    timezone: { type: 'string', length: 64 },
    label: { type: 'string', length: 40 },
    payload: { type: 'json' },
    jobKey: { type: 'string', length: 64 },
    slot: { type: 'datetime', length: 3 },
    generatedAt: { type: 'datetime', length: 3 },
  },
});

export class Session {
  id!: number;
  userId!: number;
  token!: string;
  expiresAt!: Date;
  createdAt: Date = new Date();
}
export const SessionSchema = new EntitySchema<Session>({
  class: Session,
  tableName: 'sessions',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    userId: { type: bigint() },
    token: { type: 'string', length: 32 },
    expiresAt: { type: 'datetime', length: 3 },
    createdAt: { type: 'datetime', length: 3 },
  },
});
