export * from './envelope-codec';
export * from './event-consumer';
export * from './in-process-message-bus';
export * from './kafka-message-bus';
export * from './message-bus';
export * from './migrations';
export * from './outbox-relay';
