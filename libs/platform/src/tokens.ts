/** Injection tokens the platform provides to every service. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const DATABASE = Symbol('DATABASE');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const PROJECTIONS = Symbol('PROJECTIONS');
export const CONSUMERS = Symbol('CONSUMERS');
export const AUDITED_AGGREGATES = Symbol('AUDITED_AGGREGATES');
