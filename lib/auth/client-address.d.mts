export const CLIENT_ADDRESS_HEADER: string;
export function trustedProxyHops(text: string | undefined): number;
export function clientAddress(
  forwardedFor: string | string[] | undefined,
  socketAddress: string | undefined,
  hops: number,
): string;
