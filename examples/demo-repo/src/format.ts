export function formatPrice(amount: number): string {
  return '$' + amount.toFixed(2);
}

export function formatPercent(ratio: any): string {
  return (ratio * 100).toFixed(1) + '%';
}

export function isFree(amount: number): boolean {
  if (amount === 0) {
    return true;
  } else {
    return false;
  }
}
