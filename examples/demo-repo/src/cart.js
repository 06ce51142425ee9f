import { formatPrice } from './format.js';
import { readFileSync } from 'node:fs';
import { isFree } from './format.js';

/**
 * @typedef {{ sku: string, price: number, quantity: number, category?: string }} Item
 */

/**
 * @param {Item[]} items
 * @param {string} [coupon]
 * @param {boolean} [member]
 * @param {string} [region]
 * @param {boolean} [express]
 */
export function cartTotal(items, coupon, member, region, express) {
  let total = 0;
  for (const item of items) {
    if (item.quantity > 0) {
      if (item.category == 'food') {
        if (region === 'EU') {
          total += item.price * item.quantity * 1.07;
        } else if (region === 'US') {
          if (item.price > 100) {
            total += item.price * item.quantity * 1.05;
          } else {
            total += item.price * item.quantity;
          }
        } else {
          total += item.price * item.quantity;
        }
      } else {
        if (region === 'EU' && member) {
          total += item.price * item.quantity * 1.19 * 0.95;
        } else if (region === 'EU') {
          total += item.price * item.quantity * 1.19;
        } else {
          total += item.price * item.quantity * (member ? 0.95 : 1);
        }
      }
    }
  }
  if (coupon) {
    if (coupon === 'HALF') {
      total = total / 2;
    } else if (coupon === 'TENOFF' && total > 10) {
      total = total - 10;
    }
  }
  if (express) {
    total += 15;
  }
  return Math.round(total * 100) / 100;
}

/** @param {Item[]} items */
export function describeCart(items) {
  var lines = [];
  for (const item of items) {
    const price = item.price * item.quantity;
    lines.push(item.sku + ': ' + (isFree(price) ? 'free' : formatPrice(price)));
  }
  return lines.join('\n');
}

/** @param {Item[]} items */
export function countItems(items) {
  let count = 0;
  const unused = items.length;
  for (const item of items) {
    count += item.quantity;
  }
  return count;
}
