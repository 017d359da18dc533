import { Messaging1764000000100 } from './1764000000100-messaging';

export const MESSAGING_MIGRATIONS = [Messaging1764000000100];
