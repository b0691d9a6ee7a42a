export * from './tokens.js';
export * from './files.js';
export * from './statuses.js';
export * from './orders.js';
export * from './journal.js';
export * from './settings.js';
export * from './messages.js';
export * from './auth-failures.js';
