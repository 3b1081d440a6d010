import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP relay between the app and its database that can go silent, as a network partition or a
 * hung server does: connections stay open, nothing comes back. A refused connection fails fast;
 * this is the case that makes a call wait.
 */
export class SilentableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private silent = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Listens on a free local port; returns it. */
  async start(): Promise<number> {
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => undefined);
      if (this.silent) return; // accepted, never answered
      const upstream = createConnection(this.port, this.host);
      this.sockets.add(upstream);
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.on('data', (d) => void (this.silent || upstream.write(d)));
      upstream.on('data', (d) => void (this.silent || client.write(d)));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }

  /** Goes silent, or back to relaying; coming back drops the connections that lost bytes meanwhile. */
  setSilent(silent: boolean): void {
    if (this.silent && !silent) for (const s of this.sockets) s.destroy();
    this.silent = silent;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** The same connection string, through a proxy on `port`. */
export function viaPort(uri: string, port: number): string {
  const url = new URL(uri);
  url.host = `127.0.0.1:${port}`;
  return url.toString();
}
