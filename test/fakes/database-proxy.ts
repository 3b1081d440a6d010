import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the database server, so that a test can freeze the bot's database
 * traffic at an exact point (after a given command went through) or cut it off altogether.
 */
export class DatabaseProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private freezeAfter: Buffer | undefined;
  private frozen = false;
  private down = false;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<number> {
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }

  /**
   * Once a message to the server contains these bytes it is forwarded, and then nothing more is:
   * the server's answers still come back, so the command that matched completes and the next wait.
   */
  freezeAfterCommand(bytes: Buffer): void {
    this.freezeAfter = bytes;
  }

  /** Drops every connection and refuses new ones, as an unreachable server would. */
  cutOff(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private pipe(client: Socket): void {
    if (this.down) return void client.destroy();
    const upstream = connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {});
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      if (this.frozen || this.down) return;
      upstream.write(chunk);
      if (this.freezeAfter && chunk.includes(this.freezeAfter)) this.frozen = true;
    });
  }
}

/** The bytes of a BSON string element `<command>: "<collection>"`, which opens a command. */
export function commandOn(command: 'insert' | 'find', collection: string): Buffer {
  const name = Buffer.from(`${collection}\0`);
  const length = Buffer.alloc(4);
  length.writeInt32LE(name.length);
  return Buffer.concat([Buffer.from(`\x02${command}\0`, 'latin1'), length, name]);
}

export const insertCommandInto = (collection: string): Buffer => commandOn('insert', collection);
