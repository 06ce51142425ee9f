/** What a provider factory needs besides the deployment: the resolved key and the transport. */
export interface ProviderSettings {
  apiKey: string | undefined;
  fetch?: typeof globalThis.fetch;
}
