export type * from './approval.js';
export type * from './policy.js';
export { policyRuleIds } from './policy.js';
export type * from './principal.js';
export type * from './request.js';
export { scheduleActions } from './request.js';
export type * from './schedule.js';
export { liveScheduleStatuses, targetKinds } from './schedule.js';
