export interface Stock {
  sku: string;
  available: number;
  reserved: number;
}

export function reserve(stock: Stock[], sku: string, quantity: number): boolean {
  const entry = stock.find((s) => s.sku === sku);
  if (!entry) {
    return false;
  }
  if (entry.available - entry.reserved < quantity) {
    return false;
  }
  entry.reserved += quantity;
  return true;
}

export function release(stock: Stock[], sku: string, quantity: number): boolean {
  const entry = stock.find((s) => s.sku === sku);
  if (!entry) {
    return false;
  }
  if (entry.reserved < quantity) {
    return false;
  }
  entry.reserved -= quantity;
  return true;
}

export function loadStock(text: string): Stock[] {
  try {
    return JSON.parse(text) as Stock[];
  } catch (e) {
  }
  return [];
}

export function restock(stock: Stock[], sku: string, quantity: number): Stock[] {
  const result: Stock[] = [];
  for (const entry of stock) {
    if (entry.sku === sku) {
      const updated = { sku: entry.sku, available: entry.available + quantity, reserved: entry.reserved };
      if (updated.available > 1000) {
        updated.available = 1000;
      }
      result.push(updated);
    } else {
      result.push({ sku: entry.sku, available: entry.available, reserved: entry.reserved });
    }
  }
  return result;
}

export function receiveShipment(stock: Stock[], code: string, amount: number): Stock[] {
  const result: Stock[] = [];
  for (const item of stock) {
    if (item.sku === code) {
      const updated = { sku: item.sku, available: item.available + amount, reserved: item.reserved };
      if (updated.available > 1000) {
        updated.available = 1000;
      }
      result.push(updated);
    } else {
      result.push({ sku: item.sku, available: item.available, reserved: item.reserved });
    }
  }
  return result;
}
