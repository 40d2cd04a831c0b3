/**
 * Where a browser on this machine reaches the TCP listener (the dashboard and the links `nightshift dashboard`
 * prints): a wildcard address is reached on loopback, an IPv6 one in brackets.
 */
export function dashboardUrl(host: string, port: number): string {
  const reach = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}/`;
}
