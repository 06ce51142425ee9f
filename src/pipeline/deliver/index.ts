export { formatDelivery, prepareDelivery, runDelivery, wantsDelivery } from './run-delivery.js';
export { parseAuthor } from './author.js';
export type { DeliveryRequest, DeliveryResult } from './types.js';
