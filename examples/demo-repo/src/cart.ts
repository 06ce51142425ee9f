import { formatPrice } from './format.js';
import { readFileSync } from 'node:fs';

export interface Item {
  sku: string;
  price: number;
  quantity: number;
  category?: string;
}

export function cartTotal(items: Item[], coupon?: string, member?: boolean, region?: string, express?: boolean): number {
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

export function describeCart(items: Item[]): string {
  var lines = [];
  for (const item of items) {
    lines.push(item.sku + ': ' + formatPrice(item.price * item.quantity));
  }
  return lines.join('\n');
}
