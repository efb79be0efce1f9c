export * from './duration.js';
export * from './window.js';
