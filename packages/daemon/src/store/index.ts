export * from './db.js';
export * from './apps.js';
export * from './releases.js';
export * from './formation.js';
export * from './replicas.js';
export * from './events.js';
export * from './secrets.js';
export * from './config-vars.js';
