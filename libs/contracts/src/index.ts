export * from './envelope';
export * from './topics';
export * from './plan-registry.events';
export * from './task-assignment.events';
export * from './decree-consultation.events';
export * from './reporting.events';
