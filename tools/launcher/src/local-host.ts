/** Services on this machine are the ones `npm start` may start itself. */
export function isLocalHost(hostname: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname);
}
