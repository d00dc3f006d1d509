// What the Express server passes to every loader and action.
declare module '@remix-run/node' {
  interface AppLoadContext {
    requestId: string;
    cspNonce: string;
    clientIp: string;
  }
}
export {};
